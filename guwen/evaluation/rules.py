"""The arithmetic of evaluation, apart from the database so it can be checked exhaustively:
weights that must add up to 100, points from a value, the score and the grade."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from guwen.core.errors import DomainError

TWO = Decimal("0.01")
HUNDRED = Decimal(100)

# The appraisal's indicators, in the order of the form.
INDICATORS: dict[str, str] = {
    "onsite_hours": _l("驻点时长（实际/应到）"),
    "lectures": _l("法治讲座（已开展/应开展）"),
    "answered_in_time": _l("咨询按时答复率"),
    "escalation": _l("咨询未上交率（1-上交率）"),
    "mediation_success": _l("调解成功率"),
    "callbacks": _l("调解回访率"),
    "worklog": _l("工作日志完整度（有记录的周/已过周数）"),
    "resident_rating": _l("居民评价（平均星级/5）"),
    "survey": _l("满意度问卷得分"),
    "community_evaluation": _l("社区季度评价得分"),
}

DEFAULT_WEIGHTS: dict[str, int] = {
    "onsite_hours": 15,
    "lectures": 10,
    "answered_in_time": 15,
    "escalation": 5,
    "mediation_success": 10,
    "callbacks": 5,
    "worklog": 5,
    "resident_rating": 10,
    "survey": 10,
    "community_evaluation": 15,
}

# The quarterly community evaluation's default items (社区两委评价).
DEFAULT_FORM_ITEMS = [
    {"key": "attitude", "label": "服务态度", "weight": 15},
    {"key": "responsiveness", "label": "响应及时", "weight": 15},
    {"key": "opinions", "label": "法律意见质量", "weight": 20},
    {"key": "presence", "label": "驻点值班到岗", "weight": 15},
    {"key": "lectures", "label": "法治讲座", "weight": 10},
    {"key": "disputes", "label": "矛盾纠纷化解", "weight": 15},
    {"key": "notice_board", "label": "公示牌信息及时更新", "weight": 10},
]

DEFAULT_QUESTIONS = [
    {"key": "known", "text": "您知道本社区有法律顾问吗？（了解程度）"},
    {"key": "reachable", "text": "需要时能方便地联系到法律顾问"},
    {"key": "attitude", "text": "法律顾问的服务态度"},
    {"key": "helpful", "text": "法律顾问的解答对您有帮助"},
    {"key": "overall", "text": "总体满意度"},
]


def _whole(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(_("权重必须是整数"), field="weights")
    return value


def check_weights(weights: dict[str, int], *, known: set[str] | None = None) -> None:
    """Weights are whole non-negative numbers adding up to exactly 100, over known keys only."""
    if not weights:
        raise DomainError(_("请至少设置一个权重"), field="weights")
    for key, value in weights.items():
        if known is not None and key not in known:
            raise DomainError(_("未知的指标：%(key)s") % {"key": key}, field="weights")
        if _whole(value) < 0:
            raise DomainError(_("权重不能为负数"), field="weights")
    total = sum(weights.values())
    if total != 100:
        raise DomainError(_("各项权重合计必须为 100，现为 %(total)d") % {"total": total}, field="weights")


def check_thresholds(excellent: Decimal, qualified: Decimal, basic: Decimal) -> None:
    if not (HUNDRED >= excellent > qualified > basic >= 0):
        raise DomainError(_("等次分数线须满足 100 ≥ 优秀 > 合格 > 基本合格 ≥ 0"), field="excellent_from")


def ratio(numerator: int | Decimal, denominator: int | Decimal) -> Decimal | None:
    """numerator/denominator capped to [0, 1] with four places; None when nothing was due."""
    if not denominator:
        return None
    value = Decimal(numerator) / Decimal(denominator)
    return min(Decimal(1), max(Decimal(0), value)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def points(weight: int, value: Decimal | None) -> Decimal | None:
    """The points an indicator earns: its weight times its value (0–1); None without data."""
    if value is None:
        return None
    return (Decimal(weight) * value).quantize(TWO, ROUND_HALF_UP)


def score(rows: list[tuple[int, Decimal | None]], adjustment: Decimal = Decimal(0)) -> Decimal | None:
    """Out of 100 from (weight, points) rows. Indicators without data are left out and the rest
    scaled up to 100, so an advisor is not marked down for work nobody asked of them; the office's
    additions and deductions come last, and the result stays within 0–100."""
    counted = [(w, p) for w, p in rows if p is not None]
    weight = sum(w for w, _p in counted)
    if not weight:
        return None
    raw = sum((p for _w, p in counted), Decimal(0)) * HUNDRED / Decimal(weight)
    return min(HUNDRED, max(Decimal(0), raw + adjustment)).quantize(TWO, ROUND_HALF_UP)


GRADES = ("优秀", "合格", "基本合格", "不合格")


def grade(value: Decimal | None, *, excellent: Decimal, qualified: Decimal, basic: Decimal) -> str:
    if value is None:
        return ""
    if value >= excellent:
        return GRADES[0]
    if value >= qualified:
        return GRADES[1]
    if value >= basic:
        return GRADES[2]
    return GRADES[3]


def weighted_total(items: list[dict], scores: dict[str, int]) -> Decimal:
    """A community evaluation's total out of 100: each item's 1–5 score over 5 times its weight."""
    total = Decimal(0)
    for item in items:
        value = scores.get(item["key"])
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise DomainError(_("“%(label)s”请评 1 到 5 分") % {"label": item["label"]}, field=item["key"])
        total += Decimal(item["weight"]) * Decimal(value) / Decimal(5)
    return total.quantize(TWO, ROUND_HALF_UP)
