"""The urgency keywords the triage model shipped with become city-wide rows of the urgency table.

Until now triage raised a consultation's urgency from its own keyword list after intake, whatever the
table said, so a rule the administrator or a district had ended could still fire. The table is now
the only keyword source: its words that the table did not have yet are added here as city-wide rows
(one per reason), which the administrator may edit or end like any other. Words already in a live
city-wide keyword rule are not added twice; rows already there are left as they are. Values are
written out here, not read from the data file, so this migration keeps meaning what it meant."""

import re
from datetime import date

from django.db import migrations

TRIAGE_KEYWORDS = [
    (
        "人身暴力",
        "打人 殴打 被打 打伤 砍伤 砍人 持刀 拿刀 动刀 杀人 杀了 要杀 弄死 打死 家暴 家庭暴力 强奸 性侵 "
        "猥亵 绑架 非法拘禁 关起来 威胁 恐吓 报复 泼硫酸 纵火 放火",
    ),
    (
        "自伤自杀",
        "自杀 轻生 不想活 活不下去 寻死 跳楼 跳河 割腕 喝农药 服毒 结束生命 一死了之 同归于尽",
    ),
    ("群体性事件", "集体上访 群体 聚集 堵路 围堵 拉横幅 静坐 闹事 罢工 集体讨薪 一起去闹 上街 维稳"),
    ("正在发生", "强拆 正在拆 断水断电 锁门 赶出来 无家可归"),
]
KEYWORD_SPLIT = re.compile(r"[、,，|｜;；\n]+")


def _words(pattern):
    return {re.sub(r"\s+", "", word) for word in KEYWORD_SPLIT.split(pattern or "") if word.strip()}


def seed(apps, schema_editor):
    UrgencyRule = apps.get_model("consultations", "UrgencyRule")
    known = set()
    for pattern in UrgencyRule.objects.filter(
        district__isnull=True, kind="keywords", effective_to__isnull=True
    ).values_list("pattern", flat=True):
        known |= _words(pattern)
    for label, words in TRIAGE_KEYWORDS:
        missing = [word for word in words.split() if word not in known]
        if missing:
            UrgencyRule.objects.create(
                label=label, kind="keywords", pattern="、".join(missing), effective_from=date(2020, 1, 1)
            )
            known.update(missing)


class Migration(migrations.Migration):
    dependencies = [("consultations", "0007_plain_intake")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
