"""The settlement's approval chain as a transition table, and the roles a user holds for one.

Roles for a settlement: ``advisor`` for the lawyer it pays; ``community_staff`` of the advisor's
community; the ``office`` of its street; the district ``bureau``; system admins.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from guwen.accounts.models import Role
from guwen.core.workflow import Category, Workflow
from guwen.duty.workflow import region_roles

A, S, OF, B, X = Role.ADVISOR, Role.COMMUNITY_STAFF, Role.OFFICE, Role.BUREAU, Role.SYSADMIN

SETTLEMENT = Workflow(
    name="subsidy_settlement",
    transitions={
        ("draft", "submit"): ("submitted", {A, X}),
        ("returned", "submit"): ("submitted", {A, X}),
        ("submitted", "confirm"): ("confirmed", {S, X}),
        ("confirmed", "review"): ("reviewed", {OF, X}),
        ("reviewed", "approve"): ("approved", {B, X}),
        ("approved", "pay"): ("paid", {B, X}),
        ("submitted", "return"): ("returned", {S, OF, B, X}),
        ("confirmed", "return"): ("returned", {OF, B, X}),
        ("reviewed", "return"): ("returned", {B, X}),
        # Records that keep the status.
        ("draft", "recompute"): ("draft", {A, OF, X}),
        ("returned", "recompute"): ("returned", {A, OF, X}),
        ("draft", "adjust"): ("draft", {OF, X}),
        ("returned", "adjust"): ("returned", {OF, X}),
        ("confirmed", "adjust"): ("confirmed", {OF, X}),
    },
    categories={
        "draft": Category.OPEN,
        "returned": Category.OPEN,
        "submitted": Category.WAITING,
        "confirmed": Category.WAITING,
        "reviewed": Category.WAITING,
        "approved": Category.RESOLVED,
        "paid": Category.CLOSED,
    },
    action_labels={
        "submit": _("提交"),
        "confirm": _("社区确认"),
        "review": _("司法所审核通过"),
        "approve": _("区司法局审批通过"),
        "pay": _("登记发放"),
        "return": _("退回"),
        "recompute": _("重新计算"),
        "adjust": _("添加调整"),
    },
)

CHAIN_ACTIONS = ("submit", "confirm", "review", "approve", "pay", "return")


def settlement_roles(user, settlement) -> set[str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    roles = region_roles(user, settlement.community)
    # Staff of the district sees every community of it; the bureau also acts for the district.
    if settlement.lawyer.user_id == user.pk:
        roles.add(A)
    return roles


def flag_roles(user, flag) -> set[str]:
    return settlement_roles(user, flag.settlement) & {OF, X}
