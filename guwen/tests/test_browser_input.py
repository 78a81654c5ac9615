"""Text pasted from a document, in Debian's Chromium: a control character (a form feed from a PDF)
is refused on the field that holds it, with the resident's text kept for correcting, and a
bidirectional override is removed before it reaches the advisor. A query string with a control
character gets the Chinese 422 page. Screenshots at 390 and 1280 px go to /tmp."""

from __future__ import annotations

from unittest import mock

import pytest
from playwright.sync_api import expect

from guwen.consultations.models import Consultation
from guwen.testing import build_world

pytest_plugins = ["guwen.tests.browser"]

QUESTION = "公司拖欠我三个月工资，老板说下个月再发，我可以申请劳动仲裁吗？"
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_pasted_control_characters_are_refused_on_the_field_and_bidi_removed(
    live_server, transactional_db, chromium, size
):
    world = build_world()
    context = chromium.new_context(viewport=WIDTHS[size], locale="zh-CN", is_mobile=size == "phone")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        with (
            mock.patch("guwen.consultations.notices.notify"),
            mock.patch("guwen.consultations.notices.notify_phone"),
        ):
            page.goto(f"{live_server.url}/c/{world.community_a.code}/ask")
            page.get_by_label("您的问题").fill(QUESTION + "\x0c第二页")
            page.get_by_label("手机号").fill("13900002222")
            page.get_by_label("我已阅读并同意").check()
            with page.expect_response(lambda r: r.request.method == "POST") as sent:
                page.get_by_role("button", name="提交问题").click()
            assert sent.value.status == 422
            question = page.get_by_label("您的问题")
            error = page.locator(".field.has-error .error").first
            expect(error).to_contain_text("控制字符")
            expect(error).to_contain_text(f"第 {len(QUESTION) + 1} 个字")  # where the invisible one is
            assert QUESTION in question.input_value(), "the resident's text is kept for correcting"
            assert fits_the_screen(page)
            page.screenshot(path=f"/tmp/guwen-input-refused-{size}.png", full_page=True)
            assert not Consultation.objects.exists()

            # Removing the form feed (and keeping a right-to-left override) is accepted.
            question.fill("\u202e" + QUESTION)
            page.get_by_label("我已阅读并同意").check()
            page.get_by_role("button", name="提交问题").click()
            expect(page.get_by_role("status")).to_contain_text("回执码")
            assert Consultation.objects.get().text == QUESTION

            # A query string with a control character: the Chinese 422 page, never a 500.
            response = page.goto(f"{live_server.url}/c/{world.community_a.code}/ask?from=%00")
            assert response.status == 422
            expect(page.get_by_role("heading", level=1)).to_have_text("输入内容无法处理")
            expect(page.get_by_role("link", name="返回首页")).to_be_visible()
            assert fits_the_screen(page)
            page.screenshot(path=f"/tmp/guwen-input-422-{size}.png", full_page=True)
    finally:
        context.close()
