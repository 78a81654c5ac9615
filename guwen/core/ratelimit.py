"""Request limits per client address: django-ratelimit over the shared cache (settings.CACHES).

Each rule is a setting, ``GUWEN_RATE_LIMITS[name]``: a rate such as ``"20/10m"`` (20 requests per
10 minutes; s, m, h and d with an optional multiplier), or an empty string for no limit. A page and
the API that do the same thing use the same rule, and each request is counted once, when it
arrives, whatever becomes of it. The cache is shared by every process (Redis with ``REDIS_URL``,
else the database cache), so a limit means the same with one process or ten. The address is
counted under a hash of the rule, window and address, never stored as text.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage

from guwen.core.clientip import client_ip


def _address(group: str, request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def retry_after(request: HttpRequest, rule: str, *, key: str | None = None) -> int | None:
    """Count this request under ``rule``: the seconds until the address may try again when it is
    over the limit, else None. ``key`` counts by something else than the address (a keyed hash of
    a phone number, say), across every address."""
    rate = settings.GUWEN_RATE_LIMITS.get(rule, "")
    if not rate:
        return None
    counted_by = _address if key is None else (lambda group, request: key)
    usage = get_usage(request, group=f"guwen.{rule}", key=counted_by, rate=rate, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    return max(1, usage["time_left"])


def too_many(request: HttpRequest, wait: int) -> HttpResponse:
    """The Chinese 429 page for a refused request: the minutes to wait, and ``Retry-After``."""
    response = render(request, "429.html", {"wait_minutes": -(-wait // 60)}, status=429)
    response["Retry-After"] = str(wait)
    return response
