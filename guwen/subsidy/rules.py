"""Which rule set pays a record: the adopted version in force on the day its work was completed,
the district's own before the default. Loaded once per run, so a month of lines costs two queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q

from guwen.subsidy.models import GRADE_ITEMS, RuleSet, RuleStatus

GRADE_RANK = {item.value: rank for rank, item in enumerate(GRADE_ITEMS)}


@dataclass
class LoadedRules:
    rule_set: RuleSet
    amounts: dict[str, Decimal]

    def amount(self, item: str) -> Decimal:
        return self.amounts.get(item, Decimal("0.00"))


class RuleBook:
    """The adopted rule sets of a district (its own and the default), newest first; or one rule set
    for every date (the what-if page applying a draft to last year's records)."""

    def __init__(self, district, *, only: RuleSet | None = None) -> None:
        if only is not None:
            sets = [only]
        else:
            sets = list(
                RuleSet.objects.filter(
                    Q(district=district) | Q(district__isnull=True), status=RuleStatus.ADOPTED
                ).order_by("-effective_from", "-version")
            )
        self.only = only is not None
        amounts: dict[int, dict[str, Decimal]] = {s.pk: {} for s in sets}
        from guwen.subsidy.models import RuleAmount

        for rule_id, item, value in RuleAmount.objects.filter(rule_set__in=sets).values_list(
            "rule_set_id", "item", "amount"
        ):
            amounts[rule_id][item] = value
        # The district's own versions first: they override the default from their effective date.
        own = [s for s in sets if s.district_id is not None]
        default = [s for s in sets if s.district_id is None]
        self._sets = [LoadedRules(s, amounts[s.pk]) for s in own + default]

    def for_date(self, day: date) -> LoadedRules | None:
        if self.only:
            return self._sets[0]
        for rules in self._sets:
            if rules.rule_set.effective_from <= day:
                return rules
        return None
