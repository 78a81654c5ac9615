"""Loads the default twelve-area checklist (guwen/outreach/checklist.py) as the district-less set."""

from django.db import migrations


def load(apps, schema_editor):
    # The list lives in app code so the demo and tests can name its areas; a district's own edits
    # are rows in the admin, which this migration never touches (get_or_create by code).
    from guwen.outreach.checklist import seed

    seed(lambda name: apps.get_model("outreach", name))


def unload(apps, schema_editor):
    apps.get_model("outreach", "ChecklistArea").objects.filter(district=None).delete()


class Migration(migrations.Migration):
    dependencies = [("outreach", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
