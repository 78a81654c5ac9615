"""Writes to the module's own settings records: an advisor's away periods, a community's group robot,
and a district's urgency rules and response deadlines (versioned: a change takes effect from a date,
and what was in force before stays on record)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.consultations.models import (
    AdvisorAway,
    DeadlinePolicy,
    DeadlineRule,
    GroupChannel,
    Level,
    MatchKind,
    Schedule,
    Urgency,
    UrgencyRule,
    new_group_secret,
)
from guwen.consultations.rules import forget_rules, keywords_of
from guwen.core import audit
from guwen.core.errors import DomainError
from guwen.knowledge.urgency import UrgencyKind

AWAY_MAX_DAYS = 366


def advisor_away_create(
    *, lawyer, starts_at: datetime, ends_at: datetime, reason: str = "", by
) -> AdvisorAway:
    """Mark an advisor away for a period: new questions for their communities go to the backup."""
    if ends_at <= starts_at:
        raise DomainError(_("结束时间必须晚于开始时间"), field="ends_at")
    if (ends_at - starts_at).days > AWAY_MAX_DAYS:
        raise DomainError(_("外出时间不能超过一年"), field="ends_at")
    if ends_at <= timezone.now():
        raise DomainError(_("结束时间已经过去"), field="ends_at")
    with transaction.atomic():
        away = AdvisorAway.objects.create(
            lawyer=lawyer,
            starts_at=starts_at,
            ends_at=ends_at,
            reason=(reason or "").strip()[:100],
            created_by=by,
        )
        audit.record(
            actor=by,
            action="advisor.away",
            obj=away,
            new={"lawyer": lawyer.pk, "from": starts_at, "to": ends_at},
        )
    return away


def advisor_away_end(*, away: AdvisorAway, by) -> AdvisorAway:
    now = timezone.now()
    if away.ends_at <= now:
        raise DomainError(_("该外出登记已结束"), field="ends_at")
    with transaction.atomic():
        old = away.ends_at
        AdvisorAway.objects.filter(pk=away.pk).update(ends_at=max(now, away.starts_at + timedelta(minutes=1)))
        away.refresh_from_db()
        audit.record(actor=by, action="advisor.away_end", obj=away, old={"to": old}, new={"to": away.ends_at})
    return away


def group_channel_ensure(*, community, group_name: str = "", by) -> GroupChannel:
    """The community's group-robot channel, created with a fresh secret when missing."""
    channel = GroupChannel.objects.filter(community=community).first()
    if channel is not None:
        return channel
    with transaction.atomic():
        channel = GroupChannel.objects.create(community=community, group_name=group_name.strip()[:80])
        audit.record(actor=by, action="group_channel.create", obj=channel, new={"community": community.code})
    return channel


def group_channel_rotate_secret(*, channel: GroupChannel, by) -> GroupChannel:
    with transaction.atomic():
        channel.secret = new_group_secret()
        channel.save(update_fields=["secret"])
        audit.record(actor=by, action="group_channel.rotate_secret", obj=channel)
    return channel


GROUP_NAME_MAX = 80


def group_channel_issue_secret(*, community, group_name: str = "", by) -> tuple[GroupChannel, bool]:
    """Connect the community's group robot, or give it a new secret: ``(channel, created)``.

    The old secret stops working at once, so a leaked one is dead the moment it is replaced. A
    group name, when given, replaces the stored one; the audit trail never holds a secret."""
    name = (group_name or "").strip()
    if len(name) > GROUP_NAME_MAX:
        raise DomainError(_("群名称不能超过 %(n)d 个字") % {"n": GROUP_NAME_MAX}, field="group_name")
    with transaction.atomic():
        channel = GroupChannel.objects.select_for_update().filter(community=community).first()
        if channel is None:
            return group_channel_ensure(community=community, group_name=name, by=by), True
        old_name = channel.group_name
        if name and name != old_name:
            channel.group_name = name
            channel.save(update_fields=["group_name"])
            audit.record(
                actor=by,
                action="group_channel.rename",
                obj=channel,
                old={"name": old_name},
                new={"name": name},
            )
        group_channel_rotate_secret(channel=channel, by=by)
    return channel, False


def group_channel_set_active(*, channel: GroupChannel, active: bool, by) -> GroupChannel:
    """Stop (or resume) taking the group's messages; a stopped robot's calls are refused."""
    if channel.is_active == active:
        return channel
    with transaction.atomic():
        channel.is_active = active
        channel.save(update_fields=["is_active"])
        audit.record(actor=by, action="group_channel.resume" if active else "group_channel.stop", obj=channel)
    return channel


# --- a district's urgency rules and deadlines -----------------------------------------------------

KEYWORDS_MAX = 50
KEYWORD_LENGTH_MAX = 20
DEADLINE_MINUTES_MAX = 7 * 24 * 60


def _keywords(text: str, *, field: str = "keywords", required: bool = True) -> list[str]:
    what = _("关键词") if field == "keywords" else _("不算的说法")
    words = keywords_of(text)
    if not words and required:
        raise DomainError(_("请至少填写一个关键词"), field=field)
    if len(words) > KEYWORDS_MAX:
        raise DomainError(_("%(what)s最多 %(n)d 个") % {"what": what, "n": KEYWORDS_MAX}, field=field)
    if any(len(word) > KEYWORD_LENGTH_MAX for word in words):
        raise DomainError(
            _("每个%(what)s最多 %(n)d 个字") % {"what": what, "n": KEYWORD_LENGTH_MAX}, field=field
        )
    if any(len(word) < 2 for word in words):
        raise DomainError(_("%(what)s至少 2 个字，单字会误报") % {"what": what}, field=field)
    return words


