from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guwen.knowledge import services
from guwen.knowledge.statutes import StatuteFormatError


class Command(BaseCommand):
    help = "导入法律法规（默认为随应用附带的 data/laws），按条建档并建立检索索引；可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="含 manifest.csv 和各法律 Markdown 文件的目录")
        parser.add_argument("--file", action="append", help="只导入这些文件（可多次给出）")

    def handle(self, *args, **options):
        directory = Path(options["dir"]) if options["dir"] else None
        try:
            result = services.laws_import(directory=directory, files=options["file"], by=None)
        except (StatuteFormatError, OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"法律法规导入失败：{exc}") from exc
        self.stdout.write(
            f"法律法规：新增 {result.laws_created} 部，更新 {result.laws_updated} 部；条文：新增 "
            f"{result.articles_created}，更新 {result.articles_updated}，删除 {result.articles_deleted}，"
            f"未变 {result.articles_unchanged}"
        )
