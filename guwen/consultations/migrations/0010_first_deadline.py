"""The first deadline a question was given, kept apart from ``due_at`` (which escalation and
follow-ups move), so that overdue counts stay honest. Existing rows take it from the events that
froze it: the deadline in force when the question was accepted (受理) or, when triage found it
urgent, the urgent one; a question not yet routed takes its current deadline."""

from django.db import migrations, models
from django.db.models import Min, OuterRef, Subquery
from django.db.models.functions import Coalesce

INTAKE_EVENTS = ["created", "urgent_alert"]


def fill(apps, schema_editor):
    Consultation = apps.get_model("consultations", "Consultation")
    Event = apps.get_model("consultations", "Event")
    first = (
        Event.objects.filter(consultation=OuterRef("pk"), code__in=INTAKE_EVENTS, due_at__isnull=False)
        .values("consultation")
        .annotate(first=Min("due_at"))
        .values("first")
    )
    Consultation.objects.filter(first_due_at__isnull=True).update(
        first_due_at=Coalesce(Subquery(first[:1]), "due_at")
    )


class Migration(migrations.Migration):
    dependencies = [("consultations", "0009_encrypt_group_secret")]

    operations = [
        migrations.AddField(
            model_name="consultation",
            name="first_due_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="首次答复期限"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
