"""The public entry without the QR code, in Debian's Chromium with the Nanwan demo: a visitor opens
``/``, finds 南龙社区 by search, opens its card, books an on-site slot, and checks a question's
status from ``/`` (an urgent one: the emergency numbers come first, then when the answer is due).
Screenshots of ``/`` at 390 and 1,280 px go to docs/screenshots/."""

from __future__ import annotations

import re
from pathlib import Path
from unittest import mock

import pytest
from playwright.sync_api import expect

from guwen.consultations import services
from guwen.consultations.models import Consultation, Urgency
from guwen.demo import duty as demo_duty
from guwen.demo import nanwan
from guwen.duty.models import Booking
from guwen.regions.models import Region

pytest_plugins = ["guwen.tests.browser"]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = "13900007777"
QUESTION = "前夫天天到我家门口堵我，还说要打我，我该怎么办？"


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def demo(transactional_db, settings):
    settings.GUWEN_WAIVE_STAFF_TOTP = True
    nanwan.load()
    demo_duty.load()


def _new_context(chromium, width: int):
    context = chromium.new_context(
        viewport={"width": width, "height": 900},
        is_mobile=width < 600,
        has_touch=width < 600,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    context.set_default_timeout(10_000)
    return context


@pytest.mark.browser
def test_visitor_finds_community_books_a_slot_and_checks_status(live_server, demo, chromium):
    """The same visit on a phone and on a desktop, over one load of the demo."""
    nanlong = Region.objects.get(name__startswith="南龙社区")
    with (
        mock.patch("guwen.consultations.notices.notify"),
        mock.patch("guwen.consultations.notices.notify_phone"),
    ):
        asked = services.consultation_submit(
            community=nanlong, channel="web", text=QUESTION, phone=PHONE, consent=True
        ).consultation
    # Urgency rules are seeded by a migration that a browser test's flush empties: mark it directly.
    Consultation.objects.filter(pk=asked.pk).update(urgency=Urgency.URGENT)
    for width, booking_phone in ((390, PHONE), (1280, "13900007778")):
        _visit(live_server.url, chromium, width, nanlong, asked, booking_phone)


def _visit(url, chromium, width, nanlong, asked, booking_phone):
    context = _new_context(chromium, width)
    page = context.new_page()
    try:
        # 1. The entry: four doors and the community finder, no sideways scrolling.
        page.goto(f"{url}/")
        expect(page.get_by_role("heading", level=1)).to_have_text("一社区一法律顾问")
        for door in ("找社区顾问", "查询答复", "预约现场咨询", "法律法规"):
            expect(page.locator("nav.quick")).to_contain_text(door)
        assert fits_the_screen(page), f"{width}px: / scrolls sideways"
        page.screenshot(path=str(SCREENSHOTS / f"public-home-{width}.png"), full_page=True)

        # 2. Find 南龙社区 by search (typing narrows the list at once; 搜索 asks the server).
        page.get_by_label("社区名称").fill("南龙")
        expect(page.locator("li.community:visible")).to_have_count(1)
        page.get_by_role("button", name="搜索").click()
        expect(page.get_by_role("status")).to_contain_text("找到 1 个社区")
        page.get_by_role("link", name=re.compile("^南龙社区")).click()

        # 3. The card links to booking and to the status look-up.
        expect(page.get_by_role("heading", level=1)).to_contain_text("南龙社区")
        actions = page.locator("nav.card-actions")
        expect(actions.get_by_role("link", name="查询答复")).to_be_visible()
        assert fits_the_screen(page), f"{width}px: the card scrolls sideways"
        actions.get_by_role("link", name="预约现场咨询").click()

        # 4. Book the first open slot.
        page.locator("input[name=shift]").first.check()
        page.get_by_label("称呼").fill("陈女士")
        page.get_by_label("手机号").fill(booking_phone)
        page.get_by_label("咨询事项（可选）").fill("离婚后孩子抚养费的问题")
        page.get_by_role("button", name="提交预约").click()
        expect(page.get_by_role("heading", name="预约成功")).to_be_visible()
        code = page.locator("#receipt-code").inner_text().strip()
        assert Booking.objects.filter(receipt_code=code, shift__community=nanlong).exists()

        # 5. Back on /, check the question's status by phone + receipt code.
        page.goto(f"{url}/")
        status = page.locator("#status")
        status.get_by_label("手机号").fill(PHONE)
        status.get_by_label("回执码").fill(asked.receipt_code.lower())
        status.get_by_role("button", name="查询").click()
        expect(page).to_have_url(f"{url}/c/{nanlong.code}/status")
        first = page.locator("main > *").first
        expect(first).to_have_class(re.compile("emergency"))
        expect(first).to_contain_text("110")
        expect(first).to_contain_text("12348")
        expect(page.locator(".receipt")).to_have_text(asked.receipt_code)
        promise = re.compile(r"司法所承诺在 .*\d+月\d+日（周.）\d\d:\d\d 前答复")
        expect(page.locator(".due")).to_contain_text(promise)
        assert fits_the_screen(page), f"{width}px: the status page scrolls sideways"
        page.screenshot(path=f"/tmp/guwen-public-status-{width}.png", full_page=True)
    finally:
        context.close()
