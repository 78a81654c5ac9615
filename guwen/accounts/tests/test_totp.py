"""Two-step verification (两步验证, TOTP) for judicial-office, bureau and system-admin accounts.

Codes are computed from the device's key exactly as a phone authenticator would. django-otp
refuses a code at or before the last accepted time step and throttles after a failure, so a
test that needs a second code asks for the next step's code, and no test types a right code
straight after a wrong one.
"""

from __future__ import annotations

import base64
import time
from urllib.parse import urlencode

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from guwen.core.models import AuditEvent
from guwen.testing import verified_client

PASSWORD = "correct horse battery"
SETUP_URL = "/accounts/otp/setup/"
VERIFY_URL = "/accounts/otp/verify/"
WRONG_CODE_ERROR = "动态口令不正确或已过期"
FORMAT_ERROR = "动态口令是 6 位数字"
WAIVER_BANNER = "演示模式"
WORK_PAGES = ["/", "/regions/", "/lawyers/", "/firms/"]


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code a phone authenticator shows now (or ``steps_ahead`` periods from now)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """A well-formed code that no step within the tolerance window accepts."""
    near = {code_for(device, steps_ahead=k) for k in range(-3, 4)}
    return next(c for c in ("000000", "111111", "222222", "333333", "444444") if c not in near)


