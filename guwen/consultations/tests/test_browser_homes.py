"""The figures-only homes and the honest backlog in Chromium, on the Nanwan demo, at phone and
desktop widths: the firm admin, the association and the bureau each find their figures; the office
sees how long residents have waited and filters by "等待超过 N 天".

With GUWEN_SCREENSHOTS=<dir> the homes are saved there as home-<login>-<width>.png (how the
screenshots in docs/screenshots/ are made).
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from guwen.consultations.tests.access_rows import _ensure_taxonomy
from guwen.demo import nanwan

pytest_plugins = ["guwen.tests.browser"]

WIDTHS = (390, 1280)
TIMEOUT_MS = 10_000
HOMES = {
    "firm": "本所律师服务情况",
    "association": "社区法律顾问服务：匿名汇总",
    "bureau": "各街道概况",
}


@pytest.fixture
def demo_logins(transactional_db, settings):
    """The whole demo as `make run` loads it (people, duty, a year of questions)."""
    settings.GUWEN_WAIVE_STAFF_TOTP = True
    _ensure_taxonomy()  # an earlier browser test's flush empties the seeded categories
    call_command("load_demo", stdout=io.StringIO())
    return {login.username for login in nanwan.load()}


def signed_in(chromium, url: str, username: str):
    context = chromium.new_context(
        viewport={"width": WIDTHS[0], "height": 844}, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(nanwan.DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{url}/")
    return context, page


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def save(page, name: str) -> None:
    folder = os.environ.get("GUWEN_SCREENSHOTS", "").strip()
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.mark.browser
def test_figures_homes_and_the_office_backlog(live_server, demo_logins, chromium):
    """One load of the whole demo serves every figures-only home and the office's backlog."""
    for username in HOMES:
        assert username in demo_logins
        _figures_home_reads_at_phone_and_desktop_width(live_server.url, chromium, username)
    _office_sees_waiting_ages_and_filters_by_days_waited(live_server.url, chromium)


def _figures_home_reads_at_phone_and_desktop_width(url, chromium, username):
    context, page = signed_in(chromium, url, username)
    try:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 844})
            page.goto(f"{url}/")
            panel = page.locator("section.figures").first
            expect(panel.get_by_role("heading", level=2)).to_contain_text(HOMES[username])
            expect(panel.locator("tbody tr").first).to_be_visible()
            assert fits_the_screen(page), f"{width}px: the home scrolls sideways"
            body = page.locator("body").inner_text()
            assert not re.search(r"1[3-9]\d\*{4}\d{4}", body), "a masked phone on a figures-only home"
            save(page, f"home-{username}-{width}")
        if username == "bureau":
            expect(page.locator("section.figures tbody tr").filter(has_text="南湾街道")).to_have_count(1)
            expect(page.get_by_role("heading", name="社区与顾问")).to_have_count(0)
        if username == "firm":
            expect(page.locator("section.figures")).not_to_contain_text("南湾之外")
    finally:
        context.close()


def _office_sees_waiting_ages_and_filters_by_days_waited(url, chromium):
    context, page = signed_in(chromium, url, "office")
    try:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 844})
            page.goto(f"{url}/consultations/?tab=all")
            first = page.locator("a.item").first
            expect(first).to_be_visible()
            assert fits_the_screen(page), f"{width}px: the inbox scrolls sideways"
        page.goto(f"{url}/consultations/?tab=new")
        expect(page.locator("a.item .tag.waited").first).to_contain_text(re.compile(r"已等待 \d"))
        page.locator("summary", has_text="筛选").click()
        page.get_by_label("等待超过（天）").fill("3")
        page.get_by_role("button", name="筛选").click()
        expect(page).to_have_url(re.compile(r"waited_days=3"))
        for tag in page.locator("a.item .tag.waited").all_inner_texts():
            days = re.match(r"已等待 (\d+)天", tag)
            assert days and int(days.group(1)) >= 3, tag
        # A bad number: the field says what is wrong, the list stays as it was asked.
        page.goto(f"{url}/consultations/?tab=new&waited_days=0")
        expect(page.locator("details.card")).to_have_attribute("open", "")
        expect(page.get_by_text("等待天数请填写 1 到 365 之间的整数")).to_be_visible()
        save(page, "inbox-waited-office-1280")
        # The detail of a waiting question: its wait beside the clock of its level.
        page.goto(f"{url}/consultations/?tab=new")
        page.locator("a.item").first.click()
        expect(page.locator("#waited")).to_contain_text("已等待")
    finally:
        context.close()
