"""The reference data the mediation module starts with, seeded by migration 0001 (a district
edits the rows afterwards). Kept as plain data so the migration and the tests read the same lists."""

# The Ministry's statistics categories (司法部人民调解统计报表, the commonly used list).
MINISTRY_CATEGORIES = [
    ("family", "婚姻家庭"),
    ("neighbour", "邻里"),
    ("housing", "房屋宅基地"),
    ("contract", "合同"),
    ("business", "生产经营"),
    ("damage", "损害赔偿"),
    ("land", "山林土地"),
    ("demolition", "征地拆迁"),
    ("environment", "环境污染"),
    ("labour", "劳动争议"),
    ("medical", "医疗"),
    ("traffic", "道路交通事故"),
    ("property", "物业"),
    ("consumer", "消费"),
    ("other", "其他"),
]

# The local taxonomy: (code, name, ministry category, is a wage dispute).
DISPUTE_TYPES = [
    ("family", "婚姻家庭继承", "family", False),
    ("neighbour", "邻里纠纷", "neighbour", False),
    ("housing", "房屋宅基地", "housing", False),
    ("tenancy", "房屋租赁", "contract", False),
    ("contract", "合同纠纷", "contract", False),
    ("business", "生产经营", "business", False),
    ("damage", "损害赔偿", "damage", False),
    ("land", "山林土地承包", "land", False),
    ("demolition", "征地拆迁", "demolition", False),
    ("environment", "环境污染", "environment", False),
    ("labour", "劳动争议", "labour", False),
    ("wage", "拖欠工资", "labour", True),
    ("medical", "医患纠纷", "medical", False),
    ("traffic", "交通事故", "traffic", False),
    ("property", "物业纠纷", "property", False),
    ("consumer", "消费纠纷", "consumer", False),
    ("other", "其他", "other", False),
]

# The 13 卷宗 items (司法部 2010 文书格式): (number, name, required).
FILE_ITEMS = [
    (1, "人民调解申请书或人民调解受理登记表", True),
    (2, "人民调解当事人权利义务告知书", True),
    (3, "当事人身份证明", True),
    (4, "授权委托书", False),
    (5, "人民调解调查记录", False),
    (6, "人民调解证据材料", False),
    (7, "人民调解记录", True),
    (8, "人民调解协议书", True),
    (9, "收条、汇款单等履行凭证", False),
    (10, "人民调解回访记录", False),
    (11, "司法确认有关材料", False),
    (12, "卷宗情况说明", False),
    (13, "封底", True),
]

# Default grade rules (no district: they apply everywhere until a district sets its own):
# (grade, min amount, min parties, dispute type code, source, note).
GRADE_RULES = [
    ("ordinary", "10000", None, "", "", "涉及金额1万元以上"),
    ("major", "100000", None, "", "", "涉及金额10万元以上"),
    ("special", "1000000", None, "", "", "涉及金额100万元以上"),
    ("ordinary", None, 3, "", "", "当事人3人以上"),
    ("major", None, 10, "", "", "群体性纠纷（当事人10人以上）"),
    ("special", None, 30, "", "", "当事人30人以上"),
    ("ordinary", None, None, "labour", "", "劳动争议"),
    ("ordinary", None, None, "wage", "", "拖欠工资"),
    ("ordinary", None, None, "medical", "", "医患纠纷"),
    ("ordinary", None, None, "traffic", "", "交通事故"),
    ("major", None, None, "demolition", "", "征地拆迁"),
    ("ordinary", None, None, "", "government", "政府或信访部门指定"),
    ("ordinary", None, None, "", "court", "法院委托或委派"),
]


def seed(get_model) -> None:
    """Write the rows above where they are missing (re-runnable): the initial migration does it, and
    so do the demo loader and tests whose database was flushed. Grade rules only when there are
    none, so a district's own rules are never added to."""
    from decimal import Decimal

    categories = {}
    for sort, (code, name) in enumerate(MINISTRY_CATEGORIES):
        categories[code], _created = get_model("MinistryCategory").objects.get_or_create(
            code=code, defaults={"name": name, "sort": sort}
        )
    types = {}
    for sort, (code, name, category, is_wage) in enumerate(DISPUTE_TYPES):
        types[code], _created = get_model("DisputeType").objects.get_or_create(
            code=code, defaults={"name": name, "sort": sort, "is_wage": is_wage}
        )
        get_model("TypeMapping").objects.get_or_create(
            dispute_type=types[code], defaults={"category": categories[category]}
        )
    for number, name, required in FILE_ITEMS:
        get_model("FileItemKind").objects.get_or_create(
            number=number, defaults={"name": name, "required": required}
        )
    rules = get_model("GradeRule")
    if not rules.objects.exists():
        for grade, amount, parties, type_code, source, note in GRADE_RULES:
            rules.objects.create(
                grade=grade,
                min_amount=Decimal(amount) if amount else None,
                min_parties=parties,
                dispute_type=types[type_code] if type_code else None,
                source=source,
                note=note,
            )


def ensure() -> None:
    """``seed`` with the current models."""
    from django.apps import apps

    seed(lambda name: apps.get_model("mediation", name))
