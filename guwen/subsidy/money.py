"""Money arithmetic: Decimal yuan, half-up to the cent, shares that add up exactly."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def cents(value: Decimal) -> Decimal:
    """``value`` rounded half-up to the cent (the line-level rounding of every amount)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def split(
    amount: Decimal, people: list[int], *, primary: int | None, primary_percent: Decimal | None
) -> dict[int, Decimal]:
    """``amount`` shared between ``people`` (ids, in any order): the primary mediator gets
    ``primary_percent`` and the others share the rest equally, or everyone equally when no percent
    is set. Each share is cut down to the cent and the cents left over go one each, primary first
    then by id, so the shares always add up to ``amount`` exactly and every advisor computes the
    same split for the same record."""
    order = sorted(set(people), key=lambda p: (p != primary, p))
    if not order:
        return {}
    amount = cents(amount)
    if len(order) == 1:
        return {order[0]: amount}
    if primary_percent is not None and primary in order:
        first = amount * Decimal(primary_percent) / 100
        rest = (amount - first) / (len(order) - 1)
        raw = [first] + [rest] * (len(order) - 1)
    else:
        raw = [amount / len(order)] * len(order)
    shares = [value.quantize(CENT, rounding=ROUND_DOWN) for value in raw]
    left = int((amount - sum(shares)) / CENT)
    for index in range(left):
        shares[index % len(shares)] += CENT
    return dict(zip(order, shares, strict=True))
