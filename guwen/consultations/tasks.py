"""Background work of consultations: thin wrappers that call services."""

from __future__ import annotations

from django_tasks import task


def runs_inline() -> bool:
    """Whether the task backend runs each task as it is enqueued: there is no worker to poll for new
    questions (tests, a server started without one), so intake routes them itself."""
    from django_tasks import task_backends
    from django_tasks.backends.immediate import ImmediateBackend

    return isinstance(task_backends["default"], ImmediateBackend)


@task()
def triage_consultation(consultation_id: int) -> None:
    from guwen.consultations.services.triage import consultation_triage

    consultation_triage(consultation_id=consultation_id)


def enqueue_triage(consultation_id: int) -> None:
    triage_consultation.enqueue(consultation_id)
