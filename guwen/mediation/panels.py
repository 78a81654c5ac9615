"""The mediation panel of the home page (工作台): open and overdue cases in the user's scope."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from guwen.mediation import selectors


def home_panel(request: HttpRequest) -> dict[str, Any] | None:
    """Nothing for a user with no open case in scope (firm admins, the association, quiet places)."""
    visible = selectors.cases_visible_to(request.user)
    open_count = selectors.open_cases(visible).count()
    if not open_count:
        return None
    overdue = list(selectors.overdue_cases(visible).select_related("community").order_by("due_on")[:5])
    return {
        "open_count": open_count,
        "overdue": overdue,
        "overdue_count": selectors.overdue_cases(visible).count(),
    }


def consultation_cases(*, consultation, user) -> list:
    """The cases in ``user``'s scope taken in from ``consultation``: the link back shown on the
    consultation's page (consultations registers finders and imports no mediation code)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from guwen.consultations.conversions import LinkedRecord

    cases = selectors.cases_visible_to(user).filter(consultation=consultation).order_by("pk")
    return [
        LinkedRecord(
            kind=_("调解案件"),
            title=case.number,
            url=reverse("mediation:case_detail", args=[case.pk]),
            status=case.get_status_display(),
        )
        for case in cases
    ]


def case_in_scope(user, pk: int):
    """The case ``pk`` if ``user`` may see it (the look-up other apps use through core.links)."""
    return selectors.cases_visible_to(user).select_related("community").filter(pk=pk).first()
