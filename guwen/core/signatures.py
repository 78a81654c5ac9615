"""HMAC-SHA256 signatures: the one place that computes them.

Each wire format that outside parties check stays as it is: the ``X-Guwen-Signature`` header of the
group-chat robot and of outbound event webhooks is ``sha256=<hex HMAC-SHA256(secret, raw body)>``;
DingTalk's and Feishu's robots want their own base64 forms of the same MAC.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

BODY_PREFIX = "sha256="


def hmac_sha256(key: str | bytes, message: bytes) -> bytes:
    """The raw HMAC-SHA256 of ``message`` under ``key`` (a text key is UTF-8 encoded)."""
    raw_key = key.encode() if isinstance(key, str) else key
    return hmac.new(raw_key, message, hashlib.sha256).digest()


def body_signature(secret: str, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256 of the raw body>``: the X-Guwen-Signature header value."""
    return BODY_PREFIX + hmac_sha256(secret, body).hex()


def hmac_sha256_b64(key: str | bytes, message: bytes) -> str:
    """Base64 of the raw HMAC-SHA256: the form DingTalk's and Feishu's robots check."""
    return base64.b64encode(hmac_sha256(key, message)).decode()
