"""On PostgreSQL the database itself refuses two primary advisors for one community on the same
date (an exclusion constraint over date ranges). SQLite has no equivalent; there the service's
check under a row lock is the guard."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE regions_assignment ADD CONSTRAINT regions_assignment_no_overlapping_primary
EXCLUDE USING gist (
    community_id WITH =,
    daterange(starts_on, ends_on, '[]') WITH &&
) WHERE (role = 'primary');
"""
DROP = "ALTER TABLE regions_assignment DROP CONSTRAINT IF EXISTS regions_assignment_no_overlapping_primary;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
