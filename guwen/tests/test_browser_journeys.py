"""Whole journeys on a phone-sized screen, in Debian's Chromium against a live server.

Each test builds the world itself: the live server reads the database from another thread,
so the data must be committed (transactional_db), not held in a test transaction.
"""

from __future__ import annotations

import base64
import importlib
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_otp.oath import TOTP
from playwright.sync_api import expect

from guwen.regions.models import Assignment, AssignmentRole
from guwen.testing import build_world

pytest_plugins = ["guwen.tests.browser"]

PASSWORD = "correct horse battery"
SCREENSHOT = "/tmp/guwen-home.png"


def totp_code_from_secret(secret: str) -> str:
    """The current code for the base32 secret shown on the page, as a phone authenticator computes it."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{TOTP(key).token():06d}"


def stat(page, label: str):
    """The big number on the home page's card labelled ``label``."""
    return page.locator(".grid .card").filter(has_text=label).locator(".stat")


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
def test_office_user_enrols_totp_and_appoints_an_advisor_on_a_phone(
    live_server, transactional_db, phone, log_in, time_machine
):
    # Tomorrow at ten, a little ahead of the real clock that Chromium keeps: the journey's "today"
    # and "yesterday" cannot turn over at midnight halfway through.
    time_machine.move_to(timezone.localtime().replace(hour=10, minute=0, second=0) + timedelta(days=1))
    world = build_world()
    page, url = phone, live_server.url
    today = timezone.localdate()

    # Password first; the office role must then enrol a phone authenticator.
    log_in("office", PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/otp/setup/"))
    expect(page.locator(".qr svg")).to_be_visible()
    secret = page.locator("code.secret").inner_text().strip()
    page.get_by_label("动态口令").fill(totp_code_from_secret(secret))
    page.get_by_role("button", name="确认绑定").click()

    # Home: the street's coverage figures and its communities, nothing from the other street.
    expect(page).to_have_url(f"{url}/")
    expect(page.get_by_role("status")).to_contain_text("两步验证已开启")
    expect(stat(page, "辖区社区")).to_have_text("2")
    expect(stat(page, "已配备主顾问")).to_have_text("2")
    expect(stat(page, "空缺")).to_have_text("0")
    communities = page.locator("table tbody")
    expect(communities).to_contain_text("南龙社区")
    expect(communities).to_contain_text("上李朗社区")
    expect(communities).not_to_contain_text("坂田社区")
    assert fits_the_screen(page), "the home page scrolls sideways on a phone"

    # End the current primary advisor of 南龙社区 as of yesterday…
    page.get_by_role("link", name="南龙社区").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("南龙社区")
    page.get_by_role("link", name="结束派驻").click()
    page.get_by_label("结束日期").fill((today - timedelta(days=1)).isoformat())
    page.get_by_label("原因").fill("任期届满")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("派驻已结束")

    # …and appoint another lawyer, found by licence number, from today.
    page.get_by_role("link", name="派驻顾问").click()
    page.get_by_label("律师执业证号").fill(world.lawyer_c.licence_number)
    page.get_by_label("开始日期").fill(today.isoformat())
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("已派驻 丙律师 到 南龙社区")
    expect(page.locator("section.card").filter(has_text="现任顾问")).to_contain_text("丙律师")

    appointed = Assignment.objects.get(lawyer=world.lawyer_c, community=world.community_a)
    assert (appointed.role, appointed.starts_on, appointed.ends_on) == (AssignmentRole.PRIMARY, today, None)
    world.assignment_a.refresh_from_db()
    assert world.assignment_a.ends_on == today - timedelta(days=1)

    page.get_by_role("link", name="顾问", exact=True).click()
    expect(page).to_have_url(f"{url}/")
    expect(stat(page, "已配备主顾问")).to_have_text("2")
    expect(page.locator("table tbody tr").filter(has_text="南龙社区")).to_contain_text("丙律师")
    page.screenshot(path=SCREENSHOT, full_page=True)


@pytest.mark.browser
def test_advisor_sees_the_community_they_serve(live_server, transactional_db, phone, log_in):
    build_world()
    page, url = phone, live_server.url

    log_in("advisor_a", PASSWORD)

    expect(page).to_have_url(f"{url}/")  # no two-step verification for advisors
    mine = page.locator("section.card").filter(has_text="我服务的社区")
    expect(mine).to_be_visible()
    expect(mine.get_by_role("link", name="南龙社区")).to_be_visible()
    expect(mine).not_to_contain_text("上李朗社区")
    assert fits_the_screen(page)


@pytest.mark.browser
def test_wrong_password_shows_the_chinese_error(live_server, transactional_db, phone, log_in):
    build_world()
    page = phone

    log_in("advisor_a", "not the password")

    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_text("用户名或密码不正确")).to_be_visible()
    assert "sessionid" not in {cookie["name"] for cookie in page.context.cookies()}


def test_missing_chromium_skips_unless_the_browser_is_required(monkeypatch):
    """Runs without a browser: a user's clone skips the journeys, CI (GUWEN_REQUIRE_BROWSER=1) fails."""
    browser = importlib.import_module("guwen.tests.browser")
    monkeypatch.setattr(browser, "CHROMIUM", Path("/nonexistent/chromium"))

    monkeypatch.delenv("GUWEN_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="missing"):
        browser._require_chromium()

    monkeypatch.setenv("GUWEN_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="GUWEN_REQUIRE_BROWSER=1"):
        browser._require_chromium()
