"""Duty rules (三固定) and the shifts generated from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from guwen.core import audit
from guwen.core.errors import Conflict, DomainError
from guwen.core.workcalendar import CHINA_TZ
from guwen.duty import holidays
from guwen.duty.models import WEEKDAY_LABELS, DutyRule, DutyShift, ShiftStatus
from guwen.duty.selectors import manageable_communities, planned_hours, settings_for
from guwen.regions.models import Lawyer, Level, Region
from guwen.regions.selectors import assignments_on, overlapping

MAX_GENERATE_DAYS = 366
LIVE = ~Q(status=ShiftStatus.CANCELLED)


def require_manager(by, community: Region, field: str = "community") -> None:
    """Rules and shifts are set by the judicial office (its street), the bureau or a system admin;
    ``by=None`` is the system (commands, the demo loader)."""
    if by is not None and not manageable_communities(by).filter(pk=community.pk).exists():
        raise DomainError(_("您无权管理该社区的驻点安排"), field=field, code="forbidden")


def parse_weekdays(weekdays) -> str:
    """``[1, 3]``, ``"13"`` or ``("1", "3")`` → ``"13"``; DomainError on ``weekdays`` for anything else."""
    items = list(weekdays) if not isinstance(weekdays, str) else list(weekdays.replace(",", ""))
    try:
        days = sorted({int(d) for d in items})
    except (TypeError, ValueError):
        raise DomainError(_("星期只能是周一至周日"), field="weekdays") from None
    if not days:
        raise DomainError(_("请至少选择一个星期"), field="weekdays")
    if days[0] < 0 or days[-1] > 6:
        raise DomainError(_("星期只能是周一至周日"), field="weekdays")
    return "".join(str(d) for d in days)


def _assigned_on(lawyer: Lawyer, community: Region, day: date) -> bool:
    return assignments_on(day).filter(lawyer=lawyer, community=community).exists()


def duty_rule_create(
    *,
    community: Region,
    lawyer: Lawyer,
    weekdays,
    start_time: time,
    end_time: time,
    place: str,
    service_content: str,
    valid_from: date,
    by,
    valid_to: date | None = None,
    capacity: int | None = None,
) -> DutyRule:
    """Fix a community's weekly on-site duty: who, which weekdays, when, where and what (三固定).
    ``rule.warning`` on the result says when the community's rules, this one included, plan fewer
    hours a month than the district requires (empty otherwise)."""
    if community.level != Level.COMMUNITY:
        raise DomainError(_("驻点规则只能设在社区"), field="community")
    require_manager(by, community)
    days = parse_weekdays(weekdays)
    if end_time <= start_time:
        raise DomainError(_("结束时间必须晚于开始时间"), field="end_time")
    if valid_to is not None and valid_to < valid_from:
        raise DomainError(_("截止日期不能早于生效日期"), field="valid_to")
    place, service_content = (place or "").strip(), (service_content or "").strip()
    if not place:
        raise DomainError(_("请填写驻点地点"), field="place")
    if not service_content:
        raise DomainError(_("请填写服务内容"), field="service_content")
    if not lawyer.is_active:
        raise DomainError(_("该律师已不在职"), field="lawyer")
    if not _assigned_on(lawyer, community, valid_from):
        raise DomainError(_("该律师在生效日期未派驻到本社区"), field="lawyer")
    if capacity is None:
        capacity = settings_for(community, valid_from).default_capacity
    if not 1 <= capacity <= 100:
        raise DomainError(_("预约名额应在 1 至 100 之间"), field="capacity")
    with transaction.atomic():
        Lawyer.objects.select_for_update().filter(pk=lawyer.pk).first()  # queue rule changes per lawyer
        clashes = DutyRule.objects.filter(
            lawyer=lawyer, start_time__lt=end_time, end_time__gt=start_time
        ).filter(overlapping(valid_from, valid_to, start_field="valid_from", end_field="valid_to"))
        for other in clashes:
            common = set(days) & set(other.weekdays)
            if common:
                label = "、".join(str(WEEKDAY_LABELS[int(d)]) for d in sorted(common))
                raise Conflict(
                    _("与已有规则重叠：%(community)s %(days)s %(start)s-%(end)s")
                    % {
                        "community": other.community.name,
                        "days": label,
                        "start": f"{other.start_time:%H:%M}",
                        "end": f"{other.end_time:%H:%M}",
                    },
                    field="start_time",
                )
        rule = DutyRule.objects.create(
            community=community,
            lawyer=lawyer,
            weekdays=days,
            start_time=start_time,
            end_time=end_time,
            place=place,
            service_content=service_content,
            capacity=capacity,
            valid_from=valid_from,
            valid_to=valid_to,
        )
        planned = planned_hours(community, start=valid_from)
        rule.warning = planned.warning  # shown to the office; the rule stands (a second rule may follow)
        audit.record(
            actor=by,
            action="duty_rule.create",
            obj=rule,
            context={"planned_monthly_minutes": planned.monthly_minutes, "short": planned.short},
            new={
                "community": community.code,
                "lawyer": lawyer.pk,
                "weekdays": days,
                "start_time": start_time,
                "end_time": end_time,
                "valid_from": valid_from,
                "valid_to": valid_to,
            },
        )
    return rule


def duty_rule_end(*, rule: DutyRule, valid_to: date, by, reason: str = "") -> DutyRule:
    """End a rule on a date; its scheduled shifts after that date are cancelled, the rest stays."""
    require_manager(by, rule.community)
    if valid_to < rule.valid_from:
        raise DomainError(_("截止日期不能早于生效日期"), field="valid_to")
    if rule.valid_to is not None and rule.valid_to <= valid_to:
        raise DomainError(_("该规则已于 %(day)s 截止") % {"day": rule.valid_to}, field="valid_to")
    with transaction.atomic():
        old = rule.valid_to
        DutyRule.objects.filter(pk=rule.pk).update(valid_to=valid_to)
        rule.valid_to = valid_to
        cancelled = DutyShift.objects.filter(
            rule=rule, date__gt=valid_to, status=ShiftStatus.SCHEDULED
        ).update(status=ShiftStatus.CANCELLED, cancel_reason=_("驻点规则已截止"))
        audit.record(
            actor=by,
            action="duty_rule.end",
            obj=rule,
            old={"valid_to": old},
            new={"valid_to": valid_to},
            context={"reason": reason, "shifts_cancelled": cancelled},
        )
    return rule


# --- shifts -----------------------------------------------------------------------------------


def week_end(day: date) -> date:
    """The Sunday of ``day``'s week: the community confirms attendance within the same week."""
    return day + timedelta(days=6 - day.weekday())


