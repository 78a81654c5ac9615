"""The city-wide history ``generate_city`` writes after every community is built: 以案定补 settlements
of the last twelve full months and the advisors' yearly appraisals.

Settlements are computed by the real service (``settle_district_month``, a district month at a
time), so the lines, caps and flags are what the office would see. Months older than two months are
then taken along the approval chain to paid in bulk: the flags cleared (sampled callbacks confirmed),
the status, revision, finance reference and payment date set, and the audit events the chain's five
steps write, dated in the month after, built with ``audit.build`` — the chain's own services lock
and re-read each settlement five times, which at city scale (about 10,000 past settlements) costs
more than the rest together. The two latest months stay computed drafts; the current month is not
settled. Only twelve months, whatever ``--years``: settling all 36 is the same work three times and
no page reads subsidy history beyond a year.

Appraisals: one per advisor and year of the period, opened through ``appraisal_open`` and, for
years that have ended, reviewed through ``appraisal_review`` (its indicators frozen from the
generated records). The city-wide default tables (questionnaire, evaluation form, appraisal
scheme) are copied back to the period's first year when they start later, so every generated year
has a scheme in force.

Each district month and each appraisal is its own transaction and is skipped when present, so a
run that stops is resumed by running it again.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from guwen.accounts.models import Membership, Role, User
from guwen.core import audit
from guwen.core.errors import DomainError
from guwen.core.models import AuditEvent
from guwen.evaluation import services as evaluation_services
from guwen.evaluation.models import Appraisal, AppraisalScheme, AppraisalStatus, EvaluationForm, Questionnaire
from guwen.regions.models import Assignment, Region
from guwen.subsidy.defaults import ensure as subsidy_rules_ensure
from guwen.subsidy.models import CallbackResult, Flag, FlagKind, FlagStatus, Settlement, SettlementStatus
from guwen.subsidy.services.settle import district_advisors, month_start, settle_district_month

SETTLED_MONTHS = 12
PAID_AFTER = 2  # months older than this are paid; the latest ones stay drafts
CHAIN = [
    ("submit", SettlementStatus.DRAFT, SettlementStatus.SUBMITTED),
    ("confirm", SettlementStatus.SUBMITTED, SettlementStatus.CONFIRMED),
    ("review", SettlementStatus.CONFIRMED, SettlementStatus.REVIEWED),
    ("approve", SettlementStatus.REVIEWED, SettlementStatus.APPROVED),
    ("pay", SettlementStatus.APPROVED, SettlementStatus.PAID),
]


def _add_months(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 + months
    return date(total // 12, total % 12 + 1, 1)


def city_admin(since: date) -> User:
    """The city's system administrator account that settles, approves and appraises history."""
    user, created = User.objects.get_or_create(
        username="city-admin", defaults={"password": "!", "display_name": "市级管理员"}
    )
    if created:
        Membership.objects.create(user=user, role=Role.SYSADMIN, starts_on=since)
    return user


def tables_from(year: int) -> None:
    """The city default questionnaire, evaluation form and appraisal scheme in force from ``year``:
    the defaults copied back as version 1 of that year when the earliest one starts later."""
    evaluation_services.default_tables_ensure()
    for model in (Questionnaire, EvaluationForm, AppraisalScheme):
        if model.objects.filter(district=None, year__lte=year).exists():
            continue
        source = model.objects.filter(district=None).order_by("year", "version").first()
        copy = model.objects.get(pk=source.pk)
        copy.pk, copy.year, copy.version = None, year, 1
        copy.save(force_insert=True)


# --- settlements -------------------------------------------------------------------------------


def settle(*, districts: list[Region], until: date, by: User, workers: int = 1) -> dict[str, int]:
    """The last twelve full months of every district: computed, and paid when older than two
    months; a district at a time, in ``workers`` processes (see ``city.each``)."""
    from guwen.demo.city import SHARED, each

    subsidy_rules_ensure()
    SHARED.update(settle_by=by, settle_until=until)
    counts = {"settled": 0, "paid": 0, "skipped": 0}
    for result in each(_settle_district, districts, workers):
        for key, n in result.items():
            counts[key] += n
    return counts


def _settle_district(district: Region) -> dict[str, int]:
    from guwen.demo.city import SHARED

    by, until = SHARED["settle_by"], SHARED["settle_until"]
    current = month_start(until)
    counts = {"settled": 0, "paid": 0, "skipped": 0}
    for month in [_add_months(current, -k) for k in range(SETTLED_MONTHS, 0, -1)]:
        # Settled already when every advisor of the month has a settlement (a run with more
        # communities than the last one settles the month again: drafts recomputed, paid kept).
        advisors = {a.lawyer_id for a in district_advisors(district, month)}
        have = set(
            Settlement.objects.filter(district=district, month=month).values_list("lawyer_id", flat=True)
        )
        if advisors <= have:
            counts["skipped"] += 1
            continue
        with transaction.atomic():
            counts["settled"] += settle_district_month(district=district, month=month, by=by)
            if month < _add_months(current, -PAID_AFTER):
                counts["paid"] += pay_month(district=district, month=month, by=by, until=until)
    return counts


