"""The appraisal's live preview with and without the shared cache: queries and time to preview
every advisor's appraisal of the year (what /evaluation/ does for the office and the bureau), and
the /evaluation/ page itself for the bureau, cold (the preview namespace just bumped) and warm.

Run against the demo database for realistic figures:

    DATABASE_URL=sqlite:////tmp/demo/db.sqlite3 .venv/bin/python benchmarks/bench_appraisal_preview.py

Without DATABASE_URL it builds the small test world in a throwaway SQLite file (few records, so the
cold figures are a floor).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OWN_DB = "DATABASE_URL" not in os.environ
if OWN_DB:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='guwen-bench-')}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guwen.settings")
os.environ.setdefault("GUWEN_WAIVE_STAFF_TOTP", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from guwen.accounts.models import Membership, Role, User  # noqa: E402
from guwen.evaluation import services  # noqa: E402
from guwen.evaluation.models import Appraisal  # noqa: E402

ROUNDS = 5
# Django keeps only the last 9,000 queries of a connection; the counts here are below that per round.
warnings.filterwarnings("ignore", "Limit for query logging")


def setup() -> None:
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if not OWN_DB:
        return
    from guwen.testing import build_world

    world = build_world()
    services.default_tables_ensure()
    for lawyer in (world.lawyer_a, world.lawyer_b, world.lawyer_c):
        services.appraisal_open(lawyer=lawyer, year=timezone.localdate().year, by=world.user("sysadmin"))


def measure(label: str, fn, *, cold: bool) -> None:
    queries, times = [], []
    for _ in range(ROUNDS):
        if cold:
            services.preview_cache_bump()
        else:
            fn()  # make sure the values are stored
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        queries.append(len(captured))
    print(f"{label:<44} {statistics.median(queries):>7.0f} queries {statistics.median(times):>9.1f} ms")


def main() -> None:
    setup()
    year = timezone.localdate().year
    appraisals = list(Appraisal.objects.filter(year=year, status="draft").select_related("lawyer__firm"))
    print(f"{len(appraisals)} draft appraisals of {year}; median of {ROUNDS} rounds")

    def previews():
        for appraisal in appraisals:
            services.appraisal_preview(appraisal)

    measure("all previews, cold (computed)", previews, cold=True)
    measure("all previews, warm (shared cache)", previews, cold=False)
    bureau = User.objects.filter(
        pk__in=Membership.objects.filter(role=Role.BUREAU).values("user_id"), is_active=True
    ).first()
    if bureau is not None:
        client = Client()
        client.force_login(bureau)

        def page():
            assert client.get(f"/evaluation/?year={year}").status_code == 200

        measure("/evaluation/ for the bureau, cold", page, cold=True)
        measure("/evaluation/ for the bureau, warm", page, cold=False)


if __name__ == "__main__":
    main()
