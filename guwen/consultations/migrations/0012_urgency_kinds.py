"""Urgency kinds: every rule says what danger it finds (``risk``), may list the harmless phrases
it must not fire on (``exclude``), and the table gets rules for each kind, matched over segmented
text (a one-character word matches only as a word of its own; ``A…B`` is A then B in the same
sentence). Existing rows keep their words and get the kind their name says. New rows are city-wide,
from 2020-01-01, and like any other the administrator may edit or end them; a rule already present
with the same name and words is not added twice. Values are written out here, not read from the code, so this
migration keeps meaning what it meant.

Numbered 0012: 0010 and 0011 belong to work merged alongside this one."""

from datetime import date

from django.db import migrations, models

KINDS_OF_LABELS = {
    "暴力": "violence",
    "人身暴力": "violence",
    "自伤自杀": "self_harm",
    "群体性事件": "collective",
    "多人欠薪": "mass_arrears",
    "正在发生": "eviction",
}

# (label, risk, match kind, pattern, exclude)
RULES = [
    (
        "人身危险",
        "violence",
        "keywords",
        "砍死、砍人、砍伤、砍刀、菜刀、拿刀、持刀、动刀、捅…刀、刀…砍、刀…杀、刀…抵、杀了、杀人、要杀、弄死、打死、"
        "打断…腿、要我的命、找…拼命、去…拼命、打伤、被打、打了我、打我、打人、把我…打、打…血、打…伤、打…骨折、打…医院、"
        "围着打、殴打、围殴、掐…脖子、泼硫酸、泼汽油、硫酸、烧了我、放火、纵火、绑架、绑走、抢劫、开车撞我、故意撞、"
        "缝了…针、在流血、堵在楼下、堵在…门口、守在…门口、跟踪、收拾我、找我算账、上门…算账、推下楼、"
        "砸伤、砸…头、拿…棍子、拿…砖头、锄头…砸、砖头…砸、持械、拿枪、持枪",
        "打我电话、打我手机、打了我电话、打折、打官司、打工、打卡、打听、打麻将、打疫苗、打针、打印、"
        "打扫、打算、打车、打包、打游戏、打赌、打球、打羽毛球、打架子鼓、车…堵、堵车",
    ),
    (
        "家庭暴力",
        "domestic",
        "keywords",
        "家暴、家庭暴力、老公…打、丈夫…打、老婆…打、媳妇…打、男朋友…打、男友…打、前夫…打、姐夫…打、"
        "儿子打我、打…老婆、打…我妈、打我妈、扇…耳光、皮带抽、踢我、锁在…家、锁在…房间、锁在…屋、关在家、"
        "不让我出门、不让…出门、不准…出门、手机…拿走、拿走…手机、没收…手机、扣着…身份证、扣着…工资卡、"
        "不让…联系、钱都在他、钱都被他、人身安全保护令、保护令、同归于尽、查我手机、离婚就…杀、离婚就…死",
        "打电话、打麻将、打游戏、打官司、打工、打卡、打折、打听、反家暴",
    ),
    (
        "自伤风险",
        "self_harm",
        "keywords",
        "自杀、轻生、寻死、想死、去死、不想活、不想或了、活不下去、活不成、活着没意思、活着没盼头、活着…没意思、"
        "活下去…没…意义、撑不下去、熬不下去、过不下去、结束这一切、结束生命、一了百了、一死了之、了断、跳下去、"
        "跳楼、跳河、跳桥、跳江、跳海、割腕、喝农药、农药…喝、准备…农药、安眠药、吃了很多药、烧炭、上吊、遗书、"
        "死给…看、死在、不在了、离开这个世界、不想再醒、死了比活着、活够了、不如死了、死了算了、没脸见、"
        "拖累、走投无路、对不起…孩子、在河边、在江边、留了…纸条、别找我、别找他、先走一步",
        "跳槽、跳舞、跳绳、跳水、跳出",
    ),
    (
        "儿童老人处境危险",
        "vulnerable",
        "keywords",
        "猥亵、性侵、强奸、拐走、拐卖、被拐、锁在家、锁在屋、扔在家、没人管…孩子、孩子…打、打…孩子、小孩…打、"
        "虐待、烟头烫、针扎、不给…吃饭、不给…饭吃、没给饭、流浪、桥洞、绑在床上、老人…打、打…老人、被…推倒、"
        "勒索、老不死、不给…看病、不给…吃药、被…赶出家门",
        "打疫苗、打针、打游戏、打架、打球、打篮球、打羽毛球、打扮、打扰、打车、打印、流浪狗、流浪猫",
    ),
    (
        "群体性事件",
        "collective",
        "keywords",
        "上访、集体上访、堵路、堵门、堵高速、堵国道、堵…门、堵了…门、堵在…门口、堵…大门、静坐、围堵、冲进、"
        "坐在…不走、不给…不走、就不走、拉横幅、横幅、聚集、闹事、闹大、一起去…讨、一起去…政府、一起去…上访、"
        "一起去…堵、约…一起去、集体去、全村…去、对峙、爬…塔吊、塔吊上、围住、组织人",
        "堵车、车…堵、堵得很、下水道堵、厕所堵、堵了楼下、被堵、堵住",
    ),
    (
        "多人欠薪",
        "mass_arrears",
        "regex",
        r"(?=.*(拖欠|欠|没发|不发|未发|克扣|结不到|没拿到|没结|没着落|拖着|一分钱?(?:都|也)?没))"
        r"(?=.*(工资|工钱|薪水|薪资|血汗钱|工程款|计件))"
        r"(?=.*((\d{2,}|[十百千几两]+|好多|很多|多名|全体|集体|一群|大批|所有|全部|整个|全厂|整栋|全村).{0,6}"
        r"(工人|员工|工友|农民工|师傅|同事|人|号人|兄弟|女工|快递员|服务员|老师|保安|保洁)))",
        "",
    ),
    (
        "工伤被隐瞒",
        "hidden_injury",
        "keywords",
        "不让…报工伤、不许…工伤、不给…工伤、报工伤…开除、报工伤…扣、不承认…工伤、不承认…受的伤、不算工伤、"
        "不让说…工伤、老板…私了、私了…伤、私下赔、伤…不让…医院、不让…去医院、小诊所、乡下诊所、送回老家、统一口径、删了监控、监控删、"
        "不让打120、压下去、放弃工伤、别声张、不许说出去、谁都不许说、签…自己不小心、操作不当…不赔、不是他的人、"
        "伤…不给…医药费",
        "",
    ),
    (
        "强拆强迁",
        "eviction",
        "keywords",
        "强拆、强制拆除、强行拆、正在拆、拆…房子、房子…推了、推了…房子、挖掘机…门口、挖机、推土机、断水断电、"
        "断电断水、断了…水电、停了…水电、水电…停、赶出来、赶出去、赶出家门、扔到街上、东西全扔、东西…扔出、换了锁、换锁、"
        "睡大街、无家可归、没地方住、撬了…门、强占、围墙推倒、逼…搬走、逼…签字、清退、硬把",
        "拆迁补偿、补偿款、安置房、推倒重建",
    ),
    (
        "催债威胁",
        "debt_threat",
        "keywords",
        "催收…孩子、催收…学校、催收…家人、催收…老人、催收…上门、催收…闹、催收…威胁、遗照、裸照、高利贷、套路贷、"
        "赌债、讨债的、要债的、讨账的、放贷的、卸…腿、剁…手、砍…手、赎人、关在…房子、不得安宁、身败名裂、"
        "利滚利、卖到…外地、泼…油漆、红油漆、欠债还钱、见到就打",
        "",
    ),
]