def _moment(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def pay_month(*, district: Region, month: date, by: User, until: date) -> int:
    """A district month's drafts taken to paid as the chain leaves them: flags decided, five steps
    each with its audit event (submitted on the 3rd of the next month, paid on the 15th)."""
    after = _add_months(month, 1)
    paid_on = min(after.replace(day=15), until)
    step_days = [min(after.replace(day=d), until) for d in (3, 5, 8, 12, 15)]
    settlements = list(
        Settlement.objects.filter(district=district, month=month, status=SettlementStatus.DRAFT)
        .select_related("lawyer__user")
        .order_by("pk")
    )
    decided = _moment(step_days[2], 10)
    flags = list(Flag.objects.filter(settlement__in=settlements, status=FlagStatus.OPEN))
    for flag in flags:
        flag.status, flag.decided_by, flag.decided_at = FlagStatus.CLEARED, by, decided
        if flag.kind == FlagKind.CALLBACK_SAMPLE:
            flag.callback_result, flag.reason = CallbackResult.CONFIRMED, "当事人确认调解属实"
        else:
            flag.reason = "经核查卷宗与值班记录，情况属实"
    Flag.objects.bulk_update(flags, ["status", "callback_result", "reason", "decided_by", "decided_at"])
    flagged: dict[int, int] = {}
    for flag in flags:
        flagged[flag.settlement_id] = flagged.get(flag.settlement_id, 0) + 1
    events = [
        _dated(
            audit.build(
                actor=by,
                action=f"subsidy.flag.{'callback' if flag.kind == FlagKind.CALLBACK_SAMPLE else 'clear'}",
                obj=flag,
                new={"result": CallbackResult.CONFIRMED}
                if flag.kind == FlagKind.CALLBACK_SAMPLE
                else {"status": FlagStatus.CLEARED},
                context={} if flag.kind == FlagKind.CALLBACK_SAMPLE else {"reason": flag.reason},
            ),
            decided,
        )
        for flag in flags
    ]
    for settlement in settlements:
        reference = f"CITY-{district.code[:6]}-{month:%Y%m}-{settlement.pk:06d}"
        for (action, old, new), day in zip(CHAIN, step_days, strict=True):
            actor = settlement.lawyer.user if action == "submit" and settlement.lawyer.user_id else by
            paying = action == "pay"
            events.append(
                _dated(
                    audit.build(
                        actor=actor,
                        action=f"subsidy.settlement.{action}",
                        obj=settlement,
                        old={"status": old},
                        new={"status": new, "total": settlement.total},
                        context={
                            "reason": "",
                            **({"finance_reference": reference} if paying else {}),
                        },
                    ),
                    _moment(day, 9 + CHAIN.index((action, old, new))),
                )
            )
        settlement.status = SettlementStatus.PAID
        settlement.revision += len(CHAIN) + flagged.get(settlement.pk, 0)
        settlement.finance_reference, settlement.paid_on = reference, paid_on
    Settlement.objects.bulk_update(settlements, ["status", "revision", "finance_reference", "paid_on"])
    AuditEvent.objects.bulk_create(events, batch_size=2000)
    return len(settlements)


def _dated(event: AuditEvent, at: datetime) -> AuditEvent:
    event.at = at
    return event


# --- appraisals --------------------------------------------------------------------------------


def appraise(
    *, communities: list[Region], since: date, until: date, by: User, workers: int = 1
) -> dict[str, int]:
    """Each advisor's appraisal for every year of the period: opened, and reviewed when the year
    has ended. Reviews read the generated records through the appraisal's own indicators; an
    advisor at a time, in ``workers`` processes (see ``city.each``)."""
    from guwen.demo.city import SHARED, each

    posted = Assignment.objects.filter(community__in=communities, ends_on__isnull=True)
    lawyers = sorted(
        {a.lawyer for a in posted.select_related("lawyer__firm__district", "lawyer__user")},
        key=lambda lawyer: lawyer.pk,
    )
    SHARED.update(appraisal_by=by, appraisal_years=(since.year, until.year))
    counts = {"opened": 0, "reviewed": 0}
    for opened, reviewed in each(_appraise_one, lawyers, workers):
        counts["opened"] += opened
        counts["reviewed"] += reviewed
    return counts


def _appraise_one(lawyer) -> tuple[int, int]:
    from guwen.demo.city import SHARED

    by = SHARED["appraisal_by"]
    first, current = SHARED["appraisal_years"]
    have = dict(Appraisal.objects.filter(lawyer=lawyer).values_list("year", "status"))
    opened = reviewed = 0
    for year in range(first, current + 1):
        if year in have and (year == current or have[year] != AppraisalStatus.DRAFT):
            continue
        with transaction.atomic():
            appraisal = evaluation_services.appraisal_open(lawyer=lawyer, year=year, by=by)
            opened += year not in have
            if year < current:
                try:
                    evaluation_services.appraisal_review(
                        appraisal=appraisal,
                        comment=f"{year}年度履职情况已核实，考核结果如上。",
                        by=by,
                        today=date(year, 12, 31),
                    )
                    reviewed += 1
                except DomainError:  # no record at all that year (posted after it): left open
                    pass
    return opened, reviewed
