"""Settling a city month (以案定补) against a hand-written SQL aggregate of the same records, in one
run on one database, with the peak Python memory of each (tracemalloc).

A fixture of its own, written with bulk inserts: districts of N advisors, each with R records in
the month (80 % consultations answered within their deadline, 20 % mediation cases filed with a
written agreement, a callback and a complete file, graded in turn). The settlement reads them
through the lower modules' selectors, computes lines, caps, flags and the callback sample, and
writes settlements and lines; the baseline is one SQL statement that sums the same records' amounts
by advisor and grade (what a spreadsheet would do), without lines, rules, flags or writes.

Memory: a second district with twice the advisors is settled the same way; its peak must stay
within 1.5× of the first (advisors are settled in batches of 50, so memory does not grow with
the month).

Targets: settlement ≤ 5× the baseline's time is the issue's goal; both figures are printed.
Run: `.venv/bin/python benchmarks/bench_subsidy.py` (or `make bench`). Size: GUWEN_BENCH_ADVISORS
(default 100; 1000 is a city) and GUWEN_BENCH_RECORDS (records per advisor, default 100). Uses a
throwaway SQLite file unless DATABASE_URL is set.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import tracemalloc
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='guwen-bench-')}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guwen.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from guwen.accounts.models import User  # noqa: E402
from guwen.consultations.models import Consultation  # noqa: E402
from guwen.mediation import reference  # noqa: E402
from guwen.mediation.models import (  # noqa: E402
    Callback,
    CaseMediator,
    DisputeType,
    FileItem,
    FileItemKind,
    MediationCase,
    Outcome,
)
from guwen.regions.models import Assignment, LawFirm, Lawyer, Region  # noqa: E402
from guwen.subsidy.defaults import ensure  # noqa: E402
from guwen.subsidy.models import Settlement, SettlementLine  # noqa: E402
from guwen.subsidy.services import settle_district_month  # noqa: E402
from guwen.testing import valid_credit_code, valid_licence, valid_phone  # noqa: E402

ADVISORS = int(os.environ.get("GUWEN_BENCH_ADVISORS", "100"))
RECORDS = int(os.environ.get("GUWEN_BENCH_RECORDS", "100"))
MONTH = date(2026, 3, 1)
GRADES = ["simple", "ordinary", "major", "special"]
_serial = iter(range(1, 10_000_000))


def _region(code: str, name: str, level: str, parent: Region | None) -> Region:
    path = (parent.path if parent else "") + code + "/"
    return Region.objects.create(code=code, name=name, full_name=name, level=level, parent=parent, path=path)


def build_district(code: str, advisors: int, city: Region, firm: LawFirm) -> Region:
    """A district with one street per 100 advisors, one community per advisor, and the month's work."""
    district = _region(code, f"区{code[4:6]}", "district", city)
    at = timezone.make_aware(datetime.combine(MONTH + timedelta(days=9), dtime(10)))
    neighbour = DisputeType.objects.get(code="neighbour")
    required = list(FileItemKind.objects.filter(required=True))
    cases_each = RECORDS // 5
    for block in range(0, advisors, 100):
        street = _region(
            f"{code[:6]}{block // 100 + 1:03d}000", f"街道{block // 100 + 1}", "street", district
        )
        size = min(100, advisors - block)
        with transaction.atomic():
            communities = [
                Region(
                    code=f"{street.code[:9]}{k + 1:03d}",
                    name=f"社区{k + 1}",
                    full_name=f"社区{k + 1}",
                    level="community",
                    parent=street,
                    path=f"{street.path}{street.code[:9]}{k + 1:03d}/",
                )
                for k in range(size)
            ]
            Region.objects.bulk_create(communities)
            n0 = next(_serial)
            users = User.objects.bulk_create(
                User(username=f"b{code}-{block}-{k}-{n0}", password="!") for k in range(size)
            )
            lawyers = Lawyer.objects.bulk_create(
                Lawyer(
                    name=f"律师{k}",
                    licence_number=valid_licence(next(_serial)),
                    firm=firm,
                    phone=valid_phone(next(_serial) % 100_000_000),
                    user=user,
                )
                for k, user in enumerate(users)
            )
            Assignment.objects.bulk_create(
                Assignment(
                    lawyer=lawyer, community=community, firm=firm, role="primary", starts_on=date(2025, 1, 1)
                )
                for lawyer, community in zip(lawyers, communities, strict=True)
            )
            Consultation.objects.bulk_create(
                Consultation(
                    community=community,
                    channel="web",
                    text="工资被拖欠怎么办",
                    owner=user,
                    status="answered",
                    receipt_code=f"{next(_serial):08d}",
                    first_due_at=at + timedelta(hours=4),
                    first_response_at=at,
                    created_at=at - timedelta(hours=1),
                )
                for user, community in zip(users, communities, strict=True)
                for _ in range(RECORDS - cases_each)
            )
            cases = MediationCase.objects.bulk_create(
                MediationCase(
                    community=community,
                    year=MONTH.year,
                    serial=n,
                    number=f"（{MONTH.year}）{community.code}第{n:04d}号",
                    source="application",
                    dispute_type=neighbour,
                    title="邻里纠纷",
                    summary="噪音",
                    status="closed",
                    grade=GRADES[n % 4],
                    intake_on=MONTH,
                    due_on=MONTH + timedelta(days=30),
                    closed_at=at,
                )
                for community in communities
                for n in range(1, cases_each + 1)
            )
            owners = [user for user in users for _ in range(cases_each)]
            CaseMediator.objects.bulk_create(
                CaseMediator(case=case, user=user, is_primary=True)
                for case, user in zip(cases, owners, strict=True)
            )
            Outcome.objects.bulk_create(
                Outcome(case=case, kind="written", decided_on=MONTH) for case in cases
            )
            Callback.objects.bulk_create(
                Callback(
                    case=case,
                    called_on=MONTH + timedelta(days=5),
                    method="phone",
                    interviewee="当事人",
                    performed="yes",
                    satisfaction="satisfied",
                )
                for case in cases
            )
            FileItem.objects.bulk_create(
                FileItem(
                    case=case, kind=kind, file="bench.png", content_type="image/png", size=1, sha256="0" * 64
                )
                for case in cases
                for kind in required
            )
    return district


