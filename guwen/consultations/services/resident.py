"""What the resident does without an account: look a question up by phone + receipt code, add
information, ask a follow-up, rate the answer through a signed one-time link."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.consultations import notices, rating_targets, rules
from guwen.consultations.models import (
    Author,
    Consultation,
    EventCode,
    Message,
    MessageKind,
    Rating,
    Status,
)
from guwen.consultations.services import ratings
from guwen.consultations.services.common import add_event, clean_text, phone_hash
from guwen.consultations.services.intake import normalize_receipt_code
from guwen.consultations.workflow import CONSULTATION, RESIDENT
from guwen.core import audit
from guwen.core.errors import Conflict, DomainError, NotFound
from guwen.core.validators import mobile_or_empty
from guwen.duty import selectors as duty_selectors

LOOKUP_FAILED = _("手机号或回执码不正确，请核对后重试")


def consultation_lookup(*, community=None, phone: str, receipt_code: str) -> Consultation:
    """The resident's consultation by phone + receipt code. Any mismatch (wrong phone, wrong code,
    someone else's code, another community) gives the same answer, so nothing can be enumerated.
    Without a community (the look-up on ``/``) the receipt code, unique everywhere, finds it."""
    number = mobile_or_empty(phone)
    code = normalize_receipt_code(receipt_code)
    found = None
    if number and 4 <= len(code) <= 16:
        rows = Consultation.objects.filter(receipt_code=code, phone_hash=phone_hash(number))
        if community is not None:
            rows = rows.filter(community=community)
        found = rows.select_related("community").first()
    if found is None:
        raise NotFound(LOOKUP_FAILED, field="receipt_code")
    return found


def rating_token(consultation: Consultation) -> str:
    return ratings.rating_token(rating_targets.consultation_target(consultation))


def rating_path(consultation: Consultation) -> str:
    return ratings.rating_link(rating_targets.consultation_target(consultation))


def consultation_from_rating_token(token: str) -> Consultation:
    target = ratings.target_from_token(token)
    if target.consultation is None:
        raise NotFound(_("评价链接无效"), field="token")
    return target.consultation


def consultation_rate(
    *, consultation: Consultation, score: int, comment: str = "", at: datetime | None = None
) -> Rating:
    """A 1–5 rating with an optional comment, once, after an answer."""
    return ratings.rating_submit(
        target=rating_targets.consultation_target(consultation), score=score, comment=comment, at=at
    )


def booking_rating_path(*, phone: str, receipt_code: str) -> str:
    """The rating link of a resident's attended on-site booking, found by phone + booking code
    (the look-up on ``/`` takes either kind of code)."""
    number = mobile_or_empty(phone)
    code = normalize_receipt_code(receipt_code)
    booking = (
        duty_selectors.booking_by_receipt(receipt_code=code, phone_hash=phone_hash(number))
        if number
        else None
    )
    if booking is None:
        raise NotFound(LOOKUP_FAILED, field="receipt_code")
    target = rating_targets.booking_target(booking)
    if target.not_ready:
        raise DomainError(target.not_ready, field="receipt_code")
    return ratings.rating_link(target)


def consultation_resident_message(*, consultation: Consultation, text: str) -> Consultation:
    """The resident writes again: information asked for (the clock resumes with the working minutes
    it had left) or a follow-up after the answer (a fresh deadline at the current level)."""
    body = clean_text(text)
    action = "resident_reply" if consultation.status == Status.WAITING_RESIDENT else "resident_followup"
    target = CONSULTATION.require(consultation, action, {RESIDENT})
    now = timezone.now()
    if action == "resident_reply" and consultation.clock_paused_at and consultation.due_at:
        due_at = rules.resume_due(
            paused_at=consultation.clock_paused_at,
            due_at=consultation.due_at,
            now=now,
            schedule=consultation.deadline_schedule,
        )
    else:
        spec = rules.deadline_spec(
            community=consultation.community,
            level=consultation.level,
            urgency=consultation.urgency,
            on=timezone.localdate(now),
        )
        due_at = rules.due_from(start=now, spec=spec)
    old = consultation.status
    changes = {
        "status": target,
        "due_at": due_at,
        "clock_paused_at": None,
        "closed_at": None,
        "overdue_notified_at": None,
    }
    # Time spent waiting on the resident is not the service's delay: the first deadline moves on by
    # as much as the current one did.
    resumed = action == "resident_reply" and consultation.due_at and consultation.first_due_at
    if resumed and consultation.first_response_at is None and due_at > consultation.due_at:
        changes["first_due_at"] = consultation.first_due_at + (due_at - consultation.due_at)
    with transaction.atomic():
        updated = Consultation.objects.filter(pk=consultation.pk, status=old).update(**changes)
        if updated != 1:
            raise Conflict(_("状态已变化，请刷新后再试"))
        for field, value in changes.items():
            setattr(consultation, field, value)
        kind = MessageKind.RESIDENT_INFO if action == "resident_reply" else MessageKind.FOLLOWUP
        Message.objects.create(
            consultation=consultation, author=Author.RESIDENT, kind=kind, body=body, created_at=now
        )
        code = EventCode.RESIDENT_REPLIED if action == "resident_reply" else EventCode.FOLLOWUP
        add_event(consultation, code, at=now)
        audit.record(
            actor=None,
            action=f"consultation.{action}",
            obj=consultation,
            old={"status": old},
            new={"status": target},
        )
        pk = consultation.pk
        notices.after_commit(notices.send_new, pk)
    return consultation
