from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guwen.core.errors import DomainError
from guwen.regions.services import regions_import_file


class Command(BaseCommand):
    help = "从 code,name,level,parent_code 格式的 CSV 导入区划树（可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="区划 CSV 文件")
        parser.add_argument("--under", help="只导入该区划代码（市、区或街道）及其下级")

    def handle(self, *args, path: Path, under: str | None, **options):
        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        try:
            result = regions_import_file(path=path, under=under, by=None)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(f"新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}")
        )