def seed(apps, schema_editor):
    UrgencyRule = apps.get_model("consultations", "UrgencyRule")
    for rule in UrgencyRule.objects.all():
        risk = KINDS_OF_LABELS.get(rule.label)
        if risk:
            rule.risk = risk
            rule.save(update_fields=["risk"])
    known = set(UrgencyRule.objects.filter(district__isnull=True).values_list("label", "pattern"))
    for label, risk, kind, pattern, exclude in RULES:
        if (label, pattern) not in known:
            UrgencyRule.objects.create(
                label=label,
                risk=risk,
                kind=kind,
                pattern=pattern,
                exclude=exclude,
                effective_from=date(2020, 1, 1),
            )


class Migration(migrations.Migration):
    dependencies = [("consultations", "0011_emergency_numbers")]

    operations = [
        migrations.AddField(
            model_name="urgencyrule",
            name="exclude",
            field=models.TextField(
                blank=True,
                default="",
                help_text="先从问题中去掉这些说法再匹配，如“打我电话”“打折”",
                verbose_name="不算的说法",
            ),
        ),
        migrations.AddField(
            model_name="urgencyrule",
            name="risk",
            field=models.CharField(
                choices=[
                    ("violence", "人身危险"),
                    ("domestic", "家庭暴力"),
                    ("self_harm", "自伤风险"),
                    ("vulnerable", "儿童老人处境危险"),
                    ("collective", "群体性事件"),
                    ("mass_arrears", "多人欠薪"),
                    ("hidden_injury", "工伤被隐瞒"),
                    ("eviction", "强拆强迁"),
                    ("debt_threat", "催债威胁"),
                    ("other", "其他紧急情况"),
                ],
                default="other",
                max_length=20,
                verbose_name="紧急类型",
            ),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
