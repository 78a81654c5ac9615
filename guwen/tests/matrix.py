"""The access-matrix vocabulary: a Row is one route and method, with the status every role must get
in scope and out of scope. Each app lists its rows in ``<app>/tests/access_rows.py`` (``ROWS``);
guwen/tests/test_access_matrix.py walks them all and fails for any route without a row.

A row's ``setup(world)`` may create the records it needs and keep them in ``world.extras``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from guwen.testing import ROLES, World, valid_credit_code, valid_licence, valid_phone

_serial = itertools.count(5000)

LOGGED_IN = [r for r in ROLES if r != "resident"]


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def page(status_logged_in: int | dict[str, int]) -> dict[str, int]:
    """A login-required page: anonymous residents are sent to the login page."""
    expect = {"resident": 302}
    if isinstance(status_logged_in, int):
        expect.update(dict.fromkeys(LOGGED_IN, status_logged_in))
    else:
        expect.update(dict.fromkeys(LOGGED_IN, 404))
        expect.update(status_logged_in)
    return expect


def api_route(status_logged_in: int | dict[str, int], default: int = 404) -> dict[str, int]:
    """An API operation: anonymous callers get 401."""
    expect = {"resident": 401}
    if isinstance(status_logged_in, int):
        expect.update(dict.fromkeys(LOGGED_IN, status_logged_in))
    else:
        expect.update(dict.fromkeys(LOGGED_IN, default))
        expect.update(status_logged_in)
    return expect


@dataclass
class Row:
    name: str
    method: str
    path: Callable[[World, str, bool], str]
    inside: dict[str, int]
    outside: dict[str, int] | None = None  # None: the route has no object to be out of scope of
    body: Callable[[World, str, bool], dict] | None = None
    json: bool = False
    setup: Callable[[World], None] | None = None
    notes: list[str] = field(default_factory=list)


def own_community(w: World, role: str):
    return w.community_b if role == "advisor_b" else w.community_a


def own_firm(w: World, role: str):
    return w.firm_b if role == "advisor_b" else w.firm_a


def own_lawyer(w: World, role: str):
    return w.lawyer_b if role == "advisor_b" else w.lawyer_a


def fixed(path: str) -> Callable[[World, str, bool], str]:
    return lambda w, role, inside: path


# Community A and its firm: advisor B is checked against B (own_community), the firm admin sees A
# because firm A's lawyer serves there today.
SEES_A = {
    "advisor_a": 200,
    "advisor_b": 200,
    "staff_a": 200,
    "office": 200,
    "bureau": 200,
    "firm_admin": 200,
    "sysadmin": 200,
}
SEES_FIRM_A = SEES_A
MANAGES_A = {"office": 200, "bureau": 200, "sysadmin": 200}
ONLY_SYSADMIN = {"sysadmin": 200}


def lawyer_body(w: World, role: str, inside: bool) -> dict:
    n = next(_serial)
    firm = w.firm_a if inside else w.firm_other
    return {
        "name": f"新律师{n}",
        "licence_number": valid_licence(),
        "firm_id": firm.pk,
        "firm": firm.pk,
        "phone": valid_phone(),
    }


def lawyer_edit_body(w: World, role: str, inside: bool) -> dict:
    return {"phone": valid_phone(), "specialties": "劳动争议", "is_active": "on"}


def firm_body(w: World, role: str, inside: bool) -> dict:
    n = next(_serial)
    return {
        "name": f"新律所{n}",
        "credit_code": valid_credit_code(),
        "district_code": w.district.code if inside else w.district2.code,
    }


def assignment_body(w: World, role: str, inside: bool) -> dict:
    # A backup appointment of a different lawyer each time, so no row clashes with another.
    from guwen.testing import make_lawyer

    lawyer = make_lawyer(w.firm_a, f"备岗{next(_serial)}")
    community = w.community_a if inside else w.community_e
    return {
        "lawyer_id": lawyer.pk,
        "licence_number": lawyer.licence_number,
        "community_code": community.code,
        "role": "backup",
        "starts_on": "2026-01-01",
    }