BASELINE_SQL = """
SELECT advisor, grade, COUNT(*), SUM(amount) FROM (
  SELECT c.owner_id AS advisor, 'online_answer' AS grade, a.amount AS amount
    FROM consultations_consultation c
    JOIN regions_region r ON r.id = c.community_id
    JOIN subsidy_ruleamount a ON a.rule_set_id = %(rules)s AND a.item = 'online_answer'
   WHERE r.path LIKE %(path)s AND c.first_response_at >= %(start)s AND c.first_response_at < %(end)s
     AND c.first_response_at <= c.first_due_at
  UNION ALL
  SELECT m.user_id, k.grade, a.amount
    FROM mediation_mediationcase k
    JOIN mediation_casemediator m ON m.case_id = k.id
    JOIN regions_region r ON r.id = k.community_id
    JOIN subsidy_ruleamount a ON a.rule_set_id = %(rules)s AND a.item = k.grade
   WHERE r.path LIKE %(path)s AND k.status = 'closed' AND k.closed_at >= %(start)s AND k.closed_at < %(end)s
) work GROUP BY advisor, grade
"""


def baseline(district: Region) -> tuple[float, int, float]:
    from guwen.subsidy.models import RuleSet

    rules = RuleSet.objects.get(district__isnull=True).pk
    start = timezone.make_aware(datetime.combine(MONTH, dtime.min))
    end = timezone.make_aware(datetime.combine(date(MONTH.year, MONTH.month + 1, 1), dtime.min))
    tracemalloc.start()
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            BASELINE_SQL, {"rules": rules, "path": district.path + "%", "start": start, "end": end}
        )
        rows = cursor.fetchall()
    took = time.perf_counter() - began
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return took, len(rows), peak / 1024 / 1024


