"""Deadlines and urgency, read from the district's versioned tables (DeadlinePolicy, UrgencyRule).

The tables are seeded by a migration with the shipped defaults and edited in the admin and on the
district's settings page. The default deadlines below stand in, with a warning, when no policy
applies, so an intake is never refused because configuration was deleted ("nothing acknowledged is
ever lost"). Urgency has one source, the UrgencyRule table: the shipped keyword list is its seeded
default rows, so what a district or the administrator ends or deletes stays ended.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from guwen.consultations.models import (
    DeadlinePolicy,
    DeadlineRule,
    Level,
    MatchKind,
    Schedule,
    Urgency,
    UrgencyRule,
)
from guwen.core import workcalendar
from guwen.core.cache import bump, cached
from guwen.knowledge import urgency
from guwen.knowledge.urgency import UrgencyPattern

logger = logging.getLogger("guwen.consultations")

# (level, urgency) → (minutes, schedule). First response within 2 working hours on the online
# clock (08:30–21:00 every day); urgent items within 30 minutes at any hour.
DEFAULT_DEADLINES: dict[tuple[str, str], tuple[int, str]] = {
    (level, urgency): (30, Schedule.ALWAYS) if urgency == Urgency.URGENT else (120, Schedule.ONLINE)
    for level in Level.values
    for urgency in Urgency.values
}

SCHEDULES = {
    Schedule.ONLINE: workcalendar.ONLINE_HOURS,
    Schedule.ALWAYS: workcalendar.ALWAYS,
    Schedule.OFFICE: workcalendar.OFFICE_HOURS,
}

# The cache namespace of the deadline and urgency tables: every intake reads them, an edit is rare.
RULES = "consultations.rules"


def forget_rules() -> None:
    """Every process reads the tables afresh (after a write that sends no save signals)."""
    bump(RULES)


@receiver(post_save, sender=DeadlinePolicy, dispatch_uid="consult_policy_saved")
@receiver(post_delete, sender=DeadlinePolicy, dispatch_uid="consult_policy_deleted")
@receiver(post_save, sender=DeadlineRule, dispatch_uid="consult_rule_saved")
@receiver(post_delete, sender=DeadlineRule, dispatch_uid="consult_rule_deleted")
@receiver(post_save, sender=UrgencyRule, dispatch_uid="consult_urgency_saved")
@receiver(post_delete, sender=UrgencyRule, dispatch_uid="consult_urgency_deleted")
def _config_changed(**kwargs: object) -> None:
    forget_rules()


def district_code_of(community) -> str:
    """The district's code from the community's path (city/district/street/community/)."""
    parts = [part for part in community.path.split("/") if part]
    return parts[-3] if len(parts) >= 3 else ""


# --- deadlines ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineSpec:
    minutes: int
    schedule: str
    policy_id: int | None

    @property
    def work_schedule(self) -> workcalendar.WorkSchedule:
        return SCHEDULES[Schedule(self.schedule)]


def _policy_table(district_code: str, day: date) -> tuple[int | None, dict[tuple[str, str], tuple[int, str]]]:
    policies = DeadlinePolicy.objects.filter(effective_from__lte=day).filter(
        Q(district__code=district_code) | Q(district__isnull=True)
    )
    # The district's own latest version wins over the default's.
    policy = (
        policies.filter(district__code=district_code).order_by("-effective_from").first()
        or policies.filter(district__isnull=True).order_by("-effective_from").first()
    )
    if policy is None:
        return None, {}
    table = {(r.level, r.urgency): (r.minutes, r.schedule) for r in policy.rules.all()}
    return policy.pk, table


def deadline_spec(*, community, level: str, urgency: str, on: date) -> DeadlineSpec:
    district_code = district_code_of(community)
    return _spec(_district_rules(district_code, on)[0], district_code, level, urgency)


def _spec(
    deadlines: tuple[int | None, dict[tuple[str, str], tuple[int, str]]],
    district_code: str,
    level: str,
    urgency: str,
) -> DeadlineSpec:
    policy_id, table = deadlines
    entry = table.get((level, urgency))
    if entry is None:
        logger.warning(
            "no deadline rule for district %s level %s urgency %s; using the built-in default",
            district_code,
            level,
            urgency,
        )
        entry = DEFAULT_DEADLINES[(level, urgency)]
        policy_id = None
    return DeadlineSpec(minutes=entry[0], schedule=entry[1], policy_id=policy_id)


def due_from(*, start: datetime, spec: DeadlineSpec) -> datetime:
    return workcalendar.add_working_minutes(start=start, minutes=spec.minutes, schedule=spec.work_schedule)


def remaining_working_minutes(*, now: datetime, due_at: datetime, schedule: str) -> int:
    """Working minutes left before ``due_at`` (0 when it has passed): what a pause keeps."""
    return workcalendar.working_minutes_between(start=now, end=due_at, schedule=SCHEDULES[Schedule(schedule)])


def resume_due(*, paused_at: datetime, due_at: datetime, now: datetime, schedule: str) -> datetime:
    """The deadline after a pause: the working minutes that were left at the pause, counted from now."""
    left = remaining_working_minutes(now=paused_at, due_at=due_at, schedule=schedule)
    return workcalendar.add_working_minutes(start=now, minutes=left, schedule=SCHEDULES[Schedule(schedule)])


# --- urgency ---------------------------------------------------------------------------------


def keywords_of(pattern: str) -> list[str]:
    """The words of a keyword rule (separated by 、，,|; or new lines; spaces inside ignored; ``A…B``
    for A then B in one sentence), once each."""
    return urgency.words_of(pattern)


def compile_rule(
    kind: str, pattern: str, exclude: str = "", *, label: str = "", risk: str = ""
) -> UrgencyPattern:
    """A rule as a pattern over the question; raises ``re.error`` for a bad one."""
    risk = risk or urgency.UrgencyKind.OTHER
    if kind == MatchKind.KEYWORDS:
        return urgency.keyword_pattern(label=label, kind=risk, words=pattern, exclude=exclude)
    return urgency.regex_pattern(label=label, kind=risk, regex=pattern, exclude=exclude)


def _live_rules(day: date):
    return UrgencyRule.objects.filter(effective_from__lte=day).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gt=day)
    )


def _compiled(rows) -> list[UrgencyPattern]:
    compiled = []
    for row in rows:
        try:
            compiled.append(compile_rule(row.kind, row.pattern, row.exclude, label=row.label, risk=row.risk))
        except re.error:
            logger.warning("urgency rule %s has a bad pattern and is skipped", row.pk)
    return compiled


def _urgency_rules(district_code: str, day: date) -> list[UrgencyPattern]:
    rows = (
        _live_rules(day)
        .filter(Q(district__code=district_code) | Q(district__isnull=True))
        .order_by("district_id", "id")
    )
    return _compiled(rows)


def city_patterns(day: date | None = None) -> list[UrgencyPattern]:
    """The city-wide rules in force: what ``manage.py triage`` applies, having no district."""
    day = day or timezone.localdate()
    return cached(
        RULES, f"city:{day}", lambda: _compiled(_live_rules(day).filter(district__isnull=True).order_by("id"))
    )


def match_urgency(text: str, rules: list[UrgencyPattern]) -> tuple[str, str]:
    """(urgency, the first matching rule's reason) for ``text``: the kind of danger it found
    (自伤风险, 群体性事件, …), or the rule's own name for a rule of kind 其他."""
    hit = urgency.match_rules(urgency.prepare(text), rules)
    return (Urgency.URGENT, hit.reason) if hit else (Urgency.NORMAL, "")


def urgency_of(*, text: str, community, on: date) -> tuple[str, str]:
    district_code = district_code_of(community)
    rules = _district_rules(district_code, on)[1]
    return match_urgency(text, rules)


def intake_terms(*, text: str, community, level: str, on: date) -> tuple[str, str, DeadlineSpec]:
    """(urgency, its reason, the deadline) of a new question: ``urgency_of`` then ``deadline_spec``
    with one read of the district's rules."""
    district_code = district_code_of(community)
    deadlines, urgency_rules = _district_rules(district_code, on)
    urgency, reason = match_urgency(text, urgency_rules)
    return urgency, reason, _spec(deadlines, district_code, level, urgency)


def _district_rules(
    district_code: str, day: date
) -> tuple[tuple[int | None, dict[tuple[str, str], tuple[int, str]]], list[UrgencyPattern]]:
    """The district's deadline table and urgency rules on ``day``, kept as one value: an intake
    needs both, and a miss costs the two table reads once."""
    return cached(
        RULES,
        f"{district_code}:{day}",
        lambda: (_policy_table(district_code, day), _urgency_rules(district_code, day)),
    )
