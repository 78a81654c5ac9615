"""Every read of subsidy data, scoped: an advisor sees their own settlements; community staff those
of advisors settled in their community; the office its street; the bureau its district; system
admins all. Firm admins and the association see none here (the reports give them aggregates)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from guwen.accounts.models import Role
from guwen.accounts.scope import current_memberships, is_sysadmin
from guwen.regions.models import Region
from guwen.subsidy.models import (
    FeeIncome,
    Flag,
    FlagStatus,
    LineKind,
    RuleSet,
    Settlement,
    SettlementLine,
    SettlementStatus,
)

STAFF = (Role.COMMUNITY_STAFF, Role.OFFICE, Role.BUREAU)


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def settlements_visible_to(user) -> QuerySet[Settlement]:
    """The one definition of which settlements a user may see."""
    if not _signed_in(user):
        return Settlement.objects.none()
    if is_sysadmin(user):
        return Settlement.objects.all()
    condition = Q(lawyer__user=user)
    for membership in current_memberships(user):
        if membership.role in STAFF and membership.region is not None:
            condition |= Q(community__path__startswith=membership.region.path)
    return Settlement.objects.filter(condition)


def flags_visible_to(user) -> QuerySet[Flag]:
    return Flag.objects.filter(settlement__in=settlements_visible_to(user))


def can_use_subsidy(user) -> bool:
    from guwen.accounts.scope import roles_of

    return bool(
        roles_of(user) & {Role.ADVISOR, Role.COMMUNITY_STAFF, Role.OFFICE, Role.BUREAU, Role.SYSADMIN}
    )


def districts_for(user) -> QuerySet[Region]:
    """Districts whose months the user may compute and whose rules the user may read: the office's
    and the bureau's district (system admins: all)."""
    if not _signed_in(user):
        return Region.objects.none()
    if is_sysadmin(user):
        return Region.objects.filter(level="district")
    codes = {
        code
        for m in current_memberships(user)
        if m.role in (Role.OFFICE, Role.BUREAU) and m.region is not None
        for code in m.region.path.split("/")
        if code
    }
    return Region.objects.filter(code__in=codes, level="district").order_by("code")


def rule_sets_visible_to(user) -> QuerySet[RuleSet]:
    if not _signed_in(user):
        return RuleSet.objects.none()
    if is_sysadmin(user):
        return RuleSet.objects.all()
    return RuleSet.objects.filter(Q(district__isnull=True) | Q(district__in=districts_for(user)))


def with_counts(queryset: QuerySet[Settlement]) -> QuerySet[Settlement]:
    return queryset.select_related("lawyer", "community").annotate(
        line_count=Count("lines", distinct=True),
        flag_count=Count("flags", distinct=True),
        open_flags=Count("flags", filter=Q(flags__status=FlagStatus.OPEN), distinct=True),
    )


def lines_of(settlement: Settlement) -> QuerySet[SettlementLine]:
    return settlement.lines.select_related("rule_set", "community").order_by("position", "pk")


def parse_month(text: str | None) -> date | None:
    """``YYYY-MM`` as the first day of the month; None when empty or wrong."""
    if not text or len(text) != 7 or text[4] != "-":
        return None
    try:
        return date(int(text[:4]), int(text[5:]), 1)
    except ValueError:
        return None


QUEUE_FOR_ROLE = {
    Role.ADVISOR: [SettlementStatus.DRAFT, SettlementStatus.RETURNED],
    Role.COMMUNITY_STAFF: [SettlementStatus.SUBMITTED],
    Role.OFFICE: [SettlementStatus.CONFIRMED],
    Role.BUREAU: [SettlementStatus.REVIEWED, SettlementStatus.APPROVED],
}


def fee_communities_for(user) -> QuerySet[Region]:
    """Communities whose fee income the user may see and enter: the office's street's, the bureau's
    district's (system admins: all). Nobody else sees fees here."""
    if not _signed_in(user):
        return Region.objects.none()
    if is_sysadmin(user):
        return Region.objects.filter(level="community")
    condition = Q(pk__in=[])
    for membership in current_memberships(user):
        if membership.role in (Role.OFFICE, Role.BUREAU) and membership.region is not None:
            condition |= Q(path__startswith=membership.region.path)
    return Region.objects.filter(condition, level="community")


