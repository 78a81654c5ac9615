"""Access-matrix rows for the pages of accounts the office manages (/accounts/manage/) and the own
password page. Rows that change an account make a fresh one for each role (in ``path``), so one
role's action never decides another role's answer: staff of community A (the office's street, the
bureau's district) for most roles, a lawyer of firm A for the firm admin, and staff of community E
(another district: the system admin's only) out of scope."""

from __future__ import annotations

import itertools

from django.conf import settings

from guwen.testing import ROLES, World, make_lawyer, make_user
from guwen.tests.matrix import Row, fixed, page

_serial = itertools.count(1)

MANAGERS = ("office", "bureau", "firm_admin", "sysadmin")
REGION_MANAGERS = ("office", "bureau", "sysadmin")


def managers(status: int, *, others: int = 403, only: tuple[str, ...] = MANAGERS, rest: int = 404):
    """Roles that look after no accounts get 403; ``only`` get ``status``; other managers ``rest``."""
    expect = page(dict.fromkeys([r for r in ROLES if r != "resident"], others))
    for role in MANAGERS:
        expect[role] = status if role in only else rest
    return expect


def _account(w: World, role: str, inside: bool, *, active: bool = True, locked: bool = False):
    n = next(_serial)
    if inside and role == "firm_admin":
        user = make_user(f"matrix_lawyer_{n}", "advisor")
        make_lawyer(w.firm_a, f"矩阵律师{n}", user)
    else:
        community = w.community_a if inside else w.community_e
        user = make_user(f"matrix_staff_{n}", "community_staff", region=community)
    if not active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    if locked:
        from axes.models import AccessAttempt

        AccessAttempt.objects.create(
            username=user.username,
            ip_address="198.51.100.9",
            user_agent="matrix",
            failures_since_start=settings.AXES_FAILURE_LIMIT,
            get_data="",
            post_data="",
            http_accept="",
            path_info="/accounts/login/",
        )
    return user


def _staff_member(w: World, role: str, inside: bool):
    """A staff member the office, bureau and system admin look after, for every role alike."""
    return w.user("staff_a") if inside else w.extras.setdefault("far_staff", _far_staff(w))


def _far_staff(w: World):
    return make_user(f"matrix_far_{next(_serial)}", "community_staff", region=w.community_e)


def _seen(w: World, role: str, inside: bool):
    if inside and role == "firm_admin":
        return w.user("advisor_a")
    return _staff_member(w, role, inside)


def _create_body(w: World, role: str, inside: bool) -> dict:
    return {
        "role": "community_staff",
        "region": (w.community_a if inside else w.community_e).pk,
        "display_name": "矩阵新人",
        "username": f"matrix_new_{next(_serial)}",
    }


def _membership_end_path(w: World, role: str, inside: bool) -> str:
    user = _account(w, role, inside)
    membership = user.memberships.get()
    return f"/accounts/manage/{user.pk}/memberships/{membership.pk}/end/"


def _setup(w: World) -> None:
    w.extras["far_staff"] = _far_staff(w)


ROWS: list[Row] = [
    Row("accounts:password_change", "GET", fixed("/accounts/password/"), page(200)),
    Row(
        "accounts:password_change",
        "POST",
        fixed("/accounts/password/"),
        page(422),
        body=lambda w, role, inside: {"old_password": "wrong", "new_password1": "x", "new_password2": "y"},
    ),
    Row("accounts:manage_list", "GET", fixed("/accounts/manage/"), managers(200)),
    Row("accounts:manage_create", "GET", fixed("/accounts/manage/new/"), managers(200)),
    Row(
        "accounts:manage_create",
        "POST",
        fixed("/accounts/manage/new/"),
        # A firm admin opens advisors' accounts only: community staff is not among its choices.
        managers(201, only=REGION_MANAGERS, rest=422),
        managers(201, only=("sysadmin",), rest=422),
        body=_create_body,
    ),
    Row(
        "accounts:manage_detail",
        "GET",
        lambda w, role, inside: f"/accounts/manage/{_seen(w, role, inside).pk}/",
        managers(200),
        managers(200, only=("sysadmin",)),
        setup=_setup,
    ),
    Row(
        "accounts:manage_detail",
        "POST",
        lambda w, role, inside: f"/accounts/manage/{_seen(w, role, inside).pk}/",
        managers(302),
        managers(302, only=("sysadmin",)),
        body=lambda w, role, inside: {"display_name": "矩阵改名", "phone": "13800138000"},
        setup=_setup,
    ),
    Row(
        "accounts:manage_deactivate",
        "POST",
        lambda w, role, inside: f"/accounts/manage/{_account(w, role, inside).pk}/deactivate/",
        managers(302),
        managers(302, only=("sysadmin",)),
    ),
    Row(
        "accounts:manage_reactivate",
        "POST",
        lambda w, role, inside: f"/accounts/manage/{_account(w, role, inside, active=False).pk}/reactivate/",
        managers(302),
        managers(302, only=("sysadmin",)),
    ),
    Row(
        "accounts:manage_reset_password",
        "POST",
        lambda w, role, inside: f"/accounts/manage/{_account(w, role, inside).pk}/reset-password/",
        managers(200),
        managers(200, only=("sysadmin",)),
    ),
    Row(
        "accounts:manage_unlock",
        "POST",
        lambda w, role, inside: f"/accounts/manage/{_account(w, role, inside, locked=True).pk}/unlock/",
        managers(302),
        managers(302, only=("sysadmin",)),
    ),
    Row(
        "accounts:manage_membership_add",
        "POST",
        lambda w, role, inside: f"/accounts/manage/{_account(w, role, inside).pk}/memberships/",
        # A firm admin grants no region roles: 403 even for its own lawyers' accounts.
        {**managers(302), "firm_admin": 403},
        managers(302, only=("sysadmin",)),
        body=lambda w, role, inside: {"role": "community_staff", "region": w.community_b.pk},
    ),
    Row(
        "accounts:manage_membership_end",
        "POST",
        _membership_end_path,
        # A firm admin's lawyers hold no region role it could end.
        managers(302, only=REGION_MANAGERS),
        managers(302, only=("sysadmin",)),
    ),
]
