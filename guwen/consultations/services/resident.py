"""What the resident does without an account: look a question up by phone + receipt code, add
information, ask a follow-up, rate the answer through a signed one-time link."""

from __future__ import annotations

from datetime import datetime

from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.consultations import conf, notices, rules
from guwen.consultations.models import (
    Author,
    Consultation,
    EventCode,
    Message,
    MessageKind,
    Rating,
    Status,
)
from guwen.consultations.services.common import COMMENT_MAX, add_event, clean_text, phone_hash
from guwen.consultations.services.intake import normalize_receipt_code
from guwen.consultations.workflow import CONSULTATION, RESIDENT
from guwen.core import audit
from guwen.core.errors import Conflict, DomainError, NotFound
from guwen.core.validators import mobile_or_empty

RATING_SALT = "guwen.consultations.rating"
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
    return signing.dumps(
        {"c": consultation.pk, "r": consultation.receipt_code}, salt=RATING_SALT, compress=True
    )


def rating_path(consultation: Consultation) -> str:
    return reverse("consultations:rate", args=[rating_token(consultation)])


def consultation_from_rating_token(token: str) -> Consultation:
    try:
        data = signing.loads(token, salt=RATING_SALT, max_age=conf.rating_link_days() * 86400)
    except signing.SignatureExpired:
        raise NotFound(_("评价链接已过期"), field="token") from None
    except signing.BadSignature:
        raise NotFound(_("评价链接无效"), field="token") from None
    found = (
        Consultation.objects.filter(pk=data.get("c"), receipt_code=data.get("r"))
        .select_related("community")
        .first()
        if isinstance(data, dict)
        else None
    )
    if found is None:
        raise NotFound(_("评价链接无效"), field="token")
    return found


def consultation_rate(
    *, consultation: Consultation, score: int, comment: str = "", at: datetime | None = None
) -> Rating:
    """A 1–5 rating with an optional comment, once, after an answer."""
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise DomainError(_("请选择 1 到 5 星"), field="score")
    text = (comment or "").strip()
    if len(text) > COMMENT_MAX:
        raise DomainError(_("评价内容最多 %(n)d 个字") % {"n": COMMENT_MAX}, field="comment")
    if consultation.first_response_at is None:
        raise DomainError(_("答复之后才能评价"), field="score")
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                consultation=consultation, score=score, comment=text, created_at=at or timezone.now()
            )
            add_event(consultation, EventCode.RATED, at=at, reason=str(score))
            audit.record(actor=None, action="consultation.rate", obj=consultation, new={"score": score})
    except IntegrityError:
        raise Conflict(_("您已评价过，感谢反馈"), field="score") from None
    return rating


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
