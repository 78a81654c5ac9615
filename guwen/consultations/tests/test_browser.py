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
