"""The default rule set: Shenzhen's 2023 four grades (深圳市人民调解工作经费管理规定).

400 and 4,000 yuan are the published ends of the range; 1,000 and 2,000 for the middle grades are
an assumption (a doubling of the old 200/500/1,000/2,000 pattern) flagged for the district to
confirm. Activity amounts are placeholders a district sets; they are marked the same way.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

DEFAULT_NAME = "深圳市默认标准（2023）"
DEFAULT_EFFECTIVE = date(2023, 1, 1)
# item: (amount, is_assumption)
DEFAULT_AMOUNTS: dict[str, tuple[Decimal, bool]] = {
    "simple": (Decimal("400.00"), False),
    "ordinary": (Decimal("1000.00"), True),
    "major": (Decimal("2000.00"), True),
    "special": (Decimal("4000.00"), False),
    "lecture": (Decimal("300.00"), True),
    "health_check": (Decimal("500.00"), True),
    "opinion": (Decimal("200.00"), True),
    "shift": (Decimal("100.00"), True),
    "online_answer": (Decimal("10.00"), True),
}
DEFAULT_NOTE = (
    "简易400元、特别重大4000元为公开报道的区间两端；普通1000元、重大2000元按旧标准翻倍推算，"
    "活动类金额为示例，均待区司法局核实后修订。"
)


def seed(rule_set_model, amount_model) -> None:
    """Create the default rule set if there is none (used by the data migration and ``ensure``)."""
    if rule_set_model.objects.filter(district__isnull=True).exists():
        return
    rules = rule_set_model.objects.create(
        district=None,
        version=1,
        name=DEFAULT_NAME,
        effective_from=DEFAULT_EFFECTIVE,
        status="adopted",
        note=DEFAULT_NOTE,
    )
    amount_model.objects.bulk_create(
        amount_model(rule_set=rules, item=item, amount=amount, is_assumption=assumed)
        for item, (amount, assumed) in DEFAULT_AMOUNTS.items()
    )


def ensure() -> None:
    """The default rule set exists (a test or demo database flushed after migrating lost it)."""
    from guwen.subsidy.models import RuleAmount, RuleSet

    seed(RuleSet, RuleAmount)
