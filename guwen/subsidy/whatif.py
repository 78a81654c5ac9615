"""What if: a rule set applied to a past year's verified records, beside the rules in force then,
per advisor, community and street, before the district adopts it. Nothing is written."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from guwen.regions.models import Lawyer, Region
from guwen.subsidy.models import RuleSet
from guwen.subsidy.money import ZERO
from guwen.subsidy.rules import RuleBook
from guwen.subsidy.services.settle import BATCH_SIZE, Context, district_advisors, plan_batch


@dataclass
class Row:
    label: str
    current: Decimal = ZERO
    proposed: Decimal = ZERO

    @property
    def change(self) -> Decimal:
        return self.proposed - self.current


@dataclass
class Comparison:
    first: date
    last: date
    advisors: list[Row] = field(default_factory=list)
    communities: list[Row] = field(default_factory=list)
    streets: list[Row] = field(default_factory=list)
    total: Row = field(default_factory=lambda: Row("合计"))


def _month_total(lines, rules: RuleSet | None) -> Decimal:
    total = sum((line.amount for line in lines), ZERO)
    if rules is not None and rules.cap_advisor_month is not None:
        total = min(total, rules.cap_advisor_month)
    return total


def last_twelve_months(today: date) -> list[date]:
    """The twelve whole months before ``today``'s month, oldest first."""
    months = []
    year, month = today.year, today.month
    for _ in range(12):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        months.append(date(year, month, 1))
    return months[::-1]


def compare(*, district: Region, rule_set: RuleSet, months: list[date]) -> Comparison:
    current_book = RuleBook(district)
    proposed_book = RuleBook(district, only=rule_set)
    advisors: dict[int, Row] = {}
    communities: dict[int, Row] = {}
    streets: dict[int, Row] = {}
    totals = Row("合计")
    for month in months:
        people = district_advisors(district, month)
        now_ctx = Context(district, month, rule_book=current_book, photos=False)
        new_ctx = Context(district, month, rule_book=proposed_book, photos=False)
        for index in range(0, len(people), BATCH_SIZE):
            chunk = people[index : index + BATCH_SIZE]
            now_plans = plan_batch(now_ctx, chunk, flags=False)
            new_plans = plan_batch(new_ctx, chunk, flags=False)
            for advisor in chunk:
                before = _month_total(now_plans[advisor.lawyer_id].lines, now_ctx.month_rules)
                after = _month_total(new_plans[advisor.lawyer_id].lines, rule_set)
                if not before and not after:
                    continue
                keys = [
                    (advisors, advisor.lawyer_id),
                    (communities, advisor.community_id),
                ]
                for table, key in keys:
                    row = table.setdefault(key, Row(""))
                    row.current += before
                    row.proposed += after
                totals.current += before
                totals.proposed += after
    lawyer_names = dict(Lawyer.objects.filter(pk__in=advisors).values_list("pk", "name"))
    regions = {r.pk: r for r in Region.objects.filter(pk__in=communities).select_related("parent")}
    for pk, row in advisors.items():
        row.label = lawyer_names.get(pk, str(pk))
    by_street: dict[int, Row] = defaultdict(lambda: Row(""))
    for pk, row in communities.items():
        region = regions[pk]
        row.label = region.name
        street = region.parent or region
        target = by_street[street.pk]
        target.label = street.name
        target.current += row.current
        target.proposed += row.proposed
    streets.update(by_street)
    return Comparison(
        first=months[0],
        last=months[-1],
        advisors=sorted(advisors.values(), key=lambda r: r.label),
        communities=sorted(communities.values(), key=lambda r: r.label),
        streets=sorted(streets.values(), key=lambda r: r.label),
        total=totals,
    )
