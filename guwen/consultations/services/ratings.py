"""The one rating mechanism: a signed one-time link per item (a consultation, a booking, a
mediation case), a 1–5 rating with a comment, abusive text hidden from public display but kept,
the advisor's reply, and a complaint for the judicial office when the rating is low."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.accounts.models import Role
from guwen.accounts.scope import roles_of
from guwen.consultations import conf
from guwen.consultations.models import BlockedWord, Complaint, ComplaintStatus, EventCode, Rating, RatingKind
from guwen.consultations.rating_targets import RatingTarget, find
from guwen.consultations.services.common import COMMENT_MAX, add_event
from guwen.core import audit, workcalendar
from guwen.core.errors import Conflict, DomainError, NotFound

RATING_SALT = "guwen.consultations.rating"
LOW_SCORE = 2
REPLY_MAX = 500
OUTCOME_MAX = 1000
OFFICE_ROLES = {Role.OFFICE, Role.BUREAU}


def rating_token(target: RatingTarget) -> str:
    if target.kind == RatingKind.CONSULTATION:
        # The form links issued before bookings and cases could be rated: they keep working.
        return signing.dumps({"c": target.pk, "r": target.check}, salt=RATING_SALT, compress=True)
    return signing.dumps(
        {"k": target.kind, "t": target.pk, "r": target.check}, salt=RATING_SALT, compress=True
    )


def rating_link(target: RatingTarget) -> str:
    return reverse("consultations:rate", args=[rating_token(target)])


def target_from_token(token: str) -> RatingTarget:
    """The item a link names. A forged, altered or expired link, or one whose item is gone, is
    refused with the same kind of answer."""
    try:
        data = signing.loads(token, salt=RATING_SALT, max_age=conf.rating_link_days() * 86400)
    except signing.SignatureExpired:
        raise NotFound(_("评价链接已过期"), field="token") from None
    except signing.BadSignature:
        raise NotFound(_("评价链接无效"), field="token") from None
    target = None
    if isinstance(data, dict):
        kind = data.get("k", RatingKind.CONSULTATION)
        pk = data.get("t", data.get("c"))
        target = find(kind, pk) if isinstance(kind, str) else None
        if target is not None and target.check != data.get("r"):
            target = None
    if target is None:
        raise NotFound(_("评价链接无效"), field="token")
    return target


def existing_rating(target: RatingTarget) -> Rating | None:
    return Rating.objects.filter(kind=target.kind, target_id=target.pk).first()


def _blocked(text: str, target: RatingTarget) -> bool:
    if not text:
        return False
    district = target.community.parent.parent_id if target.community and target.community.parent_id else None
    words = BlockedWord.objects.filter(Q(district=None) | Q(district_id=district)).values_list(
        "word", flat=True
    )
    folded = text.casefold()
    return any(word.casefold() in folded for word in words)


def add_working_days(start: date, days: int) -> date:
    day, left = start, days
    while left > 0:
        day += timedelta(days=1)
        if workcalendar.is_workday(day):
            left -= 1
    return day


def rating_submit(
    *, target: RatingTarget, score: int, comment: str = "", at: datetime | None = None
) -> Rating:
    """A 1–5 rating with an optional comment, once per item, once the item is done. Two or fewer
    stars open a complaint for the office in the same transaction."""
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise DomainError(_("请选择 1 到 5 星"), field="score")
    text = (comment or "").strip()
    if len(text) > COMMENT_MAX:
        raise DomainError(_("评价内容最多 %(n)d 个字") % {"n": COMMENT_MAX}, field="comment")
    if target.not_ready:
        raise DomainError(target.not_ready, field="score")
    now = at or timezone.now()
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                kind=target.kind,
                target_id=target.pk,
                label=target.label[:100],
                consultation=target.consultation,
                community=target.community,
                lawyer=target.lawyer,
                score=score,
                comment=text,
                comment_hidden=_blocked(text, target),
                created_at=now,
            )
            if target.consultation is not None:
                add_event(target.consultation, EventCode.RATED, at=at, reason=str(score))
            audit.record(
                actor=None,
                action=f"{target.kind}.rate",
                obj=rating,
                new={"score": score, "hidden": rating.comment_hidden},
            )
            if score <= LOW_SCORE:
                complaint = Complaint.objects.create(
                    rating=rating,
                    community=target.community,
                    lawyer=target.lawyer,
                    due_on=add_working_days(timezone.localdate(now), conf.complaint_working_days()),
                    created_at=now,
                )
                audit.record(
                    actor=None,
                    action="complaint.open",
                    obj=complaint,
                    new={"due_on": complaint.due_on.isoformat()},
                )
    except IntegrityError:
        raise Conflict(_("您已评价过，感谢反馈"), field="score") from None
    return rating


def rating_reply(*, rating: Rating, by, text: str) -> Rating:
    """The advisor answers the rating once (the office may too)."""
    body = (text or "").strip()
    if not body:
        raise DomainError(_("请填写回复内容"), field="text")
    if len(body) > REPLY_MAX:
        raise DomainError(_("回复最多 %(n)d 个字") % {"n": REPLY_MAX}, field="text")
    own = rating.lawyer is not None and rating.lawyer.user_id == by.pk
    if not own and not roles_of(by) & OFFICE_ROLES:
        raise DomainError(_("只有被评价的律师或司法所可以回复"), code="forbidden_role")
    with transaction.atomic():
        updated = Rating.objects.filter(pk=rating.pk, replied_at=None).update(
            reply=body, replied_at=timezone.now()
        )
        if updated != 1:
            raise Conflict(_("已经回复过了"), field="text")
        rating.refresh_from_db()
        audit.record(actor=by, action="rating.reply", obj=rating, new={"reply": body})
    return rating


def complaint_resolve(*, complaint: Complaint, by, outcome: str) -> Complaint:
    """The office records what it did about a low rating; the complaint closes."""
    text = (outcome or "").strip()
    if not text:
        raise DomainError(_("请填写处理结果"), field="outcome")
    if len(text) > OUTCOME_MAX:
        raise DomainError(_("处理结果最多 %(n)d 个字") % {"n": OUTCOME_MAX}, field="outcome")
    if not roles_of(by) & OFFICE_ROLES:
        raise DomainError(_("只有司法所或区司法局可以处理投诉"), code="forbidden_role")
    with transaction.atomic():
        updated = Complaint.objects.filter(pk=complaint.pk, status=ComplaintStatus.OPEN).update(
            status=ComplaintStatus.RESOLVED, outcome=text, resolved_at=timezone.now(), resolved_by=by
        )
        if updated != 1:
            raise Conflict(_("该投诉已处理"), field="outcome")
        complaint.refresh_from_db()
        audit.record(
            actor=by,
            action="complaint.resolve",
            obj=complaint,
            old={"status": ComplaintStatus.OPEN},
            new={"status": complaint.status, "outcome": text},
        )
    return complaint
