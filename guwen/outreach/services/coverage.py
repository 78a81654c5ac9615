"""Quarterly coverage reminders: 30 and 7 days before a quarter ends (the district's rule may say
other numbers), the advisors and the community staff of each community still behind are told."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.accounts.models import Membership, Role, User
from guwen.core import audit
from guwen.notifications.services import notify
from guwen.outreach.models import CoverageReminder
from guwen.outreach.selectors import coverage, coverage_rule_for, quarter_of
from guwen.regions.models import Level, Region
from guwen.regions.selectors import current_assignments, in_force_on


def recipients_for(community: Region, on: date) -> list[User]:
    """The advisors serving the community and its staff, with active accounts."""
    lawyer_users = current_assignments(on).filter(community=community, lawyer__user__isnull=False)
    staff = Membership.objects.filter(in_force_on(on), role=Role.COMMUNITY_STAFF, region=community)
    ids = set(lawyer_users.values_list("lawyer__user_id", flat=True)) | set(
        staff.values_list("user_id", flat=True)
    )
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def coverage_remind(*, today: date | None = None) -> int:
    """Send the reminders due today; returns how many communities were reminded. A reminder is a
    row unique per community, quarter and threshold, so a second run (or a second worker) sends
    nothing. Only the nearest threshold passed is sent: a community first found behind 5 days
    before the end hears once, not twice."""
    day = today or timezone.localdate()
    quarter = quarter_of(day)
    days_left = (quarter.last_day - day).days
    communities = Region.objects.filter(level=Level.COMMUNITY, is_active=True)
    sent = 0
    for row in coverage(communities, quarter):
        if not row.behind:
            continue
        rule = coverage_rule_for(row.community, quarter.last_day)
        passed = [t for t in (rule.first_reminder_days, rule.second_reminder_days) if t and days_left <= t]
        if not passed:
            continue
        threshold = min(passed)
        sent += _remind(
            row=row, quarter_key=quarter.key, quarter_label=quarter.label, threshold=threshold, day=day
        )
    return sent


def _remind(*, row, quarter_key: str, quarter_label: str, threshold: int, day: date) -> int:
    community = row.community
    try:
        with transaction.atomic():
            reminder = CoverageReminder.objects.create(
                community=community,
                quarter=quarter_key,
                days_before=threshold,
                held=row.held,
                required=row.required,
            )
            audit.record(
                actor=None,
                action="outreach.coverage_reminder",
                obj=reminder,
                context={"community": community.code, "quarter": quarter_key, "days_before": threshold},
            )
            recipients = recipients_for(community, day)
            title = _("%(community)s本季度法治讲座尚未达标") % {"community": community.name}
            body = _(
                "%(quarter)s还剩约 %(days)d 天，已开展法治讲座 %(held)d 场，"
                "应开展 %(required)d 场，请尽快安排。"
            ) % {
                "quarter": quarter_label,
                "days": threshold,
                "held": row.held,
                "required": row.required,
            }
            transaction.on_commit(
                lambda: notify(
                    recipients=recipients,
                    event="outreach.coverage_behind",
                    title=title,
                    body=body,
                    url=f"/outreach/coverage/?quarter={quarter_key}",
                    context={"community": community.code, "quarter": quarter_key},
                    region=community,
                ),
                robust=True,
            )
    except IntegrityError:
        return 0  # already reminded for this quarter and threshold
    return 1