def password_login(username: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, "password login should succeed"
    return client


def pending_device(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=False)


def enrol(client: Client, user) -> TOTPDevice:
    """Open the setup page and confirm the device it shows, as a user would."""
    client.get(SETUP_URL)
    device = pending_device(user)
    response = client.post(SETUP_URL, {"token": code_for(device)})
    assert response.status_code == 302
    return TOTPDevice.objects.get(pk=device.pk)


# --- who is asked -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", WORK_PAGES)
def test_office_user_without_device_is_sent_to_setup_from_any_work_page(world, path):
    client = password_login("office")

    response = client.get(path)

    assert response.status_code == 302
    assert response.url == f"{SETUP_URL}?{urlencode({'next': path})}"


@pytest.mark.parametrize("role", ["bureau", "sysadmin"])
def test_bureau_and_sysadmin_are_asked_for_totp_too(world, role):
    client = password_login(role)

    response = client.get("/regions/")

    assert response.status_code == 302
    assert response.url.startswith(SETUP_URL)


@pytest.mark.parametrize(
    "role", ["advisor_a", "advisor_b", "staff_a", "firm_admin", "association", "outsider"]
)
def test_roles_without_totp_go_straight_to_work_pages(world, role):
    client = password_login(role)

    for path in WORK_PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
    assert not TOTPDevice.objects.filter(user=world.user(role)).exists()


def test_unverified_office_user_may_still_reach_account_pages_and_healthz(world):
    client = password_login("office")

    assert client.get("/accounts/me/").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_api_answers_403_json_in_chinese_for_unverified_office_user(world):
    client = password_login("office")

    response = client.get("/api/v1/me")

    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert "两步验证" in response.json()["detail"]


def test_api_answers_verified_office_user(world):
    client = verified_client(world.user("office"))

    response = client.get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["username"] == "office"


# --- enrolment ----------------------------------------------------------------------------------


def test_setup_page_shows_svg_qr_code_and_the_secret(world):
    office = world.user("office")
    client = password_login("office")

    response = client.get(SETUP_URL)

    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body
    device = pending_device(office)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    assert secret in body
    assert "开启两步验证" in body


def test_reopening_setup_shows_the_same_pending_device(world):
    office = world.user("office")
    client = password_login("office")
    first = client.get(SETUP_URL)
    device = pending_device(office)

    again = client.get(SETUP_URL)

    assert TOTPDevice.objects.filter(user=office).count() == 1
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    assert secret in first.content.decode()
    assert secret in again.content.decode()


def test_wrong_code_at_setup_is_refused_with_chinese_error(world):
    office = world.user("office")
    client = password_login("office")
    client.get(SETUP_URL)
    device = pending_device(office)

    response = client.post(SETUP_URL, {"token": wrong_code(device)})

    assert response.status_code == 422
    assert WRONG_CODE_ERROR in response.content.decode()
    assert not TOTPDevice.objects.filter(user=office, confirmed=True).exists()
    assert client.get("/regions/").status_code == 302


def test_right_code_confirms_device_and_opens_work_pages(world):
    office = world.user("office")
    client = password_login("office")
    client.get(f"{SETUP_URL}?next=/regions/")
    device = pending_device(office)

    response = client.post(SETUP_URL, {"token": code_for(device), "next": "/regions/"})

    assert response.status_code == 302
    assert response.url == "/regions/"
    device.refresh_from_db()
    assert device.confirmed
    page = client.get("/regions/")
    assert page.status_code == 200
    assert "两步验证已开启" in page.content.decode()
    assert AuditEvent.objects.filter(action="user.totp.enrol", object_id=str(office.pk)).count() == 1


def test_setup_ignores_a_next_url_on_another_site(world):
    office = world.user("office")
    client = password_login("office")
    client.get(SETUP_URL)
    device = pending_device(office)

    response = client.post(SETUP_URL, {"token": code_for(device), "next": "https://evil.example.com/"})

    assert response.status_code == 302
    assert response.url == "/"


# --- later logins ---------------------------------------------------------------------------------


def test_after_enrolment_a_new_login_must_give_a_code(world):
    office = world.user("office")
    client = password_login("office")
    device = enrol(client, office)
    client.post("/accounts/logout/")

    client = password_login("office")
    response = client.get("/regions/")
    assert response.status_code == 302
    assert response.url == f"{VERIFY_URL}?next=%2Fregions%2F"
    # Enrolling a second device is no way round the code.
    assert client.get(SETUP_URL).url == VERIFY_URL
    assert client.get(VERIFY_URL).status_code == 200

    response = client.post(VERIFY_URL, {"token": code_for(device, steps_ahead=1), "next": "/regions/"})

    assert response.status_code == 302
    assert response.url == "/regions/"
    assert client.get("/regions/").status_code == 200


def test_verify_refuses_wrong_code_with_chinese_error(world):
    office = world.user("office")
    device = TOTPDevice.objects.create(user=office, name="phone", confirmed=True)
    client = password_login("office")

    response = client.post(VERIFY_URL, {"token": wrong_code(device)})

    assert response.status_code == 422
    assert WRONG_CODE_ERROR in response.content.decode()
    assert client.get("/regions/").status_code == 302


def test_verify_refuses_a_code_already_used(world):
    office = world.user("office")
    device = TOTPDevice.objects.create(user=office, name="phone", confirmed=True)
    code = code_for(device)
    first = password_login("office")
    assert first.post(VERIFY_URL, {"token": code}).status_code == 302

    second = password_login("office")
    response = second.post(VERIFY_URL, {"token": code})

    assert response.status_code == 422
    assert WRONG_CODE_ERROR in response.content.decode()


def test_verify_without_device_sends_to_setup(world):
    client = password_login("office")

    response = client.get(VERIFY_URL)

    assert response.status_code == 302
    assert response.url == SETUP_URL


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("abcdef", FORMAT_ERROR),
        ("12a456", FORMAT_ERROR),
        ("12345", FORMAT_ERROR),
        ("1234567", FORMAT_ERROR),
        ("", "请输入 6 位动态口令"),
    ],
)
@pytest.mark.parametrize("url", [SETUP_URL, VERIFY_URL])
def test_malformed_codes_get_the_chinese_format_message(world, url, token, message):
    office = world.user("office")
    if url == VERIFY_URL:
        device = TOTPDevice.objects.create(user=office, name="phone", confirmed=True)
    client = password_login("office")
    if url == SETUP_URL:
        client.get(SETUP_URL)
        device = pending_device(office)

    response = client.post(url, {"token": token})

    assert response.status_code == 422
    assert message in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 0  # a typo in format does not count as a guess


# --- the demo waiver ------------------------------------------------------------------------------


def test_waiver_lets_office_user_in_without_totp_and_shows_banner(world, settings):
    settings.GUWEN_WAIVE_STAFF_TOTP = True
    client = password_login("office")

    response = client.get("/regions/")

    assert response.status_code == 200
    assert WAIVER_BANNER in response.content.decode()
    assert client.get("/api/v1/me").status_code == 200


def test_no_waiver_banner_when_totp_is_enforced(world):
    client = verified_client(world.user("office"))

    response = client.get("/regions/")

    assert response.status_code == 200
    assert WAIVER_BANNER not in response.content.decode()


def test_redirect_keeps_the_query_string(client_for, world):
    from guwen.accounts.models import User
    from guwen.testing import Client

    client = Client()
    client.force_login(User.objects.get(username="office"))
    response = client.get("/regions/", {"q": "南龙", "page": "2"})
    assert response.status_code == 302
    next_url = "/regions/?" + urlencode({"q": "南龙", "page": "2"})
    assert response.url == f"{SETUP_URL}?{urlencode({'next': next_url})}"
