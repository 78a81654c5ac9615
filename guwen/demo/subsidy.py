"""Demo 以案定补 for Nanwan: the last twelve months settled through the whole chain and paid (the
sampled callbacks confirmed, one flag rejected), the current month computed and waiting with its
flags open; and the retainers (顾问费) the street pays the firms. Runs after mediation and outreach,
whose records it pays."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.accounts.models import User
from guwen.regions.models import Region
from guwen.subsidy import services
from guwen.subsidy.defaults import ensure
from guwen.subsidy.models import CallbackResult, Flag, FlagKind, FlagStatus, Settlement, SettlementStatus
from guwen.subsidy.whatif import last_twelve_months

DISTRICT = "440307000000"
STREET = "440307012000"  # 南湾街道


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


RETAINER = Decimal("20000")  # 元/社区/年: the Guangzhou 白云湖街道 2023 figure (DOMAIN.md), as an example


def _fees(street: Region, office: User, today: date) -> int:
    """Each Nanwan community's yearly retainer (顾问费) to its advisor's firm, for last year and this
    year, and a contract-review fee paid to one advisor: the pay beside the subsidy."""
    from guwen.regions.models import Assignment
    from guwen.regions.selectors import overlapping
    from guwen.subsidy.models import FeeIncome

    made = 0
    for year in (today.year - 1, today.year):
        start, end = date(year, 1, 1), date(year, 12, 31)
        posts = (
            Assignment.objects.filter(
                overlapping(start, end), community__path__startswith=street.path, role="primary"
            )
            .select_related("community", "firm", "lawyer")
            .order_by("community__code", "starts_on", "pk")
        )
        seen: set[int] = set()
        for post in posts:
            if post.community_id in seen or post.firm_id is None:
                continue
            seen.add(post.community_id)
            services.fee_record(
                by=office,
                community=post.community,
                firm=post.firm,
                kind="retainer",
                period_start=start,
                period_end=end,
                amount=RETAINER,
                reference=f"NW-GW-{year}-{post.community.code[-3:]}",
                note=_("%(c)s %(y)d 年度法律顾问服务费") % {"c": post.community.name, "y": year},
            )
            made += 1
            if len(seen) == 1 and year == today.year:
                services.fee_record(
                    by=office,
                    community=post.community,
                    lawyer=post.lawyer,
                    kind="service",
                    period_start=today.replace(day=1),
                    period_end=today,
                    amount=Decimal("1500.00"),
                    reference=f"NW-ZX-{today:%Y%m}-01",
                    note=_("社区集体合同审查专项服务费"),
                )
                made += 1
    FeeIncome.objects.filter(community__path__startswith=street.path).update(is_demo=True)
    return made


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
        fees = _fees(Region.objects.get(code=STREET), users["office"], today)
    paid = Settlement.objects.filter(district=district, status=SettlementStatus.PAID).count()
    open_flags = Flag.objects.filter(settlement__district=district, status=FlagStatus.OPEN).count()
    say(f"以案定补：{paid} 张结算单已发放，本月已计算，{open_flags} 条异常提示待核查，{fees} 笔顾问费收入")
