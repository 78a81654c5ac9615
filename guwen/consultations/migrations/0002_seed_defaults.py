"""Seed the default deadline policy and urgency rules (apply to every district without its own).
Values are written out here, not imported, so this migration keeps meaning what it meant."""

from datetime import date

from django.db import migrations

LEVELS = ["community", "street", "district"]

URGENCY_RULES = [
    ("暴力", "keywords", "家暴、家庭暴力、殴打、动手打、被打、打伤、砍人、持刀、拿刀、威胁要杀、要杀了"),
    ("自伤自杀", "keywords", "自杀、轻生、跳楼、不想活、寻死、割腕、喝农药、想死、活不下去"),
    ("群体性事件", "keywords", "集体上访、群体上访、群体性、围堵、堵路、堵门、拉横幅、聚集起来、闹事、游行"),
    (
        "多人欠薪",
        "regex",
        r"(?=.*(拖欠|欠|没发|不发|未发|克扣|结不到).{0,12}(工资|工钱|薪水|薪资|血汗钱))"
        r"(?=.*(\d{2,}|[十百千几两]+|好多|很多|多名|全体|集体|一群|大批|所有|全部).{0,4}"
        r"(工人|员工|工友|农民工|师傅|同事|人))",
    ),
]


def seed(apps, schema_editor):
    DeadlinePolicy = apps.get_model("consultations", "DeadlinePolicy")
    DeadlineRule = apps.get_model("consultations", "DeadlineRule")
    UrgencyRule = apps.get_model("consultations", "UrgencyRule")
    if not DeadlinePolicy.objects.filter(district__isnull=True).exists():
        policy = DeadlinePolicy.objects.create(
            effective_from=date(2020, 1, 1),
            note="默认：首次答复 2 个工作小时（线上服务时间每天 08:30–21:00）；紧急 30 分钟（全天候）",
        )
        for level in LEVELS:
            DeadlineRule.objects.create(policy=policy, level=level, urgency="normal", minutes=120, schedule="online")
            DeadlineRule.objects.create(policy=policy, level=level, urgency="urgent", minutes=30, schedule="always")
    if not UrgencyRule.objects.exists():
        for label, kind, pattern in URGENCY_RULES:
            UrgencyRule.objects.create(label=label, kind=kind, pattern=pattern, effective_from=date(2020, 1, 1))


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
