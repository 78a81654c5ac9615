from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image

from guwen.duty.conf import cjk_font_path
from guwen.duty.models import Booking, DutyRule, DutyShift, RotaSlot, ShiftStatus
from guwen.duty.tests.helpers import PNG_BYTES, make_rule, make_shift, photo_file
from guwen.regions import services as regions
from guwen.testing import make_lawyer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def need_pdf_tools() -> None:
    """Skip without the CJK font or pdftoppm, unless GUWEN_REQUIRE_BROWSER=1 (CI), where it fails."""
    missing = [
        name
        for name, ok in (("fonts-wqy-microhei", cjk_font_path()), ("pdftoppm", shutil.which("pdftoppm")))
        if not ok
    ]
    if missing:
        if os.environ.get("GUWEN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"GUWEN_REQUIRE_BROWSER=1 but missing: {', '.join(missing)} (make system-deps)")
        pytest.skip(f"missing {', '.join(missing)}: notice-board rendering skipped")


# --- public card ------------------------------------------------------------------------------


def test_public_card_shows_the_three_public_things_and_a_qr_code_for_the_ask_page(world, client):
    make_rule(world, weekdays="13")
    response = client.get(f"/c/{world.community_a.code}/")
    page = response.content.decode()
    assert response.status_code == 200
    for text in (
        "甲律师",
        "甲律师事务所",
        world.lawyer_a.licence_number,
        world.lawyer_a.phone,
        "周二、周四",
        "工作规范",
    ):
        assert text in page
    assert "<svg" in page and f"http://testserver/c/{world.community_a.code}/ask" in page


def test_public_card_links_to_asking_booking_and_the_status_lookup(world, client):
    make_shift(world, starts_in=timedelta(days=2))
    page = client.get(f"/c/{world.community_a.code}/").content.decode()
    start = page.index('class="card-actions"')
    actions = page[start : page.index("</nav>", start)]
    assert f'href="/c/{world.community_a.code}/book/"' in actions
    assert f'href="/c/{world.community_a.code}/status"' in actions
    assert "/ask" in actions
    assert 'href="/"' in page  # the way back to the other communities


def test_public_card_without_open_slots_still_links_to_the_status_lookup(world, client):
    page = client.get(f"/c/{world.community_a.code}/").content.decode()
    start = page.index('class="card-actions"')
    actions = page[start : page.index("</nav>", start)]
    assert "/book/" not in actions
    assert f'href="/c/{world.community_a.code}/status"' in actions


def test_public_card_uses_the_configured_public_address(world, client, monkeypatch):
    monkeypatch.setenv("GUWEN_PUBLIC_BASE_URL", "https://guwen.example.cn/")
    page = client.get(f"/c/{world.community_a.code}/").content.decode()
    assert f"https://guwen.example.cn/c/{world.community_a.code}/ask" in page


@pytest.mark.time_machine("2026-03-18T15:00:00+08:00")
def test_public_card_follows_a_change_of_advisor(world, client):
    today = timezone.localdate()
    regions.assignment_end(assignment=world.assignment_a, ends_on=today - timedelta(days=1), by=None)
    regions.assignment_create(lawyer=world.lawyer_c, community=world.community_a, starts_on=today, by=None)
    page = client.get(f"/c/{world.community_a.code}/").content.decode()
    assert "丙律师" in page and "甲律师" not in page


@pytest.mark.parametrize(
    "code",
    ["999999999999", "44030701200", "4403070120021", "abc", "440307012000", "４４０３０７０１２００２"],
)
def test_forged_or_unknown_community_codes_get_a_chinese_404(world, client, code):
    for suffix in ("", "book/", "booking/", "qr.svg", "photo"):
        response = client.get(f"/c/{code}/{suffix}")
        assert response.status_code == 404
        assert "未找到该社区" in response.content.decode()


def test_public_photo_is_sniffed_and_served(world, client):
    from django.core.files.base import ContentFile

    world.lawyer_a.photo.save("a.png", ContentFile(PNG_BYTES))
    response = client.get(f"/c/{world.community_a.code}/photo")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


# --- booking pages ------------------------------------------------------------------------


def test_resident_books_and_cancels_on_the_public_pages(world, client):
    shift = make_shift(world, starts_in=timedelta(days=1))
    form = client.get(f"/c/{world.community_a.code}/book/").content.decode()
    assert "预约现场咨询" in form
    response = client.post(
        f"/c/{world.community_a.code}/book/",
        {"shift": shift.pk, "name": "王女士", "phone": "13800138001", "topic": "欠薪", "client_key": "abc"},
    )
    assert response.status_code == 200 and "预约成功" in response.content.decode()
    booking = Booking.objects.get()
    assert booking.receipt_code in response.content.decode()
    response = client.post(
        f"/c/{world.community_a.code}/booking/",
        {"receipt_code": booking.receipt_code, "phone": "13800138001", "action": "cancel"},
    )
    assert response.status_code == 200
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_bookings_from_one_address_are_limited_and_nothing_past_the_limit_is_saved(world, client, settings):
    settings.GUWEN_RATE_LIMITS = {"booking": "2/9999d"}
    shift = make_shift(world, starts_in=timedelta(days=1), capacity=10)
    codes = [
        client.post(
            f"/c/{world.community_a.code}/book/",
            {"shift": shift.pk, "name": "甲", "phone": f"1380013800{n}", "client_key": f"k{n}"},
        ).status_code
        for n in range(4)
    ]
    assert codes == [200, 200, 429, 429]
    assert Booking.objects.count() == 2
    refused = client.post(f"/c/{world.community_a.code}/book/", {"shift": shift.pk})
    assert "过于频繁" in refused.content.decode() and int(refused["Retry-After"]) > 0


def test_one_phone_is_limited_across_addresses(world, settings):
    from django.test import Client

    settings.GUWEN_RATE_LIMITS = {"booking_phone": "1/9999d"}
    first, second = (make_shift(world, starts_in=timedelta(days=d), capacity=5) for d in (1, 2))
    url = f"/c/{world.community_a.code}/book/"
    body = {"name": "甲", "phone": "138 0013 8001"}
    assert Client(REMOTE_ADDR="198.51.100.1").post(url, {**body, "shift": first.pk}).status_code == 200
    again = Client(REMOTE_ADDR="198.51.100.2").post(url, {**body, "shift": second.pk, "phone": "13800138001"})
    assert again.status_code == 429 and Booking.objects.count() == 1


def test_booking_code_look_ups_are_limited(world, client, settings):
    settings.GUWEN_RATE_LIMITS = {"booking_lookup": "3/9999d"}
    codes = [
        client.post(
            f"/c/{world.community_a.code}/booking/",
            {"receipt_code": f"ABCDEFGH{n:02d}", "phone": "13800138001"},
        ).status_code
        for n in range(5)
    ]
    assert codes[:3] == [422, 422, 422] and codes[3:] == [429, 429]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"phone": "123"}, "11位手机号"),
        ({"name": ""}, "必填"),
        ({"shift": "999999"}, "不可预约"),
        ({"shift": "abc"}, "不可预约"),
    ],
)
def test_booking_page_bad_input_is_a_422_with_a_chinese_message(world, client, data, message):
    shift = make_shift(world, starts_in=timedelta(days=1))
    body = {"shift": shift.pk, "name": "王女士", "phone": "13800138001", **data}
    response = client.post(f"/c/{world.community_a.code}/book/", body)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Booking.objects.exists()


