"""The pages under /accounts/manage/ and /accounts/password/, and the forced first-login change:
bad values answer 422 in Chinese and save nothing, other roles 403, other people's accounts 404,
a state that refuses the action 409."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from guwen.accounts.models import Role, User
from guwen.core.models import AuditEvent
from guwen.testing import make_lawyer, make_user, verified_client

PASSWORD = "correct horse battery"


def create_staff(client, world, **overrides):
    body = {
        "role": Role.COMMUNITY_STAFF,
        "region": world.community_a.pk,
        "display_name": "王小明",
        "phone": "13800138000",
        "username": "wang_xm",
        **overrides,
    }
    return client.post("/accounts/manage/new/", body)


def shown_password(response) -> str:
    return re.search(r'id="temporary-password">([^<]+)<', response.content.decode()).group(1)


def login(username: str, password: str) -> tuple[Client, object]:
    client = Client()
    return client, client.post("/accounts/login/", {"username": username, "password": password})


# --- list ------------------------------------------------------------------------------------


def test_office_lists_accounts_of_its_street_with_masked_phones(world):
    staff = world.user("staff_a")
    staff.phone = "13912345678"
    staff.save()
    make_user("staff_e", Role.COMMUNITY_STAFF, region=world.community_e)

    body = verified_client(world.user("office")).get("/accounts/manage/").content.decode()

    assert "staff_a" in body and "advisor_a" in body
    assert "staff_e" not in body and "bureau" not in body
    assert "139****5678" in body and "13912345678" not in body


def test_search_by_name_username_or_phone_tail(world):
    staff = world.user("staff_a")
    staff.display_name, staff.phone = "周小红", "13912345678"
    staff.save()
    client = verified_client(world.user("office"))

    for query in ("周小红", "STAFF_A", "5678"):
        body = client.get("/accounts/manage/", {"q": query}).content.decode()
        assert "staff_a" in body and "advisor_a" not in body, query
    assert "没有符合条件的账号" in client.get("/accounts/manage/", {"q": "nobody"}).content.decode()


def test_list_is_paginated(world):
    for n in range(35):
        make_user(f"bulk_{n:02d}", Role.COMMUNITY_STAFF, region=world.community_b)
    client = verified_client(world.user("office"))

    first = client.get("/accounts/manage/").content.decode()
    second = client.get("/accounts/manage/", {"page": 2}).content.decode()

    assert "第 1 / 2 页" in first and "第 2 / 2 页" in second


@pytest.mark.parametrize("role", ["advisor_a", "staff_a", "association", "outsider"])
def test_roles_that_manage_no_accounts_get_403(world, role):
    client = verified_client(world.user(role))
    assert client.get("/accounts/manage/").status_code == 403
    assert create_staff(client, world).status_code == 403
    assert not User.objects.filter(username="wang_xm").exists()


# --- create ----------------------------------------------------------------------------------


def test_create_shows_the_temporary_password_once(world):
    client = verified_client(world.user("office"))

    response = create_staff(client, world)

    assert response.status_code == 201
    password = shown_password(response)
    user = User.objects.get(username="wang_xm")
    assert user.check_password(password) and user.must_change_password
    assert "只显示这一次" in response.content.decode()
    assert response["Cache-Control"].startswith("private") and "no-store" in response["Cache-Control"]
    detail = client.get(f"/accounts/manage/{user.pk}/").content.decode()
    assert password not in detail


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"username": ""}, "请填写用户名"),
        ({"username": "王小明"}, "用户名只能使用英文字母、数字"),
        ({"display_name": ""}, "请填写姓名"),
        ({"phone": "12345"}, "请输入正确的11位手机号码"),
        ({"role": "sysadmin"}, "选择一个有效的选项"),
        ({"region": "999999"}, "请选择您负责的区域"),
        ({"region": ""}, "请选择您负责的区域"),
    ],
)
def test_bad_values_answer_422_in_chinese_and_save_nothing(world, overrides, message):
    client = verified_client(world.user("office"))
    events = AuditEvent.objects.count()

    response = create_staff(client, world, **overrides)

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not User.objects.filter(username="wang_xm").exists()
    assert AuditEvent.objects.count() == events


def test_a_community_of_another_street_is_not_offered_and_is_refused(world):
    client = verified_client(world.user("office"))
    assert world.community_c.name not in client.get("/accounts/manage/new/").content.decode()

    response = create_staff(client, world, region=world.community_c.pk)

    assert response.status_code == 422
    assert not User.objects.filter(username="wang_xm").exists()


def test_a_taken_username_answers_409(world):
    response = create_staff(verified_client(world.user("office")), world, username="staff_a")
    assert response.status_code == 409
    assert "用户名已存在" in response.content.decode()


def test_lawyer_page_offers_an_account_and_the_form_is_prefilled(world):
    lawyer = make_lawyer(world.firm_a, "新来律师")
    client = verified_client(world.user("firm_admin"))

    detail = client.get(f"/lawyers/{lawyer.pk}/").content.decode()
    assert f"/accounts/manage/new/?lawyer={lawyer.pk}" in detail
    form = client.get(f"/accounts/manage/new/?lawyer={lawyer.pk}").content.decode()
    assert 'value="新来律师"' in form

    response = client.post(
        "/accounts/manage/new/",
        {"role": Role.ADVISOR, "lawyer": lawyer.pk, "display_name": "新来律师", "username": "xinlai"},
    )
    assert response.status_code == 201
    lawyer.refresh_from_db()
    assert lawyer.user.username == "xinlai"


# --- one account -----------------------------------------------------------------------------


def test_accounts_outside_scope_are_404_for_every_page_and_action(world):
    far = make_user("staff_e", Role.COMMUNITY_STAFF, region=world.community_e)
    client = verified_client(world.user("office"))

    assert client.get(f"/accounts/manage/{far.pk}/").status_code == 404
    for action in ("deactivate", "reactivate", "reset-password", "unlock"):
        assert client.post(f"/accounts/manage/{far.pk}/{action}/").status_code == 404, action
    assert client.get(f"/accounts/manage/{world.user('bureau').pk}/").status_code == 404
    far.refresh_from_db()
    assert far.is_active and not far.must_change_password


def test_edit_saves_and_bad_phone_is_422(world):
    staff = world.user("staff_a")
    client = verified_client(world.user("office"))

    bad = client.post(f"/accounts/manage/{staff.pk}/", {"display_name": "新名", "phone": "abc"})
    assert bad.status_code == 422 and "请输入正确的11位手机号码" in bad.content.decode()
    staff.refresh_from_db()
    assert staff.display_name == ""

    good = client.post(f"/accounts/manage/{staff.pk}/", {"display_name": "新名", "phone": "13912345678"})
    assert good.status_code == 302
    staff.refresh_from_db()
    assert (staff.display_name, staff.phone) == ("新名", "13912345678")


def test_deactivate_twice_is_409_and_the_user_cannot_sign_in(world):
    staff = world.user("staff_a")
    client = verified_client(world.user("office"))

    assert client.post(f"/accounts/manage/{staff.pk}/deactivate/").status_code == 302
    again = client.post(f"/accounts/manage/{staff.pk}/deactivate/")
    assert again.status_code == 409 and "该账号已停用" in again.content.decode()
    _client, response = login("staff_a", PASSWORD)
    assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()

    assert client.post(f"/accounts/manage/{staff.pk}/reactivate/").status_code == 302
    assert login("staff_a", PASSWORD)[1].status_code == 302


def test_reset_password_shows_a_new_one_and_forces_a_change(world):
    staff = world.user("staff_a")
    response = verified_client(world.user("office")).post(f"/accounts/manage/{staff.pk}/reset-password/")

    assert response.status_code == 200
    password = shown_password(response)
    client, login_response = login("staff_a", password)
    assert login_response.status_code == 302
    assert client.get("/").url.startswith("/accounts/password/")


def test_actions_refuse_get(world):
    staff = world.user("staff_a")
    client = verified_client(world.user("office"))
    for action in ("deactivate", "reactivate", "reset-password", "unlock", "memberships"):
        assert client.get(f"/accounts/manage/{staff.pk}/{action}/").status_code == 405, action


def test_office_unlocks_a_locked_out_user(world):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        login("staff_a", f"wrong {attempt}")
    locked = login("staff_a", PASSWORD)[1]
    assert locked.status_code == 429 and "之后再试" in locked.content.decode()
    staff = world.user("staff_a")
    office = verified_client(world.user("office"))
    assert "解除登录锁定" in office.get(f"/accounts/manage/{staff.pk}/").content.decode()

    assert office.post(f"/accounts/manage/{staff.pk}/unlock/").status_code == 302

    assert login("staff_a", PASSWORD)[1].status_code == 302
    assert AuditEvent.objects.filter(action="account.unlock", object_id=str(staff.pk)).exists()
    assert office.post(f"/accounts/manage/{staff.pk}/unlock/").status_code == 409


def test_lockout_page_says_when_to_retry(world):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        response = login("staff_a", f"wrong {attempt}")[1]
    body = response.content.decode()
    assert response.status_code == 429
    assert re.search(r"请在 \d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d 之后再试", body)
    assert int(response["Retry-After"]) > 0
    assert not AccessAttempt.objects.filter(username="staff_a", failures_since_start__lt=1).exists()


def test_membership_add_and_end_through_the_page(world):
    staff = world.user("staff_a")
    client = verified_client(world.user("office"))

    bad = client.post(
        f"/accounts/manage/{staff.pk}/memberships/",
        {"role": Role.COMMUNITY_STAFF, "region": world.community_c.pk},
    )
    assert bad.status_code == 422 and "请选择您负责的区域" in bad.content.decode()

    ok = client.post(
        f"/accounts/manage/{staff.pk}/memberships/",
        {"role": Role.COMMUNITY_STAFF, "region": world.community_b.pk},
    )
    assert ok.status_code == 302
    twice = client.post(
        f"/accounts/manage/{staff.pk}/memberships/",
        {"role": Role.COMMUNITY_STAFF, "region": world.community_b.pk},
    )
    assert twice.status_code == 409 and "该账号已有这个角色" in twice.content.decode()

    membership = staff.memberships.get(region=world.community_b)
    assert client.post(f"/accounts/manage/{staff.pk}/memberships/{membership.pk}/end/").status_code == 302
    assert client.post(f"/accounts/manage/{staff.pk}/memberships/{membership.pk}/end/").status_code == 409
    other = world.user("advisor_a").memberships.first()
    assert client.post(f"/accounts/manage/{staff.pk}/memberships/{other.pk}/end/").status_code == 404


# --- own password, forced change ---------------------------------------------------------------


def test_every_user_changes_their_own_password(world):
    client, _response = login("advisor_a", PASSWORD)

    page = client.get("/accounts/password/")
    assert page.status_code == 200 and "当前密码" in page.content.decode()
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "river stone 2026", "new_password2": "river stone 2026"},
    )

    assert response.status_code == 302
    assert client.get("/").status_code == 200  # the session survives the change
    assert login("advisor_a", "river stone 2026")[1].status_code == 302


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {
                "old_password": "wrong",
                "new_password1": "river stone 2026",
                "new_password2": "river stone 2026",
            },
            "当前密码不正确",
        ),
        (
            {
                "old_password": PASSWORD,
                "new_password1": "river stone 2026",
                "new_password2": "river stone 2027",
            },
            "两次输入的新密码不一致",
        ),
        ({"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"}, "密码"),
        ({"old_password": PASSWORD, "new_password1": "12345678901", "new_password2": "12345678901"}, "密码"),
        (
            {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD},
            "新密码不能与当前密码相同",
        ),
        ({"old_password": "", "new_password1": "", "new_password2": ""}, "请填写当前密码"),
    ],
)
def test_bad_password_changes_answer_422_and_keep_the_old_password(world, body, message):
    client, _response = login("advisor_a", PASSWORD)

    response = client.post("/accounts/password/", body)

    assert response.status_code == 422
    assert message in response.content.decode()
    user = User.objects.get(username="advisor_a")
    assert user.check_password(PASSWORD)


def test_a_new_account_is_sent_to_change_its_password_on_every_page_until_it_does(world):
    office = verified_client(world.user("office"))
    password = shown_password(create_staff(office, world))
    client, response = login("wang_xm", password)
    assert response.status_code == 302

    for path in ("/", "/duty/", "/accounts/me/"):
        redirected = client.get(path)
        assert redirected.status_code == 302 and redirected.url.startswith("/accounts/password/?next="), path
    api = client.get("/api/v1/me")
    assert api.status_code == 403 and "修改初始密码" in api.json()["detail"]
    assert "临时密码" in client.get("/accounts/password/").content.decode()

    changed = client.post(
        "/accounts/password/?next=/",
        {
            "old_password": password,
            "new_password1": "my own secret 77",
            "new_password2": "my own secret 77",
            "next": "/",
        },
    )
    assert changed.status_code == 302 and changed.url == "/"
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200
    assert not User.objects.get(username="wang_xm").must_change_password


def test_an_account_made_in_django_admin_must_change_its_password(world):
    admin = verified_client(world.user("sysadmin"))
    response = admin.post(
        "/admin/accounts/user/add/",
        {
            "username": "from_admin",
            "password1": "temporary pass 99",
            "password2": "temporary pass 99",
            "usable_password": "true",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content[:500]
    user = User.objects.get(username="from_admin")
    assert user.must_change_password
    assert AuditEvent.objects.filter(action="account.create", object_id=str(user.pk)).exists()


def test_a_password_set_in_django_admin_is_temporary(world):
    staff = world.user("staff_a")
    admin = verified_client(world.user("sysadmin"))
    response = admin.post(
        f"/admin/accounts/user/{staff.pk}/password/",
        {"password1": "temporary pass 99", "password2": "temporary pass 99", "usable_password": "true"},
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.must_change_password and staff.check_password("temporary pass 99")
    assert AuditEvent.objects.filter(action="account.password.reset", object_id=str(staff.pk)).exists()