def fees_visible_to(user) -> QuerySet[FeeIncome]:
    """The one definition of which fee entries a user may see."""
    return FeeIncome.objects.filter(community__in=fee_communities_for(user))


# --- for the reports (aggregates; the reports module scopes the region) ---------------------------


def months_between(start: date, end: date) -> tuple[date, date]:
    """The first and last settlement months (first days) a period of days covers."""
    return start.replace(day=1), end.replace(day=1)


def settlements_in(region_path: str, start: date, end: date) -> QuerySet[Settlement]:
    """Settlements of advisors settled in a community under ``region_path`` for the months of the
    period (a settlement's month is its first day)."""
    first, last = months_between(start, end)
    return Settlement.objects.filter(
        community__path__startswith=region_path, month__gte=first, month__lte=last
    )


def totals_by_month_and_status(region_path: str, start: date, end: date) -> dict[tuple[date, str], tuple]:
    """``{(month, status): (count, total)}``, summed in Decimal (SQLite's SUM of decimals goes
    through floating point)."""
    out: dict[tuple[date, str], tuple] = {}
    for month, status, total in settlements_in(region_path, start, end).values_list(
        "month", "status", "total"
    ):
        count, amount = out.get((month, status), (0, Decimal(0)))
        out[(month, status)] = (count + 1, amount + total)
    return out


def open_flags_in(region_path: str, start: date, end: date) -> int:
    return Flag.objects.filter(
        settlement__in=settlements_in(region_path, start, end), status=FlagStatus.OPEN
    ).count()


def case_lines_by_grade(region_path: str, start: date, end: date) -> dict[str, tuple[int, Decimal]]:
    """``{grade: (case lines, amount)}`` of the mediation cases subsidised in the settlements of the
    period (every status, as the settled total counts them); a case without a grade is ``""``."""
    out: dict[str, tuple[int, Decimal]] = {}
    for grade, amount in SettlementLine.objects.filter(
        settlement__in=settlements_in(region_path, start, end), kind=LineKind.CASE
    ).values_list("grade", "amount"):
        count, total = out.get(grade, (0, Decimal(0)))
        out[grade] = (count + 1, total + amount)
    return out


def paid_by_lawyer(lawyer_ids, region_path: str, start: date, end: date) -> dict[int, Decimal]:
    """Subsidy paid to each advisor for the months of the period, settled in the region."""
    paid: dict[int, Decimal] = {}
    for lawyer_id, total in (
        settlements_in(region_path, start, end)
        .filter(lawyer_id__in=lawyer_ids, status=SettlementStatus.PAID)
        .values_list("lawyer_id", "total")
    ):
        paid[lawyer_id] = paid.get(lawyer_id, Decimal(0)) + total
    return paid


def fees_by_lawyer(lawyer_ids, region_path: str, start: date, end: date) -> dict[int, Decimal]:
    """Fee income (顾问费 and other fees) received for the days of ``start``–``end`` by each advisor,
    in communities under ``region_path``. A fee covers its own period: the part for the days that
    overlap is counted (a yearly retainer in a quarter counts its quarter's days), rounded half-up
    to the cent. A fee paid to a firm is shared equally (to the cent, leftover cents by lawyer id)
    between the firm's lawyers appointed to that community during the overlap; a fee recorded
    for an advisor is the advisor's. A few queries, whatever the number of advisors."""
    from guwen.regions.models import Assignment
    from guwen.regions.selectors import overlapping
    from guwen.subsidy.money import cents, split

    wanted = set(lawyer_ids)
    fees = list(
        FeeIncome.objects.filter(
            community__path__startswith=region_path, period_start__lte=end, period_end__gte=start
        )
        .order_by("pk")
        .values("lawyer_id", "firm_id", "community_id", "period_start", "period_end", "amount")
    )
    firm_fees = [fee for fee in fees if fee["firm_id"]]
    posts: dict[tuple[int, int], list[tuple[int, date, date | None]]] = {}
    if firm_fees:
        for lawyer_id, firm_id, community_id, starts_on, ends_on in Assignment.objects.filter(
            overlapping(start, end),
            community_id__in={fee["community_id"] for fee in firm_fees},
            firm_id__in={fee["firm_id"] for fee in firm_fees},
        ).values_list("lawyer_id", "firm_id", "community_id", "starts_on", "ends_on"):
            posts.setdefault((firm_id, community_id), []).append((lawyer_id, starts_on, ends_on))
    received: dict[int, Decimal] = {}
    for fee in fees:
        first, last = max(fee["period_start"], start), min(fee["period_end"], end)
        whole = (fee["period_end"] - fee["period_start"]).days + 1
        part = cents(fee["amount"] * ((last - first).days + 1) / whole)
        if fee["lawyer_id"]:
            shares = {fee["lawyer_id"]: part}
        else:
            people = [
                lawyer_id
                for lawyer_id, starts_on, ends_on in posts.get((fee["firm_id"], fee["community_id"]), [])
                if starts_on <= last and (ends_on is None or ends_on >= first)
            ]
            shares = split(part, people, primary=None, primary_percent=None)
        for lawyer_id, amount in shares.items():
            if lawyer_id in wanted:
                received[lawyer_id] = received.get(lawyer_id, Decimal(0)) + amount
    return received


