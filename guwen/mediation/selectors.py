"""Reads of the mediation module, all scoped through ``cases_visible_to`` / ``leads_visible_to``.

Scope follows consultations and duty: an advisor sees the cases they mediate and those of the
communities they serve today; community staff their community; the judicial office its street;
the bureau its district; system admins everything. Firm admins and the association see none
(the parties' affairs are confidential; the reports give them counts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from guwen.accounts.models import Role
from guwen.accounts.scope import current_memberships, is_sysadmin
from guwen.mediation.models import (
    CaseMediator,
    CaseStatus,
    DisputeLead,
    FileItem,
    FileItemKind,
    MediationCase,
    OutcomeKind,
)
from guwen.mediation.workflow import NOT_CLOSED, RUNNING
from guwen.regions.models import Region
from guwen.regions.selectors import current_assignments

STAFF_ROLES = (Role.COMMUNITY_STAFF, Role.OFFICE, Role.BUREAU)


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _community_condition(user, prefix: str) -> Q:
    condition = Q(pk__in=[])
    for membership in current_memberships(user):
        if membership.role in STAFF_ROLES and membership.region is not None:
            condition |= Q(**{f"{prefix}community__path__startswith": membership.region.path})
    served = current_assignments().filter(lawyer__user=user).values("community_id")
    condition |= Q(**{f"{prefix}community_id__in": served})
    return condition


def cases_visible_to(user) -> QuerySet[MediationCase]:
    """The one definition of which mediation cases a user may see."""
    if not _signed_in(user):
        return MediationCase.objects.none()
    if is_sysadmin(user):
        return MediationCase.objects.all()
    condition = _community_condition(user, "") | Q(mediators__user=user)
    return MediationCase.objects.filter(pk__in=MediationCase.objects.filter(condition).values("pk"))


def leads_visible_to(user) -> QuerySet[DisputeLead]:
    if not _signed_in(user):
        return DisputeLead.objects.none()
    if is_sysadmin(user):
        return DisputeLead.objects.all()
    return DisputeLead.objects.filter(_community_condition(user, "") | Q(owner=user))


def communities_for_work(user) -> QuerySet[Region]:
    """Communities where the user may screen and take in cases: those they serve as an advisor
    and those under their community-staff or office membership."""
    if not _signed_in(user):
        return Region.objects.none()
    if is_sysadmin(user):
        return Region.objects.filter(level="community")
    condition = Q(pk__in=current_assignments().filter(lawyer__user=user).values("community_id"))
    for membership in current_memberships(user):
        if membership.role in (Role.COMMUNITY_STAFF, Role.OFFICE) and membership.region is not None:
            condition |= Q(path__startswith=membership.region.path)
    return Region.objects.filter(condition, level="community").order_by("code")


def overdue_cases(queryset: QuerySet[MediationCase], today: date | None = None) -> QuerySet[MediationCase]:
    """Past the limit while mediation is still running (not yet at an outcome, not closed)."""
    return queryset.filter(status__in=RUNNING, due_on__lt=today or timezone.localdate())


def is_overdue(case: MediationCase, today: date | None = None) -> bool:
    return case.status in RUNNING and case.due_on < (today or timezone.localdate())


@dataclass(frozen=True)
class Completeness:
    present: int
    required: int
    missing: list[str] = field(default_factory=list)


def file_completeness(case: MediationCase) -> Completeness:
    """How many of the required 卷宗 items have a filed scan, and the names of those that do not.
    An oral agreement has no 人民调解协议书: its 口头协议登记表 is filed as item 8; a terminated
    case files its 终止告知书 there too. The subsidy module calls this before paying."""
    required = list(FileItemKind.objects.filter(required=True).order_by("number"))
    filed = set(FileItem.objects.filter(case=case).values_list("kind_id", flat=True))
    missing = [kind.name for kind in required if kind.pk not in filed]
    return Completeness(present=len(required) - len(missing), required=len(required), missing=missing)


def completeness_map(cases) -> dict[int, tuple[int, int]]:
    """``{case id: (present, required)}`` for a list page, in two queries."""
    return completeness_by_id([c.pk for c in cases])


def completeness_by_id(ids: list[int]) -> dict[int, tuple[int, int]]:
    required_ids = set(FileItemKind.objects.filter(required=True).values_list("pk", flat=True))
    present: dict[int, set[int]] = {pk: set() for pk in ids}
    for case_id, kind_id in FileItem.objects.filter(case_id__in=ids, kind_id__in=required_ids).values_list(
        "case_id", "kind_id"
    ):
        present[case_id].add(kind_id)
    return {pk: (len(kinds), len(required_ids)) for pk, kinds in present.items()}


def case_register(
    queryset: QuerySet[MediationCase], *, community: Region, year: int
) -> QuerySet[MediationCase]:
    """人民调解案件登记簿: a committee's cases of a year in number order."""
    return (
        queryset.filter(community=community, year=year)
        .select_related("dispute_type", "outcome")
        .prefetch_related("parties")
        .order_by("serial")
    )


