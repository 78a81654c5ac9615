"""The menu on every screen: for each demo role, at phone, tablet and desktop widths, the menu lists
the role's pages and 退出登录 is within reach (on one line from 1,024 px); every item opens its page
(on the phone, where most use it; at the other widths one item shows the current page is marked); at
the end it signs out.

One browser for the module and one sign-in per role: the widths are the same session, resized.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from guwen.demo import nanwan

pytest_plugins = ["guwen.tests.browser"]

WIDTHS = (390, 768, 1280)
TIMEOUT_MS = 10_000

_FIRM_WORK = ["驻点值班", "普法与体检", "区域与律师", "知识库", "评价考核", "法律法规"]
_OFFICE_WORK = ["驻点值班", "人民调解", "普法与体检", "以案定补", *_FIRM_WORK[2:]]
# Those who run the service in a region also read its reports (统计报表), after 以案定补.
_REGION_WORK = ["驻点值班", "人民调解", "普法与体检", "以案定补", "统计报表", *_FIRM_WORK[2:]]
_OWN = ["我的账号"]
# What each demo login finds in its menu, in order: the pages its role may use.
MENUS = {
    "admin": ["工作台", "法律咨询", "咨询设置", *_REGION_WORK, "账号管理", "系统管理", *_OWN],
    "bureau": ["工作台", "法律咨询", "咨询设置", *_REGION_WORK, "账号管理", *_OWN],
    "office": ["工作台", "法律咨询", *_REGION_WORK, "账号管理", *_OWN],
    "advisor": ["工作台", "法律咨询", *_OFFICE_WORK, *_OWN],
    "staff": ["工作台", *_REGION_WORK, *_OWN],
    "firm": ["工作台", *_FIRM_WORK, "账号管理", *_OWN],
    "association": ["工作台", "评价考核", "法律法规", *_OWN],
}
# Django's own admin has its own layout, without the menu.
LEAVES_THE_LAYOUT = {"系统管理"}


@pytest.fixture
def demo_logins(transactional_db, settings):
    """The Nanwan demo's people, places and logins; two-step verification waived as in `make run`."""
    settings.GUWEN_WAIVE_STAFF_TOTP = True
    return {login.username for login in nanwan.load()}


def open_menu(page):
    """The menu as a person reaches it: behind the ☰ button where that is shown, else in the bar."""
    menu = page.locator("#site-nav")
    toggle = page.locator(".nav-toggle")
    if toggle.is_visible() and not menu.is_visible():
        toggle.click()
    expect(menu).to_be_visible()
    return menu


def assert_a_working_page(page, response, url: str, label: str) -> None:
    assert response is not None and response.status == 200, f"{label}: {response and response.status}"
    assert page.locator(".error-page").count() == 0, f"{label}: an error page"
    body = page.locator("body").inner_text()
    assert "Traceback" not in body and "Page not found" not in body, f"{label}: a debug page"
    title = page.title()
    assert re.search(r"[\u4e00-\u9fff]", title), f"{label}: title {title!r}"
    assert "127.0.0.1" not in title and "localhost" not in title, f"{label}: the title names the host"


@pytest.mark.browser
@pytest.mark.parametrize("username", list(MENUS))
def test_every_menu_item_opens_and_logout_is_reachable_at_every_width(
    username, live_server, demo_logins, chromium
):
    assert username in demo_logins
    url = live_server.url
    context = chromium.new_context(
        viewport={"width": WIDTHS[0], "height": 844}, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(f"{url}/accounts/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(nanwan.DEMO_PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page).to_have_url(f"{url}/")

        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 844})
            page.goto(f"{url}/")
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
                f"{width}px: the home page scrolls sideways"
            )
            labels = [text.strip() for text in open_menu(page).get_by_role("link").all_inner_texts()]
            assert labels == MENUS[username], f"{width}px"
            if width >= 1024:  # the whole menu and 退出登录 on one line of the bar
                rows = page.evaluate(
                    "new Set([...document.querySelectorAll('#site-nav a, #site-nav button')]"
                    ".map(e => Math.round(e.getBoundingClientRect().top))).size"
                )
                assert rows == 1, f"{width}px: the menu wraps onto {rows} lines"

            # Every item is opened on the phone; the pages are the same at other widths, where the
            # menu's items, the marking of the current one and 退出登录 are checked.
            for label in labels if width == WIDTHS[0] else labels[1:2]:
                if page.locator("#site-nav").count() == 0:  # back from a page outside the layout
                    page.goto(f"{url}/")
                link = open_menu(page).get_by_role("link", name=label, exact=True)
                href = link.get_attribute("href")
                with page.expect_navigation() as navigation:
                    link.click()
                assert_a_working_page(page, navigation.value, href, f"{width}px {label}")
                expect(page).to_have_url(f"{url}{href}")
                if label not in LEAVES_THE_LAYOUT:
                    current = page.locator('#site-nav a[aria-current="page"]')
                    expect(current).to_have_text(label)

            if page.locator("#site-nav").count() == 0:
                page.goto(f"{url}/")
            expect(open_menu(page).get_by_role("button", name="退出登录")).to_be_enabled()

        # Signing out, from the widest screen: back to the login page, and the work pages are shut.
        open_menu(page).get_by_role("button", name="退出登录").click()
        expect(page).to_have_url(re.compile(r"/accounts/login/"))
        page.goto(f"{url}/accounts/me/")
        expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    finally:
        context.close()
