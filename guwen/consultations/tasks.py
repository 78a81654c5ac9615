"""Background work of consultations: thin wrappers that call services."""

from __future__ import annotations

from django_tasks import task


@task()
def dispatch_consultation(consultation_id: int) -> None:
    """Route a question accepted by intake and send its notices (``consultation_dispatch``)."""
    from guwen.consultations.models import Consultation
    from guwen.consultations.services.intake import consultation_dispatch

    consultation = Consultation.objects.select_related("community").filter(pk=consultation_id).first()
    if consultation is not None and consultation.owner_id is None:
        consultation_dispatch(consultation=consultation)


def enqueue_dispatch(consultation_id: int) -> bool:
    """Queue the routing of a new question; True when the backend has already run it (tests)."""
    return dispatch_consultation.enqueue(consultation_id).is_finished


@task()
def triage_consultation(consultation_id: int) -> None:
    from guwen.consultations.services.triage import consultation_triage

    consultation_triage(consultation_id=consultation_id)


def enqueue_triage(consultation_id: int) -> None:
    triage_consultation.enqueue(consultation_id)
