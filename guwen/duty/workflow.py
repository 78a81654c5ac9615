"""Transition tables of duty shifts and change requests, and the roles a user holds for a record."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from guwen.accounts.models import Role
from guwen.accounts.scope import current_memberships, is_sysadmin
from guwen.core.workflow import Category, Workflow
from guwen.regions.models import Region

SYSTEM = "system"  # the sweep: no user, a role of its own so the table says what it may do
STAFF_SIDE = {Role.COMMUNITY_STAFF, Role.OFFICE, Role.BUREAU, Role.SYSADMIN}

SHIFT = Workflow(
    name="duty_shift",
    transitions={
        ("scheduled", "check_in"): ("checked_in", {Role.ADVISOR}),
        ("checked_in", "check_out"): ("completed", {Role.ADVISOR}),
        ("checked_in", "close_unfinished"): ("completed", {SYSTEM}),
        ("scheduled", "mark_missed"): ("missed", {SYSTEM}),
        ("completed", "confirm"): ("confirmed", {Role.COMMUNITY_STAFF, Role.OFFICE, Role.SYSADMIN}),
        ("scheduled", "cancel"): ("cancelled", {Role.OFFICE, Role.BUREAU, Role.SYSADMIN}),
        # The community says the advisor on record was not there in fact; the office decides.
        ("completed", "dispute"): ("disputed", {Role.COMMUNITY_STAFF, Role.SYSADMIN}),
        ("confirmed", "dispute"): ("disputed", {Role.COMMUNITY_STAFF, Role.SYSADMIN}),
        ("disputed", "accept_dispute"): ("missed", {Role.OFFICE, Role.SYSADMIN}),
        ("disputed", "reject_dispute"): ("confirmed", {Role.OFFICE, Role.SYSADMIN}),
    },
    categories={
        "scheduled": Category.OPEN,
        "checked_in": Category.OPEN,
        "completed": Category.WAITING,  # waiting on the community's confirmation
        "confirmed": Category.CLOSED,
        "disputed": Category.WAITING,  # waiting on the judicial office's decision
        "missed": Category.RESOLVED,
        "cancelled": Category.CLOSED,
    },
    action_labels={
        "check_in": _("签到"),
        "check_out": _("签退"),
        "confirm": _("确认到岗"),
        "cancel": _("取消班次"),
        "dispute": _("提出异议"),
        "accept_dispute": _("异议成立"),
        "reject_dispute": _("异议不成立"),
    },
)

CHANGE_REQUEST = Workflow(
    name="duty_change_request",
    transitions={
        ("pending", "approve"): ("approved", {Role.COMMUNITY_STAFF, Role.OFFICE, Role.SYSADMIN}),
        ("pending", "reject"): ("rejected", {Role.COMMUNITY_STAFF, Role.OFFICE, Role.SYSADMIN}),
        ("pending", "withdraw"): ("withdrawn", {Role.ADVISOR}),
    },
    categories={
        "pending": Category.OPEN,
        "approved": Category.CLOSED,
        "rejected": Category.CLOSED,
        "withdrawn": Category.CLOSED,
    },
    action_labels={"approve": _("同意"), "reject": _("驳回"), "withdraw": _("撤回")},
)


def region_roles(user, region: Region) -> set[str]:
    """The staff roles ``user`` holds over ``region`` (a community or a street): community staff of
    that community, the office of its street, the bureau of its district, a system admin."""
    roles: set[str] = set()
    if is_sysadmin(user):
        roles.add(Role.SYSADMIN)
    for membership in current_memberships(user):
        anchor = membership.region
        if anchor is None or membership.role not in STAFF_SIDE:
            continue
        if region.path.startswith(anchor.path):
            roles.add(membership.role)
    return roles


def shift_roles(user, shift) -> set[str]:
    """Roles for a shift: ``advisor`` only for the lawyer on duty, plus the staff roles over its community."""
    roles = region_roles(user, shift.community)
    if user is not None and getattr(user, "is_authenticated", False) and shift.lawyer.user_id == user.pk:
        roles.add(Role.ADVISOR)
    return roles


def request_roles(user, request) -> set[str]:
    roles = region_roles(user, request.shift.community)
    if getattr(user, "is_authenticated", False) and request.requested_by_id == user.pk:
        roles.add(Role.ADVISOR)
    return roles
