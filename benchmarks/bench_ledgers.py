"""Ledgers at city scale: the Excel export of a year's consultations ledger (the largest) for a
district, and the Excel import of a consultations ledger, each beside a baseline measured in the
same run on the same database.

Export: the district with the most consultations in the last year of the generated city, written
by ``guwen.reports.ledgers.write_ledger`` for half of that year (about N rows) and for the whole
year (about 2N rows): time and peak Python memory (tracemalloc, a second pass), beside hand-written
SQL that reads the same rows and columns (the same join, iterated with fetchmany). The issue's
target: peak memory flat as rows grow (the export streams, it does not build the sheet in memory).

Import: a generated consultations ledger (.xlsx, the export's layout) of GUWEN_BENCH_IMPORT_ROWS
rows (default 20,000; the issue's case is 100,000, the import's limit) in a year before the city's
data, through ``guwen.reports.imports.check`` + ``run`` (read, check every row, look for duplicates,
write in batches), beside a bare ``bulk_create`` of the same rows into the same model. Each is
rolled back after it is measured. The issue's target: the import's rate at least a third of the
bare rate.

Data: ``manage.py generate_city`` (guwen/demo/city.py) at GUWEN_BENCH_SCALE (default 0.1: a
district's year is then several of the export's 2,000-row chunks) and seed 1, over the Shenzhen
divisions when ../shared/data is there. A throwaway SQLite file unless DATABASE_URL is set; a
database already generated is reused.

Run: `.venv/bin/python benchmarks/bench_ledgers.py` (or `make bench`); the full size:
`GUWEN_BENCH_SCALE=1 GUWEN_BENCH_IMPORT_ROWS=100000 .venv/bin/python benchmarks/bench_ledgers.py`.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='guwen-bench-')}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guwen.settings")
os.environ.setdefault("GUWEN_WAIVE_STAFF_TOTP", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from guwen.accounts.models import User  # noqa: E402
from guwen.consultations.models import Channel, Consultation, Status  # noqa: E402
from guwen.consultations.services.intake import new_receipt_code  # noqa: E402
from guwen.core.workcalendar import CHINA_TZ  # noqa: E402
from guwen.demo import city  # noqa: E402
from guwen.regions.models import Level, Region  # noqa: E402
from guwen.reports import imports  # noqa: E402
from guwen.reports.ledgers import LEDGERS, _bounds, write_ledger  # noqa: E402
from guwen.testing import make_user  # noqa: E402

SCALE = float(os.environ.get("GUWEN_BENCH_SCALE", "0.1"))
IMPORT_ROWS = int(os.environ.get("GUWEN_BENCH_IMPORT_ROWS", "20000"))
BATCH = 1000
TOPICS = (
    "劳动合同到期后单位不续签，能否要求经济补偿",
    "租房押金退还纠纷，房东以房屋损坏为由拒退",
    "邻居装修噪音影响休息，物业协调无果",
    "父母赡养费用分担，兄弟姐妹意见不一",
    "网购商品质量问题，商家拒绝七日无理由退货",
    "工伤认定申请材料及时限",
)

BASELINE_EXPORT_SQL = """
SELECT c.created_at, r.name, c.resident_name, c.phone_masked, c.channel, c.category,
       c.category_suggested, SUBSTR(c.text, 1, 500), u.username, c.first_response_at, c.status,
       c.closed_at
  FROM consultations_consultation c
  JOIN regions_region r ON r.id = c.community_id
  LEFT JOIN accounts_user u ON u.id = c.owner_id
 WHERE r.path LIKE %(path)s AND c.created_at >= %(lo)s AND c.created_at < %(hi)s
 ORDER BY c.created_at, c.id"""


def mb(n: int) -> str:
    return f"{n / 2**20:6.1f} MB"


def main() -> None:
    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    result = city.generate(city.Options(scale=SCALE, years=1, seed=1, divisions=city.default_divisions()))
    print(
        f"ledger benchmark: {connection.vendor}, scale {SCALE}: {result.communities} communities, "
        f"{Consultation.objects.count():,} consultations (generated in {time.perf_counter() - began:.0f} s)"
    )
    user = User.objects.filter(username="bench_city").first() or make_user("bench_city", "sysadmin")
    export(user)
    import_(user)


# --- export ---------------------------------------------------------------------------------------


def export(user) -> None:
    last = Consultation.objects.aggregate(at=Max("created_at"))["at"].astimezone(CHINA_TZ).date()
    first = last - timedelta(days=364)
    lo, hi = _bounds(first, last)
    in_year = Consultation.objects.filter(created_at__gte=lo, created_at__lt=hi)
    districts = Region.objects.filter(level=Level.DISTRICT)
    district = max(districts, key=lambda d: in_year.filter(community__path__startswith=d.path).count())
    communities = Region.objects.filter(level=Level.COMMUNITY, path__startswith=district.path)
    rows = in_year.filter(community__in=communities)
    # The date by which half the year's rows are in: the N of "N and 2N".
    half = rows.count() // 2
    middle = rows.order_by("created_at").values_list("created_at", flat=True)[half]
    middle = middle.astimezone(CHINA_TZ).date()
    ledger = LEDGERS["consultations"]
    print(f"\n  export: {ledger.title} of {district.name}, {first} – {last}")
    print(f"  {'rows':>9}  {'SQL read':>9}  {'export':>9}  {'rows/s':>8}  {'peak memory':>11}  {'file':>9}")
    peaks = []
    for end in (middle, last):
        n = rows.filter(created_at__lt=_bounds(first, end)[1]).count()
        params = {
            "path": district.path + "%",
            "lo": connection.ops.adapt_datetimefield_value(lo),
            "hi": connection.ops.adapt_datetimefield_value(_bounds(first, end)[1]),
        }
        began = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(BASELINE_EXPORT_SQL, params)
            read = 0
            while chunk := cursor.fetchmany(2000):
                read += len(chunk)
        sql_time = time.perf_counter() - began
        assert read == n, (read, n)
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "ledger.xlsx"
            began = time.perf_counter()
            written = write_ledger(
                target, ledger=ledger, region=district, communities=communities, start=first, end=end
            )
            export_time = time.perf_counter() - began
            size = target.stat().st_size
            tracemalloc.start()
            write_ledger(
                target, ledger=ledger, region=district, communities=communities, start=first, end=end
            )
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        assert written == n, (written, n)
        peaks.append((n, peak))
        print(
            f"  {n:>9,}  {sql_time:8.2f}s  {export_time:8.2f}s  {n / export_time:8,.0f}  "
            f"{mb(peak):>11}  {mb(size):>9}"
        )
    (n1, p1), (n2, p2) = peaks
    growth = p2 / p1
    print(
        f"  peak memory ×{growth:.2f} for rows ×{n2 / n1:.2f} "
        f"(target: flat, ≤ 1.25×): {'met' if growth <= 1.25 else 'NOT met'}"
    )


# --- import ---------------------------------------------------------------------------------------


def ledger_file(path: Path, user, rows: int) -> list[dict]:
    """A consultations ledger in the export's layout, in a year before the city's data (so no row is
    a duplicate), and the same rows as Consultation fields for the bare insert."""
    ctx = imports._context(user)
    community_names = sorted(ctx.communities)[:50]
    lawyer_names = sorted(set(ctx.lawyers) - ctx.ambiguous_lawyers)[:40] or [""]
    year = Consultation.objects.order_by("created_at").first().created_at.year - 2
    start = datetime(year, 1, 1, 8, 0, tzinfo=CHINA_TZ)
    channels = [str(label) for _v, label in Channel.choices]
    statuses = {str(Status.CLOSED.label): Status.CLOSED, str(Status.ANSWERED.label): Status.ANSWERED}
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(LEDGERS["consultations"].title))
    sheet.append(["台账"])
    sheet.append(["序号", *LEDGERS["consultations"].headers])
    records = []
    for i in range(rows):
        created = start + timedelta(minutes=5 * i)
        first = created + timedelta(hours=3)
        status_label = list(statuses)[i % 2]
        closed = first + timedelta(days=1) if statuses[status_label] == Status.CLOSED else None
        community = ctx.communities[community_names[i % len(community_names)]]
        lawyer = lawyer_names[i % len(lawyer_names)]
        channel = channels[i % len(channels)]
        text = f"{TOPICS[i % len(TOPICS)]}（第 {i + 1} 件）"
        sheet.append(
            [
                i + 1,
                created.strftime("%Y-%m-%d %H:%M"),
                community.name,
                "张先生",
                f"139****{i % 10000:04d}",
                channel,
                "劳动",
                text,
                lawyer,
                first.strftime("%Y-%m-%d %H:%M"),
                status_label,
                closed.strftime("%Y-%m-%d %H:%M") if closed else "",
            ]
        )
        records.append(
            {
                "community": community,
                "channel": {str(label): v for v, label in Channel.choices}[channel],
                "resident_name": "张先生",
                "phone_masked": f"139****{i % 10000:04d}",
                "category": "劳动",
                "category_confirmed": True,
                "text": text,
                "owner": ctx.lawyers[lawyer].user if lawyer else None,
                "status": statuses[status_label],
                "created_at": created,
                "first_response_at": first,
                "answered_at": first,
                "closed_at": closed,
            }
        )
    book.save(path)
    return records


class Rollback(Exception):
    pass


def rolled_back(fn):
    """Time ``fn`` inside a transaction that is then rolled back, so each measure starts alike."""
    began = time.perf_counter()
    try:
        with transaction.atomic():
            value = fn()
            elapsed = time.perf_counter() - began
            raise Rollback
    except Rollback:
        pass
    return elapsed, value


def import_(user) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "import.xlsx"
        began = time.perf_counter()
        records = ledger_file(path, user, IMPORT_ROWS)
        size = path.stat().st_size
        print(
            f"\n  import: {IMPORT_ROWS:,} consultations ledger rows ({mb(size).strip()} .xlsx, "
            f"written in {time.perf_counter() - began:.1f} s)"
        )
        before = Consultation.objects.count()

        def bare():
            made = 0
            for start in range(0, len(records), BATCH):
                chunk = records[start : start + BATCH]
                batch = [Consultation(receipt_code=new_receipt_code(), **row) for row in chunk]
                made += len(Consultation.objects.bulk_create(batch))
            return made

        def real():
            with path.open("rb") as handle:
                return imports.run(handle=handle, size=size, kind="consultations", user=user, source="bench")

        bare_time, made = rolled_back(bare)
        assert made == IMPORT_ROWS, made
        began = time.perf_counter()
        with path.open("rb") as handle:
            checked = imports.check(handle=handle, size=size, kind="consultations", user=user)
        check_time = time.perf_counter() - began
        assert checked.ok and len(checked.records) == IMPORT_ROWS, (checked.errors[:3], len(checked.records))
        run_time, result = rolled_back(real)
        assert result.ok and len(result.records) == IMPORT_ROWS
        assert Consultation.objects.count() == before
    bare_rate, run_rate = IMPORT_ROWS / bare_time, IMPORT_ROWS / run_time
    print(f"  {'':<34}{'seconds':>9}  {'rows/s':>8}")
    print(f"  {'bare bulk_create':<34}{bare_time:9.2f}  {bare_rate:8,.0f}")
    print(f"  {'imports.check (dry run)':<34}{check_time:9.2f}  {IMPORT_ROWS / check_time:8,.0f}")
    print(f"  {'imports.run (check + write)':<34}{run_time:9.2f}  {run_rate:8,.0f}")
    ratio = run_rate / bare_rate
    print(f"  import rate / bare rate {ratio:.2f} (target ≥ 0.33): {'met' if ratio >= 1 / 3 else 'NOT met'}")


if __name__ == "__main__":
    main()
