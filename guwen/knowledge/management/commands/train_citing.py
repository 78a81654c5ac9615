"""python manage.py train_citing

Learns which articles lawyers cite for which questions from the published answers of the
consultation corpus (default ../shared/data/consultations: train.jsonl and, when present, the
unlabelled LawBench 3-8 questions with their answers) and saves data/citing/citing.json.gz. Only
words, article numbers, weights and aggregate vectors are saved, never a question or an answer.

With the sentence embedding available (and unless --no-embeddings), every current article's text
and the citing questions are embedded (citing_vectors.py): about a quarter of an hour on one core
for the 5,943 articles, reused from the model being replaced when the statutes have not changed,
and about four minutes for the questions.

The answers cite each law by the text in force when they were written (--written-by, default
citing.CORPUS_WRITTEN_BY): 治安管理处罚法 by its 2012 numbers, which the model keeps as articles of
the 2012 text, shipped beside the 2025 one.
"""

import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from guwen.knowledge import citing, citing_vectors, embedding
from guwen.knowledge.statutes import StatuteFormatError

EXTRA = "qa_unlabelled_lawbench_3-8.jsonl"


class Command(BaseCommand):
    help = (
        "从咨询语料的已发布答复中学习律师为哪类问题引用哪些条文，保存引用模型（只含词、条文号和权重）。"
        "加 --if-stale 时只在模型缺失或无法读取时才训练。"
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--input", action="append", help="JSON 行文件（question、answer，可选 category），可多次给出"
        )
        parser.add_argument("--output", default=str(citing.MODEL_PATH), help="模型保存路径")
        parser.add_argument(
            "--if-stale", action="store_true", help="模型可用时什么也不做；训练文件不在时只提示"
        )
        parser.add_argument("--no-embeddings", action="store_true", help="不计算句向量（建议条文时只用词）")
        parser.add_argument(
            "--written-by",
            default=citing.CORPUS_WRITTEN_BY.isoformat(),
            help="答复的撰写截止日期（YYYY-MM-DD）：答复引用的法律按当日施行的文本读条号"
            f"（默认 {citing.CORPUS_WRITTEN_BY:%Y-%m-%d}，即治安管理处罚法按 2012 年文本）",
        )

    def handle(self, *args, **options):
        output = Path(options["output"])
        try:
            written_by = date.fromisoformat(options["written_by"])
        except ValueError as exc:
            raise CommandError(f"--written-by 须为 YYYY-MM-DD 格式的日期：{options['written_by']!r}") from exc
        previous = None
        try:
            previous = citing.load(output)
        except citing.CitingModelError as exc:
            if options["if_stale"]:
                self.stdout.write(f"引用模型需要重新训练 / the citing model needs retraining: {exc}")
        else:
            if options["if_stale"]:
                if options["verbosity"] >= 1:
                    self.stdout.write(f"引用模型可用，无需重新训练：{output}")
                return
        corpus = settings.GUWEN_SHARED_DIR / "data" / "consultations"
        paths = (
            [Path(p) for p in options["input"]]
            if options["input"]
            else [corpus / "train.jsonl", corpus / EXTRA]
        )
        paths = [path for path in paths if path.is_file() or options["input"]]
        if not paths:
            message = f"训练文件不存在：{corpus}，引用模型未训练（用 --input 指定）"
            if options["if_stale"]:
                self.stderr.write(self.style.WARNING(message))
                return
            raise CommandError(message)
        rows = []
        for path in paths:
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except FileNotFoundError as exc:
                raise CommandError(f"训练文件不存在：{path}") from exc
            except UnicodeDecodeError as exc:
                raise CommandError(f"训练文件必须是 UTF-8 编码：{path}") from exc
            for line in lines:
                try:
                    row = json.loads(line)
                except ValueError:
                    continue
                if isinstance(row, dict):
                    rows.append(row)
        try:
            laws = citing.ShippedLaws(as_of=written_by)
        except (StatuteFormatError, OSError) as exc:
            raise CommandError(f"法律法规读取失败：{exc}") from exc
        examples = citing.read_cited(rows, laws)
        if len(examples) < 20:
            raise CommandError(f"引用了随附条文的答复太少（{len(examples)} 条）")
        dense = None
        if not options["no_embeddings"]:
            if embedding.available():
                dense = citing_vectors.build(
                    examples, citing.current_laws(), previous=(previous or {}).get("dense")
                )
            else:
                self.stderr.write(
                    self.style.WARNING(f"句向量不可用，建议条文只用词：{embedding.unavailable_reason()}")
                )
        artefact = citing.fit(examples, note=", ".join(path.name for path in paths), dense=dense)
        size = citing.save(artefact, output)
        citing.forget()
        self.stdout.write(
            self.style.SUCCESS(
                f"引用模型已保存：{output}（{len(rows)} 行中 {len(examples)} 条答复引用了随附条文；"
                f"{len(artefact['terms'])} 个词；"
                f"{'有' if dense else '无'}句向量；{size / 1024:.0f} KB）"
            )
        )
