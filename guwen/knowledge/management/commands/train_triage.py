from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from guwen.knowledge import training
from guwen.knowledge.models import TriageCorrection
from guwen.knowledge.selectors import category_names
from guwen.knowledge.triage import MODEL_PATH, forget_model


class Command(BaseCommand):
    help = (
        "重新训练分诊模型：读取标注问题（默认 ../shared/data/consultations/train.jsonl）和顾问的分类更正，"
        "按类别分层、固定随机种子留出一部分评估，打印准确率、前三命中率、宏平均 F1 及各类别指标，并保存模型。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", help="JSON 行训练文件（question、category，可选 title、id）")
        parser.add_argument("--output", default=str(MODEL_PATH), help="模型保存路径")
        parser.add_argument("--held-out", type=float, default=training.HELD_OUT, help="留出评估的比例")
        parser.add_argument("--seed", type=int, default=training.SPLIT_SEED)
        parser.add_argument(
            "--all", action="store_true", help="评估后用全部数据（含留出部分）重新训练再保存，供正式使用"
        )
        parser.add_argument("--no-corrections", action="store_true", help="不使用顾问的分类更正")

    def handle(self, *args, **options):
        path = Path(options["input"] or settings.GUWEN_SHARED_DIR / "data" / "consultations" / "train.jsonl")
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError as exc:
            raise CommandError(f"训练文件不存在：{path}（用 --input 指定）") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"训练文件必须是 UTF-8 编码：{path}") from exc
        examples, skipped = training.read_examples(lines, category_names())
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
        artefact = training.fit(train + corrections, seed=options["seed"], note="train split")
        metrics = training.evaluate(artefact, held_out)
        for line in training.format_metrics(metrics, "留出集"):
            self.stdout.write(line)
        if options["all"]:
            artefact = training.fit(examples + corrections, seed=options["seed"], note="all rows")
        artefact["meta"]["held_out"] = metrics.as_dict()
        artefact["meta"]["split"] = {
            "seed": options["seed"],
            "held_out": options["held_out"],
            "source": path.name,
        }
        size = training.save(artefact, Path(options["output"]))
        forget_model()
        version = artefact["meta"]["model_version"]
        message = f"模型 {version} 已保存：{options['output']}（{size / 1024:.0f} KB）"
        self.stdout.write(self.style.SUCCESS(message))
