"""Re-encrypt every stored secret and recompute every keyed hash under the current GUWEN_DATA_KEY.

After a key change (new key in GUWEN_DATA_KEY, the old one in GUWEN_DATA_KEYS_RETIRED) records are
still readable, but their matching hashes were made with the old key, so look-ups by phone or
身份证号 miss them until this command has run. It finds the columns by convention, so a new module
cannot be forgotten: every ``EncryptedTextField``, and every text column named ``<x>_encrypted``,
with its ``<x>_hash`` sibling when the model has one (the keyed hash of the same plain value).
Rows already under the current key with a current hash are left alone, so it can be run again after
an interruption. ``--check`` only counts what is left and exits 1 when anything is.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction

from guwen.core.audit import record
from guwen.core.crypto import DecryptionError, decrypt_text, encrypt_text, keyed_hash, under_current_key
from guwen.core.fields import EncryptedTextField

BATCH = 500


@dataclass(frozen=True)
class SealedColumn:
    model: type[models.Model]
    encrypted: str
    hash: str = ""
    field_encrypts: bool = False  # an EncryptedTextField: the ORM decrypts on read, encrypts on save

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.encrypted}"


def sealed_columns() -> list[SealedColumn]:
    found = []
    for model in apps.get_models():
        names = {field.name for field in model._meta.concrete_fields}
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                found.append(SealedColumn(model, field.name, field_encrypts=True))
            elif field.name.endswith("_encrypted") and isinstance(field, models.TextField):
                sibling = field.name.removesuffix("_encrypted") + "_hash"
                found.append(SealedColumn(model, field.name, sibling if sibling in names else ""))
    return found


def _stale(column: SealedColumn, token: str, digest: str) -> str | None:
    """The plain value when the row needs rotating, None when it is current (or empty)."""
    if not token:
        return None
    plain = decrypt_text(token)
    if under_current_key(token) and (not column.hash or digest == keyed_hash(plain)):
        return None
    return plain


def _rotate(column: SealedColumn, *, dry_run: bool) -> int:
    manager = column.model._base_manager
    if column.field_encrypts:
        # The field decrypts on read, so the raw tokens are read through a plain text cast.
        rows = manager.annotate(_raw=models.functions.Cast(column.encrypted, models.TextField()))
        pending = [
            pk for pk, raw in rows.values_list("pk", "_raw").iterator() if raw and not under_current_key(raw)
        ]
        if not dry_run:
            for start in range(0, len(pending), BATCH):
                with transaction.atomic():
                    objs = list(manager.filter(pk__in=pending[start : start + BATCH]))
                    manager.bulk_update(
                        objs, [column.encrypted]
                    )  # read in clear, saved under the current key
        return len(pending)
    fields = ["pk", column.encrypted] + ([column.hash] if column.hash else [])
    changed = 0
    last = None
    while True:
        chunk = manager.order_by("pk")
        if last is not None:
            chunk = chunk.filter(pk__gt=last)
        rows = list(chunk.values_list(*fields)[:BATCH])
        if not rows:
            return changed
        last = rows[-1][0]
        updates = []
        for row in rows:
            plain = _stale(column, row[1], row[2] if column.hash else "")
            if plain is None:
                continue
            obj = column.model(pk=row[0])
            setattr(obj, column.encrypted, encrypt_text(plain))
            if column.hash:
                setattr(obj, column.hash, keyed_hash(plain))
            updates.append(obj)
        changed += len(updates)
        if updates and not dry_run:
            with transaction.atomic():
                manager.bulk_update(updates, fields[1:])


class Command(BaseCommand):
    help = "Re-encrypt stored personal numbers and secrets, and recompute their hashes, under GUWEN_DATA_KEY."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="only count the rows still to rotate; exit 1 if any"
        )

    def handle(self, *args, check: bool = False, **options):
        total = 0
        try:
            for column in sealed_columns():
                count = _rotate(column, dry_run=check)
                total += count
                self.stdout.write(f"{column.label}: {count} {'to rotate' if check else 'rotated'}")
        except DecryptionError as exc:
            raise CommandError(
                "有数据既不能用 GUWEN_DATA_KEY 也不能用 GUWEN_DATA_KEYS_RETIRED 中的密钥解密："
                "请先把旧密钥加入 GUWEN_DATA_KEYS_RETIRED"
            ) from exc
        if check:
            if total:
                raise CommandError(f"还有 {total} 条数据未换用当前密钥")
            return
        if total:
            record(actor=None, action="data_key.rotated", object_type="core.data_key", new={"rows": total})
        self.stdout.write(self.style.SUCCESS(f"{total} rows now under the current key"))
