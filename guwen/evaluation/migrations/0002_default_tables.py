from django.db import migrations

from guwen.evaluation import rules


def seed(apps, schema_editor):
    """The city-wide defaults from 2026 on: a district versions its own in the admin."""
    apps.get_model("evaluation", "Questionnaire").objects.get_or_create(
        district=None,
        year=2026,
        version=1,
        defaults={"title": "社区法律顾问服务满意度问卷", "questions": rules.DEFAULT_QUESTIONS},
    )
    apps.get_model("evaluation", "EvaluationForm").objects.get_or_create(
        district=None, year=2026, version=1, defaults={"items": rules.DEFAULT_FORM_ITEMS}
    )
    apps.get_model("evaluation", "AppraisalScheme").objects.get_or_create(
        district=None, year=2026, version=1, defaults={"weights": rules.DEFAULT_WEIGHTS}
    )


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
