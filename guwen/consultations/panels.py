"""The consultations panel of the home page (工作台): what is waiting, what is overdue, and the few
questions to answer first, so that an advisor opening the site on a phone sees at once what to do."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from guwen.accounts.models import Role
from guwen.accounts.scope import roles_of
from guwen.consultations import overview, selectors
from guwen.consultations.models import Level
from guwen.consultations.workflow import OPEN_STATUSES

PRESSING = 5
TILES = [("new", _("待答复")), ("mine", _("我的")), ("overdue", _("已超时")), ("waiting", _("待居民补充"))]


def home_panel(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if not selectors.can_handle_consultations(user):
        # Community staff may not read residents' questions: their community's figures instead.
        figures = selectors.community_figures(user)
        return {"figures": figures} if figures is not None else None
    visible = selectors.consultations_visible_to(user)
    counts = selectors.inbox_counts(visible, user)
    inbox = reverse("consultations:inbox")
    tiles = [
        {"label": label, "count": counts[key], "url": f"{inbox}?tab={key}", "alert": key == "overdue"}
        for key, label in TILES
    ]
    roles = roles_of(user)
    queues = []
    unclaimed = visible.filter(owner__isnull=True, status__in=OPEN_STATUSES)
    if selectors.can_see_street_queue(user):
        queues.append(
            {
                "label": _("街道咨询池待认领"),
                "count": unclaimed.filter(level=Level.STREET).count(),
                "url": reverse("consultations:street_queue") + "?tab=pool",
            }
        )
    if selectors.can_see_district_queue(user):
        queues.append(
            {
                "label": _("区级咨询池待认领"),
                "count": unclaimed.filter(level=Level.DISTRICT).count(),
                "url": reverse("consultations:district_queue") + "?tab=pool",
            }
        )
    # An advisor's next questions are their own; the office's are the open ones of its area.
    mine_first = visible.filter(status__in=OPEN_STATUSES)
    if Role.ADVISOR in roles and not roles & {Role.OFFICE, Role.BUREAU, Role.SYSADMIN}:
        mine_first = mine_first.filter(owner=user)
    pressing = list(
        mine_first.select_related("community").order_by("-urgency", "due_at", "-created_at", "-id")[:PRESSING]
    )
    return {"tiles": tiles, "queues": queues, "pressing": pressing, "inbox_url": inbox}


# --- homes of the roles that read figures only -----------------------------------------------------


def firm_panel(request: HttpRequest) -> dict[str, Any] | None:
    """The firm admin's home: each of the firm's lawyers, where posted and how the service went."""
    firms = overview.administered_firms(request.user)
    if not firms:
        return None
    return {"firms": [overview.firm_figures(firm) for firm in firms]}


def bureau_panel(request: HttpRequest) -> dict[str, Any] | None:
    """The bureau's home: its district one street to a row."""
    districts = overview.bureau_districts(request.user)
    if not districts:
        return None
    return {"districts": [overview.district_figures(d) for d in districts]}


def association_panel(request: HttpRequest) -> dict[str, Any] | None:
    """The association's home: anonymised figures by month, category and district."""
    if not overview.sees_association_figures(request.user):
        return None
    return {"figures": overview.association_figures()}
