"""What advisors, the judicial office and the bureau do with a consultation: claim, reply, ask the
resident for information, escalate, re-assign, close, mark reusable, convert."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.consultations import conversions, notices, rules, workflow
from guwen.consultations.models import (
    NEXT_LEVEL,
    Author,
    Consultation,
    EventCode,
    Level,
    Message,
    MessageKind,
)
from guwen.consultations.selectors import knowledge_ref
from guwen.consultations.services.common import add_event, clean_reply, minutes_between
from guwen.consultations.services.resident import rating_path
from guwen.consultations.services.triage import record_category_correction
from guwen.consultations.workflow import CONSULTATION, OPEN_STATUSES, SUPERVISORS
from guwen.core import audit
from guwen.core.crypto import decrypt_text
from guwen.core.errors import Conflict, DomainError
from guwen.core.workflow import TransitionNotAllowed
from guwen.knowledge import services as knowledge
from guwen.knowledge.selectors import OTHER, category_is_valid
from guwen.knowledge.triage import triage

logger = logging.getLogger(__name__)
REASON_MAX = 200


def _swap(consultation: Consultation, expect: dict, changes: dict) -> None:
    """Compare-and-set: apply ``changes`` only if the row still matches ``expect``; else Conflict."""
    updated = Consultation.objects.filter(pk=consultation.pk, **expect).update(**changes)
    if updated != 1:
        raise Conflict(_("该咨询刚被其他人处理过，请刷新后再试"))
    for name, value in changes.items():
        setattr(consultation, name, value)


def _require(consultation: Consultation, action: str, by) -> str:
    roles = {workflow.SYSTEM} if by is None else workflow.roles_for(consultation, by)
    return CONSULTATION.require(consultation, action, roles)


def consultation_claim(*, consultation: Consultation, by, at: datetime | None = None) -> Consultation:
    """Take an unowned item from the street or district pool; two claims at once give one owner."""
    _require(consultation, "claim", by)
    with transaction.atomic():
        _swap(
            consultation,
            {"owner__isnull": True, "level": consultation.level, "status": consultation.status},
            {"owner": by},
        )
        add_event(consultation, EventCode.CLAIMED, actor=by, at=at)
        audit.record(actor=by, action="consultation.claim", obj=consultation, new={"owner": by.pk})
    return consultation


def consultation_reply(
    *, consultation: Consultation, body: str, by, at: datetime | None = None
) -> Consultation:
    """Answer the resident. The first answer stops the first-response clock and stores its minutes;
    the resident is sent the answer notice with a one-time rating link."""
    text = clean_reply(body)
    target = _require(consultation, "reply", by)
    now = at or timezone.now()
    changes = {"status": target, "answered_at": now, "clock_paused_at": None}
    if consultation.first_response_at is None:
        changes["first_response_at"] = now
        changes["minutes_to_first_response"] = minutes_between(consultation.created_at, now)
    old = consultation.status
    with transaction.atomic():
        _swap(consultation, {"status": old, "owner": consultation.owner_id}, changes)
        Message.objects.create(
            consultation=consultation,
            author=Author.ADVISOR,
            author_user=by,
            kind=MessageKind.ANSWER,
            body=text,
            created_at=now,
        )
        add_event(consultation, EventCode.ANSWERED, actor=by, at=now)
        audit.record(
            actor=by,
            action="consultation.reply",
            obj=consultation,
            old={"status": old},
            new={"status": target},
        )
        if consultation.reusable:  # the knowledge base keeps the whole answer
            _sync_knowledge(consultation, by, strict=False)
        pk, path = consultation.pk, rating_path(consultation)
        if consultation.phone_encrypted:
            notices.after_commit(notices.send_answered, pk, rating_path=path)
    return consultation


def consultation_ask_info(*, consultation: Consultation, body: str, by) -> Consultation:
    """Ask the resident for more information; the response clock pauses until they reply."""
    text = clean_reply(body)
    target = _require(consultation, "ask_info", by)
    now = timezone.now()
    old = consultation.status
    with transaction.atomic():
        _swap(
            consultation,
            {"status": old, "owner": consultation.owner_id},
            {"status": target, "clock_paused_at": now},
        )
        Message.objects.create(
            consultation=consultation,
            author=Author.ADVISOR,
            author_user=by,
            kind=MessageKind.INFO_REQUEST,
            body=text,
        )
        add_event(consultation, EventCode.INFO_REQUESTED, actor=by, at=now)
        audit.record(
            actor=by,
            action="consultation.ask_info",
            obj=consultation,
            old={"status": old},
            new={"status": target},
        )
    return consultation


def consultation_close(
    *, consultation: Consultation, category: str, by, at: datetime | None = None
) -> Consultation:
    """Close after the advisor confirms or corrects the category; the minutes to close are stored."""
    name = (category or "").strip()
    if not name or not category_is_valid(name):
        raise DomainError(_("请从列表中选择咨询类别"), field="category")
    target = _require(consultation, "close", by)
    now = at or timezone.now()
    old = {"status": consultation.status, "category": consultation.category}
    changes = {
        "status": target,
        "category": name,
        "category_confirmed": True,
        "closed_at": now,
        "clock_paused_at": None,
        "minutes_to_close": minutes_between(consultation.created_at, now),
    }
    with transaction.atomic():
        _swap(consultation, {"status": consultation.status}, changes)
        add_event(consultation, EventCode.CLOSED, actor=by, at=now, reason=name)
        record_category_correction(consultation=consultation, category=name, by=by)
        if consultation.reusable:  # the knowledge base takes the confirmed category
            _sync_knowledge(consultation, by, strict=False)
        audit.record(
            actor=by,
            action="consultation.close",
            obj=consultation,
            old=old,
            new={"status": target, "category": name},
        )
    return consultation


def consultation_escalate(
    *,
    consultation: Consultation,
    by,
    reason: str,
    automatic: bool = False,
    now: datetime | None = None,
    only_if_overdue: bool = False,
) -> Consultation:
    """Move an open item one level up (community → street → district) into that level's pool, with
    a new deadline. Compare-and-set on the level, so two workers never escalate the same item twice."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请说明提交上级的原因"), field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(_("原因最多 %(n)d 个字") % {"n": REASON_MAX}, field="reason")
    new_level = NEXT_LEVEL.get(Level(consultation.level))
    if new_level is None:
        raise DomainError(_("已在区级，无法再升级"), field="level", code="invalid_state")
    _require(consultation, "escalate", by)
    now = now or timezone.now()
    spec = rules.deadline_spec(
        community=consultation.community,
        level=new_level,
        urgency=consultation.urgency,
        on=timezone.localdate(now),
    )
    old_level, old_owner = consultation.level, consultation.owner_id
    expect = {"level": old_level, "status__in": OPEN_STATUSES}
    if only_if_overdue:  # the sweep: a reply or follow-up since it looked means no escalation
        expect["due_at__lt"] = now
    with transaction.atomic():
        _swap(
            consultation,
            expect,
            {
                "level": new_level,
                "owner": None,
                "due_at": rules.due_from(start=now, spec=spec),
                "deadline_schedule": spec.schedule,
                "overdue_notified_at": None,
            },
        )
        add_event(
            consultation,
            EventCode.ESCALATED,
            actor=by,
            at=now,
            reason=reason,
            from_level=old_level,
            automatic=automatic,
        )
        audit.record(
            actor=by,
            action="consultation.escalate",
            obj=consultation,
            old={"level": old_level, "owner": old_owner},
            new={"level": new_level, "due_at": consultation.due_at, "policy": spec.policy_id},
            context={"reason": reason, "automatic": automatic},
        )
        pk = consultation.pk
        notices.after_commit(notices.send_escalated, pk, previous_owner_id=old_owner, automatic=automatic)
    return consultation


