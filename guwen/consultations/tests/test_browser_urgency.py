"""Urgency on screen, in Debian's Chromium: a resident's plain words of despair reach the advisor's
inbox marked "紧急：自伤风险", and the district bureau adds a term of a kind on its settings page."""

from __future__ import annotations

import base64
import os
import re
from importlib import import_module
from unittest import mock

import pytest
from django.apps import apps
from django_otp.oath import TOTP
from playwright.sync_api import expect

from guwen.consultations.models import UrgencyRule
from guwen.testing import build_world

pytest_plugins = ["guwen.tests.browser"]

PASSWORD = "correct horse battery"
QUESTION = "这几天总觉得活着没意思，工钱也要不回来，我真的撑不下去了"
# Screenshots for a person to look at, when asked for (GUWEN_SHOTS=/some/dir).
SHOTS = os.environ.get("GUWEN_SHOTS", "")


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def shoot(page, name: str) -> None:
    if not SHOTS:
        return
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 844})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})


def totp_code_from_secret(secret: str) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{TOTP(key).token():06d}"


@pytest.fixture
def quiet():
    with (
        mock.patch("guwen.consultations.notices.notify"),
        mock.patch("guwen.consultations.notices.notify_phone"),
    ):
        yield


@pytest.mark.browser
def test_urgent_words_reach_the_inbox_with_why_and_the_bureau_adds_a_term(
    live_server, transactional_db, chromium, phone, log_in, quiet
):
    world = build_world()
    # The live server's database was flushed: seed the city-wide rules as the migration does.
    import_module("guwen.consultations.migrations.0012_urgency_kinds").seed(apps, None)

    # 1. A resident writes in plain words on a phone.
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/c/{world.community_a.code}/ask")
    page.get_by_label("您的问题").fill(QUESTION)
    page.get_by_label("手机号").fill("13900001111")
    page.get_by_label("我已阅读并同意").check()
    page.get_by_role("button", name="提交问题").click()
    expect(page.get_by_role("status")).to_contain_text("回执码")
    receipt = page.locator(".receipt").first.inner_text().strip()
    context.close()

    # 2. The advisor's inbox says why it is urgent, and so does the page of the question.
    log_in("advisor_a", PASSWORD)
    phone.goto(f"{live_server.url}/consultations/")
    item = phone.locator("a.item").filter(has_text=receipt)
    expect(item).to_contain_text("紧急：自伤风险")
    assert fits_the_screen(phone), "the inbox scrolls sideways on a phone"
    shoot(phone, "inbox")
    item.click()
    expect(phone.locator(".tag.urgent")).to_contain_text("紧急：自伤风险")
    assert fits_the_screen(phone), "the question page scrolls sideways on a phone"
    shoot(phone, "detail")
    phone.context.clear_cookies()

    # 3. The district bureau sees the kinds and adds its own term of one.
    log_in("bureau", PASSWORD)
    expect(phone).to_have_url(re.compile(r"/accounts/otp/setup/"))
    secret = phone.locator("code.secret").inner_text().strip()
    phone.get_by_label("动态口令").fill(totp_code_from_secret(secret))
    phone.get_by_role("button", name="确认绑定").click()
    phone.goto(f"{live_server.url}/consultations/settings/")
    rules = phone.locator("section[aria-labelledby=urgency]")
    expect(rules).to_contain_text("自伤风险")
    expect(rules).to_contain_text("群体性事件")
    assert fits_the_screen(phone), "the settings page scrolls sideways on a phone"
    phone.locator("#id_label").fill("讨薪上访")
    phone.locator("#id_keywords").fill("去信访局…讨说法、拉条幅")
    # The kind must be chosen: the browser asks before sending (the server's 422 is tested apart).
    phone.get_by_role("button", name="添加规则").click()
    assert phone.locator("#id_risk").evaluate("el => !el.validity.valid")
    assert not UrgencyRule.objects.filter(label="讨薪上访").exists()
    phone.locator("#id_risk").select_option(label="群体性事件")
    phone.locator("#id_exclude").fill("写信访信")
    phone.get_by_role("button", name="添加规则").click()
    expect(phone.get_by_role("status")).to_contain_text("讨薪上访")
    own = phone.locator("ul.rules").first
    expect(own).to_contain_text("群体性事件")
    expect(own).to_contain_text("不算：写信访信")
    shoot(phone, "settings")
    assert UrgencyRule.objects.get(label="讨薪上访").risk == "collective"
