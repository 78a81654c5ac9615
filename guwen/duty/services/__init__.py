"""Every write to duty data: one keyword-only function per action (DESIGN §5)."""

from guwen.duty.services.attendance import (
    duty_change_request_approve,
    duty_change_request_create,
    duty_change_request_reject,
    duty_change_request_withdraw,
    duty_shift_check_in,
    duty_shift_check_out,
    duty_shift_confirm,
    held_minutes,
    shifts_close_past,
)
from guwen.duty.services.bookings import (
    booking_cancel,
    booking_create,
    booking_find,
    booking_mark_attended,
    booking_read_phone,
    booking_refusal,
)
from guwen.duty.services.disputes import (
    BulkConfirmResult,
    duty_dispute_decide,
    duty_shift_dispute,
    duty_shifts_confirm,
)
from guwen.duty.services.rota import coverage_warn, rota_slot_create, rota_slot_delete
from guwen.duty.services.rules import (
    GenerationResult,
    duty_rule_create,
    duty_rule_end,
    duty_shift_cancel,
    duty_shift_create,
    duty_shifts_generate,
    parse_weekdays,
)

__all__ = [
    "BulkConfirmResult",
    "GenerationResult",
    "booking_cancel",
    "booking_create",
    "booking_find",
    "booking_mark_attended",
    "booking_read_phone",
    "booking_refusal",
    "coverage_warn",
    "duty_change_request_approve",
    "duty_change_request_create",
    "duty_change_request_reject",
    "duty_change_request_withdraw",
    "duty_dispute_decide",
    "duty_rule_create",
    "duty_rule_end",
    "duty_shift_cancel",
    "duty_shift_check_in",
    "duty_shift_check_out",
    "duty_shift_confirm",
    "duty_shift_create",
    "duty_shift_dispute",
    "duty_shifts_confirm",
    "duty_shifts_generate",
    "held_minutes",
    "parse_weekdays",
    "rota_slot_create",
    "rota_slot_delete",
    "shifts_close_past",
]