def eligible_owners(consultation: Consultation) -> list:
    """Who the office or bureau may hand a consultation to: the street's advisors and office users,
    and at district level the bureau's users."""
    street = consultation.community.parent
    users = {u.pk: u for u in notices.street_advisor_users(street)}
    users.update({u.pk: u for u in workflow.office_users(street)})
    if consultation.level == Level.DISTRICT:
        users.update({u.pk: u for u in workflow.bureau_users(street.parent if street else None)})
    return sorted(users.values(), key=lambda u: (str(u), u.pk))


def consultation_reassign(*, consultation: Consultation, owner, by, reason: str = "") -> Consultation:
    _require(consultation, "reassign", by)
    if owner is None or owner.pk not in {u.pk for u in eligible_owners(consultation)}:
        raise DomainError(_("只能改派给本街道的顾问律师或司法所工作人员"), field="owner")
    old_owner = consultation.owner_id
    with transaction.atomic():
        _swap(consultation, {"owner": old_owner, "status": consultation.status}, {"owner": owner})
        add_event(consultation, EventCode.REASSIGNED, actor=by, reason=reason)
        audit.record(
            actor=by,
            action="consultation.reassign",
            obj=consultation,
            old={"owner": old_owner},
            new={"owner": owner.pk},
            context={"reason": reason[:REASON_MAX]},
        )
        pk = consultation.pk
        notices.after_commit(notices.send_assigned, pk)
    return consultation


