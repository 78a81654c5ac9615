"""Every write to outreach data: one keyword-only function per action (DESIGN §5)."""

from guwen.outreach.services.activities import (
    activity_cancel,
    activity_confirm,
    activity_create,
    activity_mark_held,
    activity_sign_in_sheet_read,
)
from guwen.outreach.services.checks import (
    enterprise_create,
    finding_add,
    finding_mark_fixed,
    health_check_close,
    health_check_create,
    health_check_report,
    health_check_schedule_follow_up,
    health_check_start_fixing,
)
from guwen.outreach.services.coverage import coverage_remind
from guwen.outreach.services.opinions import opinion_deliver, opinion_request, opinion_withdraw
from guwen.outreach.services.pairings import pairing_create
from guwen.outreach.services.referrals import referral_create, referral_move
from guwen.outreach.services.worklog import worklog_entry_create

__all__ = [
    "activity_cancel",
    "activity_confirm",
    "activity_create",
    "activity_mark_held",
    "activity_sign_in_sheet_read",
    "coverage_remind",
    "enterprise_create",
    "finding_add",
    "finding_mark_fixed",
    "health_check_close",
    "health_check_create",
    "health_check_report",
    "health_check_schedule_follow_up",
    "health_check_start_fixing",
    "opinion_deliver",
    "opinion_request",
    "opinion_withdraw",
    "pairing_create",
    "referral_create",
    "referral_move",
    "worklog_entry_create",
]