def urgency_rule_create(
    *,
    district,
    label: str,
    keywords: str,
    effective_from,
    by,
    risk: str = UrgencyKind.OTHER,
    exclude: str = "",
) -> UrgencyRule:
    """A district's own keyword rule for a kind of danger (``risk``): a question mentioning any of
    the words, once the ``exclude`` phrases are taken out, is urgent from ``effective_from`` on.
    (Regular expressions stay with the system administrator.)"""
    label = (label or "").strip()
    if not label:
        raise DomainError(_("请填写名称"), field="label")
    if len(label) > 40:
        raise DomainError(_("名称最多 40 个字"), field="label")
    if risk not in UrgencyKind.values:
        raise DomainError(_("请选择列表中的紧急类型"), field="risk")
    words = _keywords(keywords)
    excluded = _keywords(exclude, field="exclude", required=False)
    if effective_from < timezone.localdate():
        raise DomainError(_("生效日期不能早于今天"), field="effective_from")
    with transaction.atomic():
        rule = UrgencyRule.objects.create(
            district=district,
            label=label,
            risk=risk,
            kind=MatchKind.KEYWORDS,
            pattern="、".join(words),
            exclude="、".join(excluded),
            effective_from=effective_from,
        )
        audit.record(
            actor=by,
            action="urgency_rule.create",
            obj=rule,
            new={
                "district": district.code,
                "label": label,
                "risk": risk,
                "keywords": words,
                "exclude": excluded,
                "from": effective_from,
            },
        )
    return rule


def urgency_rule_end(*, rule: UrgencyRule, by) -> UrgencyRule:
    """Stop a rule from today (it stays on record with its dates)."""
    today = timezone.localdate()
    if rule.effective_to is not None and rule.effective_to <= today:
        raise DomainError(_("该规则已停用"), field="effective_to")
    with transaction.atomic():
        old = rule.effective_to
        rule.effective_to = max(today, rule.effective_from)
        rule.save(update_fields=["effective_to"])
        audit.record(
            actor=by, action="urgency_rule.end", obj=rule, old={"to": old}, new={"to": rule.effective_to}
        )
    return rule


DEADLINE_KEYS = [(level, urgency) for level in Level.values for urgency in Urgency.values]


def deadline_policy_create(
    *, district, effective_from, table: dict[tuple[str, str], tuple[int, str]], note: str = "", by
) -> DeadlinePolicy:
    """A new version of a district's response deadlines, in force from ``effective_from``: minutes
    and the way they are counted (Schedule) for every level and urgency."""
    if effective_from < timezone.localdate():
        raise DomainError(_("生效日期不能早于今天"), field="effective_from")
    for level, urgency in DEADLINE_KEYS:
        if (level, urgency) not in table:
            raise DomainError(_("请填写每个层级和紧急程度的期限"), field=f"minutes_{level}_{urgency}")
        minutes, schedule = table[(level, urgency)]
        field = f"minutes_{level}_{urgency}"
        if not 1 <= int(minutes) <= DEADLINE_MINUTES_MAX:
            raise DomainError(_("期限应在 1 到 %(n)d 分钟之间") % {"n": DEADLINE_MINUTES_MAX}, field=field)
        if schedule not in Schedule.values:
            raise DomainError(_("计时方式不正确"), field=f"schedule_{level}_{urgency}")
    if DeadlinePolicy.objects.filter(district=district, effective_from=effective_from).exists():
        raise DomainError(_("该日期已有一个版本，请换一个生效日期"), field="effective_from")
    with transaction.atomic():
        policy = DeadlinePolicy.objects.create(
            district=district, effective_from=effective_from, note=(note or "").strip()[:200]
        )
        DeadlineRule.objects.bulk_create(
            DeadlineRule(policy=policy, level=level, urgency=urgency, minutes=int(minutes), schedule=schedule)
            for (level, urgency), (minutes, schedule) in table.items()
            if (level, urgency) in DEADLINE_KEYS
        )
        audit.record(
            actor=by,
            action="deadline_policy.create",
            obj=policy,
            new={
                "district": district.code,
                "from": effective_from,
                "table": {f"{level}/{urgency}": list(value) for (level, urgency), value in table.items()},
            },
        )
        forget_rules()  # the rules were written in bulk, without save signals
    return policy


def emergency_numbers_set(*, district, text: str, by) -> list:
    """Replace the district's emergency numbers (shown first on an urgent question's receipt) with
    the lines of ``text`` ("110 报警", one a line); an empty text restores the national defaults."""
    from guwen.consultations import emergency
    from guwen.consultations.models import EmergencyNumbers

    lines = emergency.parse_lines(text)
    with transaction.atomic():
        row = EmergencyNumbers.objects.select_for_update().filter(district=district).first()
        old = row.lines if row is not None else None
        if not lines:
            if row is not None:
                row.delete()
        elif row is None:
            EmergencyNumbers.objects.create(district=district, lines=emergency.to_json(lines))
        else:
            row.lines = emergency.to_json(lines)
            row.updated_at = timezone.now()
            row.save(update_fields=["lines", "updated_at"])
        audit.record(
            actor=by,
            action="emergency_numbers.set",
            obj=district,
            old={"lines": old},
            new={"lines": emergency.to_json(lines) or None},
        )
    return lines
