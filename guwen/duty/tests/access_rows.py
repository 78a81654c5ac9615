"""Access-matrix rows for every duty route: public pages (三公开, booking), work pages and the API.

``setup`` creates shifts in community A (advisor A), community B (advisor B) and community E (another
district, the system admin's only). Rows whose action changes a record make a fresh record for each
role (in ``path``), so one role's action never decides another role's answer.
"""

from __future__ import annotations

import itertools
import tempfile
from datetime import date, time, timedelta

from django.core.files.base import ContentFile
from django.test import override_settings
from django.utils import timezone

from guwen.core.crypto import encrypt_text
from guwen.testing import ROLES, World, tiny_image
from guwen.tests.matrix import (
    LOGGED_IN,
    MANAGES_A,
    ONLY_SYSADMIN,
    SEES_A,
    Row,
    api_route,
    everyone,
    fixed,
    page,
    valid_phone,
)

PNG = tiny_image("PNG")
UNKNOWN_CODE = "999999999999"
_days = itertools.count(30)
_serial = itertools.count(7000)
_media_override = None


def _media_to_tmp() -> None:
    # Check-in photos written by these rows go to a throw-away directory, never var/media.
    global _media_override
    if _media_override is None:
        _media_override = override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="guwen-duty-matrix-"))
        _media_override.enable()


def _shift(w: World, community, lawyer, *, starts_in: timedelta, status: str = "scheduled", **extra):
    from guwen.duty.models import DutyShift
    from guwen.duty.services.rules import week_end

    starts_at = (timezone.now() + starts_in).replace(microsecond=0)
    day = timezone.localdate(starts_at)
    return DutyShift.objects.create(
        community=community,
        lawyer=lawyer,
        date=day,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        place="党群服务中心",
        capacity=50,
        status=status,
        confirm_due=week_end(day),
        **extra,
    )


def _where(w: World, role: str, inside: bool):
    if not inside:
        return w.community_e, w.lawyer_e
    if role == "advisor_b":
        return w.community_b, w.lawyer_b
    return w.community_a, w.lawyer_a


def setup(w: World) -> None:
    from guwen.duty.models import Booking, DutyCheck, DutyRule, RotaSlot

    _media_to_tmp()
    x = w.extras
    for key, community, lawyer in (
        ("a", w.community_a, w.lawyer_a),
        ("b", w.community_b, w.lawyer_b),
        ("e", w.community_e, w.lawyer_e),
    ):
        now_shift = _shift(w, community, lawyer, starts_in=timedelta(minutes=-5))
        x[f"now_{key}"] = now_shift
        x[f"in_{key}"] = _shift(
            w,
            community,
            lawyer,
            starts_in=timedelta(hours=-4),
            status="checked_in",
            checked_in_at=timezone.now() - timedelta(hours=4),
        )
        x[f"in_{key}"].ends_at = timezone.now() - timedelta(minutes=10)  # within check-out tolerance
        x[f"in_{key}"].save(update_fields=["ends_at"])
        future = _shift(w, community, lawyer, starts_in=timedelta(days=3))
        x[f"future_{key}"] = future
        x[f"booking_{key}"] = Booking.objects.create(
            shift=future,
            name="王女士",
            phone_encrypted=encrypt_text("13800138000"),
            phone_hash="x" * 64,
            phone_masked="138****8000",
            receipt_code=f"MATRIX{key.upper()}0001",
        )
        check = DutyCheck(
            shift=x[f"in_{key}"], kind="in", at=timezone.now(), by=w.user("sysadmin"), photo_type="png"
        )
        check.photo.save("p.png", ContentFile(PNG), save=False)
        check.save()
        x[f"check_{key}"] = check
        x[f"rule_{key}"] = DutyRule.objects.create(
            community=community,
            lawyer=lawyer,
            weekdays="1",
            start_time=time(9),
            end_time=time(12),
            place="党群服务中心",
            service_content="法律咨询",
            valid_from=date(2024, 1, 1),
        )
    x["slot_street"] = lambda street, lawyer: RotaSlot.objects.create(
        street=street,
        lawyer=lawyer,
        starts_at=timezone.now() + timedelta(days=next(_days)),
        ends_at=timezone.now() + timedelta(days=next(_days), hours=1),
    )


