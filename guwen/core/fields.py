"""Model fields that keep a secret encrypted at rest."""

from __future__ import annotations

from django.db import models

from guwen.core.crypto import decrypt_text, encrypt_text


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token under ``GUWEN_DATA_KEY`` (the key 身份证号 are encrypted with)
    and read back in clear: for signing secrets that the code must use but the database, its
    backups and its dumps must not show. Not searchable; an empty value is stored empty."""

    def from_db_value(self, value, expression, connection):
        return decrypt_text(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt_text(value) if value else value
