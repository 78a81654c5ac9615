"""The office's journey on a 390 px phone in Debian's Chromium: open 统计报表 from the menu, see the
charts drawn, drill down from a figure to the records, download a ledger written by the worker, and
download a table as it is shown.
Screenshots at 390 and 1280 px go to GUWEN_SCREENSHOTS when set, to be looked at."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from guwen.outreach.tests.helpers import lecture
from guwen.testing import build_world

pytest_plugins = ["guwen.tests.browser"]

PASSWORD = "correct horse battery"


def shoot(page, name: str) -> None:
    folder = os.environ.get("GUWEN_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 844})
            page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GUWEN_WAIVE_STAFF_TOTP = True


@pytest.mark.browser
def test_office_drills_down_and_downloads_a_ledger(live_server, transactional_db, phone, log_in, tmp_path):
    world = build_world()
    held_on = timezone.localdate() - timedelta(days=3)
    lecture(world, day=held_on)
    page = phone
    log_in("office", PASSWORD)
    page.locator(".nav-toggle").click()
    page.get_by_role("link", name="统计报表").click()
    expect(page.locator("h1")).to_contain_text("南湾街道 统计报表")
    expect(page.locator("#chart-outreach_kinds svg")).to_have_count(1)  # ECharts drew the chart
    shoot(page, "reports-dashboard")
    page.locator("#section-outreach a.figure", has_text="法治讲座").first.click()
    expect(page.locator("main")).to_contain_text("《民法典》婚姻家庭编讲座")
    expect(page.locator(".chip", has_text="区域：南湾街道")).to_have_count(1)  # narrowed to the street
    shoot(page, "reports-drilldown")
    page.goto(f"{live_server.url}/reports/ledgers/")
    page.get_by_label("台账").select_option(label="普法宣传活动台账")
    page.get_by_label("开始日期").fill((held_on - timedelta(days=1)).isoformat())
    page.get_by_label("结束日期").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="生成台账").click()
    expect(page.locator("#export-status")).to_contain_text("已完成")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 Excel").click()
    path = tmp_path / "ledger.xlsx"
    download.value.save_as(path)
    rows = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    assert rows[2][1:5] == (held_on.isoformat(), "南龙社区", "法治讲座", "《民法典》婚姻家庭编讲座")

    # Any table on a work page downloads as it is shown (CSV that Excel opens in Chinese).
    page.goto(f"{live_server.url}/lawyers/")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载表格（CSV）").click()
    assert download.value.suggested_filename.startswith(
        "律师-"
    ) and download.value.suggested_filename.endswith(".csv")
    csv_path = tmp_path / "lawyers.csv"
    download.value.save_as(csv_path)
    data = csv_path.read_bytes()
    assert data.startswith("\ufeff".encode())
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "姓名,律所,执业证号,擅长领域"
    assert any(
        line.startswith(world.lawyer_a.name) and world.lawyer_a.licence_number in line for line in lines[1:]
    )
