"""Response headers every page shares."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from guwen.core.errors import DomainError
from guwen.core.validators import CONTROL_CHARS, plain_text


class PlainTextQueryMiddleware:
    """What forms and the API's parser cannot see: a path with a control character names nothing
    (404), and a page's query string (a search box, a filter read from ``request.GET``) with one is
    refused with a Chinese 422 page before any view reads it; bidirectional controls are removed
    from the query string. PostgreSQL refuses NUL in text, so without this a ``?q=%00`` would be a
    500. The API's query strings and bodies are its parser's (``guwen.api``), answered in JSON."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        api = request.path_info.startswith("/api/")
        if CONTROL_CHARS.search(request.path_info):
            if api:
                return JsonResponse({"detail": _("未找到")}, status=404)
            raise Http404
        if not api and request.GET:
            try:
                request.GET = _plain_query(request.GET)
            except DomainError as exc:
                return render(request, "422.html", {"message": exc.message, "field": exc.field}, status=422)
        return self.get_response(request)


def _plain_query(query: QueryDict) -> QueryDict:
    plain = QueryDict(mutable=True)
    for key, values in query.lists():
        plain.setlist(key, [plain_text(value, field=key) for value in values])
    plain._mutable = False
    return plain


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
