"""Import a historical ledger (台账) from an .xlsx file, as the import page does, for large files:
a progress bar while rows are checked, every error listed, nothing written while any remains.

    python manage.py import_ledger activities 2025年普法台账.xlsx --user office [--dry-run]
"""

from __future__ import annotations

import os
import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from guwen.core.errors import DomainError
from guwen.reports import imports


def _bar(done: int, total: int) -> None:
    total = max(total - 2, done, 1)  # the title and header rows are not data
    width = 30
    filled = int(width * done / total)
    sys.stderr.write(f"\r检查中 [{'#' * filled}{'.' * (width - filled)}] {done}/{total} 行")
    sys.stderr.flush()


class Command(BaseCommand):
    help = "从 Excel 导入历史台账（先检查，无错误才整体导入）"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=imports.IMPORTABLE)
        parser.add_argument("path")
        parser.add_argument("--user", required=True, help="以该账号的权限范围导入（用户名）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不导入")

    def handle(self, *args, kind: str, path: str, user: str, dry_run: bool, **options):
        account = get_user_model().objects.filter(username=user, is_active=True).first()
        if account is None:
            raise CommandError(f"找不到账号 {user}")
        if not os.path.isfile(path):
            raise CommandError(f"找不到文件 {path}")
        action = imports.check if dry_run else imports.run
        extra = {} if dry_run else {"source": os.path.basename(path)}
        with open(path, "rb") as handle:
            try:
                result = action(
                    handle=handle, size=os.path.getsize(path), kind=kind, user=account, progress=_bar, **extra
                )
            except DomainError as exc:
                raise CommandError(str(exc.message)) from None
        sys.stderr.write("\n")
        for error in result.errors:
            self.stdout.write(str(error))
        for row, why in result.duplicates:
            self.stdout.write(f"第 {row} 行重复，跳过：{why}")
        if not result.ok:
            raise CommandError(f"发现 {len(result.errors)} 处错误，未导入任何数据")
        verb = "可导入" if dry_run else "已导入"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {len(result.records)} 条，重复跳过 {len(result.duplicates)} 条")
        )