def _fresh_completed(w: World, role: str, inside: bool):
    community, lawyer = _where(w, role, inside)
    return _shift(w, community, lawyer, starts_in=timedelta(days=-next(_days)), status="completed")


def _fresh_disputed(w: World, role: str, inside: bool):
    from guwen.duty.models import DutyDispute

    shift = _fresh_completed(w, role, inside)
    shift.status = "disputed"
    shift.save(update_fields=["status"])
    DutyDispute.objects.create(
        shift=shift, previous_status="completed", reason="当天未见律师", raised_by=w.user("sysadmin")
    )
    return shift


def _fresh_request(w: World, role: str, inside: bool):
    from guwen.duty.models import DutyChangeRequest

    community, lawyer = (w.community_a, w.lawyer_a) if inside else (w.community_e, w.lawyer_e)
    shift = _shift(w, community, lawyer, starts_in=timedelta(days=next(_days)))
    if inside:
        other = _shift(w, w.community_b, w.lawyer_b, starts_in=timedelta(days=next(_days)))
        return DutyChangeRequest.objects.create(
            kind="swap", shift=shift, other_shift=other, reason="出差", requested_by=w.user("advisor_a")
        )
    return DutyChangeRequest.objects.create(
        kind="substitute", shift=shift, substitute=w.lawyer_c, reason="出差", requested_by=w.user("sysadmin")
    )


def _fresh_slot(w: World, role: str, inside: bool):
    street, lawyer = (w.street, w.lawyer_a) if inside else (w.street3, w.lawyer_e)
    return w.extras["slot_street"](street, lawyer)


def _key(role: str, inside: bool) -> str:
    return "e" if not inside else "b" if role == "advisor_b" else "a"


def on(kind: str, suffix: str = "", api: bool = False):
    """Path to the setup record ``kind`` (now/in/future/booking/check/rule) of the role's community."""

    def path(w: World, role: str, inside: bool) -> str:
        pk = w.extras[f"{kind}_{_key(role, inside)}"].pk
        if api:
            return f"/api/v1/duty/shifts/{pk}{suffix}"
        base = {
            "booking": "/duty/bookings/",
            "check": "/duty/checks/",
            "rule": "/duty/rules/",
        }.get(kind, "/duty/shifts/")
        return f"{base}{pk}/{suffix}"

    return path


def community_path(suffix: str = ""):
    def path(w: World, role: str, inside: bool) -> str:
        community = (w.community_b if role == "advisor_b" else w.community_a) if inside else w.community_e
        return f"/duty/communities/{community.code}/{suffix}"

    return path


def public(suffix: str):
    return lambda w, role, inside: f"/c/{w.community_a.code if inside else UNKNOWN_CODE}/{suffix}"


def booking_body(w: World, role: str, inside: bool) -> dict:
    n = next(_serial)
    return {
        "shift": w.extras["future_a"].pk,
        "name": "李先生",
        "phone": valid_phone(n),
        "topic": "劳动合同",
        "client_key": f"matrix-{n}",
    }


def rule_body(w: World, role: str, inside: bool) -> dict:
    n = next(_serial)
    lawyer = w.lawyer_a if inside else w.lawyer_e
    return {
        "lawyer": lawyer.pk,
        "lawyer_id": lawyer.pk,
        "community_code": (w.community_a if inside else w.community_e).code,
        "weekdays": [n % 7],
        "start_time": f"{13 + n % 8:02d}:00",  # clear of the setup rules (09:00-12:00)
        "end_time": f"{13 + n % 8:02d}:30",
        "place": "党群服务中心",
        "service_content": "法律咨询",
        "valid_from": "2026-01-01",
    }


def generate_body(w: World, role: str, inside: bool) -> dict:
    return {
        "community_code": (w.community_a if inside else w.community_e).code,
        "start": "2026-03-02",
        "end": "2026-03-08",
    }


