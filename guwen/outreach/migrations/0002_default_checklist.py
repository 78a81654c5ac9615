"""Loads the default twelve-area checklist (guwen/outreach/checklist.py) as the district-less set."""

from django.db import migrations


def load(apps, schema_editor):
    # The list lives in app code so the demo and tests can name its areas; a district's own edits
    # are rows in the admin, which this migration never touches (get_or_create by code).
    from guwen.outreach.checklist import DEFAULT_CHECKLIST

    Area = apps.get_model("outreach", "ChecklistArea")
    Item = apps.get_model("outreach", "ChecklistItem")
    for order, (code, name, items) in enumerate(DEFAULT_CHECKLIST, start=1):
        area, created = Area.objects.get_or_create(
            district=None, code=code, defaults={"name": name, "order": order * 10}
        )
        if not created:
            continue
        Item.objects.bulk_create(
            [Item(area=area, text=text, order=index * 10) for index, text in enumerate(items, start=1)]
        )


def unload(apps, schema_editor):
    apps.get_model("outreach", "ChecklistArea").objects.filter(district=None).delete()


class Migration(migrations.Migration):
    dependencies = [("outreach", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
