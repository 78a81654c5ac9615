"""Fee income (顾问费收入): what an advisor or the advisor's firm is paid besides the subsidy, entered
by the judicial office (its street's communities) or the district bureau (its district's)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from guwen.core import audit
from guwen.core.errors import DomainError, NotFound
from guwen.regions.models import LawFirm, Lawyer, Region
from guwen.subsidy.models import FeeIncome, FeeKind
from guwen.subsidy.selectors import fee_communities_for

MAX_AMOUNT = Decimal("10000000")


def _check(*, by, community: Region) -> None:
    if not fee_communities_for(by).exists():
        raise DomainError(_("只有司法所或区司法局可以登记顾问费收入"), code="forbidden_role")
    if not fee_communities_for(by).filter(pk=community.pk).exists():
        raise NotFound(_("该社区不在您的管辖范围内"), field="community")


def fee_record(
    *,
    by,
    community: Region,
    kind: str,
    period_start: date,
    period_end: date,
    amount: Decimal,
    lawyer: Lawyer | None = None,
    firm: LawFirm | None = None,
    reference: str = "",
    note: str = "",
) -> FeeIncome:
    """Record a fee paid to an advisor or to a firm for a community and a period."""
    _check(by=by, community=community)
    if (lawyer is None) == (firm is None):
        raise DomainError(_("请选择顾问律师或律所中的一项"), field="lawyer")
    if kind not in FeeKind.values:
        raise DomainError(_("请选择费用类型"), field="kind")
    if period_end < period_start:
        raise DomainError(_("期间止不能早于期间起"), field="period_end")
    if (period_end - period_start).days > 366 * 3:
        raise DomainError(_("所属期间不能超过三年"), field="period_end")
    if amount is None or amount <= 0:
        raise DomainError(_("金额须大于零"), field="amount")
    if amount > MAX_AMOUNT:
        raise DomainError(_("金额过大"), field="amount")
    with transaction.atomic():
        fee = FeeIncome.objects.create(
            lawyer=lawyer,
            firm=firm,
            community=community,
            kind=kind,
            period_start=period_start,
            period_end=period_end,
            amount=amount,
            reference=(reference or "").strip()[:60],
            note=(note or "").strip()[:200],
            created_by=by,
        )
        audit.record(
            actor=by,
            action="subsidy.fee.record",
            obj=fee,
            new={"amount": str(amount), "kind": kind, "community": community.pk},
        )
    return fee


def fee_delete(*, fee: FeeIncome, by, reason: str) -> None:
    """Remove a fee entered by mistake (with a reason, in the audit log)."""
    _check(by=by, community=fee.community)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写删除原因"), field="reason")
    with transaction.atomic():
        audit.record(
            actor=by,
            action="subsidy.fee.delete",
            obj=fee,
            old={"amount": str(fee.amount), "kind": fee.kind},
            context={"reason": reason[:300]},
        )
        fee.delete()
