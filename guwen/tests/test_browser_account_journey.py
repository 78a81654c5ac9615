"""The office's account journey in Chromium: the street office creates a community-staff account,
sees the temporary password once, and the staff member signs in with it, is made to choose their
own password, reaches the home page and confirms the community's shifts in bulk. At a phone's
width and a desktop's."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from guwen.demo import nanwan
from guwen.duty.models import DutyShift, ShiftStatus
from guwen.regions.models import Assignment, AssignmentRole, Region

pytest_plugins = ["guwen.tests.browser"]

TIMEOUT_MS = 10_000
# Screenshots for a person to look at: set GUWEN_SCREENSHOTS to a folder to keep them.
SHOTS = os.environ.get("GUWEN_SCREENSHOTS", "")


@pytest.fixture
def demo(transactional_db, settings):
    settings.GUWEN_WAIVE_STAFF_TOTP = True  # as in `make run`
    loaded = nanwan.load()
    # Three shifts of 南龙社区 held last week and not yet confirmed: the new staff member's first job.
    nanlong = Region.objects.get(code="440307012002")
    lawyer = (
        Assignment.objects.filter(community=nanlong, role=AssignmentRole.PRIMARY).latest("starts_on").lawyer
    )
    DutyShift.objects.filter(community=nanlong, status=ShiftStatus.COMPLETED).update(
        status=ShiftStatus.CONFIRMED
    )
    for days in (5, 6, 7):
        starts_at = (timezone.now() - timedelta(days=days)).replace(hour=9, minute=0, second=0, microsecond=0)
        DutyShift.objects.create(
            community=nanlong,
            lawyer=lawyer,
            date=timezone.localdate(starts_at),
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=3),
            place="南龙社区党群服务中心",
            status=ShiftStatus.COMPLETED,
            held_minutes=180,
            confirm_due=timezone.localdate(starts_at) + timedelta(days=7),
        )
    return loaded


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def sign_in(page, url: str, username: str, password: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def open_menu(page):
    menu = page.locator("#site-nav")
    toggle = page.locator(".nav-toggle")
    if toggle.is_visible() and not menu.is_visible():
        toggle.click()
    expect(menu).to_be_visible()
    return menu


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_office_creates_staff_account_who_changes_password_then_confirms_shifts_in_bulk(
    width, live_server, demo, chromium
):
    url = live_server.url
    context = chromium.new_context(
        viewport={"width": width, "height": 844}, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    username = f"nanlong_staff_{width}"
    try:
        sign_in(page, url, "office", nanwan.DEMO_PASSWORD)
        expect(page).to_have_url(f"{url}/")
        open_menu(page).get_by_role("link", name="账号管理", exact=True).click()
        expect(page.get_by_role("heading", name="账号管理")).to_be_visible()
        shot(page, f"manage-list-{width}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

        page.get_by_role("link", name="新建账号").click()
        page.get_by_label("角色").select_option(label="社区工作人员")
        page.get_by_label("所属社区").select_option(label="南龙社区（社区）")
        expect(page.locator("#id_lawyer")).to_be_hidden()
        page.get_by_label("姓名").fill("林晓")
        page.get_by_label("手机号").fill("138 0013 8123")
        page.get_by_label("用户名").fill(username)
        shot(page, f"manage-create-{width}")
        page.get_by_role("button", name="创建账号").click()

        expect(page.get_by_role("heading", name="账号已创建")).to_be_visible()
        temporary = page.locator("#temporary-password").inner_text().strip()
        assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", temporary)
        expect(page.get_by_text("只显示这一次", exact=False)).to_be_visible()
        shot(page, f"manage-password-shown-{width}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

        page.get_by_role("link", name="查看账号").click()
        expect(page.get_by_text("待改初始密码").first).to_be_visible()
        assert temporary not in page.content()
        shot(page, f"manage-detail-{width}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        open_menu(page).get_by_role("button", name="退出登录").click()
        expect(page).to_have_url(re.compile(r"/accounts/login/"))

        # The staff member's first sign-in: every page leads to the password change first.
        sign_in(page, url, username, temporary)
        expect(page).to_have_url(re.compile(r"/accounts/password/\?next="))
        expect(page.get_by_text("临时密码", exact=False).first).to_be_visible()
        page.goto(f"{url}/duty/")
        expect(page).to_have_url(re.compile(r"/accounts/password/\?next="))
        shot(page, f"password-forced-{width}")
        page.get_by_label("当前密码").fill(temporary)
        page.locator("#id_new_password1").fill("nanlong evening 2026")
        page.get_by_label("再次输入新密码").fill("nanlong evening 2026")
        page.get_by_role("button", name="修改密码").click()

        expect(page.get_by_text("密码已修改。")).to_be_visible()
        page.goto(f"{url}/")
        expect(page.get_by_role("heading", name="工作台")).to_be_visible()
        expect(page.locator(".who")).to_contain_text("社区工作人员")

        # And does the job the account is for: confirming the community's shifts, many at once.
        open_menu(page).get_by_role("link", name="驻点值班", exact=True).click()
        waiting = page.locator("section.card").filter(has_text="待确认到岗")
        boxes = waiting.locator('input[name="shift"]')
        expect(boxes.first).to_be_visible()
        expect(boxes).to_have_count(3)
        waiting.get_by_label("全选").check()
        waiting.get_by_role("button", name="确认所选").last.click()
        expect(page.get_by_role("status")).to_contain_text("已确认 3 个班次")
        assert not DutyShift.objects.filter(
            community__code="440307012002", status=ShiftStatus.COMPLETED
        ).exists()
        shot(page, f"staff-bulk-confirmed-{width}")
    finally:
        context.close()