def test_booking_page_says_why_a_shift_is_no_longer_bookable(world, client):
    shift = make_shift(world, starts_in=timedelta(days=1), capacity=1)
    client.post(
        f"/c/{world.community_a.code}/book/", {"shift": shift.pk, "name": "甲", "phone": "13800138001"}
    )
    response = client.post(
        f"/c/{world.community_a.code}/book/", {"shift": shift.pk, "name": "乙", "phone": "13800138002"}
    )
    assert response.status_code == 422 and "已满" in response.content.decode()
    DutyShift.objects.filter(pk=shift.pk).update(status=ShiftStatus.CANCELLED)
    response = client.post(
        f"/c/{world.community_a.code}/book/", {"shift": shift.pk, "name": "丙", "phone": "13800138003"}
    )
    assert response.status_code == 422 and "已取消" in response.content.decode()
    assert Booking.objects.count() == 1


def test_booking_lookup_with_a_wrong_phone_reveals_nothing(world, client):
    shift = make_shift(world, starts_in=timedelta(days=1))
    client.post(
        f"/c/{world.community_a.code}/book/", {"shift": shift.pk, "name": "甲", "phone": "13800138001"}
    )
    code = Booking.objects.get().receipt_code
    response = client.post(
        f"/c/{world.community_a.code}/booking/", {"receipt_code": code, "phone": "13900000000"}
    )
    assert response.status_code == 422 and "预约码或手机号不正确" in response.content.decode()
    response = client.post(
        f"/c/{world.community_b.code}/booking/", {"receipt_code": code, "phone": "13800138001"}
    )
    assert response.status_code == 422  # the right code on another community's page