def screening_ledger(queryset: QuerySet[DisputeLead], *, community: Region, year: int, month: int):
    """The monthly screening ledger (排查台账) of a community: its leads found that month."""
    return (
        queryset.filter(community=community, found_on__year=year, found_on__month=month)
        .select_related("dispute_type", "owner")
        .order_by("found_on", "id")
    )


@dataclass(frozen=True)
class Tally:
    label: str
    total: int
    agreed: int
    terminated: int

    @property
    def success_rate(self) -> float | None:
        decided = self.agreed + self.terminated
        return round(self.agreed / decided, 3) if decided else None


def _tallies(queryset, key: str, label: str) -> list[Tally]:
    agreed = Q(outcome__kind__in=[OutcomeKind.WRITTEN, OutcomeKind.ORAL])
    terminated = Q(outcome__kind=OutcomeKind.TERMINATED)
    rows = (
        queryset.values(key, label)
        .annotate(total=Count("pk", distinct=True), agreed=Count("pk", filter=agreed, distinct=True))
        .annotate(terminated=Count("pk", filter=terminated, distinct=True))
        .order_by(label)
    )
    return [Tally(row[label] or "—", row["total"], row["agreed"], row["terminated"]) for row in rows]


def counts_by_type(queryset: QuerySet[MediationCase]) -> list[Tally]:
    return _tallies(queryset, "dispute_type_id", "dispute_type__name")


def counts_by_ministry_category(queryset: QuerySet[MediationCase]) -> list[Tally]:
    return _tallies(queryset, "dispute_type__mapping__category_id", "dispute_type__mapping__category__name")


def counts_by_outcome(queryset: QuerySet[MediationCase]) -> dict[str, int]:
    rows = queryset.values("outcome__kind").annotate(n=Count("pk")).order_by()
    return {row["outcome__kind"] or "none": row["n"] for row in rows}


def counts_by_community(queryset: QuerySet[MediationCase]) -> list[Tally]:
    return _tallies(queryset, "community_id", "community__name")


def counts_by_advisor(queryset: QuerySet[MediationCase]) -> list[Tally]:
    """Per primary mediator (the one who presided)."""
    return _tallies(
        queryset.filter(mediators__is_primary=True), "mediators__user_id", "mediators__user__display_name"
    )


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


AGREED = Q(outcome__kind__in=[OutcomeKind.WRITTEN, OutcomeKind.ORAL])
OUTCOME_FILTERS = {"agreed": AGREED, "terminated": Q(outcome__kind=OutcomeKind.TERMINATED)}


def narrowed(queryset: QuerySet[MediationCase], params, narrowing=None) -> QuerySet[MediationCase]:
    """The filters the reports' and the appraisal's figures link with: a community (by code), a
    region of any level and a primary mediator (``narrowing``, checked against the user's scope by
    the view), dates, a status and an outcome (agreed or terminated). The dates
    are the intake dates, or with ``date_by=decided`` the dates the outcome was decided on (as the
    appraisal counts). A value that is not one is ignored, as an unknown tab is."""
    if params.get("community"):
        queryset = queryset.filter(community__code=params["community"])
    if narrowing is not None:
        queryset = queryset.filter(narrowing.region_q())
        if narrowing.lawyer is not None:
            # As ``mediation_figures`` counts: the cases the advisor's account hosts (主持调解员).
            hosted = CaseMediator.objects.filter(user_id=narrowing.lawyer.user_id, is_primary=True)
            queryset = queryset.filter(pk__in=hosted.values("case_id"))
    field = "outcome__decided_on" if params.get("date_by") == "decided" else "intake_on"
    if start := _day(params.get("date_from")):
        queryset = queryset.filter(**{f"{field}__gte": start})
    if end := _day(params.get("date_to")):
        queryset = queryset.filter(**{f"{field}__lte": end})
    if params.get("status") in CaseStatus.values:
        queryset = queryset.filter(status=params["status"])
    if params.get("outcome") in OUTCOME_FILTERS:
        queryset = queryset.filter(OUTCOME_FILTERS[params["outcome"]])
    return queryset


def same_person_cases(party, user) -> QuerySet[MediationCase]:
    """Other cases the user may see with a party of the same 身份证号, matched by its keyed hash
    (never by the plain number)."""
    if not party.id_number_hash:
        return MediationCase.objects.none()
    return (
        cases_visible_to(user)
        .filter(parties__id_number_hash=party.id_number_hash)
        .exclude(pk=party.case_id)
        .distinct()
        .order_by("-intake_on")
    )


def open_cases(queryset: QuerySet[MediationCase]) -> QuerySet[MediationCase]:
    return queryset.filter(status__in=NOT_CLOSED)


# --- reads for the subsidy module (以案定补) -----------------------------------------------------


@dataclass(frozen=True)
class PayableCase:
    """A filed case as the subsidy module needs it: what was decided, who mediated, how complete."""

    pk: int
    number: str
    url: str
    community_id: int
    dispute_type_id: int
    grade: str
    outcome: str  # written / oral / terminated, "" when none was recorded
    intake_on: date
    completed_on: date  # the day it was filed (结案归档): the rule set of that day pays it
    mediators: tuple[tuple[int, bool], ...]  # (user id, is primary)
    file_complete: bool
    callback_done: bool
    performed: bool
    party_hashes: tuple[str, ...]


