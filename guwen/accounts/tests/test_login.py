"""Password login, django-axes lockout and logout, driven through the real login page.

Logins go through POST /accounts/login/ rather than ``client.login()``: django-axes needs the
request in ``authenticate`` to count failures by username and IP address.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from guwen.testing import verified_client

LOGIN_URL = "/accounts/login/"
PASSWORD = "correct horse battery"  # what guwen.testing.make_user gives every world user
WRONG_PASSWORD_ERROR = "用户名或密码不正确"
LOCKOUT_TITLE = "账号已暂时锁定"


def post_login(client: Client, username: str, password: str, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password, **extra})


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_login_page_renders_in_chinese(client):
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    body = response.content.decode()
    assert "登录" in body
    assert "用户名" in body
    assert "密码" in body
    assert 'lang="zh-Hans"' in body


def test_good_credentials_log_in_and_redirect_home(world, client):
    response = post_login(client, "advisor_a", PASSWORD)

    assert response.status_code == 302
    assert response.url == "/"
    assert is_logged_in(client)
    assert client.session["_auth_user_id"] == str(world.user("advisor_a").pk)
    home = client.get("/")
    assert "工作台" in home.content.decode()


def test_login_follows_a_local_next_url(world, client):
    response = post_login(client, "advisor_a", PASSWORD, next="/regions/")

    assert response.status_code == 302
    assert response.url == "/regions/"


def test_login_ignores_a_next_url_on_another_site(world, client):
    response = post_login(client, "advisor_a", PASSWORD, next="https://evil.example.com/")

    assert response.status_code == 302
    assert response.url == "/"


def test_wrong_password_shows_chinese_error_and_no_session(world, client):
    response = post_login(client, "advisor_a", "not the password")

    assert response.status_code == 200
    assert WRONG_PASSWORD_ERROR in response.content.decode()
    assert not is_logged_in(client)


def test_unknown_username_shows_the_same_error_as_a_wrong_password(world, client):
    response = post_login(client, "nobody_here", PASSWORD)

    assert response.status_code == 200
    assert WRONG_PASSWORD_ERROR in response.content.decode()
    assert not is_logged_in(client)


def test_inactive_user_cannot_log_in(world, client):
    user = world.user("advisor_a")
    user.is_active = False
    user.save(update_fields=["is_active"])

    response = post_login(client, "advisor_a", PASSWORD)

    assert response.status_code == 200
    assert WRONG_PASSWORD_ERROR in response.content.decode()
    assert not is_logged_in(client)


def test_lockout_after_failure_limit_then_even_right_password_refused(world, client):
    limit = settings.AXES_FAILURE_LIMIT
    for attempt in range(1, limit):
        response = post_login(client, "advisor_a", f"wrong {attempt}")
        assert response.status_code == 200, f"attempt {attempt} should not lock yet"
        assert WRONG_PASSWORD_ERROR in response.content.decode()

    response = post_login(client, "advisor_a", "wrong again")
    assert response.status_code == 429
    assert LOCKOUT_TITLE in response.content.decode()

    response = post_login(client, "advisor_a", PASSWORD)
    assert response.status_code == 429
    assert LOCKOUT_TITLE in response.content.decode()
    assert not is_logged_in(client)


def test_failures_from_many_addresses_count_together(world):
    # Four wrong passwords from each of three addresses, then the right one from a fourth.
    for address in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
        for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
            post_login(Client(REMOTE_ADDR=address), "advisor_a", f"wrong {attempt}")
    response = post_login(Client(REMOTE_ADDR="198.51.100.4"), "advisor_a", PASSWORD)
    assert response.status_code == 429 and LOCKOUT_TITLE in response.content.decode()
    assert "分钟后再试" in response.content.decode()


def test_lockout_of_one_username_does_not_lock_another_from_the_same_address(world, client):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "advisor_a", f"wrong {attempt}")

    response = post_login(client, "advisor_b", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.user("advisor_b").pk)


def test_successful_login_resets_the_failure_count(world, client):
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        post_login(client, "advisor_a", f"wrong {attempt}")
    assert post_login(client, "advisor_a", PASSWORD).status_code == 302
    client.post("/accounts/logout/")

    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = post_login(client, "advisor_a", f"wrong again {attempt}")
        assert response.status_code == 200

    assert post_login(client, "advisor_a", PASSWORD).status_code == 302


def test_logout_refuses_get_and_keeps_the_session(world):
    client = verified_client(world.user("advisor_a"))

    response = client.get("/accounts/logout/")

    assert response.status_code == 405
    assert is_logged_in(client)


def test_logout_by_post_ends_the_session(world, client):
    post_login(client, "advisor_a", PASSWORD)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response.url == LOGIN_URL
    assert not is_logged_in(client)
    assert "一社区一法律顾问" in client.get("/").content.decode()


def test_logged_in_user_visiting_login_page_is_sent_home(world):
    client = verified_client(world.user("advisor_a"))

    response = client.get(LOGIN_URL)

    assert response.status_code == 302
    assert response.url == "/"


def test_outsider_without_role_sees_no_role_home(world, client):
    post_login(client, "outsider", PASSWORD)

    response = client.get("/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "尚未分配角色" in body
    assert "社区与顾问" not in body


def test_anonymous_root_shows_public_landing_page(client, db):
    response = client.get("/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "一社区一法律顾问" in body
    assert "无需注册" in body
    assert f'href="{LOGIN_URL}"' in body
    assert "工作台" not in body
