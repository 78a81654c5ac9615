"""Scope selector cost: the scoped community list every work page builds, against the same query
written directly (the floor), side by side in one run on one database.

Run with `make bench` (or `.venv/bin/python benchmarks/bench_scope.py`). Uses a throwaway SQLite
file under the system's temporary directory unless DATABASE_URL is set. Imports the whole Shenzhen
tree from ../shared/data/divisions/shenzhen.csv when it is there, else the shipped Nanwan rows.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import date
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

from django.core.management import call_command  # noqa: E402
from django.db.models import Prefetch  # noqa: E402
from django.test import Client  # noqa: E402

from guwen.accounts.scope import forget_memberships, regions_visible_to  # noqa: E402
from guwen.regions.models import Assignment, Region  # noqa: E402
from guwen.regions.selectors import communities_with_advisors, current_assignments  # noqa: E402
from guwen.testing import make_lawyer, make_user, valid_credit_code  # noqa: E402

ROUNDS = 200


def setup() -> tuple:
    call_command("migrate", verbosity=0)
    shared = ROOT.parent / "shared" / "data" / "divisions" / "shenzhen.csv"
    source = shared if shared.exists() else ROOT / "guwen" / "regions" / "data" / "nanwan.csv"
    call_command("import_regions", str(source), stdout=open(os.devnull, "w"))  # noqa: SIM115
    from guwen.regions import services

    firm = services.lawfirm_create(name="基准律所", credit_code=valid_credit_code(1), by=None)
    for community in Region.objects.filter(level="community"):
        lawyer = make_lawyer(firm, f"律师{community.code[-6:]}")
        services.assignment_create(lawyer=lawyer, community=community, starts_on=date(2025, 1, 1), by=None)
    district = Region.objects.get(code="440307000000")
    user = make_user("bench_bureau", "bureau", region=district)
    return user, district, source.name


def timed(fn) -> list[float]:
    fn()
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(label: str, samples: list[float]) -> float:
    samples.sort()
    p50 = statistics.median(samples)
    p99 = samples[int(len(samples) * 0.99) - 1]
    print(f"  {label:<44} p50 {p50:7.2f} ms   p99 {p99:7.2f} ms")
    return p50


def main() -> None:
    user, district, source = setup()
    communities = Region.objects.filter(path__startswith=district.path, level="community").count()
    print(
        f"scope benchmark: {Region.objects.count()} regions from {source}, "
        f"bureau of 龙岗区 sees {communities} communities, "
        f"{Assignment.objects.count()} assignments; {ROUNDS} rounds each"
    )

    def scoped():
        forget_memberships(user)  # as on a fresh request
        return list(communities_with_advisors(regions_visible_to(user)))

    def direct():
        return list(
            Region.objects.filter(path__startswith=district.path, level="community")
            .select_related("parent")
            .prefetch_related(
                Prefetch(
                    "assignments",
                    queryset=current_assignments().select_related("lawyer", "firm"),
                    to_attr="current",
                )
            )
            .order_by("code")
        )

    assert len(scoped()) == len(direct())
    base = report("baseline: the same query written directly", timed(direct))
    ours = report("scoped: regions_visible_to + list selector", timed(scoped))
    print(f"  overhead of the scope selector: {ours / base:.2f}x the direct query")

    client = Client()
    client.force_login(user)
    assert client.get("/regions/").status_code == 200
    page = report("page: GET /regions/ (50 per page, rendered)", timed(lambda: client.get("/regions/")))
    health = report("floor: GET /healthz (same client, same stack)", timed(lambda: client.get("/healthz")))
    print(f"  page vs health floor: {page / health:.1f}x")


if __name__ == "__main__":
    main()
