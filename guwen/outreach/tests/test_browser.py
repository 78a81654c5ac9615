"""Outreach journeys on a 390 px phone in Debian's Chromium: an advisor logs a lecture and the
community confirms it; an advisor completes a health check (findings, report, fixing, follow-up,
closed). Screenshots of the coverage page and the check page at 390 and 1280 px go to
GUWEN_SCREENSHOTS when set, to be looked at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from guwen.outreach.models import Activity, ActivityStatus, CheckStatus, HealthCheck
from guwen.outreach.tests.helpers import health_check, lecture, past
from guwen.testing import build_world

pytest_plugins = ["guwen.tests.browser"]

PASSWORD = "correct horse battery"


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


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
def test_advisor_logs_a_lecture_and_the_community_confirms(live_server, transactional_db, phone, log_in):
    build_world()
    page = phone
    log_in("advisor_a", PASSWORD)
    page.goto(f"{live_server.url}/outreach/")
    page.get_by_role("link", name="登记活动").click()
    page.get_by_label("社区").select_option(label="南龙社区")
    page.get_by_label("活动类型").select_option(label="法治讲座")
    page.get_by_label("活动日期").fill(past(1).isoformat())
    page.get_by_label("主题").fill("防范电信网络诈骗讲座")
    page.get_by_label("甲律师（甲律师事务所）").check()
    page.get_by_label("参与人数").fill("-3")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("参与人数不能为负数")
    assert not Activity.objects.exists()
    page.get_by_label("参与人数").fill("48")
    page.get_by_label("甲律师（甲律师事务所）").check()
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#activity-status")).to_have_text("已开展")
    assert fits_the_screen(page)

    page.context.clear_cookies()
    log_in("staff_a", PASSWORD)
    activity = Activity.objects.get()
    page.goto(f"{live_server.url}/outreach/activities/{activity.pk}/")
    page.get_by_role("button", name="社区确认").click()
    expect(page.locator("#activity-status")).to_have_text("社区已确认")
    assert Activity.objects.get().status == ActivityStatus.CONFIRMED

    page.context.clear_cookies()
    log_in("office", PASSWORD)
    held_on = past(1)  # the lecture's quarter: yesterday may be last quarter (run on January 1st)
    quarter = f"{held_on.year}Q{(held_on.month - 1) // 3 + 1}"
    page.goto(f"{live_server.url}/outreach/coverage/?quarter={quarter}")
    expect(page.locator("tr.behind")).to_contain_text("上李朗社区")
    assert fits_the_screen(page)
    shoot(page, "coverage")


@pytest.mark.browser
def test_advisor_completes_a_health_check(live_server, transactional_db, phone, log_in):
    world = build_world()
    lecture(world)
    check = health_check(world, findings=2)
    page = phone
    log_in("advisor_a", PASSWORD)
    page.goto(f"{live_server.url}/outreach/checks/{check.pk}/")
    page.get_by_text("添加发现的问题").click()
    page.get_by_label("体检领域").select_option(label="消防安全")
    page.get_by_label("存在问题").fill("二楼疏散通道堆放货物")
    page.get_by_label("法律依据").fill("《消防法》第二十八条")
    page.get_by_label("整改建议").fill("立即清理通道")
    page.get_by_role("button", name="添加").click()
    expect(page.locator("main")).to_contain_text("请选择风险等级")
    page.get_by_label("风险等级").select_option(label="低（黄）")
    page.get_by_role("button", name="添加").click()
    expect(page.locator("#risk-points")).to_have_text("3")
    assert fits_the_screen(page)
    shoot(page, "check")
    page.get_by_role("button", name="出具体检报告").click()
    expect(page.locator("#check-status")).to_have_text("已出具报告")
    page.get_by_role("button", name="企业开始整改").click()
    expect(page.locator("#check-status")).to_have_text("整改中")
    page.get_by_role("button", name="登记整改完成").first.click()
    page.get_by_label("回访日期").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="安排回访").click()
    expect(page.locator("#check-status")).to_have_text("待回访")
    page.get_by_label("回访结果").fill("劳动合同已补签，通道已清理")
    page.get_by_role("button", name="回访办结").click()
    expect(page.locator("#check-status")).to_have_text("已办结")
    assert HealthCheck.objects.get().status == CheckStatus.CLOSED
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 Word").click()
    assert download.value.suggested_filename.endswith(".docx")
