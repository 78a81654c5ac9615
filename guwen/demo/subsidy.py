"""Demo 以案定补 for Nanwan: the last twelve months settled through the whole chain and paid (the
sampled callbacks confirmed, one flag rejected), the current month computed and waiting with its
flags open. Runs after mediation and outreach, whose records it pays."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from guwen.accounts.models import User
from guwen.regions.models import Region
from guwen.subsidy import services
from guwen.subsidy.defaults import ensure
from guwen.subsidy.models import CallbackResult, Flag, FlagKind, FlagStatus, Settlement, SettlementStatus
from guwen.subsidy.whatif import last_twelve_months

DISTRICT = "440307000000"


def _months(today: date) -> list[date]:
    return last_twelve_months(today)


def _walk(
    settlement: Settlement, *, staff: User, office: User, bureau: User, admin: User, reject_one: bool
) -> bool:
    """Submit, confirm, decide the flags, review, approve and pay one past settlement."""
    advisor = settlement.lawyer.user or admin
    settlement = services.settlement_act(settlement=settlement, action="submit", by=advisor)
    confirmer = staff if settlement.community_id == _staff_community(staff) else admin
    settlement = services.settlement_act(settlement=settlement, action="confirm", by=confirmer)
    rejected = False
    for flag in settlement.flags.filter(status=FlagStatus.OPEN).order_by("pk"):
        if flag.kind == FlagKind.CALLBACK_SAMPLE:
            if reject_one and not rejected and flag.line_id:
                services.flag_callback_result(
                    flag=flag, by=office, result=CallbackResult.UNREACHABLE, note="三次电话未接通"
                )
                services.flag_decide(
                    flag=flag, by=office, decision="reject", reason="多次回访无法联系当事人，本件不予补贴"
                )
                rejected = True
            else:
                services.flag_callback_result(
                    flag=flag, by=office, result=CallbackResult.CONFIRMED, note="当事人确认调解属实"
                )
        else:
            services.flag_decide(
                flag=flag, by=office, decision="clear", reason="经核查卷宗与值班记录，情况属实"
            )
    settlement.refresh_from_db()
    settlement = services.settlement_act(settlement=settlement, action="review", by=office)
    settlement = services.settlement_act(settlement=settlement, action="approve", by=bureau)
    paid_on = min(
        date(settlement.month.year + (settlement.month.month // 12), settlement.month.month % 12 + 1, 15),
        timezone.localdate(),
    )
    services.settlement_act(
        settlement=settlement,
        action="pay",
        by=bureau,
        finance_reference=f"LG-{settlement.month:%Y%m}-{settlement.pk:04d}",
        paid_on=paid_on,
    )
    return rejected


_staff_cache: dict[int, int | None] = {}


def _staff_community(staff: User) -> int | None:
    if staff.pk not in _staff_cache:
        membership = staff.memberships.filter(region__isnull=False).first()
        _staff_cache[staff.pk] = membership.region_id if membership else None
    return _staff_cache[staff.pk]


def _photo() -> bytes:
    """A picture of a lecture hall drawn once: filed twice below, so the photo check finds it."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 200), (236, 240, 244))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 300, 70), fill=(180, 35, 24))
    for row in range(4):
        for col in range(8):
            draw.ellipse((30 + col * 35, 100 + row * 22, 50 + col * 35, 116 + row * 22), fill=(60, 70, 90))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _same_photo(months: list[date]) -> None:
    """One photo filed for two lectures of a past month and of the current one."""
    from django.core.files.base import ContentFile

    from guwen.outreach.models import Activity, ActivityPhoto

    data = _photo()
    for month in months:
        lectures = list(
            Activity.objects.filter(
                kind="lecture", status="confirmed", date__year=month.year, date__month=month.month
            ).order_by("pk")[:2]
        )
        if len(lectures) < 2:
            continue
        for activity in lectures:
            photo = ActivityPhoto(activity=activity, photo_type="jpeg")
            photo.photo.save("demo.jpg", ContentFile(data), save=True)


def load(*, stdout=None) -> None:
    say = stdout.write if stdout else (lambda _msg: None)
    ensure()
    district = Region.objects.get(code=DISTRICT)
    if Settlement.objects.filter(district=district, is_demo=True).exists():
        say("以案定补：已有演示数据，未重复载入")
        return
    users = {u.username: u for u in User.objects.filter(username__in=["staff", "office", "bureau", "admin"])}
    today = timezone.localdate()
    rejected = False
    past = _months(today)
    _same_photo([past[-2], today.replace(day=1)])
    with transaction.atomic():
        for month in past:
            services.settle_district_month(district=district, month=month, by=users["office"])
            for settlement in (
                Settlement.objects.filter(district=district, month=month, status=SettlementStatus.DRAFT)
                .select_related("lawyer", "community")
                .order_by("pk")
            ):
                if _walk(
                    settlement,
                    staff=users["staff"],
                    office=users["office"],
                    bureau=users["bureau"],
                    admin=users["admin"],
                    reject_one=not rejected and settlement.lines.filter(kind="case").exists(),
                ):
                    rejected = True
        services.settle_district_month(district=district, month=today, by=users["office"])
        Settlement.objects.filter(district=district).update(is_demo=True)
    paid = Settlement.objects.filter(district=district, status=SettlementStatus.PAID).count()
    open_flags = Flag.objects.filter(settlement__district=district, status=FlagStatus.OPEN).count()
    say(f"以案定补：{paid} 张结算单已发放，本月已计算，{open_flags} 条异常提示待核查")
