"""Lectures, publicity, party-building events and mediator trainings: planned, held, confirmed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.accounts.models import Role
from guwen.core import audit
from guwen.core.errors import Conflict, DomainError
from guwen.outreach.models import Activity, ActivityKind, ActivityPhoto, ActivityStatus, Channel, Pairing
from guwen.outreach.services.common import advisors_for, stored_upload, text
from guwen.outreach.workflow import ACTIVITY, WRITERS, community_roles, record_roles
from guwen.regions.models import Lawyer, Level, Region

MAX_AUDIENCE = 100_000
MAX_PHOTOS = 9


def _clean_audience(value) -> int:
    if value is None or value == "":
        raise DomainError(_("请填写参与人数"), field="audience_count")
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise DomainError(_("参与人数应为整数"), field="audience_count") from None
    if number < 0:
        raise DomainError(_("参与人数不能为负数"), field="audience_count")
    if number > MAX_AUDIENCE:
        raise DomainError(_("参与人数不能超过 %(n)d 人") % {"n": MAX_AUDIENCE}, field="audience_count")
    return number


def _not_in_future(day: date) -> None:
    if day > timezone.localdate():
        raise DomainError(_("活动日期在今天之后，不能登记为已开展；请先保存为计划"), field="date")


def activity_create(
    *,
    community: Region,
    kind: str,
    date: date,
    topic: str,
    advisors: Iterable[Lawyer],
    by,
    channel: str = "",
    place: str = "",
    audience_count: int | None = None,
    summary: str = "",
    pairing: Pairing | None = None,
) -> Activity:
    """Record an activity. With an audience count it is recorded as held (its date must not be in
    the future); without, as planned."""
    if community.level != Level.COMMUNITY:
        raise DomainError(_("请选择社区"), field="community")
    roles = community_roles(by, community)
    if not roles & WRITERS:
        raise DomainError(_("只有本社区的顾问律师、社区工作人员或司法所可以登记活动"), code="forbidden")
    if kind not in ActivityKind.values:
        raise DomainError(_("请选择活动类型"), field="kind")
    channel = channel or ""
    if kind == ActivityKind.PUBLICITY and not channel:
        raise DomainError(_("普法宣传请选择宣传形式"), field="channel")
    if channel and channel not in Channel.values:
        raise DomainError(_("请选择宣传形式"), field="channel")
    topic = text(topic, field="topic", label=_("主题"), limit=120)
    place = text(place, field="place", label=_("地点"), limit=120, required=False)
    summary = text(summary, field="summary", label=_("活动情况"), limit=2000, required=False)
    lawyers = advisors_for(advisors, community=community)
    if pairing is not None and (
        pairing.community_id != community.pk or not pairing.starts_on <= date <= pairing.ends_on
    ):
        raise DomainError(_("所选结对共建协议不是本社区在活动日期有效的协议"), field="pairing")
    held = audience_count is not None and audience_count != ""
    if held:
        audience_count = _clean_audience(audience_count)
        _not_in_future(date)
    now = timezone.now()
    with transaction.atomic():
        activity = Activity.objects.create(
            community=community,
            kind=kind,
            channel=channel,
            date=date,
            topic=topic,
            place=place,
            summary=summary,
            pairing=pairing,
            status=ActivityStatus.HELD if held else ActivityStatus.PLANNED,
            audience_count=audience_count if held else None,
            held_at=now if held else None,
            created_by=by,
            created_at=now,
        )
        activity.advisors.set(lawyers)
        audit.record(
            actor=by,
            action="outreach_activity.create",
            obj=activity,
            new={
                "status": activity.status,
                "kind": kind,
                "date": date,
                "audience_count": activity.audience_count,
            },
        )
    return activity


def activity_mark_held(
    *,
    activity: Activity,
    audience_count,
    by,
    summary: str = "",
    photos: Sequence = (),
    materials=None,
    sign_in_sheet=None,
) -> Activity:
    """The activity took place: its audience, what happened, photos, materials and the sign-in sheet."""
    target = ACTIVITY.require(activity, "hold", record_roles(by, activity))
    audience_count = _clean_audience(audience_count)
    _not_in_future(activity.date)
    summary = text(summary, field="summary", label=_("活动情况"), limit=2000, required=False)
    if len(photos) > MAX_PHOTOS:
        raise DomainError(_("一次最多上传 %(n)d 张照片") % {"n": MAX_PHOTOS}, field="photos")
    stored_photos = [stored_upload(photo, field="photos", images_only=True) for photo in photos]
    stored_materials = stored_upload(materials, field="materials")[0] if materials else None
    stored_sheet = stored_upload(sign_in_sheet, field="sign_in_sheet")[0] if sign_in_sheet else None
    with transaction.atomic():
        updated = Activity.objects.filter(pk=activity.pk, status=ActivityStatus.PLANNED).update(
            status=target, audience_count=audience_count, summary=summary, held_at=timezone.now()
        )
        if updated != 1:
            raise Conflict(_("该活动已被他人更新，请刷新后重试"), field="activity")
        activity.refresh_from_db()
        if stored_materials is not None:
            activity.materials.save(stored_materials.name, stored_materials, save=False)
        if stored_sheet is not None:
            activity.sign_in_sheet.save(stored_sheet.name, stored_sheet, save=False)
        if stored_materials is not None or stored_sheet is not None:
            activity.save(update_fields=["materials", "sign_in_sheet"])
        for content, subtype in stored_photos:
            photo = ActivityPhoto(activity=activity, photo_type=subtype)
            photo.photo.save(content.name, content, save=True)
        audit.record(
            actor=by,
            action="outreach_activity.hold",
            obj=activity,
            old={"status": ActivityStatus.PLANNED},
            new={"status": target, "audience_count": audience_count},
            context={"photos": len(stored_photos)},
        )
    return activity


def activity_confirm(*, activity: Activity, by) -> Activity:
    """Community staff confirm that the activity took place as recorded."""
    roles = record_roles(by, activity) - {Role.ADVISOR}
    target = ACTIVITY.require(activity, "confirm", roles)
    with transaction.atomic():
        updated = Activity.objects.filter(pk=activity.pk, status=ActivityStatus.HELD).update(
            status=target, confirmed_by=by, confirmed_at=timezone.now()
        )
        if updated != 1:
            raise Conflict(_("该活动已确认"), field="activity")
        activity.refresh_from_db()
        audit.record(
            actor=by,
            action="outreach_activity.confirm",
            obj=activity,
            old={"status": ActivityStatus.HELD},
            new={"status": target},
        )
    return activity


def activity_cancel(*, activity: Activity, by, reason: str = "") -> Activity:
    target = ACTIVITY.require(activity, "cancel", record_roles(by, activity))
    reason = text(reason, field="reason", label=_("取消原因"), limit=200, required=False)
    with transaction.atomic():
        updated = Activity.objects.filter(pk=activity.pk, status=ActivityStatus.PLANNED).update(status=target)
        if updated != 1:
            raise Conflict(_("该活动已被他人更新，请刷新后重试"), field="activity")
        activity.refresh_from_db()
        audit.record(
            actor=by,
            action="outreach_activity.cancel",
            obj=activity,
            old={"status": ActivityStatus.PLANNED},
            new={"status": target},
            context={"reason": reason},
        )
    return activity


def activity_sign_in_sheet_read(*, activity: Activity, by, request=None) -> None:
    """Record that ``by`` downloaded the activity's sign-in sheet scan: it names the residents who
    came, so every full read is audited like other personal data."""
    audit.record(
        actor=by,
        action="outreach_activity.read_sign_in_sheet",
        obj=activity,
        new={"community": activity.community.code},
        request=request,
    )
