"""Every write to consultations, one function per action (DESIGN §5). Other modules import from here."""

from guwen.consultations.services.bookings import consultation_from_booking
from guwen.consultations.services.config import (
    advisor_away_create,
    advisor_away_end,
    group_channel_ensure,
    group_channel_rotate_secret,
)
from guwen.consultations.services.handling import (
    consultation_ask_info,
    consultation_claim,
    consultation_close,
    consultation_convert,
    consultation_escalate,
    consultation_mark_reusable,
    consultation_read_phone,
    consultation_reassign,
    consultation_record_read,
    consultation_reply,
    eligible_owners,
)
from guwen.consultations.services.intake import (
    IntakeResult,
    SignatureRefused,
    community_by_code,
    consultation_submit,
    group_message_receive,
    group_signature,
)
from guwen.consultations.services.resident import (
    can_rate,
    consultation_from_rating_token,
    consultation_lookup,
    consultation_rate,
    consultation_resident_message,
    rating_path,
    rating_token,
)

__all__ = [
    "IntakeResult",
    "SignatureRefused",
    "advisor_away_create",
    "advisor_away_end",
    "can_rate",
    "community_by_code",
    "consultation_ask_info",
    "consultation_claim",
    "consultation_close",
    "consultation_convert",
    "consultation_escalate",
    "consultation_from_booking",
    "consultation_from_rating_token",
    "consultation_lookup",
    "consultation_mark_reusable",
    "consultation_rate",
    "consultation_read_phone",
    "consultation_reassign",
    "consultation_record_read",
    "consultation_reply",
    "consultation_resident_message",
    "consultation_submit",
    "eligible_owners",
    "group_channel_ensure",
    "group_channel_rotate_secret",
    "group_message_receive",
    "group_signature",
    "rating_path",
    "rating_token",
]
