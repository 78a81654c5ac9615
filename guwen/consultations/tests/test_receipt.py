"""The receipt after asking: when the answer is due in plain words, the emergency numbers first for
an urgent question (the district's own or the national defaults), the look-up from / without a
community, and the district settings that edit the numbers."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from guwen.consultations import emergency, receipt, selectors, services
from guwen.consultations.models import Consultation, EmergencyNumbers, Status, Urgency
from guwen.core.audit import AuditEvent
from guwen.core.errors import DomainError
from guwen.core.workcalendar import CHINA_TZ

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-12-03T15:00:00+08:00")]

NOW = datetime(2026, 12, 3, 15, 0, tzinfo=CHINA_TZ)  # a Thursday
PHONE = "13900001111"


# --- the due time in words -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "words"),
    [
        (datetime(2026, 12, 3, 18, 0, tzinfo=CHINA_TZ), "今天 12月3日（周四）18:00"),
        (datetime(2026, 12, 4, 9, 30, tzinfo=CHINA_TZ), "明天 12月4日（周五）09:30"),
        (datetime(2026, 12, 5, 18, 0, tzinfo=CHINA_TZ), "12月5日（周六）18:00"),
        (datetime(2027, 1, 4, 8, 30, tzinfo=CHINA_TZ), "2027年1月4日（周一）08:30"),
    ],
)
def test_the_due_moment_reads_as_a_resident_says_it(due, words):
    assert receipt.moment_in_words(due, NOW) == words


def test_the_due_moment_is_local_time_whatever_zone_it_is_stored_in():
    from datetime import UTC

    assert receipt.moment_in_words(datetime(2026, 12, 5, 10, 0, tzinfo=UTC), NOW) == "12月5日（周六）18:00"


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)))
def test_every_moment_names_its_weekday_and_time(naive):
    due = naive.replace(tzinfo=CHINA_TZ)
    words = receipt.moment_in_words(due, NOW)
    assert f"（周{'一二三四五六日'[due.weekday()]}）" in words
    assert words.endswith(due.strftime("%H:%M"))
    assert f"{due.month}月{due.day}日" in words


def test_the_receipt_promises_the_stored_deadline(world, ask):
    c = ask()
    text = receipt.due_in_words(c, NOW)
    assert text.startswith("司法所承诺在 ") and text.endswith(" 前答复。")
    assert receipt.moment_in_words(c.due_at, NOW) in text


def test_a_missed_deadline_is_said_plainly_and_an_answer_ends_the_promise(world, ask):
    c = ask()
    c.due_at = NOW - timedelta(hours=1)
    assert receipt.due_in_words(c, NOW).startswith("已超过承诺的答复时间（今天 12月3日（周四）14:00）")
    c.status = Status.WAITING_RESIDENT
    assert "补充信息" in receipt.due_in_words(c, NOW)
    c.status = Status.ANSWERED
    assert receipt.due_in_words(c, NOW) == ""


# --- the emergency numbers ------------------------------------------------------------------------


def test_the_defaults_are_the_five_national_numbers():
    assert [line.number for line in emergency.DEFAULT_LINES] == ["110", "120", "12338", "12356", "12348"]
    assert str(emergency.DEFAULT_LINES[0].label) == "报警"


def test_a_districts_text_is_read_line_by_line():
    text = "110 报警\n\n120：急救\n0755-12345678　区妇联热线\n"
    assert emergency.parse_lines(text) == [
        emergency.Line("110", "报警"),
        emergency.Line("120", "急救"),
        emergency.Line("0755-12345678", "区妇联热线"),
    ]
    assert emergency.parse_lines("  \n") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("110报警", "第 1 行：请写成“号码 名称”"),
        ("110 报警\nabc 急救", "第 2 行：号码只能是 3 到 20 位数字"),
        ("11 报警", "号码只能是 3 到 20 位数字"),
        ("110 " + "很" * 21, "名称最多 20 个字"),
        ("110 报警\n110 又是报警", "号码 110 重复了"),
        ("\n".join(f"11{i} 号码{i}" for i in range(9)), "最多 8 个号码"),
        ("110", "请写成“号码 名称”"),
    ],
)
def test_bad_lines_are_refused_with_the_line_named(text, message):
    with pytest.raises(DomainError) as refused:
        emergency.parse_lines(text)
    assert message in refused.value.message and refused.value.field == "lines"


number = st.from_regex(r"[0-9][0-9-]{1,18}[0-9]", fullmatch=True)
label = st.text(st.characters(categories=["Lo"]), min_size=1, max_size=20)


@given(st.lists(st.tuples(number, label), min_size=1, max_size=8, unique_by=lambda t: t[0]))
def test_written_lines_read_back_as_written(pairs):
    lines = [emergency.Line(n, lab) for n, lab in pairs]
    assert emergency.parse_lines(emergency.as_text(lines)) == lines


@given(st.text(max_size=300))
def test_any_text_is_read_or_refused_with_a_message(text):
    try:
        lines = emergency.parse_lines(text)
    except DomainError as exc:
        assert exc.message and exc.field == "lines"
    else:
        assert len(lines) <= emergency.LINES_MAX
        assert all(emergency.NUMBER_RE.fullmatch(line.number) for line in lines)


def test_a_district_sets_its_numbers_and_an_empty_text_restores_the_defaults(world):
    bureau = world.user("bureau")
    services.emergency_numbers_set(district=world.district, text="110 报警\n12348 法律援助", by=bureau)
    got = selectors.emergency_numbers_for(world.community_a)
    assert got.own and [line.number for line in got.lines] == ["110", "12348"]
    # Another district keeps the defaults.
    assert not selectors.emergency_numbers_for(world.community_e).own
    services.emergency_numbers_set(district=world.district, text="", by=bureau)
    assert not EmergencyNumbers.objects.exists()
    assert selectors.emergency_numbers_of(world.district).lines[0].number == "110"
    events = AuditEvent.objects.filter(action="emergency_numbers.set").order_by("id")
    assert events.count() == 2 and events[0].actor_label == "bureau"


# --- the status page as a receipt -----------------------------------------------------------------


def _status_after_asking(world, text="公司拖欠我两个月工资，老板说下个月再给，我该怎么办？"):
    client = Client()
    client.post(
        f"/c/{world.community_a.code}/ask", {"text": text, "phone": PHONE, "consent": "on", "key": "k1"}
    )
    return client, Consultation.objects.get()


def test_the_receipt_says_when_the_answer_is_due(world, sent):
    client, c = _status_after_asking(world)
    page = client.get(f"/c/{world.community_a.code}/status").content.decode()
    assert "司法所承诺在 " in page and receipt.moment_in_words(c.due_at, NOW) in page
    assert "情况紧急" not in page


def test_an_urgent_receipt_shows_the_districts_numbers_before_anything_else(world, sent):
    services.emergency_numbers_set(
        district=world.district, text="110 报警\n0755-88888888 区反家暴热线", by=world.user("bureau")
    )
    client, c = _status_after_asking(world)
    Consultation.objects.filter(pk=c.pk).update(urgency=Urgency.URGENT)
    page = client.get(f"/c/{world.community_a.code}/status").content.decode()
    main = page[page.index("<main") :]
    assert main.index("情况紧急") < main.index("提交成功") < main.index(c.receipt_code)
    assert 'href="tel:0755-88888888"' in page and "区反家暴热线" in page
    assert "12338" not in page  # the district's own list replaces the defaults


# --- the look-up from / (no community) ------------------------------------------------------------


def test_the_lookup_finds_a_question_in_any_community_and_opens_its_status(world, ask):
    c = ask(community=world.community_b)
    client = Client()
    response = client.post("/status/", {"phone": PHONE, "receipt_code": c.receipt_code.lower()})
    assert response.status_code == 302 and response["Location"] == f"/c/{world.community_b.code}/status"
    assert c.receipt_code in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"phone": "13900009999", "receipt_code": "RIGHT"}, "手机号或回执码不正确"),
        ({"phone": PHONE, "receipt_code": "ZZZZZZZZ"}, "手机号或回执码不正确"),
        ({"phone": "", "receipt_code": "RIGHT"}, "此项为必填项"),
        ({"phone": PHONE, "receipt_code": "R" * 21}, "20"),
    ],
)
def test_a_wrong_lookup_is_a_422_that_grants_nothing(world, ask, body, message):
    c = ask()
    if body["receipt_code"] == "RIGHT":
        body = {**body, "receipt_code": c.receipt_code}
    client = Client()
    response = client.post("/status/", body)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not client.session.get("guwen_consult_grants")
    assert c.receipt_code not in client.get(f"/c/{world.community_a.code}/status").content.decode()


# --- the district settings page ------------------------------------------------------------------


def test_the_bureau_edits_its_numbers_on_the_settings_page(world, client_for):
    bureau = client_for("bureau")
    url = f"/consultations/settings/{world.district.code}/emergency/"
    page = bureau.get("/consultations/settings/").content.decode()
    assert "紧急求助电话" in page and "使用默认号码" in page and "12356" in page
    response = bureau.post(url, {"lines": "110 报警\n12348 公共法律服务热线"})
    assert response.status_code == 302
    assert "本区自定的号码" in bureau.get(response["Location"]).content.decode()


@pytest.mark.parametrize("lines", ["110报警", "abc 急救", "110 报警\n110 报警", "1" * 1001])
def test_bad_numbers_are_a_422_on_the_field_and_nothing_is_saved(world, client_for, lines):
    response = client_for("bureau").post(
        f"/consultations/settings/{world.district.code}/emergency/", {"lines": lines}
    )
    assert response.status_code == 422
    assert 'class="field has-error"' in response.content.decode()
    assert not EmergencyNumbers.objects.exists()
    assert not AuditEvent.objects.filter(action="emergency_numbers.set").exists()


@pytest.mark.parametrize("role", ["office", "advisor_a", "staff_a"])
def test_only_the_districts_bureau_sets_its_numbers(world, client_for, role):
    response = client_for(role).post(
        f"/consultations/settings/{world.district.code}/emergency/", {"lines": "110 报警"}
    )
    assert response.status_code == 404
    assert not EmergencyNumbers.objects.exists()


def test_another_districts_bureau_gets_a_404(world, client_for):
    response = client_for("bureau").post(
        f"/consultations/settings/{world.district2.code}/emergency/", {"lines": "110 报警"}
    )
    assert response.status_code == 404
    assert not EmergencyNumbers.objects.exists()
