"""The office approving a settlement on a 390 px phone in Debian's Chromium: it finds the advisor's
confirmed settlement in its queue, records the sampled callback, and passes its review, after which
the settlement waits on the district. With GUWEN_SCREENSHOTS=<dir> the pages are saved."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from guwen.mediation import reference
from guwen.subsidy import services
from guwen.subsidy.models import Settlement, SettlementStatus
from guwen.subsidy.tests.helpers import closed_case, settle
from guwen.testing import build_world

pytest_plugins = ["guwen.tests.browser"]

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GUWEN_WAIVE_STAFF_TOTP = True


def _shoot(page, name: str) -> None:
    folder = os.environ.get("GUWEN_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)


@pytest.mark.browser
def test_office_approves_a_settlement(live_server, transactional_db, phone, log_in):
    reference.ensure()  # an earlier transactional test's flush emptied the seeded rows
    world = build_world()
    closed_case(world, grade="major")
    settlement = settle(world)
    services.settlement_act(settlement=settlement, action="submit", by=world.user("advisor_a"))
    services.settlement_act(
        settlement=Settlement.objects.get(pk=settlement.pk), action="confirm", by=world.user("staff_a")
    )
    page = phone
    log_in("office", PASSWORD)
    page.goto(f"{live_server.url}/subsidy/")
    item = page.locator(".sub-item", has_text="甲律师")
    expect(item).to_contain_text("待司法所审核")
    item.click()
    expect(page.locator("h1")).to_contain_text("甲律师")
    expect(page.locator(".sub-table")).to_contain_text("重大")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _shoot(page, "subsidy-settlement-390.png")
    flag = page.locator(".sub-flag", has_text="抽查回访")
    flag.get_by_label("回访结果").select_option("confirmed")
    flag.get_by_label("回访情况").fill("电话回访当事人，确认调解属实")
    flag.get_by_role("button", name="登记回访").click()
    expect(page.get_by_role("status")).to_contain_text("已登记回访结果")
    expect(page.locator(".sub-flag", has_text="抽查回访")).to_contain_text("已核实无误")
    page.get_by_role("button", name="司法所审核通过").click()
    expect(page.get_by_role("status")).to_contain_text("已司法所审核通过")
    expect(page.locator(".sub-facts")).to_contain_text("待区司法局审批")
    assert Settlement.objects.get(pk=settlement.pk).status == SettlementStatus.REVIEWED
