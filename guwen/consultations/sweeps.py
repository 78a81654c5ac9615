"""The worker's polls: newly accepted questions are routed; overdue consultations move one level up;
overdue district items alert the bureau once. Compare-and-set throughout, so any number of workers
may run them at the same time."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.consultations import notices
from guwen.consultations.models import Consultation, EventCode, Level
from guwen.consultations.services.common import add_event
from guwen.consultations.services.handling import consultation_escalate
from guwen.consultations.services.intake import (
    consultation_dispatch,
    consultations_undispatched,
    seen_signatures_purge,
)
from guwen.consultations.workflow import OPEN_STATUSES
from guwen.core import audit, sweeps
from guwen.core.errors import Conflict

logger = logging.getLogger("guwen.consultations")
BATCH = 200
# A question whose routing failed is tried again by this worker after a pause, not every second.
RETRY_AFTER = timedelta(minutes=1)
_failed: dict[int, datetime] = {}


@sweeps.register("consultations.dispatch_new", every_seconds=1)
def dispatch_new(*, now: datetime | None = None, batch: int = BATCH) -> int:
    """Route the questions intake has accepted since the last poll; returns how many this call
    routed. Intake commits the question and nothing else, so this poll is what routes it: the
    committed row is the queue entry, and two workers polling at once route each question once
    (``consultation_dispatch`` is compare-and-set)."""
    now = now or timezone.now()
    routed = 0
    for consultation in (
        consultations_undispatched(before=now).select_related("community").order_by("created_at")[:batch]
    ):
        retry_at = _failed.get(consultation.pk)
        if retry_at is not None and retry_at > now:
            continue
        try:
            if consultation_dispatch(consultation=consultation, at=now):
                routed += 1
            _failed.pop(consultation.pk, None)
        except Exception:  # one broken question never holds up the others
            logger.exception("routing consultation %s failed; retrying in a minute", consultation.pk)
            _failed[consultation.pk] = now + RETRY_AFTER
    return routed


@sweeps.register("consultations.escalate_overdue", every_seconds=60)
def escalate_overdue(*, now: datetime | None = None, batch: int = BATCH) -> int:
    """Escalate every open item whose deadline has passed; returns how many this call escalated."""
    now = now or timezone.now()
    overdue = Consultation.objects.filter(status__in=OPEN_STATUSES, due_at__lt=now)
    escalated = 0
    for consultation in (
        overdue.filter(level__in=[Level.COMMUNITY, Level.STREET])
        .select_related("community")
        .order_by("due_at")[:batch]
    ):
        try:
            consultation_escalate(
                consultation=consultation,
                by=None,
                reason=_("超过答复期限未答复，自动升级"),
                automatic=True,
                now=now,
                only_if_overdue=True,
            )
        except Conflict:
            continue  # another worker, or a reply, got there first
        escalated += 1
    for consultation in overdue.filter(level=Level.DISTRICT, overdue_notified_at__isnull=True)[:batch]:
        _flag_overdue(consultation, now)
    seen_signatures_purge(now=now)
    if escalated:
        logger.info("escalated %d overdue consultations", escalated)
    return escalated


def _flag_overdue(consultation: Consultation, now: datetime) -> None:
    with transaction.atomic():
        flagged = Consultation.objects.filter(pk=consultation.pk, overdue_notified_at__isnull=True).update(
            overdue_notified_at=now
        )
        if flagged != 1:
            return
        add_event(consultation, EventCode.OVERDUE, at=now, automatic=True)
        audit.record(
            actor=None, action="consultation.overdue", obj=consultation, context={"level": Level.DISTRICT}
        )
        pk = consultation.pk
        notices.after_commit(notices.send_overdue, pk)