def settle(district: Region) -> tuple[float, int]:
    """The time of a first settlement of the district month (tracemalloc off: it slows Python)."""
    began = time.perf_counter()
    settle_district_month(district=district, month=MONTH)
    took = time.perf_counter() - began
    return took, SettlementLine.objects.filter(settlement__district=district).count()


class _Undo(Exception):
    pass


def bare_write(district: Region) -> float:
    """The time of writing the settlement's lines alone with one ``bulk_create`` (what any design
    that stores a line per record pays at least), rolled back: the lines are read, deleted and
    written again inside a transaction that is then undone."""
    lines = list(SettlementLine.objects.filter(settlement__district=district))
    for line in lines:
        line.pk = None
    took = 0.0
    try:
        with transaction.atomic():
            SettlementLine.objects.filter(settlement__district=district).delete()
            began = time.perf_counter()
            SettlementLine.objects.bulk_create(lines, batch_size=1000)
            took = time.perf_counter() - began
            raise _Undo
    except _Undo:
        pass
    return took


def peak_memory(district: Region) -> float:
    """The peak Python memory of settling the month again (drafts are recomputed, same work)."""
    tracemalloc.start()
    settle_district_month(district=district, month=MONTH)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024 / 1024


def main() -> None:
    call_command("migrate", verbosity=0)
    reference.ensure()
    ensure()
    city = _region("440300000000", "深圳市", "city", None)
    firm = LawFirm.objects.create(name="基准律所", credit_code=valid_credit_code(1))
    began = time.perf_counter()
    small = build_district("440307000000", ADVISORS, city, firm)
    large = build_district("440308000000", ADVISORS * 2, city, firm)
    # Planner statistics, as autovacuum (PostgreSQL) or a maintained database has them: without
    # them PostgreSQL guesses a district has two communities and walks every filed case of the
    # district for each one (2.8 s instead of 30 ms per batch of a 1,000-advisor month).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"subsidy settlement: {ADVISORS} advisors × {RECORDS} records (and {ADVISORS * 2} × {RECORDS}), "
        f"{connection.vendor}; fixture built in {time.perf_counter() - began:.1f} s"
    )
    base_time, groups, base_peak = baseline(small)
    took, lines = settle(small)
    peak = peak_memory(small)
    rows = f"{groups} advisor×grade rows"
    print(f"  baseline SQL aggregate         {base_time * 1000:9.1f} ms   peak {base_peak:6.1f} MiB   {rows}")
    print(f"  settlement (lines, flags)      {took * 1000:9.1f} ms   peak {peak:6.1f} MiB   {lines} lines")
    print(f"  ratio settlement / baseline    {took / base_time:9.1f} ×   (target ≤ 5×)")
    bare = bare_write(small)
    print(
        f"  bare bulk_create of the lines  {bare * 1000:9.1f} ms   = {bare / base_time:.1f} × the baseline "
        "(the floor for stored lines)"
    )
    took2, lines2 = settle(large)
    peak2 = peak_memory(large)
    print(f"  twice the advisors             {took2 * 1000:9.1f} ms   peak {peak2:6.1f} MiB   {lines2} lines")
    flat = peak2 <= peak * 1.5
    verdict = "flat" if flat else "NOT flat"
    print(f"  peak memory doubled month / month  {peak2 / peak:5.2f} ×   ({verdict}; target ≤ 1.5×)")
    totals = sum(Settlement.objects.filter(district=small).values_list("total", flat=True))
    print(
        f"  settled total {totals} yuan over {Settlement.objects.filter(district=small).count()} settlements"
    )


if __name__ == "__main__":
    main()
