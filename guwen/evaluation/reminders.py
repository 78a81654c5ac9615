"""Reminders for missing quarterly community evaluations: in the last days of the quarter
(``due``) and, if still missing, in the first days of the next one (``late``); and the office's
notice of a complaint that passed its deadline unresolved."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.accounts.models import Membership, Role, User
from guwen.core import audit
from guwen.evaluation import selectors
from guwen.evaluation.models import ComplaintOverdueNotice, EvaluationReminder
from guwen.notifications.services import notify
from guwen.outreach.selectors import Quarter, quarter_of
from guwen.regions.selectors import in_force_on


def _window() -> int:
    """Days before a quarter's end (and after it) in which a missing evaluation is reminded."""
    return int(getattr(settings, "GUWEN_EVALUATION_REMIND_DAYS", 14))


def evaluation_remind(*, today: date | None = None) -> int:
    """Send the reminders due today; returns how many were sent."""
    day = today or timezone.localdate()
    current = quarter_of(day)
    due: list[tuple[Quarter, str]] = []
    if (current.last_day - day).days < _window():
        due.append((current, "due"))
    previous = current.previous()
    if (day - previous.last_day).days <= _window():
        due.append((previous, "late"))
    sent = 0
    for quarter, stage in due:
        for community, lawyer in selectors.missing_evaluations(quarter):
            sent += _remind(community=community, lawyer=lawyer, quarter=quarter, stage=stage, day=day)
    return sent


def _remind(*, community, lawyer, quarter: Quarter, stage: str, day: date) -> int:
    staff = Membership.objects.filter(in_force_on(day), role=Role.COMMUNITY_STAFF, region=community)
    recipients = list(User.objects.filter(pk__in=staff.values("user_id"), is_active=True).order_by("pk"))
    try:
        with transaction.atomic():
            reminder = EvaluationReminder.objects.create(
                community=community, lawyer=lawyer, quarter=quarter.key, stage=stage
            )
            audit.record(
                actor=None,
                action="evaluation.reminder",
                obj=reminder,
                context={"community": community.code, "quarter": quarter.key, "stage": stage},
            )
            if recipients:
                title = _("请填写%(q)s社区法律顾问评价") % {"q": quarter.label}
                body = _("%(community)s尚未对法律顾问%(lawyer)s进行%(q)s评价，请尽快填写。") % {
                    "community": community.name,
                    "lawyer": lawyer.name,
                    "q": quarter.label,
                }
                transaction.on_commit(
                    lambda: notify(
                        recipients=recipients,
                        event="evaluation.community_evaluation_missing",
                        title=title,
                        body=body,
                        url="/evaluation/evaluations/new/",
                        context={"community": community.code, "quarter": quarter.key},
                        region=community,
                    )
                )
    except IntegrityError:
        return 0
    return 1


def complaints_overdue_notify(*, today: date | None = None) -> int:
    """Tell the street's judicial office, once per complaint, that a complaint opened by a low
    rating passed its deadline unresolved; returns how many complaints were reported."""
    day = today or timezone.localdate()
    sent = 0
    for complaint in selectors.overdue_complaints(day):
        sent += _complaint_overdue(complaint=complaint, day=day)
    return sent


def _complaint_overdue(*, complaint, day: date) -> int:
    recipients = selectors.office_users_for(complaint.community)
    try:
        with transaction.atomic():
            ComplaintOverdueNotice.objects.create(complaint=complaint)
            audit.record(
                actor=None,
                action="complaint.overdue_notice",
                obj=complaint,
                context={"due_on": complaint.due_on, "recipients": len(recipients)},
            )
    except IntegrityError:  # another worker told the office first
        return 0
    if recipients:
        place = complaint.community.name if complaint.community else ""
        title = _("差评投诉已逾期未处理")
        body = _("%(place)s的一件差评投诉（%(score)d 星）处理期限为 %(due)s，至今未处理，请尽快处理。") % {
            "place": place,
            "score": complaint.rating.score,
            "due": f"{complaint.due_on:%Y-%m-%d}",
        }
        url = reverse("evaluation:complaint", args=[complaint.pk])
        transaction.on_commit(
            lambda: notify(
                recipients=recipients,
                event="evaluation.complaint_overdue",
                title=title,
                body=body,
                url=url,
                context={"complaint": complaint.pk, "due_on": complaint.due_on.isoformat()},
                region=complaint.community,
            )
        )
    return 1
