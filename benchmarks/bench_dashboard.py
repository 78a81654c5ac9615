"""The dashboard at city scale: the `/reports/` sections and `GET /api/v1/reports/summary` for a
community, a street, a district and the city over the default period (the last twelve months),
each beside hand-written SQL that aggregates the same records (consultations, duty shifts,
activities and mediation cases of the region and period, grouped as the charts group them) in the
same run, on the same database. The issue's target: the dashboard's p95 at most 3× the SQL's.
Measured twice: counted from
the records, then with the monthly rollup of consultations (guwen/reports/rollups.py) refreshed.

Data: `manage.py generate_city` (guwen/demo/city.py) at GUWEN_BENCH_SCALE (default 0.1; 1 is
Shenzhen, about 500,000 consultations a year), GUWEN_BENCH_YEARS (default 1) and seed 1, over the
Shenzhen divisions when ../shared/data is there. Uses a throwaway SQLite file unless DATABASE_URL
is set; on a database already generated the generator skips what is built, so a second run
measures at once. GUWEN_BENCH_ROUNDS (default 7) rounds per figure; GUWEN_BENCH_COMMUNITIES (default
all) builds only that many communities, spread over the city.

Run: `.venv/bin/python benchmarks/bench_dashboard.py` (or `make bench`).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='guwen-bench-')}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guwen.settings")
os.environ.setdefault("GUWEN_WAIVE_STAFF_TOTP", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from guwen.accounts.models import User  # noqa: E402
from guwen.consultations.models import Consultation  # noqa: E402
from guwen.demo import city  # noqa: E402
from guwen.regions.models import Level, Region  # noqa: E402
from guwen.reports import rollups, sections  # noqa: E402
from guwen.reports.models import RolledMonth  # noqa: E402
from guwen.reports.scope import default_period  # noqa: E402
from guwen.testing import make_user  # noqa: E402

SCALE = float(os.environ.get("GUWEN_BENCH_SCALE", "0.1"))
YEARS = int(os.environ.get("GUWEN_BENCH_YEARS", "1"))
ROUNDS = int(os.environ.get("GUWEN_BENCH_ROUNDS", "7"))
COMMUNITIES = int(os.environ.get("GUWEN_BENCH_COMMUNITIES", "0")) or None  # all of them


def _month(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"to_char({column} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')"
    return f"strftime('%%Y-%%m', {column}, '+8 hours')"


def baseline_sql() -> list[str]:
    """The same records, grouped as the charts group them, written by hand: one statement per
    table, the region's communities by path prefix, the period as a range on the stored column."""
    return [
        # The month expression is a constant of this file, not input.
        f"""SELECT c.status, c.level, c.channel, {_month("c.created_at")},
                   COUNT(*), SUM(CASE WHEN c.first_response_at <= c.first_due_at THEN 1 ELSE 0 END),
                   AVG(c.minutes_to_first_response), AVG(c.minutes_to_close)
              FROM consultations_consultation c
             WHERE c.community_id IN (SELECT id FROM regions_region WHERE path LIKE %(path)s)
               AND c.created_at >= %(start)s AND c.created_at < %(end)s
             GROUP BY 1, 2, 3, 4""",  # noqa: S608
        """SELECT s.status, s.date, COUNT(*), SUM(s.held_minutes)
             FROM duty_dutyshift s
            WHERE s.community_id IN (SELECT id FROM regions_region WHERE path LIKE %(path)s)
              AND s.date >= %(first)s AND s.date <= %(last)s
            GROUP BY 1, 2""",
        """SELECT a.kind, a.status, COUNT(*), SUM(a.audience_count)
             FROM outreach_activity a
            WHERE a.community_id IN (SELECT id FROM regions_region WHERE path LIKE %(path)s)
              AND a.date >= %(first)s AND a.date <= %(last)s
            GROUP BY 1, 2""",
        """SELECT m.status, o.kind, m.intake_on, COUNT(*), SUM(m.amount)
             FROM mediation_mediationcase m LEFT JOIN mediation_outcome o ON o.case_id = m.id
            WHERE m.community_id IN (SELECT id FROM regions_region WHERE path LIKE %(path)s)
              AND m.intake_on >= %(first)s AND m.intake_on <= %(last)s
            GROUP BY 1, 2, 3""",
    ]


