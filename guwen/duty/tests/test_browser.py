"""Duty journeys on a 390 px phone screen in Debian's Chromium: an advisor checks in and out and the
community confirms; a resident opens the public card, books a slot and cancels it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from guwen.duty.models import Booking, BookingStatus, DutyShift, ShiftStatus
from guwen.duty.tests.helpers import PNG_BYTES, make_rule, make_shift
from guwen.testing import build_world

pytest_plugins = ["guwen.tests.browser"]

PASSWORD = "correct horse battery"


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.browser
def test_advisor_checks_in_and_out_on_a_phone_and_staff_confirm(live_server, transactional_db, phone, log_in):
    world = build_world()
    shift = make_shift(world, starts_in=timedelta(minutes=-5))
    page = phone

    log_in("advisor_a", PASSWORD)
    page.goto(f"{live_server.url}/duty/")
    mine = page.locator("section.card").filter(has_text="我的班次")
    expect(mine).to_contain_text("南龙社区")
    assert fits_the_screen(page), "the duty page scrolls sideways on a phone"
    mine.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("南龙社区")
    page.get_by_label("现场照片（可选）").set_input_files(
        files=[{"name": "site.png", "mimeType": "image/png", "buffer": PNG_BYTES}]
    )
    page.get_by_role("button", name="签到", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("签到成功")
    expect(page.locator("#shift-status")).to_have_text("已签到")
    assert fits_the_screen(page)
    page.get_by_role("button", name="签退", exact=True).click()
    # Checking out minutes after checking in is most often a mis-tap: the page asks first.
    expect(page.get_by_role("alert")).to_contain_text("确定现在签退吗")
    assert DutyShift.objects.get(pk=shift.pk).status == ShiftStatus.CHECKED_IN
    page.get_by_role("button", name="确定签退").click()
    expect(page.get_by_role("status")).to_contain_text("签退成功")
    expect(page.locator("#shift-status")).to_have_text("待确认")
    shift.refresh_from_db()
    assert shift.status == ShiftStatus.COMPLETED and shift.checks.get(kind="in").photo_type == "png"

    # The community's staff confirm attendance the same week.
    page.context.clear_cookies()
    log_in("staff_a", PASSWORD)
    page.goto(f"{live_server.url}/duty/")
    waiting = page.locator("section.card").filter(has_text="待确认到岗")
    expect(waiting).to_contain_text("南龙社区")
    waiting.get_by_role("checkbox", name=re.compile("选择")).first.check()
    waiting.get_by_role("button", name="确认所选").first.click()
    expect(page.get_by_role("status")).to_contain_text("已确认 1 个班次")
    assert DutyShift.objects.get(pk=shift.pk).status == ShiftStatus.CONFIRMED


@pytest.mark.browser
def test_resident_books_a_slot_from_the_public_card_and_cancels_it(live_server, transactional_db, phone):
    world = build_world()
    make_rule(world, weekdays="1")
    make_shift(world, starts_in=timedelta(days=2), capacity=3)
    page = phone

    page.goto(f"{live_server.url}/c/{world.community_a.code}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("南龙社区")
    expect(page.locator(".advisor")).to_contain_text("甲律师")
    expect(page.locator(".qr-box svg")).to_be_visible()
    assert fits_the_screen(page), "the public card scrolls sideways on a phone"
    page.get_by_role("link", name="预约现场咨询").first.click()

    # A wrong phone first: the page says so in Chinese and books nothing.
    page.locator("input[name=shift]").first.check()
    page.get_by_label("称呼").fill("王女士")
    page.get_by_label("手机号").fill("12345")
    page.get_by_role("button", name="提交预约").click()
    expect(page.get_by_text("请输入正确的11位手机号码")).to_be_visible()
    assert not Booking.objects.exists()

    page.locator("input[name=shift]").first.check()
    page.get_by_label("手机号").fill("13800138001")
    page.get_by_role("button", name="提交预约").click()
    expect(page.get_by_role("heading", name="预约成功")).to_be_visible()
    code = page.locator("#receipt-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{10}", code)
    assert fits_the_screen(page)

    page.get_by_role("link", name="查询或取消预约").click()
    page.get_by_label("预约码").fill(code)
    page.get_by_label("预约手机号").fill("13800138001")
    page.get_by_role("button", name="取消预约").click()
    expect(page.get_by_role("status")).to_contain_text("已取消")
    assert Booking.objects.get().status == BookingStatus.CANCELLED


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_office_confirms_shifts_in_bulk(
    live_server, transactional_db, phone, log_in, width, tmp_path, settings
):
    settings.GUWEN_WAIVE_STAFF_TOTP = True  # the enrolment journey is tested elsewhere
    world = build_world()
    done = [
        make_shift(world, starts_in=timedelta(days=-n), status=ShiftStatus.COMPLETED, held_minutes=180)
        for n in (2, 3, 4)
    ]
    other = make_shift(
        world,
        starts_in=timedelta(days=-5),
        community=world.community_b,
        lawyer=world.lawyer_b,
        status=ShiftStatus.COMPLETED,
        held_minutes=170,
    )
    page = phone
    page.set_viewport_size({"width": width, "height": 900})
    log_in("office", PASSWORD)
    page.goto(f"{live_server.url}/duty/")
    waiting = page.locator("section.card").filter(has_text="待确认到岗")
    expect(waiting.get_by_role("checkbox", name=re.compile("选择"))).to_have_count(4)
    assert fits_the_screen(page), f"the duty home scrolls sideways at {width} px"
    page.screenshot(path=str(tmp_path / f"bulk-{width}.png"), full_page=True)

    # Nothing ticked: the page says so and confirms nothing.
    waiting.get_by_role("button", name="确认所选").first.click()
    expect(page.locator(".card.errors")).to_contain_text("请至少选择一个班次")
    assert not DutyShift.objects.filter(status=ShiftStatus.CONFIRMED).exists()

    # 全选, then leave community B's shift out.
    waiting = page.locator("section.card").filter(has_text="待确认到岗")
    waiting.get_by_label("全选").check()
    waiting.locator(f'input[name="shift"][value="{other.pk}"]').uncheck()
    waiting.get_by_role("button", name="确认所选").last.click()
    expect(page.get_by_role("status")).to_contain_text("已确认 3 个班次")
    assert {s.pk for s in DutyShift.objects.filter(status=ShiftStatus.CONFIRMED)} == {s.pk for s in done}
    waiting = page.locator("section.card").filter(has_text="待确认到岗")
    expect(waiting.get_by_role("checkbox", name=re.compile("选择"))).to_have_count(1)
