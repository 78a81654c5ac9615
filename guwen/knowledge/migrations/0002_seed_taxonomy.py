from datetime import date

from django.db import migrations

TAXONOMY_V1 = [
    "劳动争议", "社保工伤", "婚姻家庭", "邻里纠纷", "交通事故", "债权债务", "合同纠纷", "消费维权", "房产纠纷",
    "物业纠纷", "土地征收拆迁", "建设工程", "侵权损害", "医疗纠纷", "刑事治安", "公司商事", "行政事务", "其他",
]


def seed(apps, schema_editor):
    CategoryVersion = apps.get_model("knowledge", "CategoryVersion")
    Category = apps.get_model("knowledge", "Category")
    version, created = CategoryVersion.objects.get_or_create(
        number=1, defaults={"effective_from": date(2020, 1, 1), "note": "统一分类（18 类）"}
    )
    if created:
        Category.objects.bulk_create(
            Category(version=version, name=name, sort=i) for i, name in enumerate(TAXONOMY_V1, start=1)
        )


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