def _require_handler(consultation: Consultation, by) -> None:
    if not workflow.roles_for(consultation, by) & (workflow.HANDLERS | SUPERVISORS):
        raise TransitionNotAllowed(_("您的角色无权执行此操作"), code="forbidden_role")


def consultation_mark_reusable(*, consultation: Consultation, by, reusable: bool = True) -> Consultation:
    """Put an answered question into the knowledge base, with personal data removed, or take it
    out again. While it stays marked, later answers and the category confirmed on closing follow
    it there."""
    _require_handler(consultation, by)
    if reusable and consultation.first_response_at is None:
        raise DomainError(_("答复之后才能标记为知识库素材"), field="reusable", code="invalid_state")
    now = timezone.now()
    with transaction.atomic():
        _swap(
            consultation,
            {"reusable": consultation.reusable},
            {"reusable": reusable, "reusable_at": now if reusable else None},
        )
        add_event(consultation, EventCode.REUSABLE, actor=by, at=now, reason="on" if reusable else "off")
        audit.record(actor=by, action="consultation.reusable", obj=consultation, new={"reusable": reusable})
        if reusable:
            _sync_knowledge(consultation, by)
        else:
            knowledge.knowledge_remove_answered(source_ref=knowledge_ref(consultation), by=by)
    return consultation


# What of a thread the knowledge base keeps: the resident's words and the answers (not requests for
# information, notes or attachments).
KNOWLEDGE_KINDS = [MessageKind.QUESTION, MessageKind.FOLLOWUP, MessageKind.RESIDENT_INFO, MessageKind.ANSWER]


def _sync_knowledge(consultation: Consultation, by, *, strict: bool = True) -> None:
    """The consultation's entry in the knowledge base: the resident's words (the question, and any
    follow-up or information given), every answer, and the confirmed category (else triage's
    suggestion, computed now if triage has not run)."""
    messages = list(consultation.messages.filter(kind__in=KNOWLEDGE_KINDS).order_by("created_at", "id"))
    asked = [m.body for m in messages if m.author == Author.RESIDENT] or [consultation.text]
    answers = [m.body for m in messages if m.kind == MessageKind.ANSWER]
    category = next(
        (
            name
            for name in (consultation.category, consultation.category_suggested)
            if category_is_valid(name)
        ),
        "",
    )
    if not category:  # not triaged yet (back-filled history, or the worker has not got to it)
        category = triage(consultation.text).category
    if not category_is_valid(category):
        category = OTHER
    try:
        knowledge.knowledge_put_answered(
            source_ref=knowledge_ref(consultation),
            question="\n".join(asked),
            answer="\n\n".join(answers),
            category=category,
            by=by,
        )
    except DomainError:
        if strict:  # marking: the advisor is told why it cannot go in
            raise
        # A reply or a close must not fail because its entry cannot follow (grown past the
        # knowledge base's limits): the entry keeps what it had.
        logger.warning("knowledge entry of consultation %s not updated", consultation.pk, exc_info=True)


def consultation_convert(*, consultation: Consultation, target: str, by) -> str:
    """Hand the consultation to a registered conversion target; returns the new record's URL."""
    entry = conversions.get(target)
    if entry is None:
        raise DomainError(_("不支持的转办类型"), field="target")
    _require_handler(consultation, by)
    with transaction.atomic():
        url = entry.handler(consultation=consultation, by=by)
        add_event(consultation, EventCode.CONVERTED, actor=by, reason=target)
        audit.record(actor=by, action="consultation.convert", obj=consultation, context={"target": target})
    return url


def consultation_read_phone(*, consultation: Consultation, by, request=None) -> str:
    """The resident's full phone number, for someone in scope who must call back; audited."""
    if not consultation.phone_encrypted:
        return ""
    value = decrypt_text(consultation.phone_encrypted)
    audit.record(actor=by, action="consultation.phone.read", obj=consultation, request=request)
    return value


def consultation_record_read(*, consultation: Consultation, by, request=None) -> None:
    """A full read of the question (personal data) leaves a trace."""
    audit.record(actor=by, action="consultation.read", obj=consultation, request=request)
