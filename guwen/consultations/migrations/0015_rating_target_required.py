from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0014_generic_ratings_data"),
    ]

    operations = [
        migrations.AlterField(
            model_name="rating",
            name="target_id",
            field=models.PositiveBigIntegerField(verbose_name="对象编号"),
        ),
    ]
