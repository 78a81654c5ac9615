"""Background work of consultations: thin wrappers that call services."""

from __future__ import annotations

from django_tasks import task


@task()
def triage_consultation(consultation_id: int) -> None:
    from guwen.consultations.services.triage import consultation_triage

    consultation_triage(consultation_id=consultation_id)


def enqueue_triage(consultation_id: int) -> None:
    triage_consultation.enqueue(consultation_id)
