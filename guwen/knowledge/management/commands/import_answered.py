from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guwen.knowledge import services


class Command(BaseCommand):
    help = (
        "导入已答问题（JSON 行：question、answer、category，可选 id）。姓名、电话、身份证号、地址等"
        "个人信息在入库前去除；同一来源编号重复导入不会重复入库。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="JSON 行文件（UTF-8）")
        parser.add_argument("--prefix", default="", help="来源编号前缀（默认为文件名）")

    def handle(self, *args, **options):
        path = Path(options["path"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError as exc:
            raise CommandError(f"文件不存在：{path}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"文件必须是 UTF-8 编码：{path}") from exc
        result = services.answered_import(
            lines=text.splitlines(), by=None, prefix=options["prefix"] or path.stem
        )
        for error in result.errors:
            self.stderr.write(error)
        self.stdout.write(
            f"已答问题：新增 {result.added}，已存在 {result.existing}，出错 {len(result.errors)}"
        )