def _shift_times(rule: DutyRule, day: date) -> tuple[datetime, datetime]:
    return (
        datetime.combine(day, rule.start_time, tzinfo=CHINA_TZ),
        datetime.combine(day, rule.end_time, tzinfo=CHINA_TZ),
    )


def lawyer_overlaps(lawyer: Lawyer, starts_at: datetime, ends_at: datetime, exclude: list[int] | None = None):
    """The lawyer's live shifts overlapping [starts_at, ends_at) (an advisor is in one place at a time)."""
    rows = DutyShift.objects.filter(LIVE, lawyer=lawyer, starts_at__lt=ends_at, ends_at__gt=starts_at)
    if exclude:
        rows = rows.exclude(pk__in=exclude)
    return rows


def _new_shift(rule: DutyRule, day: date, stands_for: date | None) -> DutyShift:
    starts_at, ends_at = _shift_times(rule, day)
    rules = settings_for(rule.community, day)
    return DutyShift(
        rule=rule,
        community=rule.community,
        lawyer=rule.lawyer,
        date=day,
        starts_at=starts_at,
        ends_at=ends_at,
        stands_for=stands_for,
        place=rule.place,
        capacity=rule.capacity,
        late_threshold_minutes=rules.late_threshold_minutes,
        tolerance_minutes=rules.check_tolerance_minutes,
        confirm_due=week_end(day),
    )


