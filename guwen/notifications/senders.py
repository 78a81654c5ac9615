"""The senders: how one delivery leaves the system. Pure I/O, no database.

Each sender takes the real address, the payload and the signing secret, and either returns a
``Sent`` or raises ``SendFailed`` with a message fit for the delivery log (never personal data)
and whether trying again may help. The SMS provider is pluggable: ``GUWEN_SMS_BACKEND`` names a
class with ``send(*, phone, text) -> None``; the default only logs, with the phone masked.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from guwen.core.masking import mask_phone
from guwen.core.signatures import body_signature, hmac_sha256_b64

logger = logging.getLogger("guwen.notifications")

USER_AGENT = "Guwen-Notifications/1"


@dataclass(frozen=True)
class Sent:
    status_code: int | None = None


class SendFailed(Exception):
    def __init__(self, message: str, *, retryable: bool = True, status_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message[:500]
        self.retryable = retryable
        self.status_code = status_code


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's robot signature (加签): base64 HMAC-SHA256 of "timestamp\\nsecret" under the secret."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    return hmac_sha256_b64(secret, to_sign)


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu's robot signature: base64 HMAC-SHA256 of an empty message keyed by "timestamp\\nsecret"."""
    key = f"{timestamp_s}\n{secret}".encode()
    return hmac_sha256_b64(key, b"")


def robot_body(*, style: str, content: str, secret: str, now: float) -> tuple[dict, dict[str, str]]:
    """The JSON a group robot expects, and query parameters to add to its URL."""
    if style == "feishu":
        body: dict = {"msg_type": "text", "content": {"text": content}}
        if secret:
            ts = int(now)
            body.update(timestamp=str(ts), sign=feishu_sign(secret, ts))
        return body, {}
    body = {"msgtype": "text", "text": {"content": content}}
    if secret:
        ts = int(now * 1000)
        return body, {"timestamp": str(ts), "sign": dingtalk_sign(secret, ts)}
    return body, {}


def _with_query(url: str, extra: dict[str, str]) -> str:
    if not extra:
        return url
    parts = urllib.parse.urlsplit(url)
    query = parts.query + ("&" if parts.query else "") + urllib.parse.urlencode(extra)
    return urllib.parse.urlunsplit(parts._replace(query=query))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect would re-send a signed body somewhere nobody configured.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect, urllib.request.ProxyHandler({}))


def post_json(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> Sent:
    """POST ``body``; 2xx is success. Robots answer 200 with an error code in JSON, which counts as a
    failure. 4xx other than 408/429 will not get better by retrying."""
    request = urllib.request.Request(  # noqa: S310 - the scheme was checked when the URL was configured
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT, **headers},
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            status = response.status
            answer = response.read(4096)
    except urllib.error.HTTPError as exc:
        status = exc.code
        retryable = status >= 500 or status in (408, 429)
        raise SendFailed(f"HTTP {status}", retryable=retryable, status_code=status) from None
    except TimeoutError:
        raise SendFailed("连接超时") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise SendFailed("连接超时") from None
        raise SendFailed(f"连接失败：{type(exc.reason).__name__}") from None
    except (OSError, ValueError) as exc:
        raise SendFailed(f"连接失败：{type(exc).__name__}") from None
    if not 200 <= status < 300:
        raise SendFailed(f"HTTP {status}", retryable=status >= 500, status_code=status)
    _check_robot_answer(answer, status)
    return Sent(status_code=status)


def _check_robot_answer(answer: bytes, status: int) -> None:
    try:
        data = json.loads(answer or b"null")
    except ValueError:
        return
    if not isinstance(data, dict):
        return
    for key in ("errcode", "code", "StatusCode"):
        code = data.get(key)
        if isinstance(code, int) and code != 0:
            raise SendFailed(f"HTTP {status}，对方返回错误码 {code}", retryable=False, status_code=status)


def send_robot(*, url: str, payload: dict, secret: str, options: dict) -> Sent:
    content = payload.get("content", "")
    body, query = robot_body(
        style=options.get("style", "text"), content=content, secret=secret, now=time.time()
    )
    raw = json.dumps(body, ensure_ascii=False).encode()
    return post_json(_with_query(url, query), raw, {}, timeout=_timeout())


def send_hook(*, url: str, payload: dict, secret: str, delivery_id: int) -> Sent:
    """An event webhook: the payload plus the send time, signed like the inbound group hook."""
    now = int(time.time())
    raw = json.dumps({**payload, "sent_at": now}, ensure_ascii=False, sort_keys=True).encode()
    headers = {
        "X-Guwen-Event": str(payload.get("event", "")),
        "X-Guwen-Delivery": str(delivery_id),
        "X-Guwen-Timestamp": str(now),
        "X-Guwen-Signature": body_signature(secret, raw),
    }
    return post_json(url, raw, headers, timeout=_timeout())


def send_email(*, address: str, payload: dict) -> Sent:
    try:
        send_mail(
            subject=payload.get("subject", ""),
            message=payload.get("body", ""),
            from_email=None,
            recipient_list=[address],
            fail_silently=False,
        )
    except (OSError, ValueError) as exc:  # smtplib errors are OSErrors
        raise SendFailed(f"邮件发送失败：{type(exc).__name__}") from None
    return Sent()


class SmsBackend:
    """What an SMS provider implements. ``real`` says whether messages actually reach phones."""

    real = True

    def send(self, *, phone: str, text: str) -> None:
        raise NotImplementedError


class LogOnlySmsBackend(SmsBackend):
    """The default: records that a message would go out, with the phone masked and no text."""

    real = False

    def send(self, *, phone: str, text: str) -> None:
        logger.info("sms (log only) to %s, %d characters", mask_phone(phone), len(text))


@lru_cache(maxsize=4)
def _sms_backend(path: str) -> SmsBackend:
    return import_string(path)()


def sms_backend() -> SmsBackend:
    return _sms_backend(settings.GUWEN_SMS_BACKEND)


def send_sms(*, phone: str, payload: dict) -> Sent:
    try:
        sms_backend().send(phone=phone, text=payload.get("text", ""))
    except SendFailed:
        raise
    except Exception as exc:  # a provider's SDK may raise anything; the delivery log keeps the class only
        raise SendFailed(f"短信发送失败：{type(exc).__name__}") from None
    return Sent()


def _timeout() -> float:
    return float(settings.GUWEN_NOTIFY_TIMEOUT_SECONDS)
