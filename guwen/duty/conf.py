"""Duty's configuration from the environment (read when used, so a deployment needs no restart
order and tests can set it)."""

from __future__ import annotations

from pathlib import Path

from guwen.envconf import env_str

# TrueType-outline CJK fonts reportlab can embed (it cannot embed the CFF outlines of Noto CJK).
# fonts-wqy-microhei is installed by the Makefile's system-deps target.
DEFAULT_FONT_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


def public_base_url(request=None) -> str:
    """The scheme and host residents reach, e.g. ``https://guwen.example.gov.cn``: the
    GUWEN_PUBLIC_BASE_URL setting, or else the scheme and host of the request being served."""
    from django.conf import settings

    configured = (
        getattr(settings, "GUWEN_PUBLIC_BASE_URL", "") or env_str("GUWEN_PUBLIC_BASE_URL", "")
    ).strip()
    configured = configured.rstrip("/")
    if configured:
        return configured
    if request is None:
        return ""
    return f"{request.scheme}://{request.get_host()}"


def cjk_font_path() -> Path | None:
    """The CJK font to embed in notice boards: GUWEN_CJK_FONT, or the first Debian font found."""
    configured = env_str("GUWEN_CJK_FONT", "").strip()
    candidates = [configured] if configured else list(DEFAULT_FONT_PATHS)
    for candidate in candidates:
        path = Path(candidate)
        if path.is_file():
            return path
    return None
