"""Helpers the consultation services share: validation of resident input, events, phones."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.consultations.models import Consultation, Event
from guwen.core.crypto import keyed_hash, seal
from guwen.core.errors import DomainError
from guwen.core.masking import mask_phone
from guwen.core.validators import clean_mobile as clean_phone  # noqa: F401  (the name intake uses)
from guwen.core.validators import plain_text

TEXT_MIN, TEXT_MAX = 10, 2000
NAME_MAX = 40
COMMENT_MAX = 500


def clean_text(text: str, *, field: str = "text") -> str:
    value = plain_text(text, field=field).strip()
    if len(value) < TEXT_MIN:
        raise DomainError(
            _("内容太短：请至少写 %(n)d 个字，说清楚发生了什么、想问什么") % {"n": TEXT_MIN}, field=field
        )
    if len(value) > TEXT_MAX:
        raise DomainError(
            _("内容太长：最多 %(n)d 个字（现在 %(len)d 个字）") % {"n": TEXT_MAX, "len": len(value)},
            field=field,
        )
    return value


def clean_reply(text: str, *, field: str = "body") -> str:
    value = plain_text(text, field=field).strip()
    if not value:
        raise DomainError(_("请填写内容"), field=field)
    if len(value) > TEXT_MAX * 2:
        raise DomainError(_("内容太长：最多 %(n)d 个字") % {"n": TEXT_MAX * 2}, field=field)
    return value


def clean_name(name: str, *, field: str = "resident_name") -> str:
    value = plain_text(name, field=field).strip()
    if len(value) > NAME_MAX:
        raise DomainError(_("称呼最多 %(n)d 个字") % {"n": NAME_MAX}, field=field)
    return value


def phone_fields(number: str, *, number_hash: str = "") -> dict[str, str]:
    """The stored forms of a mobile number: encrypted, its matching hash (``number_hash`` when the
    caller has it already) and masked."""
    sealed = seal(number, mask=mask_phone, hashed=number_hash)
    return {"phone_encrypted": sealed.encrypted, "phone_hash": sealed.hash, "phone_masked": sealed.masked}


def phone_hash(number: str) -> str:
    return keyed_hash(number)


def add_event(
    consultation: Consultation,
    code: str,
    *,
    actor=None,
    at: datetime | None = None,
    reason: str = "",
    from_level: str = "",
    automatic: bool = False,
) -> Event:
    """An event with the deadline, level and owner in force after the change, frozen."""
    return Event.objects.create(
        consultation=consultation,
        code=code,
        at=at or timezone.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_level=from_level,
        to_level=consultation.level,
        owner_id=consultation.owner_id,
        due_at=consultation.due_at,
        reason=reason[:200],
        automatic=automatic,
    )


def minutes_between(start: datetime, end: datetime) -> int:
    return max(0, int((end - start).total_seconds() // 60))
