"""Template filters for money on subsidy pages."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def yuan(value) -> str:
    """A yuan amount as finance writes it: thousands separated, two decimals (1110 → 1,110.00);
    anything that is not a number is shown unchanged."""
    try:
        return f"{Decimal(value):,.2f}"
    except (InvalidOperation, TypeError, ValueError):
        return "" if value is None else str(value)
