"""Playwright fixtures that drive Debian's Chromium (never a downloaded browser build).

Load with ``pytest_plugins = ["guwen.tests.browser"]`` in a test module (importing names from
here instead makes pytest warn that it cannot rewrite this module's asserts), and mark the tests
``@pytest.mark.browser``. Without /usr/bin/chromium the tests skip, unless
``GUWEN_REQUIRE_BROWSER=1`` (as in CI), when they fail instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE_VIEWPORT = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("GUWEN_REQUIRE_BROWSER") == "1":
        pytest.fail(f"GUWEN_REQUIRE_BROWSER=1 but {CHROMIUM} is missing (apt-get install chromium)")
    pytest.skip(f"{CHROMIUM} is missing: browser tests skipped (apt-get install chromium to run them)")


@pytest.fixture(scope="module")
def chromium() -> Iterator:
    """One headless Chromium per test module.

    Not per session: while Playwright runs, the sync API keeps an asyncio loop running on the main
    thread, and Django then refuses the tests' own (plain synchronous) ORM calls as "async unsafe"
    unless DJANGO_ALLOW_ASYNC_UNSAFE is set. Module scope keeps that allowance to browser modules.
    """
    _require_chromium()
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def phone(chromium) -> Iterator:
    """A fresh page in a phone-sized (390×844) touch context, with its own cookies."""
    context = chromium.new_context(
        viewport=PHONE_VIEWPORT,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def log_in(phone, live_server):
    """``log_in(username, password)``: fill and send the login form on the phone, as a person would."""

    def go(username: str, password: str) -> None:
        phone.goto(f"{live_server.url}/accounts/login/")
        phone.get_by_label("用户名").fill(username)
        phone.get_by_label("密码").fill(password)
        phone.get_by_role("button", name="登录").click()
        phone.wait_for_load_state()

    return go
