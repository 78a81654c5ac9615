"""Background sending: one task per delivery attempt, queued after commit (thin: calls services)."""

from __future__ import annotations

from django_tasks import task

from guwen.notifications import services


@task()
def send_delivery(delivery_id: int) -> str:
    return services.delivery_attempt(delivery_id=delivery_id)