def narrowed(queryset: QuerySet, params, prefix: str = "") -> QuerySet:
    """The list filters the reports link to: ``region`` (a region code: its communities) and
    ``month_from``/``month_to`` (``YYYY-MM``); values that are not theirs are ignored. ``prefix``
    reaches the settlement from another model (``"settlement__"`` for flags)."""
    code = (params.get("region") or "").strip()
    if code:
        region = Region.objects.filter(code=code).only("path").first()
        if region is None:
            return queryset.none()
        queryset = queryset.filter(**{f"{prefix}community__path__startswith": region.path})
    first = parse_month(params.get("month_from"))
    last = parse_month(params.get("month_to"))
    if first:
        queryset = queryset.filter(**{f"{prefix}month__gte": first})
    if last:
        queryset = queryset.filter(**{f"{prefix}month__lte": last})
    return queryset


FILTER_KEYS = ("region", "month_from", "month_to")


def filter_note(params) -> str:
    """The list filters in use in words (``南湾街道，2026-07 至 2026-11``), or ""."""
    parts = []
    code = (params.get("region") or "").strip()
    if code:
        region = Region.objects.filter(code=code).only("name").first()
        parts.append(region.name if region else code)
    first, last = parse_month(params.get("month_from")), parse_month(params.get("month_to"))
    if first and last and first == last:
        parts.append(f"{first:%Y-%m}")
    elif first or last:
        parts.append(f"{f'{first:%Y-%m}' if first else '…'} 至 {f'{last:%Y-%m}' if last else '…'}")
    return "，".join(parts)


def filter_items(params) -> list[tuple[str, str]]:
    """The list filters in use, as (name, value) pairs for hidden inputs."""
    return [(key, params.get(key)) for key in FILTER_KEYS if params.get(key)]


def filter_query(params) -> str:
    """The list filters as a query-string tail (``&region=…``), kept when switching tabs."""
    from urllib.parse import urlencode

    kept = {key: params.get(key) for key in FILTER_KEYS if params.get(key)}
    return f"&{urlencode(kept)}" if kept else ""


def case_settlement_lines(case, user) -> list:
    """The settlement lines in ``user``'s scope that paid (or declined to pay) a mediation case, for
    the case's page (registered with ``guwen.core.links``: mediation does not import subsidy)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from guwen.core.links import Linked

    lines = (
        SettlementLine.objects.filter(
            settlement__in=settlements_visible_to(user),
            record_type="mediation.mediationcase",
            record_pk=case.pk,
        )
        .exclude(kind__in=["cap", "adjustment"])
        .select_related("settlement", "lawyer")
        .order_by("settlement__month", "pk")
    )
    return [
        Linked(
            kind=_("以案定补"),
            title=_("%(m)s %(n)s 结算单 · %(a)s 元")
            % {"m": f"{line.settlement.month:%Y-%m}", "n": line.lawyer.name, "a": line.amount},
            url=reverse("subsidy:settlement_detail", args=[line.settlement_id]) + f"#line-{line.pk}",
            status=line.settlement.get_status_display(),
        )
        for line in lines
    ]