def timed(fn) -> tuple[list[float], int]:
    """Times of ``ROUNDS`` calls after one warm-up, and the queries of the last call."""
    fn()
    samples, queries = [], 0
    for _ in range(ROUNDS):
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - began) * 1000)
        queries = len(captured.captured_queries)
    return sorted(samples), queries


def p95(samples: list[float]) -> float:
    return samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]


def main() -> None:
    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    result = city.generate(
        city.Options(
            scale=SCALE, years=YEARS, seed=1, divisions=city.default_divisions(), communities=COMMUNITIES
        )
    )
    built = time.perf_counter() - began
    total = Consultation.objects.count()
    print(
        f"dashboard benchmark: {connection.vendor}, scale {SCALE}, {YEARS} year(s): "
        f"{result.communities} communities, {result.advisors} advisors, {total:,} consultations "
        f"(generated {result.built} communities in {built:.0f} s); {ROUNDS} rounds each"
    )
    user = User.objects.filter(username="bench_city").first() or make_user("bench_city", "sysadmin")
    client = Client()
    client.force_login(user)
    period = default_period()
    community = (
        Region.objects.filter(level=Level.COMMUNITY, pk__in=Consultation.objects.values("community_id"))
        .select_related("parent__parent__parent")
        .order_by("code")
        .first()
    )
    levels = [community, community.parent, community.parent.parent, community.parent.parent.parent]
    start, end = period.moments()
    params = {
        "start": connection.ops.adapt_datetimefield_value(start),
        "end": connection.ops.adapt_datetimefield_value(end),
        "first": period.start,
        "last": period.end,
    }
    print(f"  period {period.start} – {period.end}; times in ms (p50 / p95)")
    RolledMonth.objects.all().delete()
    print("  counted from the records (no rollup):")
    measure(levels, period, params, client)
    began = time.perf_counter()
    rolled = rollups.consultation_months_refresh(months=rollups.all_months())
    print(f"  with the monthly rollup ({rolled:,} rows refreshed in {time.perf_counter() - began:.1f} s):")
    measure(levels, period, params, client)
    print("  ratio: API p95 / SQL p95 (target ≤ 3×)")
    city_region = levels[-1]
    print(f"  city sections one by one, with the rollup (ms, {ROUNDS} rounds, p50):")
    for s in sections.registered():
        samples, queries = timed(lambda s=s: s.build(city_region, period))
        print(f"    {s.name:<15}{statistics.median(samples):9.1f}  {queries:>3} queries")


def measure(levels: list[Region], period, params: dict, client: Client) -> None:
    start, end = period.moments()
    print(
        f"  {'level':<10}{'rows':>9}  {'SQL baseline':>15}  "
        f"{'sections':>15} {'q':>3}  {'API':>15} {'q':>3}  ratio"
    )
    for region in levels:
        args = {**params, "path": region.path + "%"}

        def baseline(args=args):
            with connection.cursor() as cursor:
                for statement in baseline_sql():
                    cursor.execute(statement, args)
                    cursor.fetchall()

        def page(region=region):
            sections.build_all(region, period)

        def api(region=region):
            response = client.get(f"/api/v1/reports/summary?region={region.code}")
            assert response.status_code == 200, response.content[:200]

        rows = Consultation.objects.filter(
            community__path__startswith=region.path, created_at__gte=start, created_at__lt=end
        ).count()
        base, _q = timed(baseline)
        built_samples, built_q = timed(page)
        api_samples, api_q = timed(api)
        ratio = p95(api_samples) / p95(base)
        print(
            f"  {region.get_level_display():<10}{rows:>9,}  "
            f"{statistics.median(base):7.1f}/{p95(base):7.1f}  "
            f"{statistics.median(built_samples):7.1f}/{p95(built_samples):7.1f} {built_q:>3}  "
            f"{statistics.median(api_samples):7.1f}/{p95(api_samples):7.1f} {api_q:>3}  "
            f"{ratio:5.1f}×"
        )


if __name__ == "__main__":
    main()
