"""Encryption of personal numbers (身份证号) and keyed hashes for matching them.

Both keys are derived from ``settings.GUWEN_DATA_KEY`` with HKDF-SHA256 and a
distinct ``info`` each, so the encryption key and the matching key never
coincide. A keyed hash lets a service find a record by ID number without
decrypting every row; callers hash the *normalised* value
(``validators.normalize_id_number``) so that equal numbers match.

Rotation: a new key goes into ``GUWEN_DATA_KEY`` and the old one into
``GUWEN_DATA_KEYS_RETIRED``. Tokens under a retired key still decrypt; new ones are made under the
current key; ``manage.py rotate_data_key`` re-encrypts every stored token and recomputes every
keyed hash under the current key, after which the retired key can be dropped.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from guwen.core.signatures import hmac_sha256

ENCRYPTION_INFO = b"guwen-field-encryption"
MATCHING_INFO = b"guwen-matching-hash"


class DecryptionError(Exception):
    """The token is not a ciphertext made with the current data key (corrupt, foreign or not a token)."""


def _derive(key_material: str, info: bytes) -> bytes:
    if not key_material:
        raise ImproperlyConfigured("GUWEN_DATA_KEY is empty; personal data cannot be encrypted.")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(key_material.encode())


@lru_cache(maxsize=4)
def _fernet(key_material: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(key_material, ENCRYPTION_INFO)))


@lru_cache(maxsize=4)
def _matching_key(key_material: str) -> bytes:
    return _derive(key_material, MATCHING_INFO)


def _retired_keys() -> tuple[str, ...]:
    return tuple(key for key in getattr(settings, "GUWEN_DATA_KEYS_RETIRED", ()) if key)


@lru_cache(maxsize=4)
def _any_key(current: str, retired: tuple[str, ...]) -> MultiFernet:
    """Decrypts under the current key or a retired one; encrypts (and rotates) under the current."""
    return MultiFernet([_fernet(current), *(_fernet(key) for key in retired)])


def encrypt_text(plain: str) -> str:
    """A Fernet token (ASCII) for ``plain``; two encryptions of the same text differ."""
    return _fernet(settings.GUWEN_DATA_KEY).encrypt(plain.encode()).decode("ascii")


def decrypt_text(token: str) -> str:
    """The plain text of a token made by ``encrypt_text``; raises ``DecryptionError`` otherwise."""
    try:
        raw = token.encode("ascii") if isinstance(token, str) else bytes(token)
        return _any_key(settings.GUWEN_DATA_KEY, _retired_keys()).decrypt(raw).decode()
    except (InvalidToken, UnicodeError, TypeError, ValueError) as exc:
        raise DecryptionError(
            "cannot decrypt: not a valid token for GUWEN_DATA_KEY or a retired key"
        ) from exc


def under_current_key(token: str) -> bool:
    """Whether ``token`` was made under the current key (so rotation can leave it alone)."""
    try:
        _fernet(settings.GUWEN_DATA_KEY).decrypt(token.encode("ascii"))
    except (InvalidToken, UnicodeError, TypeError, ValueError):
        return False
    return True


def keyed_hash(value: str) -> str:
    """Hex HMAC-SHA256 of ``value`` under the matching key: stable, useless without the key."""
    return hmac_sha256(_matching_key(settings.GUWEN_DATA_KEY), value.encode()).hex()


@dataclass(frozen=True)
class Sealed:
    """A personal number as it is stored everywhere: encrypted, a keyed hash to find records by it,
    and a masked copy for lists. One recipe, so the same phone matches across modules."""

    encrypted: str
    hash: str
    masked: str


def seal(value: str, *, mask: Callable[[str], str], hashed: str = "") -> Sealed:
    """``value`` sealed; ``hashed`` is its keyed hash when the caller has computed it already."""
    if not value:
        return Sealed("", "", "")
    return Sealed(encrypt_text(value), hashed or keyed_hash(value), mask(value))
