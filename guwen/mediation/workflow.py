"""The mediation case's transition table and the roles a user holds for a case.

Roles for a case: ``advisor`` for the case's mediators (or, before any is assigned, the advisors
serving its community, so that they can take it on); ``community_staff`` of its community; the
judicial ``office`` of its street; the district ``bureau`` (reads only); system admins. Actions that
do not move the status (adding a party, a session record, an upload) are self-loops in the same
table, so ``allowed_actions`` alone decides which forms a page shows.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from guwen.accounts.models import Role
from guwen.core.workflow import Category, Workflow
from guwen.duty.workflow import region_roles
from guwen.regions.selectors import current_assignments

A, S, OF, X = Role.ADVISOR, Role.COMMUNITY_STAFF, Role.OFFICE, Role.SYSADMIN
WORKERS = {A, S, OF, X}  # who works on a case
MEDIATORS = {A, OF, X}  # who records mediation itself
BEFORE_OUTCOME = ("accepted", "investigating", "mediating")


def _loops(statuses, action, roles):
    return {(status, action): (status, roles) for status in statuses}


CASE = Workflow(
    name="mediation_case",
    transitions={
        ("registered", "accept"): ("accepted", WORKERS),
        # 人民调解法 Art. 17: a party that clearly refuses ends it before intake.
        ("registered", "refuse"): ("refused", WORKERS),
        ("accepted", "investigate"): ("investigating", MEDIATORS),
        ("accepted", "start_mediation"): ("mediating", MEDIATORS),
        ("investigating", "start_mediation"): ("mediating", MEDIATORS),
        ("mediating", "agree"): ("agreed", MEDIATORS),
        **{(status, "terminate"): ("terminated", MEDIATORS) for status in BEFORE_OUTCOME},
        ("agreed", "record_performance"): ("performing", WORKERS),
        ("performing", "record_performance"): ("performing", WORKERS),
        ("agreed", "callback"): ("callback_done", WORKERS),
        ("performing", "callback"): ("callback_done", WORKERS),
        ("callback_done", "callback"): ("callback_done", WORKERS),
        ("callback_done", "close"): ("closed", {OF, S, X}),
        ("terminated", "close"): ("closed", {OF, S, X}),
        # Records that keep the status.
        **_loops(("registered", *BEFORE_OUTCOME), "add_party", WORKERS),
        **_loops(("registered", *BEFORE_OUTCOME), "assign", {S, OF, X}),
        # Correcting a party: until the case is filed (or refused).
        **_loops(
            ("registered", *BEFORE_OUTCOME, "agreed", "performing", "callback_done", "terminated"),
            "edit_party",
            WORKERS,
        ),
        **_loops(("investigating", "mediating"), "record_investigation", MEDIATORS),
        **{(status, "record_session"): ("mediating", MEDIATORS) for status in BEFORE_OUTCOME},
        **_loops(("agreed", "performing", "callback_done"), "record_confirmation", WORKERS),
        **_loops(BEFORE_OUTCOME, "request_extension", MEDIATORS | {S}),
        **_loops(BEFORE_OUTCOME, "decide_extension", {OF, X}),
        **_loops(
            ("registered", *BEFORE_OUTCOME, "agreed", "performing", "callback_done", "terminated"),
            "upload",
            WORKERS,
        ),
        **_loops(
            ("accepted", *BEFORE_OUTCOME[1:], "agreed", "performing", "callback_done", "terminated"),
            "confirm_grade",
            {OF, X},
        ),
    },
    categories={
        "registered": Category.OPEN,
        "accepted": Category.OPEN,
        "investigating": Category.OPEN,
        "mediating": Category.OPEN,
        "agreed": Category.RESOLVED,
        "performing": Category.WAITING,
        "callback_done": Category.RESOLVED,
        "terminated": Category.RESOLVED,
        "refused": Category.CLOSED,
        "closed": Category.CLOSED,
    },
    action_labels={
        "accept": _("受理"),
        "refuse": _("当事人拒绝调解（不予受理）"),
        "investigate": _("开始调查"),
        "start_mediation": _("开始调解"),
        "agree": _("登记调解协议"),
        "terminate": _("终止调解"),
        "callback": _("登记回访"),
        "close": _("结案归档"),
        "add_party": _("添加当事人"),
        "edit_party": _("修改当事人"),
        "assign": _("指派调解员"),
        "record_investigation": _("登记调查记录"),
        "record_session": _("登记调解记录"),
        "record_performance": _("登记履行情况"),
        "record_confirmation": _("登记司法确认"),
        "request_extension": _("申请延期"),
        "decide_extension": _("审批延期"),
        "upload": _("上传卷宗材料"),
        "confirm_grade": _("确认案件等级"),
    },
)

# The statuses a case still counts against its 30-day limit in (overdue when past due).
RUNNING = CASE.statuses_in(Category.OPEN)
# Every status where the case is not yet filed or refused.
NOT_CLOSED = [s for s in CASE.categories if s not in ("closed", "refused")]

LEAD_ROLES = {A, S, OF, X}


def serves_community(user, community) -> bool:
    """Whether ``user`` is a lawyer serving ``community`` today."""
    if not getattr(user, "is_authenticated", False):
        return False
    return current_assignments().filter(lawyer__user=user, community=community).exists()


def case_roles(user, case) -> set[str]:
    """The roles ``user`` holds for ``case``. The bureau only reads: no action lists it."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    roles = region_roles(user, case.community)
    mediator_ids = {m.user_id for m in case.mediators.all()}
    if user.pk in mediator_ids or (not mediator_ids and serves_community(user, case.community)):
        roles.add(A)
    return roles


def lead_roles(user, lead) -> set[str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    roles = region_roles(user, lead.community)
    if lead.owner_id == user.pk or serves_community(user, lead.community):
        roles.add(A)
    return roles
