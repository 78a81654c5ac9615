"""The advisor's path on a 390 px phone in Debian's Chromium: a lead becomes a case, gets its
parties, a session, a written agreement and a callback; the community closes it once the signed
scans are filed, and its documents download from the case page. With GUWEN_SCREENSHOTS=<dir> the
case page (and its 文书 section) is saved at 390 and 1280 px."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from guwen.mediation import reference
from guwen.mediation.models import CaseStatus, DisputeLead, MediationCase
from guwen.mediation.tests import helpers
from guwen.testing import build_world, valid_id_number

pytest_plugins = ["guwen.tests.browser"]

PASSWORD = "correct horse battery"


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _act(page, action: str, fields: dict[str, str], *, selects: dict[str, str] | None = None) -> None:
    box = page.locator(f"#act-{action}")
    box.locator("summary").click()
    for label, value in fields.items():
        box.get_by_label(re.compile(rf"^{label}\*?$")).fill(value)
    for label, value in (selects or {}).items():
        box.get_by_label(re.compile(rf"^{label}\*?$")).select_option(value)
    box.locator("button[type=submit]").click()
    page.wait_for_load_state()


def _shoot(page, name: str) -> None:
    folder = os.environ.get("GUWEN_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)


@pytest.mark.browser
def test_advisor_takes_a_lead_to_a_closed_case(live_server, transactional_db, phone, log_in):
    reference.ensure()  # an earlier transactional test's flush emptied the seeded rows
    world = build_world()
    page = phone
    today = timezone.localdate()
    log_in("advisor_a", PASSWORD)
    page.goto(f"{live_server.url}/mediation/leads/new/")
    page.get_by_label("地点").fill("南龙社区3栋")
    page.get_by_label("当事人情况").fill("王小明（楼下）与李大华（楼上）")
    page.get_by_label("纠纷简要情况").fill("楼上卫生间漏水，楼下天花板受损")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("已登记")
    assert fits_the_screen(page)
    page.get_by_role("link", name="转为调解案件").click()
    page.get_by_label("纠纷名称").fill("楼上漏水纠纷")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("已转为调解案件")
    case = MediationCase.objects.get()
    assert case.lead == DisputeLead.objects.get()

    _act(
        page, "add_party", {"姓名或名称": "王小明", "身份证号": valid_id_number(), "联系电话": "13800138001"}
    )
    _act(page, "add_party", {"姓名或名称": "李大华"}, selects={"身份": "respondent"})
    _act(page, "accept", {})
    expect(page.locator("#case-status")).to_have_text("已受理")
    page.locator("#act-record_session summary").click()
    _shoot(page, "case-accepted-390.png")
    page.locator("#act-record_session summary").click()
    _act(
        page,
        "record_session",
        {"调解地点": "社区党群服务中心调解室", "调解记录": "双方陈述意见，经释法说理同意赔偿。"},
    )
    expect(page.locator("#case-status")).to_have_text("调解中")
    _act(
        page,
        "agree",
        {
            "主要事实、争议事项及责任": "楼上漏水致楼下受损，楼上负主要责任。",
            "协议内容": "李大华于七日内赔偿王小明维修费2000元。",
            "履行方式": "银行转账",
            "履行期限": (today + timedelta(days=7)).isoformat(),
        },
    )
    expect(page.locator("#case-status")).to_have_text("已达成协议")
    _act(page, "callback", {"被回访人": "王小明"})
    expect(page.locator("#case-status")).to_have_text("已回访")
    assert fits_the_screen(page), "the case page scrolls sideways on a phone"
    expect(page.get_by_text("查看完整号码（将记录审计）")).to_be_visible()

    helpers.file_required(MediationCase.objects.get(pk=case.pk), world.user("staff_a"))
    page.context.clear_cookies()
    log_in("staff_a", PASSWORD)
    page.goto(f"{live_server.url}/mediation/cases/{case.pk}/")
    _act(page, "close", {})
    expect(page.locator("#case-status")).to_have_text("已结案归档")
    assert MediationCase.objects.get(pk=case.pk).status == CaseStatus.CLOSED
    documents = page.locator("section[aria-labelledby=h-docs]")
    expect(documents).to_contain_text("人民调解卷宗封面")
    assert fits_the_screen(page)
    with page.expect_download() as download:
        documents.locator("li", has_text="人民调解协议书").get_by_role("link", name="Word").click()
    assert download.value.suggested_filename == f"{case.number}人民调解协议书.docx"
    folder = os.environ.get("GUWEN_SCREENSHOTS")
    if folder:
        documents.screenshot(path=str(Path(folder) / "case-documents-390.png"))
    _shoot(page, "case-390.png")
    page.set_viewport_size({"width": 1280, "height": 900})
    _shoot(page, "case-1280.png")
