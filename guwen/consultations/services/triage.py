"""Automatic triage of a new consultation by the knowledge module's model, after intake commits.

Intake stays fast and never depends on the model: the district's rules decide urgency at once,
and this service, run by the worker, adds the suggested category (top three with confidences) and
raises the urgency when the urgency classifier sees a danger the rules missed (the reason then
names the kind, "自伤风险（模型）"). The rules are not applied again here (no city-wide rows: the
district's table was applied at intake), so a rule that was ended stays ended. Applied once per
consultation (compare-and-set on ``triage_model``), so a retried task changes nothing.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.consultations import notices, rules
from guwen.consultations.models import Consultation, EventCode, Urgency
from guwen.consultations.services.common import add_event
from guwen.consultations.workflow import is_open
from guwen.core import audit
from guwen.knowledge.services import triage, triage_correction_record


def consultation_triage(*, consultation_id: int) -> Consultation | None:
    consultation = (
        Consultation.objects.select_related("community", "community__parent")
        .filter(pk=consultation_id)
        .first()
    )
    if consultation is None or consultation.triage_model:
        return consultation
    result = triage(consultation.text, urgency_patterns=[])
    changes = {
        # The first choice only when the model is sure enough; otherwise 待确认 with the top three.
        "category_suggested": result.suggestion,
        "category_top3": list(result.category_top3),
        "category_confidence": round(float(result.confidences[0]), 4) if result.confidences else None,
        "triage_model": result.model_version or "rules",
    }
    model_reason = result.urgency_model_reason
    raise_urgency = (
        bool(model_reason) and consultation.urgency != Urgency.URGENT and is_open(consultation.status)
    )
    if raise_urgency:
        spec = rules.deadline_spec(
            community=consultation.community,
            level=consultation.level,
            urgency=Urgency.URGENT,
            on=timezone.localdate(consultation.created_at),
        )
        urgent_due = rules.due_from(start=consultation.created_at, spec=spec)
        changes["urgency"] = Urgency.URGENT
        changes["urgency_reason"] = (_("%(kind)s（模型）") % {"kind": model_reason})[:60]
        if consultation.due_at is None or urgent_due < consultation.due_at:
            changes["due_at"] = urgent_due
        # Urgent from the moment it was asked: the first deadline is the urgent one too.
        if consultation.first_due_at is None or urgent_due < consultation.first_due_at:
            changes["first_due_at"] = urgent_due
    with transaction.atomic():
        if Consultation.objects.filter(pk=consultation.pk, triage_model="").update(**changes) != 1:
            return consultation  # another worker applied it first
        for key, value in changes.items():
            setattr(consultation, key, value)
        if raise_urgency:
            add_event(
                consultation, EventCode.URGENT_ALERT, reason=consultation.urgency_reason, automatic=True
            )
            notices.after_commit(notices.send_urgent, consultation.pk)
        audit.record(
            actor=None,
            action="consultation.triage",
            obj=consultation,
            new={
                "category_suggested": result.suggestion,
                "top3": list(result.category_top3),
                "urgency": consultation.urgency,
                "model": changes["triage_model"],
            },
        )
    return consultation


def record_category_correction(*, consultation: Consultation, category: str, by) -> None:
    """The advisor's confirmed category differs from the model's: keep it for retraining."""
    if consultation.category_suggested and category != consultation.category_suggested:
        triage_correction_record(
            text_ref=f"consultation:{consultation.pk}",
            text=consultation.text,
            predicted=consultation.category_suggested,
            corrected=category,
            by=by,
            model_version=consultation.triage_model,
        )
