"""On PostgreSQL the database itself refuses two live shifts of one advisor at overlapping times
(an exclusion constraint over time ranges); SQLite has no equivalent, and there the service's check
under a row lock is the guard. Also seeds the global default duty settings (16 h a month on site,
15 minutes late threshold, 2 hours check-in tolerance), which a district overrides with its own rows."""

import datetime

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE duty_dutyshift ADD CONSTRAINT duty_shift_no_overlap_per_lawyer
EXCLUDE USING gist (
    lawyer_id WITH =,
    tstzrange(starts_at, ends_at, '[)') WITH &&
) WHERE (status <> 'cancelled');
"""
DROP = "ALTER TABLE duty_dutyshift DROP CONSTRAINT IF EXISTS duty_shift_no_overlap_per_lawyer;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


def seed_defaults(apps, schema_editor):
    DutySettings = apps.get_model("duty", "DutySettings")
    if not DutySettings.objects.filter(district__isnull=True).exists():
        DutySettings.objects.create(district=None, effective_from=datetime.date(2000, 1, 1))


class Migration(migrations.Migration):
    dependencies = [("duty", "0001_initial")]
    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RunPython(seed_defaults, migrations.RunPython.noop),
    ]
