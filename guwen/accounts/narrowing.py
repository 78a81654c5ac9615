"""The drill-down filters every record list takes from a figure's link: one advisor
(``lawyer=<id>``) and one region of any level (``region=<12-digit code>``, matched by the region
path's prefix so a street or a district takes in every community under it).

Both are looked up within the user's scope: a lawyer or region the user may not see is refused with
the same message as one that does not exist, so a guessed id confirms nothing. The lists fetch
through their scoped selectors as before; these filters only narrow what those return."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext as _

from guwen.accounts.scope import lawyers_visible_to, regions_visible_to
from guwen.core.errors import DomainError, refusal_status
from guwen.regions.models import Lawyer, Region

CODE_RE = re.compile(r"\d{12}")
ID_RE = re.compile(r"\d{1,9}")


@dataclass(frozen=True)
class Narrowing:
    lawyer: Lawyer | None = None
    region: Region | None = None

    def region_q(self, field: str = "community") -> Q:
        """The condition on a record's region foreign key ``field`` (by path prefix); with
        ``field=""``, on regions themselves."""
        if self.region is None:
            return Q()
        prefix = f"{field}__" if field else ""
        return Q(**{f"{prefix}path__startswith": self.region.path})


def lawyer_in_scope(user, value: str | None, *, field: str = "lawyer") -> Lawyer | None:
    """The lawyer named by ``value`` among those the user may see; ``None`` when empty;
    ``DomainError`` (422) in Chinese on ``field`` for a malformed, unknown or out-of-scope value."""
    value = (value or "").strip()
    if not value:
        return None
    found = None
    if ID_RE.fullmatch(value):
        found = lawyers_visible_to(user).filter(pk=int(value)).first()
    if found is None:
        raise DomainError(_("律师筛选无效：未找到该律师，或不在您的查看范围内"), field=field)
    return found


def region_in_scope(user, value: str | None) -> Region | None:
    """The region named by its 12-digit code among those the user may see, as ``lawyer_in_scope``."""
    value = (value or "").strip()
    if not value:
        return None
    found = None
    if CODE_RE.fullmatch(value):
        found = regions_visible_to(user).filter(code=value).first()
    if found is None:
        raise DomainError(_("区域筛选无效：未找到该区域，或不在您的查看范围内"), field="region")
    return found


def narrowing_from(params, user) -> Narrowing:
    """``lawyer`` and ``region`` from the query string, each checked against the user's scope."""
    return Narrowing(
        lawyer=lawyer_in_scope(user, params.get("lawyer")),
        region=region_in_scope(user, params.get("region")),
    )


def refused(request, exc: DomainError):
    """The page for a bad drill-down filter: the message and a link to the list without it (422)."""
    query = request.GET.copy()
    for name in (exc.field or "", "page"):
        query.pop(name, None)
    return render(
        request,
        "filter_refused.html",
        {"message": exc.message, "without": query.urlencode()},
        status=refusal_status(exc),
    )


def from_request(request) -> tuple[Narrowing | None, object]:
    """``(narrowing, None)`` from the request's query string, or ``(None, refusal page)``."""
    try:
        return narrowing_from(request.GET, request.user), None
    except DomainError as exc:
        return None, refused(request, exc)


def chips(params, narrowing: Narrowing, *, extra: list[tuple[tuple[str, ...], str]] = ()) -> list[dict]:
    """The active filters as removable labels (“律师：张三 ×”): each with the query string that
    drops it (and the page number). ``extra`` adds ``((param names), label)`` pairs of the list's
    own filters that have no field on the page, such as a date range."""
    items: list[tuple[tuple[str, ...], str]] = []
    if narrowing.lawyer is not None:
        items.append((("lawyer",), _("律师：%(name)s") % {"name": narrowing.lawyer.name}))
    if narrowing.region is not None:
        items.append((("region",), _("区域：%(name)s") % {"name": narrowing.region.name}))
    items.extend(extra)
    out = []
    for names, label in items:
        query = params.copy()
        for name in (*names, "page"):
            query.pop(name, None)
        out.append({"label": label, "query": query.urlencode()})
    return out


def period_chip(params, *, start: str = "date_from", end: str = "date_to", label: str = "") -> list:
    """A removable label for a date range given in the query string, for lists without date fields."""
    first, last = params.get(start, ""), params.get(end, "")
    if not first and not last:
        return []
    text = _("%(label)s：%(a)s 至 %(b)s") % {"label": label or _("日期"), "a": first or "…", "b": last or "…"}
    return [((start, end), text)]
