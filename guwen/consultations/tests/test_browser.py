"""The resident-to-answer journey on a 390 px phone in Debian's Chromium: a resident asks by QR code,
the advisor answers from the inbox, the resident checks the status and rates the answer."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from playwright.sync_api import expect

from guwen.consultations.models import Consultation, Rating
from guwen.testing import build_world

pytest_plugins = ["guwen.tests.browser"]

PASSWORD = "correct horse battery"
PHONE_VIEWPORT = {"width": 390, "height": 844}
QUESTION = "我在工地干了三个月，包工头一直拖着不给结工钱，现在人也联系不上，我该去哪里要？"
ANSWER = "您好，建议先收集考勤记录、转账记录和工友证言，到街道劳动监察中队投诉，也可以申请劳动仲裁。"


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def resident_page(chromium):
    context = chromium.new_context(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True, locale="zh-CN")
    context.set_default_timeout(10_000)
    return context, context.new_page()


@pytest.mark.browser
def test_resident_asks_advisor_answers_resident_rates(live_server, transactional_db, chromium, phone, log_in):
    world = build_world()
    ask_url = f"{live_server.url}/c/{world.community_a.code}/ask"
    with (
        mock.patch("guwen.consultations.notices.notify"),
        mock.patch("guwen.consultations.notices.notify_phone"),
    ):
        # 1. The resident scans the QR code and asks, on a phone.
        context, page = resident_page(chromium)
        page.goto(ask_url)
        expect(page.get_by_role("heading", level=1)).to_contain_text("南龙社区")
        assert fits_the_screen(page), "the ask page scrolls sideways on a phone"
        page.get_by_label("您的问题").fill(QUESTION)
        page.get_by_label("手机号").fill("13900001111")
        page.get_by_label("我已阅读并同意").check()
        page.get_by_role("button", name="提交问题").click()
        expect(page.get_by_role("status")).to_contain_text("回执码")
        receipt = page.locator(".receipt").first.inner_text().strip()
        assert re.fullmatch(r"[0-9A-Z]{8}", receipt)
        context.close()

        # 2. The advisor answers from the inbox.
        log_in("advisor_a", PASSWORD)
        phone.goto(f"{live_server.url}/consultations/")
        item = phone.locator("a.item").filter(has_text=receipt)
        expect(item).to_contain_text("剩余")
        assert fits_the_screen(phone), "the inbox scrolls sideways on a phone"
        item.click()
        expect(phone.locator(".thread")).to_contain_text("包工头")
        phone.get_by_label("答复内容").fill(ANSWER)
        phone.get_by_role("button", name="发送答复").click()
        expect(phone.get_by_role("status")).to_contain_text("已答复")

        # 3. Later, on the resident's phone again: status by phone + receipt code, then the rating.
        context, page = resident_page(chromium)
        page.goto(f"{live_server.url}/c/{world.community_a.code}/status")
        page.get_by_label("手机号").fill("13900001111")
        page.get_by_label("回执码").fill(receipt.lower())
        page.get_by_role("button", name="查询").click()
        expect(page.locator(".thread")).to_contain_text("劳动监察")
        assert fits_the_screen(page), "the status page scrolls sideways on a phone"
        page.get_by_role("link", name="评价本次服务").click()
        page.get_by_label("5 星").check()
        page.get_by_label("意见建议").fill("回复很快，讲得很清楚")
        page.get_by_role("button", name="提交评价").click()
        expect(page.get_by_role("status")).to_contain_text("感谢您的评价")
        context.close()

    consultation = Consultation.objects.get(receipt_code=receipt)
    assert consultation.status == "answered" and consultation.minutes_to_first_response is not None
    assert Rating.objects.get(consultation=consultation).score == 5


@pytest.mark.browser
def test_insert_citation_goes_in_at_the_cursor(live_server, transactional_db, chromium, phone, log_in):
    """插入引用 beside the answer box puts the citation where the advisor's cursor is, not at the end;
    with the cursor never placed in the box, it goes at the end."""
    from guwen.consultations import services
    from guwen.knowledge.services import laws_import

    world = build_world()
    laws_import(files=["anti_domestic_violence_law.md"], by=None)
    with (
        mock.patch("guwen.consultations.notices.notify"),
        mock.patch("guwen.consultations.notices.notify_phone"),
    ):
        asked = services.consultation_submit(
            community=world.community_a,
            channel="web",
            text="丈夫经常打我，还威胁我，我可以申请人身安全保护令吗？家庭暴力怎么取证？",
            phone="13900002222",
            consent=True,
        ).consultation

    log_in("advisor_a", PASSWORD)
    phone.goto(f"{live_server.url}/consultations/{asked.pk}/")
    box = phone.get_by_label("答复内容")
    insert = phone.locator("[data-insert-citation]").first
    expect(insert).to_have_text("插入引用")
    citation = insert.get_attribute("data-insert-citation")
    assert citation

    # The cursor placed between two sentences: the citation goes in there.
    box.fill("您好。根据规定，您可以申请保护令。")
    box.evaluate("(el) => { el.focus(); el.setSelectionRange(5, 5); }")
    insert.click()
    assert box.input_value() == f"您好。根据{citation}规定，您可以申请保护令。"
    expect(insert).to_have_text("已插入")
    # The cursor stays after the citation: typing goes on from there.
    phone.keyboard.type("的")
    assert box.input_value() == f"您好。根据{citation}的规定，您可以申请保护令。"

    # A selection is replaced by the citation.
    box.fill("依据某某条规定。")
    box.evaluate("(el) => { el.focus(); el.setSelectionRange(2, 5); }")
    insert.click()
    assert box.input_value() == f"依据{citation}规定。"

    # Text the server filled in (a form sent back), never clicked into: the browser reports the
    # cursor at 0, but the advisor placed none, so the citation goes at the end, not the start.
    phone.reload()
    insert = phone.locator("[data-insert-citation]").first
    expect(insert).to_have_text("插入引用")
    phone.evaluate(
        """() => {
            const old = document.getElementById('id_reply_body');
            const fresh = document.createElement('textarea');
            fresh.id = old.id; fresh.name = old.name; fresh.textContent = '建议保留证据。';
            old.replaceWith(fresh);
        }"""
    )
    box = phone.locator("#id_reply_body")
    assert box.evaluate("(el) => el.selectionStart") == 0
    insert.click()
    assert box.input_value() == f"建议保留证据。{citation}"
    assert box.evaluate("(el) => el === document.activeElement && el.selectionStart === el.value.length")
