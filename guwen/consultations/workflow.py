"""The consultation's transition table and the roles a user holds *for one consultation*.

Record roles (not account roles): ``owner`` (the person who must answer), ``pool`` (may claim it
from the street or district pool), ``office`` / ``bureau`` (the judicial office of its street, the
bureau of its district), ``sysadmin``, ``resident`` (the person who asked, through the public pages)
and ``system`` (the worker's sweep).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guwen.accounts.models import Membership, Role
from guwen.accounts.scope import current_memberships, is_sysadmin
from guwen.consultations.models import Consultation, Level, Status
from guwen.core.workflow import Category, Workflow
from guwen.regions.selectors import current_assignments, in_force_on

OWNER, POOL, OFFICE, BUREAU, SYSADMIN, RESIDENT, SYSTEM = (
    "owner",
    "pool",
    "office",
    "bureau",
    "sysadmin",
    "resident",
    "system",
)
HANDLERS = {OWNER}
SUPERVISORS = {OFFICE, BUREAU, SYSADMIN}

CONSULTATION = Workflow(
    name="consultation",
    transitions={
        (Status.NEW, "claim"): (Status.NEW, {POOL}),
        (Status.FOLLOWUP, "claim"): (Status.FOLLOWUP, {POOL}),
        (Status.NEW, "reply"): (Status.ANSWERED, HANDLERS),
        (Status.FOLLOWUP, "reply"): (Status.ANSWERED, HANDLERS),
        (Status.WAITING_RESIDENT, "reply"): (Status.ANSWERED, HANDLERS),
        (Status.ANSWERED, "reply"): (Status.ANSWERED, HANDLERS),
        (Status.NEW, "ask_info"): (Status.WAITING_RESIDENT, HANDLERS),
        (Status.FOLLOWUP, "ask_info"): (Status.WAITING_RESIDENT, HANDLERS),
        (Status.WAITING_RESIDENT, "resident_reply"): (Status.FOLLOWUP, {RESIDENT}),
        (Status.ANSWERED, "resident_followup"): (Status.FOLLOWUP, {RESIDENT}),
        (Status.CLOSED, "resident_followup"): (Status.FOLLOWUP, {RESIDENT}),
        (Status.NEW, "escalate"): (Status.NEW, {OWNER, OFFICE, BUREAU, SYSADMIN, SYSTEM}),
        (Status.FOLLOWUP, "escalate"): (Status.FOLLOWUP, {OWNER, OFFICE, BUREAU, SYSADMIN, SYSTEM}),
        (Status.NEW, "reassign"): (Status.NEW, SUPERVISORS),
        (Status.FOLLOWUP, "reassign"): (Status.FOLLOWUP, SUPERVISORS),
        (Status.WAITING_RESIDENT, "reassign"): (Status.WAITING_RESIDENT, SUPERVISORS),
        (Status.ANSWERED, "close"): (Status.CLOSED, HANDLERS | SUPERVISORS),
        (Status.WAITING_RESIDENT, "close"): (Status.CLOSED, HANDLERS | SUPERVISORS),
    },
    categories={
        Status.NEW: Category.OPEN,
        Status.FOLLOWUP: Category.OPEN,
        Status.WAITING_RESIDENT: Category.WAITING,
        Status.ANSWERED: Category.RESOLVED,
        Status.CLOSED: Category.CLOSED,
    },
    action_labels={
        "claim": _("认领"),
        "reply": _("答复"),
        "ask_info": _("请居民补充信息"),
        "resident_reply": _("补充信息"),
        "resident_followup": _("追问"),
        "escalate": _("提交上级"),
        "reassign": _("改派"),
        "close": _("办结"),
    },
)

OPEN_STATUSES = CONSULTATION.statuses_in(Category.OPEN)
WAITING_STATUSES = CONSULTATION.statuses_in(Category.WAITING)


def is_open(status: str) -> bool:
    return CONSULTATION.category(status) == Category.OPEN


def _anchors(user, role: str) -> list:
    return [m.region for m in current_memberships(user) if m.role == role and m.region is not None]


def _under(region, anchors) -> bool:
    return any(region.path.startswith(anchor.path) for anchor in anchors)


def advisor_street_ids(user) -> set[int]:
    """The streets in which the user's lawyer serves a community today."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(current_assignments().filter(lawyer__user=user).values_list("community__parent_id", flat=True))


def roles_for(consultation: Consultation, user) -> set[str]:
    """The record roles ``user`` holds for ``consultation`` (empty for an anonymous user)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    roles: set[str] = set()
    community = consultation.community
    if consultation.owner_id is not None and consultation.owner_id == user.pk:
        roles.add(OWNER)
    if is_sysadmin(user):
        roles.add(SYSADMIN)
    office = _under(community, _anchors(user, Role.OFFICE))
    bureau = _under(community, _anchors(user, Role.BUREAU))
    if office:
        roles.add(OFFICE)
    if bureau:
        roles.add(BUREAU)
    if consultation.owner_id is None:
        street_pool = consultation.level == Level.STREET and (
            office or community.parent_id in advisor_street_ids(user)
        )
        district_pool = consultation.level == Level.DISTRICT and bureau
        # A community item nobody could be routed to: the office may take it.
        orphan = consultation.level == Level.COMMUNITY and office
        if street_pool or district_pool or orphan:
            roles.add(POOL)
    return roles


def allowed_actions(consultation: Consultation, user) -> list[str]:
    return CONSULTATION.allowed_actions(consultation, roles_for(consultation, user))


def office_users(street) -> list:
    """Users holding the judicial-office role for ``street`` today."""
    return _members(Role.OFFICE, street)


def bureau_users(district) -> list:
    return _members(Role.BUREAU, district)


def _members(role: str, region) -> list:
    if region is None:
        return []
    today = timezone.localdate()
    return [
        m.user
        for m in Membership.objects.filter(
            in_force_on(today), role=role, region=region, user__is_active=True
        ).select_related("user")
    ]