# --- work pages ---------------------------------------------------------------------------


def test_advisor_checks_in_with_a_photo_and_out_on_the_shift_page(world, client_for):
    shift = make_shift(world)
    advisor = client_for("advisor_a")
    assert "签到" in advisor.get(f"/duty/shifts/{shift.pk}/").content.decode()
    response = advisor.post(f"/duty/shifts/{shift.pk}/check-in/", {"photo": photo_file(), "note": "到岗"})
    assert response.status_code == 302
    response = advisor.post(f"/duty/shifts/{shift.pk}/check-in/", {})
    assert response.status_code == 409 and "重复签到" in response.content.decode()  # the shift's state
    assert advisor.post(f"/duty/shifts/{shift.pk}/check-out/", {"confirm": "1"}).status_code == 302
    assert DutyShift.objects.get(pk=shift.pk).status == ShiftStatus.COMPLETED


def test_check_in_with_a_bad_photo_is_a_422_on_the_photo_field(world, client_for):
    shift = make_shift(world)
    response = client_for("advisor_a").post(
        f"/duty/shifts/{shift.pk}/check-in/", {"photo": photo_file(b"MZ\x90\x00 not an image", "evil.png")}
    )
    assert response.status_code == 422 and "JPEG、PNG 或 WebP" in response.content.decode()
    assert DutyShift.objects.get(pk=shift.pk).status == ShiftStatus.SCHEDULED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"weekdays": []}, "至少选择一个星期"),
        ({"weekdays": ["8"]}, "周一至周日"),
        ({"start_time": "12:00", "end_time": "09:00"}, "结束时间必须晚于开始时间"),
        ({"start_time": "25:00"}, "正确的时间"),
        ({"valid_from": "2026-02-30"}, "正确的日期"),
        ({"valid_to": "2023-01-01"}, "截止日期不能早于生效日期"),
        ({"lawyer": "999999"}, "派驻本社区的律师"),
        ({"capacity": "0"}, "至少为 1"),
        ({"capacity": "abc"}, "整数"),
    ],
)
def test_rule_form_bad_input_is_a_422_and_saves_nothing(world, client_for, data, message):
    body = {
        "lawyer": world.lawyer_a.pk,
        "weekdays": ["1"],
        "start_time": "09:00",
        "end_time": "12:00",
        "place": "党群服务中心",
        "service_content": "法律咨询",
        "valid_from": "2026-01-01",
        **data,
    }
    response = client_for("office").post(f"/duty/communities/{world.community_a.code}/rules/new/", body)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not DutyRule.objects.exists()


def test_overlapping_rule_on_the_page_is_a_409(world, client_for):
    make_rule(world, weekdays="1")
    body = {
        "lawyer": world.lawyer_a.pk,
        "weekdays": ["1"],
        "start_time": "10:00",
        "end_time": "11:00",
        "place": "x",
        "service_content": "y",
        "valid_from": "2026-01-01",
    }
    response = client_for("office").post(f"/duty/communities/{world.community_a.code}/rules/new/", body)
    assert response.status_code == 409 and "重叠" in response.content.decode()  # a clash with a rule


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start": "2026-03-31", "end": "2026-03-01"}, "结束日期不能早于开始日期"),
        ({"start": "x", "end": ""}, "正确的日期"),
    ],
)
def test_generate_form_bad_input_is_a_422(world, client_for, data, message):
    make_rule(world, weekdays="1")
    response = client_for("office").post(f"/duty/communities/{world.community_a.code}/generate/", data)
    assert response.status_code == 422 and message in response.content.decode()
    assert not DutyShift.objects.exists()


def test_generate_page_creates_a_quarter_of_shifts(world, client_for):
    make_rule(world, weekdays="1")
    response = client_for("office").post(
        f"/duty/communities/{world.community_a.code}/generate/", {"start": "2026-04-01", "end": "2026-06-30"}
    )
    assert response.status_code == 302
    assert DutyShift.objects.count() == 13  # Tuesdays in Q2 2026: none falls on a holiday