def none_but(allowed: dict[str, int], default: int) -> dict[str, int]:
    """Every logged-in role gets ``default`` (e.g. 403: seen but refused) except those in ``allowed``;
    the association and outsiders see nothing (404); residents are sent to log in."""
    expect = {role: default for role in ROLES}
    expect.update({"resident": 302, "association": 404, "outsider": 404})
    expect.update(allowed)
    return expect


def api_none_but(allowed: dict[str, int], default: int) -> dict[str, int]:
    expect = none_but(allowed, default)
    expect["resident"] = 401
    return expect


OUT_SYS = lambda status: {**page(ONLY_SYSADMIN), "sysadmin": status}  # noqa: E731
API_OUT_SYS = lambda status: {**api_route(ONLY_SYSADMIN), "sysadmin": status}  # noqa: E731
SEES_A_PAGE = page(SEES_A)
CONFIRMERS = {"staff_a": 302, "office": 302, "sysadmin": 302}
DISPUTERS = {"staff_a": 302, "sysadmin": 302}
CALENDAR_EDITORS = {"office": 302, "bureau": 302, "sysadmin": 302}
DECIDERS = {"office": 302, "sysadmin": 302}


def _api(status_by_role: dict[str, int]) -> dict[str, int]:
    return {role: 200 if code == 302 else code for role, code in status_by_role.items()}


REQUESTERS_200 = {"advisor_a": 200, "advisor_b": 200, "staff_a": 200, "office": 200, "sysadmin": 200}

