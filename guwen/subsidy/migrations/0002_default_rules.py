from django.db import migrations


def forwards(apps, schema_editor):
    from guwen.subsidy.defaults import seed

    seed(apps.get_model("subsidy", "RuleSet"), apps.get_model("subsidy", "RuleAmount"))


class Migration(migrations.Migration):
    dependencies = [("subsidy", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