@pytest.mark.parametrize("month", ["2026-13", "26-03", "abc", "2026-3x"])
def test_bad_month_is_a_422_in_chinese(world, client_for, month):
    response = client_for("office").get(f"/duty/attendance/?month={month}")
    assert response.status_code == 422 and "YYYY-MM" in response.content.decode()
    response = client_for("office").get(f"/api/v1/duty/attendance?month={month}")
    assert response.status_code == 422 and response.json()["field"] == "month"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"starts_at": "2026-13-01T10:00"}, "正确的日期和时间"),
        ({"ends_at": ""}, "必填"),
        ({"lawyer": "abc"}, "本街道社区的律师"),
    ],
)
def test_rota_form_bad_input_is_a_422(world, client_for, data, message):
    start = timezone.localtime() + timedelta(days=1)
    body = {
        "lawyer": world.lawyer_a.pk,
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"),
        **data,
    }
    response = client_for("office").post(f"/duty/rota/{world.street.code}/new/", body)
    assert response.status_code == 422 and message in response.content.decode()
    assert not RotaSlot.objects.exists()


def test_change_request_page_submits_a_substitution(world, client_for):
    backup = make_lawyer(world.firm_a, "备岗律师")
    regions.assignment_create(
        lawyer=backup, community=world.community_a, starts_on=date(2024, 1, 1), role="backup", by=None
    )
    shift = make_shift(world, starts_in=timedelta(days=2))
    response = client_for("advisor_a").post(
        f"/duty/shifts/{shift.pk}/change/", {"kind": "substitute", "substitute": backup.pk, "reason": "开庭"}
    )
    assert response.status_code == 302
    response = client_for("advisor_a").post(
        f"/duty/shifts/{shift.pk}/change/", {"kind": "swap", "reason": "再申请"}
    )
    assert response.status_code == 422 and "请选择对调的班次" in response.content.decode()


# --- API bad input ------------------------------------------------------------------------


def test_api_rule_bad_input_names_the_field(world, client_for):
    body = {
        "community_code": world.community_a.code,
        "lawyer_id": world.lawyer_a.pk,
        "weekdays": [1],
        "start_time": "12:00",
        "end_time": "09:00",
        "place": "x",
        "service_content": "y",
        "valid_from": "2026-01-01",
    }
    response = client_for("office").post("/api/v1/duty/rules", body, content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "end_time"
    response = client_for("office").post(
        "/api/v1/duty/rules", {**body, "start_time": "nope"}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["field"] == "start_time"
    assert not DutyRule.objects.exists()


def test_api_check_in_on_someone_elses_shift_is_refused(world, client_for):
    shift = make_shift(world)
    response = client_for("staff_a").post(
        f"/api/v1/duty/shifts/{shift.pk}/check-in", {}, content_type="application/json"
    )
    assert response.status_code == 403 and "本人" in response.json()["detail"]  # not their shift
    response = client_for("advisor_b").post(
        f"/api/v1/duty/shifts/{shift.pk}/check-in", {}, content_type="application/json"
    )
    assert response.status_code == 404


# --- notice board PDF ----------------------------------------------------------------------


def non_white_fraction(png: Path) -> float:
    image = Image.open(png).convert("L")
    histogram = image.histogram()
    return 1 - sum(histogram[245:]) / (image.width * image.height)


@pytest.mark.parametrize("size", ["A4", "A3"])
def test_notice_board_pdf_renders_chinese_with_an_embedded_font(world, client_for, tmp_path, size):
    need_pdf_tools()
    make_rule(world, weekdays="13")
    response = client_for("office").get(f"/duty/communities/{world.community_a.code}/board.pdf?size={size}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / f"board-{size}.pdf"
    pdf.write_bytes(response.content)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=False).stdout
    if fonts:
        assert "yes" in fonts.splitlines()[-1].split()[-4:]  # the CJK font is embedded
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-singlefile", str(pdf), str(tmp_path / "page")], check=True
    )
    assert 0.03 < non_white_fraction(tmp_path / "page.png") < 0.9


def test_notice_board_rejects_an_unknown_paper_size(world, client_for):
    need_pdf_tools()
    response = client_for("office").get(f"/duty/communities/{world.community_a.code}/board.pdf?size=B5")
    assert response.status_code == 422 and "A4 或 A3" in response.content.decode()


def test_notice_board_without_a_font_explains_in_chinese(world, client_for, monkeypatch):
    from reportlab.pdfbase import pdfmetrics

    from guwen.duty import board

    monkeypatch.setattr(board, "cjk_font_path", lambda: None)
    monkeypatch.setattr(pdfmetrics, "getRegisteredFontNames", lambda: [])
    response = client_for("office").get(f"/duty/communities/{world.community_a.code}/board.pdf")
    assert response.status_code == 503 and "fonts-wqy-microhei" in response.content.decode()