def _insert(shift: DutyShift) -> bool:
    """Insert unless the lawyer is already on duty then (checked here; on PostgreSQL the exclusion
    constraint also refuses it when two requests race)."""
    if lawyer_overlaps(shift.lawyer, shift.starts_at, shift.ends_at).exists():
        return False
    try:
        with transaction.atomic():
            shift.save()
    except IntegrityError:
        return False
    return True


def duty_shift_create(*, rule: DutyRule, day: date, by) -> DutyShift:
    """One shift of a rule on a given date (e.g. an extra duty), refused outside the rule's range."""
    require_manager(by, rule.community, field="date")
    if not rule.is_valid_on(day):
        raise DomainError(_("该日期不在规则的有效期内"), field="date")
    if DutyShift.objects.filter(rule=rule, date=day).exists():
        raise Conflict(_("该日期的班次已存在"), field="date")
    with transaction.atomic():
        shift = _new_shift(rule, day, None)
        if not _insert(shift):
            raise Conflict(_("该律师在此时间已有其他班次"), field="date")
        audit.record(actor=by, action="duty_shift.create", obj=shift, new={"rule": rule.pk, "date": day})
    return shift


@dataclass
class GenerationResult:
    created: int = 0
    existing: int = 0
    holidays: int = 0
    carried: int = 0
    clashes: list[str] = field(default_factory=list)


def duty_shifts_generate(*, community: Region, start: date, end: date, by) -> GenerationResult:
    """Generate the community's shifts for [start, end] from its rules, idempotently: statutory
    holidays are skipped, 调休 weekends follow the district's setting, existing shifts are kept,
    and a shift that would make an advisor be in two places at once is reported, not created."""
    require_manager(by, community)
    if end < start:
        raise DomainError(_("结束日期不能早于开始日期"), field="end")
    if (end - start).days >= MAX_GENERATE_DAYS:
        raise DomainError(_("一次最多生成一年的班次"), field="end")
    rules = list(
        DutyRule.objects.filter(community=community)
        .filter(overlapping(start, end, start_field="valid_from", end_field="valid_to"))
        .select_related("lawyer")
    )
    if not rules:
        raise DomainError(_("所选日期范围内没有生效的驻点规则"), field="start")
    result = GenerationResult()
    with transaction.atomic():
        existing = set(
            DutyShift.objects.filter(rule__in=rules, date__gte=start, date__lte=end).values_list(
                "rule_id", "date"
            )
        )
        day = start
        while day <= end:
            mode = settings_for(community, day).adjusted_workday_mode
            for rule in rules:
                if not rule.is_valid_on(day):
                    continue
                weekdays = set(rule.weekday_list)
                on, stands = holidays.duty_on(day, weekdays, mode)
                if not on:
                    if day.weekday() in weekdays:
                        result.holidays += 1
                    continue
                if (rule.pk, day) in existing:
                    result.existing += 1
                    continue
                if _insert(_new_shift(rule, day, stands)):
                    result.created += 1
                    result.carried += stands is not None
                else:
                    result.clashes.append(f"{day:%Y-%m-%d} {rule.lawyer.name}")
            day += timedelta(days=1)
        audit.record(
            actor=by,
            action="duty_shift.generate",
            obj=community,
            context={
                "start": start,
                "end": end,
                "created": result.created,
                "existing": result.existing,
                "holidays": result.holidays,
                "clashes": len(result.clashes),
            },
        )
    return result


def duty_shift_cancel(*, shift: DutyShift, reason: str, by) -> DutyShift:
    from guwen.duty.workflow import SHIFT, shift_roles

    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写取消原因"), field="reason")
    SHIFT.require(shift, "cancel", shift_roles(by, shift))
    with transaction.atomic():
        updated = DutyShift.objects.filter(pk=shift.pk, status=ShiftStatus.SCHEDULED).update(
            status=ShiftStatus.CANCELLED, cancel_reason=reason[:200]
        )
        if updated != 1:
            raise Conflict()
        shift.refresh_from_db()
        audit.record(
            actor=by,
            action="duty_shift.cancel",
            obj=shift,
            old={"status": "scheduled"},
            new={"status": "cancelled"},
            context={"reason": reason},
        )
    return shift
