"""Transition tables of activities and health checks, and the roles a user holds for a record."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from guwen.accounts.models import Role
from guwen.core.workflow import Category, Workflow
from guwen.duty.workflow import region_roles
from guwen.regions.models import Lawyer, Region
from guwen.regions.selectors import current_assignments

WRITERS = {Role.ADVISOR, Role.COMMUNITY_STAFF, Role.OFFICE, Role.SYSADMIN}

ACTIVITY = Workflow(
    name="outreach_activity",
    transitions={
        ("planned", "hold"): ("held", WRITERS),
        ("planned", "cancel"): ("cancelled", WRITERS),
        # The community confirms that the lecture took place (the advisor cannot confirm their own).
        ("held", "confirm"): ("confirmed", {Role.COMMUNITY_STAFF, Role.OFFICE, Role.SYSADMIN}),
    },
    categories={
        "planned": Category.OPEN,
        "held": Category.WAITING,  # waiting on the community's confirmation
        "confirmed": Category.CLOSED,
        "cancelled": Category.CLOSED,
    },
    action_labels={"hold": _("登记已开展"), "cancel": _("取消活动"), "confirm": _("社区确认")},
)

CHECK_WRITERS = {Role.ADVISOR, Role.OFFICE, Role.SYSADMIN}

HEALTH_CHECK = Workflow(
    name="outreach_health_check",
    transitions={
        ("checking", "report"): ("reported", CHECK_WRITERS),
        ("reported", "start_fixing"): ("fixing", CHECK_WRITERS),
        ("fixing", "schedule_follow_up"): ("follow_up", CHECK_WRITERS),
        ("follow_up", "close"): ("closed", CHECK_WRITERS),
    },
    categories={
        "checking": Category.OPEN,
        "reported": Category.OPEN,
        "fixing": Category.WAITING,  # the enterprise fixes what was found
        "follow_up": Category.OPEN,
        "closed": Category.CLOSED,
    },
    action_labels={
        "report": _("出具体检报告"),
        "start_fixing": _("企业开始整改"),
        "schedule_follow_up": _("安排回访"),
        "close": _("回访办结"),
    },
)


def lawyer_of(user) -> Lawyer | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.lawyer
    except Lawyer.DoesNotExist:
        return None


def serves(user, community: Region) -> bool:
    """Whether the user is a lawyer serving ``community`` today."""
    lawyer = lawyer_of(user)
    return lawyer is not None and current_assignments().filter(lawyer=lawyer, community=community).exists()


def community_roles(user, community: Region) -> set[str]:
    """Staff roles over the community, plus ``advisor`` for a lawyer who serves it today."""
    roles = region_roles(user, community)
    if serves(user, community):
        roles.add(Role.ADVISOR)
    return roles


def record_roles(user, record) -> set[str]:
    """Roles for an activity or a health check: ``advisor`` for the lawyers named on it and those
    serving its community, plus the staff roles over its community."""
    roles = community_roles(user, record.community)
    lawyer = lawyer_of(user)
    if lawyer is not None and record.pk and record.advisors.filter(pk=lawyer.pk).exists():
        roles.add(Role.ADVISOR)
    return roles


OPINION = Workflow(
    name="outreach_opinion",
    transitions={
        ("requested", "deliver"): ("delivered", {Role.ADVISOR, Role.SYSADMIN}),
        ("requested", "withdraw"): ("withdrawn", {Role.COMMUNITY_STAFF, Role.OFFICE, Role.SYSADMIN}),
    },
    categories={"requested": Category.OPEN, "delivered": Category.RESOLVED, "withdrawn": Category.CLOSED},
    action_labels={"deliver": _("出具法律意见"), "withdraw": _("撤回申请")},
)


def opinion_roles(user, opinion) -> set[str]:
    """Staff roles over the community, plus ``advisor`` only for the lawyer the request went to."""
    roles = region_roles(user, opinion.community)
    lawyer = lawyer_of(user)
    if lawyer is not None and lawyer.pk == opinion.advisor_id:
        roles.add(Role.ADVISOR)
    return roles


REFERRAL = Workflow(
    name="outreach_referral",
    transitions={
        # The legal-aid centre decides; the advisor or the office records its answer.
        ("sent", "accept"): ("accepted", {Role.ADVISOR, Role.OFFICE, Role.SYSADMIN}),
        ("sent", "refuse"): ("refused", {Role.ADVISOR, Role.OFFICE, Role.SYSADMIN}),
        ("accepted", "close"): ("closed", {Role.ADVISOR, Role.OFFICE, Role.SYSADMIN}),
    },
    categories={
        "sent": Category.WAITING,
        "accepted": Category.WAITING,
        "refused": Category.CLOSED,
        "closed": Category.CLOSED,
    },
    action_labels={
        "accept": _("法律援助中心已受理"),
        "refuse": _("法律援助中心不予受理"),
        "close": _("援助结案"),
    },
)