def payable_cases(
    *, region_path: str, start: date, end: date, user_ids: list[int] | None = None
) -> list[PayableCase]:
    """Cases filed between ``start`` and ``end`` (inclusive, local dates) in the communities under
    ``region_path``, optionally only those mediated by ``user_ids``; in case order. Five queries
    whatever the number of cases, so a settlement run can read an advisor batch at a time."""
    from datetime import datetime, time, timedelta

    from guwen.mediation.models import Callback, CaseMediator, Party, Performed

    tz = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=tz)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    cases = MediationCase.objects.filter(
        status="closed",
        closed_at__gte=since,
        closed_at__lt=until,
        community__path__startswith=region_path,
    )
    if user_ids is not None:
        cases = cases.filter(pk__in=CaseMediator.objects.filter(user_id__in=user_ids).values("case_id"))
    rows = list(
        cases.order_by("pk").values(
            "pk",
            "number",
            "community_id",
            "dispute_type_id",
            "grade",
            "grade_suggested",
            "outcome__kind",
            "intake_on",
            "closed_at",
        )
    )
    ids = [row["pk"] for row in rows]
    mediators: dict[int, list[tuple[int, bool]]] = {pk: [] for pk in ids}
    for case_id, user_id, primary in CaseMediator.objects.filter(case_id__in=ids).values_list(
        "case_id", "user_id", "is_primary"
    ):
        mediators[case_id].append((user_id, primary))
    present = completeness_by_id(ids)
    called = set(Callback.objects.filter(case_id__in=ids).values_list("case_id", flat=True))
    performed = set(
        Callback.objects.filter(case_id__in=ids, performed__in=[Performed.YES, Performed.NA]).values_list(
            "case_id", flat=True
        )
    )
    hashes: dict[int, list[str]] = {pk: [] for pk in ids}
    for case_id, value in (
        Party.objects.filter(case_id__in=ids)
        .exclude(id_number_hash="")
        .values_list("case_id", "id_number_hash")
    ):
        hashes[case_id].append(value)
    result = []
    for row in rows:
        have, need = present.get(row["pk"], (0, 0))
        result.append(
            PayableCase(
                pk=row["pk"],
                number=row["number"],
                url=f"/mediation/cases/{row['pk']}/",
                community_id=row["community_id"],
                dispute_type_id=row["dispute_type_id"],
                grade=row["grade"] or row["grade_suggested"] or "simple",
                outcome=row["outcome__kind"] or "",
                intake_on=row["intake_on"],
                completed_on=timezone.localtime(row["closed_at"]).date(),
                mediators=tuple(sorted(mediators[row["pk"]], key=lambda m: (not m[1], m[0]))),
                file_complete=have >= need,
                callback_done=row["pk"] in called,
                performed=row["pk"] in performed,
                party_hashes=tuple(sorted(set(hashes[row["pk"]]))),
            )
        )
    return result


def cases_with_parties(
    hashes: list[str], *, since: date, until: date
) -> list[tuple[str, int, str, int, date]]:
    """``(party hash, case id, number, dispute type id, intake date)`` of every case taken in between
    the dates with a party of one of the keyed hashes: the subsidy's same-person check."""
    from guwen.mediation.models import Party

    if not hashes:
        return []
    return list(
        Party.objects.filter(
            id_number_hash__in=hashes, case__intake_on__gte=since, case__intake_on__lte=until
        )
        .exclude(case__status="refused")
        .order_by("case_id")
        .values_list("id_number_hash", "case_id", "case__number", "case__dispute_type_id", "case__intake_on")
    )


def case_file_missing(case_id: int) -> list[str]:
    """The names of the required 卷宗 items a case lacks (the office's review before paying)."""
    case = MediationCase.objects.filter(pk=case_id).first()
    if case is None:
        return []
    return file_completeness(case).missing


# --- evaluation: counts for the appraisal -------------------------------------------------------


def mediation_figures(*, user_id: int | None, start: date, end: date) -> dict[str, int]:
    """What one primary mediator's cases decided in [start, end] came to: ``decided`` (agreed or
    terminated), ``agreed``, and of the agreed ones ``called_back`` (at least one 回访)."""
    empty = {"decided": 0, "agreed": 0, "called_back": 0}
    if user_id is None:
        return empty
    rows = MediationCase.objects.filter(
        mediators__user_id=user_id,
        mediators__is_primary=True,
        outcome__decided_on__gte=start,
        outcome__decided_on__lte=end,
    )
    agreed = Q(outcome__kind__in=[OutcomeKind.WRITTEN, OutcomeKind.ORAL])
    figures = rows.aggregate(
        decided=Count("pk", distinct=True),
        agreed=Count("pk", filter=agreed, distinct=True),
        called_back=Count("pk", filter=agreed & Q(callbacks__isnull=False), distinct=True),
    )
    return {key: figures[key] or 0 for key in empty}
