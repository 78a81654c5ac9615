"""Confirming shifts in bulk, disputing a held shift, the office's decision, a dated too-early
check-in, a confirmed early check-out, the rule that plans too few hours, and one attendance
definition."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guwen.core.errors import Conflict, DomainError
from guwen.core.models import AuditEvent
from guwen.duty import selectors, services
from guwen.duty.models import DisputeStatus, DutyDispute, DutyShift, ShiftStatus
from guwen.duty.tests.helpers import make_rule, make_shift

pytestmark = pytest.mark.django_db


def completed(world, days_ago: int = 2, **extra):
    values = {"status": ShiftStatus.COMPLETED, "held_minutes": 180}
    values.update(extra)
    return make_shift(world, starts_in=timedelta(days=-days_ago), **values)


def actions_on(shift) -> list[str]:
    return list(AuditEvent.objects.filter(object_id=str(shift.pk)).values_list("action", flat=True))


# --- bulk confirmation ---------------------------------------------------------------------------


def test_bulk_confirm_confirms_what_it_can_and_reports_the_rest(world):
    ok1, ok2 = completed(world, 2), completed(world, 3)
    open_shift = make_shift(world, starts_in=timedelta(days=1))
    done = completed(world, 4, status=ShiftStatus.CONFIRMED)
    result = services.duty_shifts_confirm(shifts=[ok1, ok2, open_shift, done], by=world.user("staff_a"))
    assert {s.pk for s in result.confirmed} == {ok1.pk, ok2.pk}
    reasons = {s.pk: str(exc.message) for s, exc in result.refused}
    assert "尚未签退" in reasons[open_shift.pk] and "已确认" in reasons[done.pk]
    assert DutyShift.objects.filter(pk__in=[ok1.pk, ok2.pk], status=ShiftStatus.CONFIRMED).count() == 2
    assert "duty_shift.confirm" in actions_on(ok1)


def test_bulk_confirm_of_nothing_is_refused(world):
    with pytest.raises(DomainError, match="至少选择一个班次"):
        services.duty_shifts_confirm(shifts=[], by=world.user("office"))


def test_office_confirms_ticked_shifts_on_the_home_page(world, client_for):
    shifts = [completed(world, n) for n in (2, 3, 4)]
    office = client_for("office")
    page = office.get("/duty/").content.decode()
    assert "确认所选" in page and 'name="shift"' in page
    response = office.post("/duty/shifts/confirm/", {"shift": [shifts[0].pk, shifts[1].pk]})
    assert response.status_code == 302
    statuses = {s.pk: DutyShift.objects.get(pk=s.pk).status for s in shifts}
    assert statuses == {
        shifts[0].pk: ShiftStatus.CONFIRMED,
        shifts[1].pk: ShiftStatus.CONFIRMED,
        shifts[2].pk: ShiftStatus.COMPLETED,
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [({}, "请至少选择一个班次"), ({"shift": "abc"}, "所选班次不正确"), ({"shift": "-1"}, "所选班次不正确")],
)
def test_bulk_confirm_bad_input_is_a_422_and_confirms_nothing(world, client_for, data, message):
    shift = completed(world)
    response = client_for("staff_a").post("/duty/shifts/confirm/", data)
    assert response.status_code == 422 and message in response.content.decode()
    assert DutyShift.objects.get(pk=shift.pk).status == ShiftStatus.COMPLETED


def test_bulk_confirm_with_a_shift_out_of_scope_is_a_404_and_confirms_nothing(world, client_for):
    mine = completed(world)
    other = completed(world, community=world.community_e, lawyer=world.lawyer_e)
    response = client_for("staff_a").post("/duty/shifts/confirm/", {"shift": [mine.pk, other.pk]})
    assert response.status_code == 404
    assert DutyShift.objects.get(pk=mine.pk).status == ShiftStatus.COMPLETED


def test_bulk_confirm_by_the_advisor_is_a_403(world, client_for):
    shift = completed(world)
    response = client_for("advisor_a").post("/duty/shifts/confirm/", {"shift": [shift.pk]})
    assert response.status_code == 403 and "无权" in response.content.decode()
    assert DutyShift.objects.get(pk=shift.pk).status == ShiftStatus.COMPLETED


def test_bulk_confirm_of_already_confirmed_shifts_is_a_409(world, client_for):
    shift = completed(world, status=ShiftStatus.CONFIRMED)
    response = client_for("office").post("/duty/shifts/confirm/", {"shift": [shift.pk]})
    assert response.status_code == 409 and "已确认" in response.content.decode()


def test_api_bulk_confirm_lists_refusals(world, client_for):
    ok, scheduled = completed(world), make_shift(world, starts_in=timedelta(days=2))
    response = client_for("office").post(
        "/api/v1/duty/shift-confirmations",
        {"shift_ids": [ok.pk, scheduled.pk]},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["confirmed"] == [ok.pk] and body["refused"][0]["id"] == scheduled.pk


# --- disputes ------------------------------------------------------------------------------------


def test_staff_dispute_then_office_accepts_and_the_shift_counts_as_missed(world):
    shift = completed(world, status=ShiftStatus.CONFIRMED)
    dispute = services.duty_shift_dispute(shift=shift, reason="当天社区未见律师", by=world.user("staff_a"))
    shift.refresh_from_db()
    assert shift.status == ShiftStatus.DISPUTED and dispute.previous_status == ShiftStatus.CONFIRMED
    services.duty_dispute_decide(dispute=dispute, accept=True, note="经核实未到岗", by=world.user("office"))
    shift.refresh_from_db()
    dispute.refresh_from_db()
    assert shift.status == ShiftStatus.MISSED and dispute.status == DisputeStatus.ACCEPTED
    figures = selectors.attendance(start=shift.date, end=shift.date, community=world.community_a)
    assert (figures.shifts_due, figures.shifts_held, figures.shifts_missed, figures.held_minutes) == (
        1,
        0,
        1,
        0,
    )
    assert {"duty_shift.dispute", "duty_shift.accept_dispute"} <= set(actions_on(shift))


def test_office_rejects_a_dispute_and_the_shift_stays_confirmed(world):
    shift = completed(world)
    dispute = services.duty_shift_dispute(shift=shift, reason="怀疑代签", by=world.user("staff_a"))
    services.duty_dispute_decide(dispute=dispute, accept=False, by=world.user("office"))
    shift.refresh_from_db()
    assert shift.status == ShiftStatus.CONFIRMED and shift.confirmed_by == world.user("office")
    with pytest.raises(Conflict):
        services.duty_dispute_decide(dispute=dispute, accept=True, by=world.user("office"))
    with pytest.raises(Conflict, match="最终"):
        services.duty_shift_dispute(shift=shift, reason="再次异议", by=world.user("staff_a"))


def test_only_staff_dispute_and_only_the_office_decides(world):
    shift = completed(world)
    for role in ("office", "advisor_a", "bureau"):
        with pytest.raises(DomainError) as refused:
            services.duty_shift_dispute(shift=shift, reason="未到岗", by=world.user(role))
        assert refused.value.code == "forbidden"
    dispute = services.duty_shift_dispute(shift=shift, reason="未到岗", by=world.user("staff_a"))
    with pytest.raises(DomainError) as refused:
        services.duty_dispute_decide(dispute=dispute, accept=True, by=world.user("staff_a"))
    assert refused.value.code == "forbidden"


def test_a_scheduled_shift_cannot_be_disputed(world):
    shift = make_shift(world, starts_in=timedelta(days=1))
    with pytest.raises(DomainError, match="当前状态不允许"):
        services.duty_shift_dispute(shift=shift, reason="未到岗", by=world.user("staff_a"))


@pytest.mark.parametrize(
    ("reason", "message"), [("", "请写明异议理由"), ("  ", "请写明异议理由"), ("长" * 501, "500")]
)
def test_dispute_needs_a_reason_on_the_page(world, client_for, reason, message):
    shift = completed(world)
    response = client_for("staff_a").post(f"/duty/shifts/{shift.pk}/dispute/", {"reason": reason})
    assert response.status_code == 422 and message in response.content.decode()
    assert not DutyDispute.objects.exists()
    assert DutyShift.objects.get(pk=shift.pk).status == ShiftStatus.COMPLETED


def test_dispute_page_journey_and_lists_show_it(world, client_for):
    shift = completed(world)
    staff, office = client_for("staff_a"), client_for("office")
    assert "提出异议" in staff.get(f"/duty/shifts/{shift.pk}/").content.decode()
    response = staff.post(f"/duty/shifts/{shift.pk}/dispute/", {"reason": "当天未见律师到岗"})
    assert response.status_code == 302
    home = office.get("/duty/").content.decode()
    assert "有异议" in home and "当天未见律师到岗" in home
    assert "异议成立" in office.get(f"/duty/shifts/{shift.pk}/").content.decode()
    bad = office.post(f"/duty/shifts/{shift.pk}/dispute/decide/", {"decision": "maybe"})
    assert bad.status_code == 422 and "请选择异议成立或不成立" in bad.content.decode()
    assert staff.post(f"/duty/shifts/{shift.pk}/dispute/decide/", {"decision": "accept"}).status_code == 403
    assert office.post(f"/duty/shifts/{shift.pk}/dispute/decide/", {"decision": "accept"}).status_code == 302
    assert DutyShift.objects.get(pk=shift.pk).status == ShiftStatus.MISSED
    again = office.post(f"/duty/shifts/{shift.pk}/dispute/decide/", {"decision": "reject"})
    assert again.status_code == 409


def test_api_dispute_and_decision(world, client_for):
    shift = completed(world)
    staff, office = client_for("staff_a"), client_for("office")
    empty = staff.post(
        f"/api/v1/duty/shifts/{shift.pk}/dispute", {"reason": ""}, content_type="application/json"
    )
    assert empty.status_code == 422 and "异议理由" in empty.json()["detail"]
    made = staff.post(
        f"/api/v1/duty/shifts/{shift.pk}/dispute", {"reason": "未到岗"}, content_type="application/json"
    )
    assert made.status_code == 201 and made.json()["shift_status"] == "disputed"
    bad = office.post(
        f"/api/v1/duty/shifts/{shift.pk}/dispute/decide", {"decision": "x"}, content_type="application/json"
    )
    assert bad.status_code == 422
    decided = office.post(
        f"/api/v1/duty/shifts/{shift.pk}/dispute/decide",
        {"decision": "reject"},
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["status"] == "rejected"


# --- check-in and check-out ------------------------------------------------------------------------


@pytest.mark.time_machine("2026-12-03T15:00:00+08:00")
def test_too_early_check_in_says_the_date_and_time_it_opens(world, client_for):
    shift = make_shift(world, starts_in=timedelta(days=1, hours=19, minutes=30))  # 12-05 10:30
    with pytest.raises(DomainError, match="签到将于 12月5日 08:30 开放"):
        services.duty_shift_check_in(shift=shift, by=world.user("advisor_a"))
    response = client_for("advisor_a").post(
        f"/api/v1/duty/shifts/{shift.pk}/check-in", {}, content_type="application/json"
    )
    assert "签到将于 12月5日 08:30 开放" in response.json()["detail"]


def test_check_out_soon_after_check_in_asks_to_confirm_on_the_page(world, client_for):
    shift = make_shift(world, starts_in=timedelta(minutes=-5))
    advisor = client_for("advisor_a")
    assert advisor.post(f"/duty/shifts/{shift.pk}/check-in/", {}).status_code == 302
    asked = advisor.post(f"/duty/shifts/{shift.pk}/check-out/", {"note": "临时有事"})
    page = asked.content.decode()
    assert asked.status_code == 409 and "确定现在签退吗" in page and 'name="confirm" value="1"' in page
    assert DutyShift.objects.get(pk=shift.pk).status == ShiftStatus.CHECKED_IN
    assert advisor.post(f"/duty/shifts/{shift.pk}/check-out/", {"confirm": "1"}).status_code == 302
    assert DutyShift.objects.get(pk=shift.pk).status == ShiftStatus.COMPLETED


def test_check_out_soon_after_check_in_asks_to_confirm_in_the_api(world, client_for):
    shift = make_shift(world, starts_in=timedelta(minutes=-5))
    advisor = client_for("advisor_a")
    url = f"/api/v1/duty/shifts/{shift.pk}"
    assert advisor.post(f"{url}/check-in", {}, content_type="application/json").status_code == 200
    asked = advisor.post(f"{url}/check-out", {}, content_type="application/json")
    assert asked.status_code == 409 and asked.json()["code"] == "confirm_check_out"
    bad = advisor.post(f"{url}/check-out", {"confirm": "sure"}, content_type="application/json")
    assert bad.status_code == 422
    done = advisor.post(f"{url}/check-out", {"confirm": True}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "completed"


def test_check_out_after_the_window_needs_no_confirmation(world):
    shift = make_shift(world, starts_in=timedelta(minutes=-50))
    DutyShift.objects.filter(pk=shift.pk).update(
        status=ShiftStatus.CHECKED_IN, checked_in_at=timezone.now() - timedelta(minutes=45)
    )
    shift.refresh_from_db()
    done = services.duty_shift_check_out(shift=shift, by=world.user("advisor_a"))
    assert done.status == ShiftStatus.COMPLETED


# --- rules against the monthly minimum -------------------------------------------------------------


def test_rule_below_the_monthly_minimum_is_saved_with_a_warning_naming_the_numbers(world):
    rule = make_rule(world, weekdays="0", start=time(9), end=time(12), valid_from=date(2026, 1, 1))
    assert rule.warning.startswith("按此规则每月约 1")
    assert rule.warning.endswith("小时，低于区里要求的 16 小时")
    second = make_rule(world, weekdays="2", start=time(9), end=time(12), valid_from=date(2026, 1, 1))
    assert second.warning == ""


def test_rule_page_warns_the_office(world, client_for):
    office = client_for("office")
    lawyer = world.lawyer_a
    response = office.post(
        f"/duty/communities/{world.community_a.code}/rules/new/",
        {
            "lawyer": lawyer.pk,
            "weekdays": ["0"],
            "start_time": "09:00",
            "end_time": "12:00",
            "place": "党群服务中心",
            "service_content": "法律咨询",
            "valid_from": "2026-01-01",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "低于区里要求的 16 小时" in page and "按现行规则每月约" in page


def test_api_rule_carries_the_warning(world, client_for):
    response = client_for("office").post(
        "/api/v1/duty/rules",
        {
            "community_code": world.community_a.code,
            "lawyer_id": world.lawyer_a.pk,
            "weekdays": [0],
            "start_time": "09:00",
            "end_time": "12:00",
            "place": "党群服务中心",
            "service_content": "法律咨询",
            "valid_from": "2026-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 201 and "低于区里要求的 16 小时" in response.json()["warning"]


# --- one attendance definition ---------------------------------------------------------------------


def test_check_in_and_out_before_the_start_is_not_attendance(world):
    shift = make_shift(world, starts_in=timedelta(days=-1))
    DutyShift.objects.filter(pk=shift.pk).update(status=ShiftStatus.COMPLETED, held_minutes=0, is_short=True)
    figures = selectors.attendance(start=shift.date, end=shift.date, community=world.community_a)
    assert figures.shifts_held == 0 and figures.shifts_missed == 1 and figures.rate == 0
    assert figures.shifts_short == 0  # a short shift is one that was held


OUTCOMES = st.lists(
    st.tuples(
        st.sampled_from(["completed", "confirmed", "disputed", "missed", "scheduled", "cancelled"]),
        st.integers(min_value=0, max_value=180),
        st.booleans(),
        st.booleans(),
    ),
    max_size=8,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(outcomes=OUTCOMES)
def test_attendance_figures_agree_whatever_the_outcomes(world, outcomes):
    DutyShift.objects.all().delete()
    for n, (status, minutes, late, short) in enumerate(outcomes):
        make_shift(
            world,
            starts_in=timedelta(days=-(n + 1)),
            status=status,
            held_minutes=minutes if status in ("completed", "confirmed", "disputed") else 0,
            is_late=late,
            is_short=short,
        )
    today = timezone.localdate()
    figures = selectors.attendance(start=today - timedelta(days=10), end=today, community=world.community_a)
    assert figures.shifts_due == figures.shifts_held + figures.shifts_missed
    assert figures.shifts_late <= figures.shifts_held and figures.shifts_short <= figures.shifts_held
    if figures.shifts_held == 0:
        assert figures.held_minutes == 0
    if figures.rate == 1:
        assert figures.held_minutes > 0
