"""Response headers every page shares."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class PrivateNoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every page of a signed-in user, every API response
    and every page of a resident's own session (status look-ups): none of them may be kept by a
    shared proxy or the browser's disk cache, since they can carry personal data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if (
            (user is not None and user.is_authenticated)
            or request.path.startswith("/api/")
            or (session is not None and not session.is_empty())
        ):
            patch_cache_control(response, private=True, no_store=True)
        return response
