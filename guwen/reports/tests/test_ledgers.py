"""Ledgers (台账): written by the worker in the offices' layout with personal data masked, downloaded
only by the one who asked, expired by the sweep; a chart's table downloads as CSV; bad requests
refused in Chinese with nothing queued."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from guwen.reports import services
from guwen.reports.models import ExportStatus, LedgerExport

pytestmark = pytest.mark.django_db


def _export(client, world, kind: str, region=None, start="2026-01-01", end="2026-03-20", capture=None):
    body = {"region": (region or world.street).code, "kind": kind, "start": start, "end": end}
    with capture(execute=True):
        response = client.post("/reports/ledgers/", body)
    return response


def _sheet(client, export: LedgerExport):
    response = client.get(f"/reports/exports/{export.pk}/download/")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def test_each_ledger_is_written_in_the_offices_layout(
    world, records, client_for, django_capture_on_commit_callbacks
):
    office = client_for("office")
    response = _export(office, world, "consultations", capture=django_capture_on_commit_callbacks)
    export = LedgerExport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/exports/{export.pk}/"
    assert export.status == ExportStatus.DONE and export.rows_total == 2
    page = office.get(f"/reports/exports/{export.pk}/").content.decode()
    assert "下载 Excel" in page
    rows = _sheet(office, export)
    assert rows[0][0] == "南湾街道法律咨询台账（2026-01-01至2026-03-20）"
    assert rows[1][:4] == ["序号", "咨询时间", "社区", "咨询人"]
    assert len(rows) == 4 and {r[2] for r in rows[2:]} == {"南龙社区"}
    assert all("****" in (r[4] or "") for r in rows[2:])  # phones masked
    for kind, count in (("duty", 2), ("activities", 1), ("mediation", 1), ("checks", 1)):
        _export(office, world, kind, capture=django_capture_on_commit_callbacks)
        export = LedgerExport.objects.filter(kind=kind).get()
        assert export.status == ExportStatus.DONE and export.rows_total == count, kind
    case_rows = _sheet(office, LedgerExport.objects.get(kind="mediation"))
    assert case_rows[2][6] == "王**" and case_rows[2][9:11] == ["已达成协议", "书面协议"]


def test_only_the_requester_downloads_and_old_files_expire(
    world, records, client_for, django_capture_on_commit_callbacks
):
    _export(client_for("office"), world, "activities", capture=django_capture_on_commit_callbacks)
    export = LedgerExport.objects.get()
    assert client_for("bureau").get(f"/reports/exports/{export.pk}/download/").status_code == 404
    assert client_for("bureau").get(f"/reports/exports/{export.pk}/").status_code == 404
    assert services.ledger_exports_expire(now=timezone.now() + timedelta(days=8)) == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED
    assert client_for("office").get(f"/reports/exports/{export.pk}/download/").status_code == 404


def test_bad_requests_are_refused_and_nothing_is_queued(
    world, records, client_for, django_capture_on_commit_callbacks
):
    office = client_for("office")
    outside = _export(
        office, world, "duty", region=world.community_e, capture=django_capture_on_commit_callbacks
    )
    assert outside.status_code == 422 and "选择一个有效的选项" in outside.content.decode()
    reversed_ = _export(
        office,
        world,
        "duty",
        start="2026-03-01",
        end="2026-02-01",
        capture=django_capture_on_commit_callbacks,
    )
    assert reversed_.status_code == 422 and "结束日期不能早于开始日期" in reversed_.content.decode()
    bad_date = _export(office, world, "duty", start="2026-02-30", capture=django_capture_on_commit_callbacks)
    assert bad_date.status_code == 422 and "请输入正确的日期" in bad_date.content.decode()
    too_long = _export(office, world, "duty", start="2024-01-01", capture=django_capture_on_commit_callbacks)
    assert too_long.status_code == 422 and "一次最多导出一年" in too_long.content.decode()
    unknown = _export(office, world, "payroll", capture=django_capture_on_commit_callbacks)
    assert unknown.status_code == 422
    assert client_for("advisor_a").get("/reports/ledgers/").status_code == 404
    assert LedgerExport.objects.count() == 0


def test_a_chart_table_downloads_as_csv(world, records, client_for):
    response = client_for("office").get(
        "/reports/charts/consultations_channel.csv?date_from=2026-01-01&date_to=2026-03-20"
    )
    text = response.content.decode("utf-8-sig")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert text.splitlines()[0] == "项目,咨询" and "电话,1" in text
    assert client_for("office").get("/reports/charts/nothing.csv").status_code == 404