ROWS: list[Row] = [
    # --- public -----------------------------------------------------------------------------
    Row("duty:public_card", "GET", public(""), everyone(200), everyone(404), setup=setup),
    Row(
        "duty:public_qr",
        "GET",
        lambda w, r, i: f"/c/{w.community_a.code if i else 'abc'}/qr.svg",
        everyone(200),
        everyone(404),
    ),
    # The world's lawyers have no photos: the card shows an initial instead and the photo is a 404 for all.
    Row(
        "duty:public_photo",
        "GET",
        lambda w, r, i: f"/c/{w.community_a.code if i else UNKNOWN_CODE}/photo",
        everyone(404),
        everyone(404),
    ),
    Row("duty:public_book", "GET", public("book/"), everyone(200), everyone(404), setup=setup),
    Row(
        "duty:public_book",
        "POST",
        public("book/"),
        everyone(200),
        everyone(404),
        body=booking_body,
        setup=setup,
    ),
    Row("duty:public_booking", "GET", public("booking/"), everyone(200), everyone(404)),
    # --- work pages --------------------------------------------------------------------------
    Row("duty:home", "GET", fixed("/duty/"), page(200), setup=setup),
    Row("duty:attendance", "GET", fixed("/duty/attendance/"), page(200), setup=setup),
    Row("duty:shift_detail", "GET", on("future"), SEES_A_PAGE, page(ONLY_SYSADMIN), setup=setup),
    Row(
        "duty:shift_check_in",
        "POST",
        on("now", "check-in/"),
        # Only the shift's own advisor checks in; everyone else who sees it is refused with a 403.
        none_but({"advisor_a": 302, "advisor_b": 302}, 403),
        OUT_SYS(403),
        setup=setup,
    ),
    Row(
        "duty:shift_check_out",
        "POST",
        on("in", "check-out/"),
        none_but({"advisor_a": 302, "advisor_b": 302}, 403),
        OUT_SYS(403),
        setup=setup,
    ),
    Row(
        "duty:shift_confirm",
        "POST",
        lambda w, r, i: f"/duty/shifts/{_fresh_completed(w, r, i).pk}/confirm/",
        none_but(CONFIRMERS, 403),
        OUT_SYS(302),
        setup=setup,
    ),
    # Confirm in bulk: a role that sees the shift but may not confirm it is a 403 (nothing was done).
    Row(
        "duty:shifts_confirm",
        "POST",
        fixed("/duty/shifts/confirm/"),
        none_but(CONFIRMERS, 403),
        OUT_SYS(302),
        body=lambda w, r, i: {"shift": _fresh_completed(w, r, i).pk},
        setup=setup,
    ),
    Row(
        "duty:shift_dispute",
        "POST",
        lambda w, r, i: f"/duty/shifts/{_fresh_completed(w, r, i).pk}/dispute/",
        none_but(DISPUTERS, 403),
        OUT_SYS(302),
        body=lambda w, r, i: {"reason": "签到在案，但当天社区未见律师"},
        setup=setup,
    ),
    Row(
        "duty:dispute_decide",
        "POST",
        lambda w, r, i: f"/duty/shifts/{_fresh_disputed(w, r, i).pk}/dispute/decide/",
        none_but(DECIDERS, 403),
        OUT_SYS(302),
        body=lambda w, r, i: {"decision": "reject"},
        setup=setup,
    ),
    Row(
        "api:duty_shifts_confirm",
        "POST",
        fixed("/api/v1/duty/shift-confirmations"),
        api_none_but(_api(CONFIRMERS), 403),
        API_OUT_SYS(200),
        body=lambda w, r, i: {"shift_ids": [_fresh_completed(w, r, i).pk]},
        json=True,
        setup=setup,
    ),
    Row(
        "api:duty_shift_dispute",
        "POST",
        lambda w, r, i: f"/api/v1/duty/shifts/{_fresh_completed(w, r, i).pk}/dispute",
        api_none_but({"staff_a": 201, "sysadmin": 201}, 403),
        API_OUT_SYS(201),
        body=lambda w, r, i: {"reason": "签到在案，但当天社区未见律师"},
        json=True,
        setup=setup,
    ),
    Row(
        "api:duty_dispute_decide",
        "POST",
        lambda w, r, i: f"/api/v1/duty/shifts/{_fresh_disputed(w, r, i).pk}/dispute/decide",
        api_none_but(_api(DECIDERS), 403),
        API_OUT_SYS(200),
        body=lambda w, r, i: {"decision": "reject"},
        json=True,
        setup=setup,
    ),
    # The year's holidays: the office, the bureau and the admin; other roles may not (403).
    Row(
        "duty:holidays",
        "GET",
        fixed("/duty/holidays/"),
        page({**dict.fromkeys(LOGGED_IN, 403), **CALENDAR_EDITORS}),
    ),
    Row(
        "duty:holiday_year",
        "GET",
        fixed("/duty/holidays/2027/"),
        page({**dict.fromkeys(LOGGED_IN, 403), "office": 200, "bureau": 200, "sysadmin": 200}),
    ),
    Row(
        "duty:holiday_year",
        "POST",
        fixed("/duty/holidays/2027/"),
        page({**dict.fromkeys(LOGGED_IN, 403), **CALENDAR_EDITORS}),
        body=lambda w, r, i: {"rest_days": "2027-01-01 元旦", "workdays": ""},
    ),
    Row(
        "duty:shift_cancel",
        "GET",
        on("future", "cancel/"),
        page({"office": 200, "bureau": 200, "sysadmin": 200}),
        page(ONLY_SYSADMIN),
        setup=setup,
    ),
    Row(
        "duty:change_request_create",
        "GET",
        on("future", "change/"),
        page(REQUESTERS_200),
        page(ONLY_SYSADMIN),
        setup=setup,
    ),
    Row(
        "duty:change_request_decide",
        "POST",
        lambda w, r, i: f"/duty/requests/{_fresh_request(w, r, i).pk}/decide/",
        none_but(CONFIRMERS, 403),
        OUT_SYS(302),
        body=lambda w, r, i: {"decision": "reject"},
        setup=setup,
    ),
    Row(
        "duty:booking_phone",
        "POST",
        on("booking", "phone/"),
        page(REQUESTERS_200),
        page(ONLY_SYSADMIN),
        setup=setup,
    ),
    Row("duty:check_photo", "GET", on("check", "photo/"), SEES_A_PAGE, page(ONLY_SYSADMIN), setup=setup),
    Row("duty:community", "GET", community_path(), SEES_A_PAGE, page(ONLY_SYSADMIN), setup=setup),
    Row("duty:rule_create", "GET", community_path("rules/new/"), page(MANAGES_A), page(ONLY_SYSADMIN)),
    Row(
        "duty:rule_create",
        "POST",
        lambda w, r, i: f"/duty/communities/{(w.community_a if i else w.community_e).code}/rules/new/",
        page({"office": 302, "bureau": 302, "sysadmin": 302}),
        page({"sysadmin": 302}),
        body=rule_body,
    ),
    Row("duty:generate", "GET", community_path("generate/"), page(MANAGES_A), page(ONLY_SYSADMIN)),
    Row("duty:board_pdf", "GET", community_path("board.pdf"), SEES_A_PAGE, page(ONLY_SYSADMIN), setup=setup),
    Row("duty:rule_end", "GET", on("rule", "end/"), page(MANAGES_A), page(ONLY_SYSADMIN), setup=setup),
    Row(
        "duty:rota",
        "GET",
        lambda w, r, i: f"/duty/rota/{(w.street if i else w.street3).code}/",
        SEES_A_PAGE,
        page(ONLY_SYSADMIN),
    ),
    Row(
        "duty:rota_slot_create",
        "GET",
        lambda w, r, i: f"/duty/rota/{(w.street if i else w.street3).code}/new/",
        page(MANAGES_A),
        page(ONLY_SYSADMIN),
    ),
    Row(
        "duty:rota_slot_delete",
        "POST",
        lambda w, r, i: f"/duty/rota-slots/{_fresh_slot(w, r, i).pk}/delete/",
        page({"office": 302, "bureau": 302, "sysadmin": 302}),
        page({"sysadmin": 302}),
        setup=setup,
    ),
    # --- API -------------------------------------------------------------------------------
    Row("api:duty_list_shifts", "GET", fixed("/api/v1/duty/shifts"), api_route(200), json=True, setup=setup),
    Row(
        "api:duty_get_shift",
        "GET",
        on("future", api=True),
        api_route(SEES_A),
        api_route(ONLY_SYSADMIN),
        json=True,
        setup=setup,
    ),
    Row(
        "api:duty_shift_check_in",
        "POST",
        on("now", "/check-in", api=True),
        api_none_but({"advisor_a": 200, "advisor_b": 200}, 403),
        API_OUT_SYS(403),
        json=True,
        setup=setup,
    ),
    Row(
        "api:duty_shift_check_out",
        "POST",
        on("in", "/check-out", api=True),
        api_none_but({"advisor_a": 200, "advisor_b": 200}, 403),
        API_OUT_SYS(403),
        json=True,
        setup=setup,
    ),
    Row(
        "api:duty_shift_confirm",
        "POST",
        lambda w, r, i: f"/api/v1/duty/shifts/{_fresh_completed(w, r, i).pk}/confirm",
        # A role the workflow does not allow to confirm: 403, as for consultations.
        api_none_but({"staff_a": 200, "office": 200, "sysadmin": 200}, 403),
        API_OUT_SYS(200),
        json=True,
        setup=setup,
    ),
    Row("api:duty_list_rules", "GET", fixed("/api/v1/duty/rules"), api_route(200), json=True, setup=setup),
    Row(
        "api:duty_create_rule",
        "POST",
        fixed("/api/v1/duty/rules"),
        api_route({"office": 201, "bureau": 201, "sysadmin": 201}),
        api_route({"sysadmin": 201}),
        body=rule_body,
        json=True,
    ),
    Row(
        "api:duty_generate_shifts",
        "POST",
        fixed("/api/v1/duty/generate"),
        api_route({"office": 200, "bureau": 200, "sysadmin": 200}),
        api_route({"sysadmin": 200}),
        body=generate_body,
        json=True,
        setup=setup,
    ),
    Row(
        "api:duty_attendance", "GET", fixed("/api/v1/duty/attendance"), api_route(200), json=True, setup=setup
    ),
    Row(
        "api:duty_rota_gaps",
        "GET",
        lambda w, r, i: f"/api/v1/duty/rota/{(w.street if i else w.street3).code}/gaps",
        api_route(SEES_A),
        api_route(ONLY_SYSADMIN),
        json=True,
    ),
]
