"""The address of the client behind the request, for rate limits, the audit trail and lockouts.

Behind a reverse proxy every request arrives from the proxy, so REMOTE_ADDR alone would put every
resident of a city under one rate limit. The proxies the deployment runs are listed in
``GUWEN_TRUSTED_PROXIES`` (addresses or networks). Only when the request comes from one of them is
``X-Forwarded-For`` read, and then from the right: each trusted proxy appends the address it saw,
so the first address from the right that is not a trusted proxy is the client. Whatever a client
writes into the header itself sits further left and is never believed. With no trusted proxies
configured (the default) the header is ignored.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=1)
def _trusted() -> tuple[Network, ...]:
    networks = []
    for entry in getattr(settings, "GUWEN_TRUSTED_PROXIES", ()):
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"GUWEN_TRUSTED_PROXIES: {entry!r} is not an address or network"
            ) from exc
    return tuple(networks)


@receiver(setting_changed)
def _forget_trusted(*, setting: str, **kwargs: Any) -> None:
    if setting == "GUWEN_TRUSTED_PROXIES":
        _trusted.cache_clear()


def _address(raw: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = raw.strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    return address.ipv4_mapped or address if isinstance(address, ipaddress.IPv6Address) else address


def _is_trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return any(address in network for network in _trusted())


def client_ip(request: Any) -> str | None:
    """The client's address as text, or None when the request carries no usable one."""
    meta = getattr(request, "META", None) or {}
    peer = _address(meta.get("REMOTE_ADDR") or "")
    if peer is None or not _trusted() or not _is_trusted(peer):
        return None if peer is None else str(peer)
    hops = [hop for hop in (meta.get("HTTP_X_FORWARDED_FOR") or "").split(",") if hop.strip()]
    for raw in reversed(hops):
        address = _address(raw)
        if address is None:  # a garbled hop: nothing to its left can be trusted either
            break
        if not _is_trusted(address):
            return str(address)
        peer = address
    # Every hop was one of our proxies (or the chain broke): the last one we could vouch for.
    return str(peer)
