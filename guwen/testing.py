"""Test helpers shared by every app's tests: one user per role in a small region tree (in the
spirit of healthchecks' alice/bob/charlie), valid personal numbers, and logins that pass TOTP."""

from __future__ import annotations

import itertools
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection, connections
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from guwen.accounts import services as accounts
from guwen.accounts.models import Role, User
from guwen.accounts.otp import totp_required
from guwen.core.validators import credit_code_check_char, id_number_check_char, org_code_check_char
from guwen.regions import services as regions
from guwen.regions.models import Assignment, LawFirm, Lawyer, Region

_counter = itertools.count(1)

ROLES = [
    "resident",
    "advisor_a",
    "advisor_b",
    "staff_a",
    "office",
    "bureau",
    "firm_admin",
    "association",
    "outsider",
    "sysadmin",
]


def valid_id_number(birth: str = "19900101", serial: int | None = None) -> str:
    seq = f"{(serial if serial is not None else next(_counter)) % 1000:03d}"
    first17 = f"440307{birth}{seq}"
    return first17 + id_number_check_char(first17)


def valid_credit_code(serial: int | None = None) -> str:
    """A law firm's 统一社会信用代码 (31: 司法行政, 律师执业机构; registered in 440300 深圳市) whose
    organisation code and check character are both right."""
    body = f"MD{(serial if serial is not None else next(_counter)) % 1_000_000:06d}"
    first17 = "31440300" + body + org_code_check_char(body)
    return first17 + credit_code_check_char(first17)


def valid_licence(serial: int | None = None) -> str:
    return f"1440320180{(serial if serial is not None else next(_counter)) % 10_000_000:07d}"


def valid_phone(serial: int | None = None) -> str:
    return f"1380013{(serial if serial is not None else next(_counter)) % 10_000:04d}"


def make_region(code: str, name: str, level: str, parent: Region | None = None) -> Region:
    path = (parent.path if parent else "") + code + "/"
    return Region.objects.create(code=code, name=name, full_name=name, level=level, parent=parent, path=path)


def make_lawyer(firm: LawFirm, name: str, user: User | None = None) -> Lawyer:
    return regions.lawyer_create(
        name=name,
        licence_number=valid_licence(),
        firm=firm,
        phone=valid_phone(),
        user=user,
        by=None,
        id_number=valid_id_number(),
    )


def make_user(username: str, role: str | None = None, *, region=None, firm=None, superuser=False) -> User:
    user = accounts.user_create(
        username=username, password="correct horse battery", by=None, is_superuser=superuser
    )
    if role:
        accounts.membership_grant(
            user=user, role=role, region=region, firm=firm, by=None, starts_on=date(2020, 1, 1)
        )
    return user


@dataclass
class World:
    """District D (龙岗) ⊃ street S (南湾) ⊃ communities A, B; street S2 ⊃ community C; and another
    district D2 ⊃ street S3 ⊃ community E. Advisor A serves A, advisor B serves B, lawyer C serves C."""

    district: Region
    street: Region
    community_a: Region
    community_b: Region
    street2: Region
    community_c: Region
    district2: Region
    street3: Region
    community_e: Region
    firm_a: LawFirm
    firm_b: LawFirm
    firm_other: LawFirm
    lawyer_a: Lawyer
    lawyer_b: Lawyer
    lawyer_c: Lawyer
    lawyer_e: Lawyer
    assignment_a: Assignment
    assignment_c: Assignment
    assignment_e: Assignment
    users: dict[str, User | None]
    extras: dict = field(default_factory=dict)  # records a test or access-matrix row adds

    def user(self, role: str) -> User | None:
        return self.users[role]


def build_world() -> World:
    city = make_region("440300000000", "深圳市", "city")
    district = make_region("440307000000", "龙岗区", "district", city)
    street = make_region("440307012000", "南湾街道", "street", district)
    community_a = make_region("440307012002", "南龙社区", "community", street)
    community_b = make_region("440307012003", "上李朗社区", "community", street)
    street2 = make_region("440307013000", "坂田街道", "street", district)
    community_c = make_region("440307013001", "坂田社区", "community", street2)
    district2 = make_region("440303000000", "罗湖区", "district", city)
    street3 = make_region("440303001000", "桂园街道", "street", district2)
    community_e = make_region("440303001001", "松园社区", "community", street3)
    firm_a = regions.lawfirm_create(
        name="甲律师事务所", credit_code=valid_credit_code(), district=district, by=None
    )
    firm_b = regions.lawfirm_create(
        name="乙律师事务所", credit_code=valid_credit_code(), district=district, by=None
    )
    firm_other = regions.lawfirm_create(
        name="丙律师事务所", credit_code=valid_credit_code(), district=district2, by=None
    )
    advisor_a = make_user("advisor_a", Role.ADVISOR)
    advisor_b = make_user("advisor_b", Role.ADVISOR)
    lawyer_a = make_lawyer(firm_a, "甲律师", advisor_a)
    lawyer_b = make_lawyer(firm_b, "乙律师", advisor_b)
    lawyer_c = make_lawyer(firm_b, "丙律师")
    lawyer_e = make_lawyer(firm_other, "丁律师")
    start = date(2024, 1, 1)
    assignment_a = regions.assignment_create(lawyer=lawyer_a, community=community_a, starts_on=start, by=None)
    regions.assignment_create(lawyer=lawyer_b, community=community_b, starts_on=start, by=None)
    assignment_c = regions.assignment_create(lawyer=lawyer_c, community=community_c, starts_on=start, by=None)
    assignment_e = regions.assignment_create(lawyer=lawyer_e, community=community_e, starts_on=start, by=None)
    users: dict[str, User | None] = {
        "resident": None,
        "advisor_a": advisor_a,
        "advisor_b": advisor_b,
        "staff_a": make_user("staff_a", Role.COMMUNITY_STAFF, region=community_a),
        "office": make_user("office", Role.OFFICE, region=street),
        "bureau": make_user("bureau", Role.BUREAU, region=district),
        "firm_admin": make_user("firm_admin", Role.FIRM_ADMIN, firm=firm_a),
        "association": make_user("association", Role.ASSOCIATION),
        "outsider": make_user("outsider"),
        "sysadmin": make_user("sysadmin", Role.SYSADMIN, superuser=True),
    }
    return World(
        district,
        street,
        community_a,
        community_b,
        street2,
        community_c,
        district2,
        street3,
        community_e,
        firm_a,
        firm_b,
        firm_other,
        lawyer_a,
        lawyer_b,
        lawyer_c,
        lawyer_e,
        assignment_a,
        assignment_c,
        assignment_e,
        users,
    )


def verified_client(user: User | None) -> Client:
    """A client logged in as the user, past TOTP when the user's role requires it."""
    client = Client()
    if user is None:
        return client
    client.force_login(user)
    if totp_required(user):
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def shared_dir() -> Path:
    """../shared/data, or skip the test (fail instead when GUWEN_REQUIRE_SHARED=1, as in CI)."""
    path = Path(settings.GUWEN_SHARED_DIR) / "data"
    if not path.is_dir():
        if os.environ.get("GUWEN_REQUIRE_SHARED") == "1":
            pytest.fail(f"GUWEN_REQUIRE_SHARED=1 but {path} is missing")
        pytest.skip(f"{path} is not here (a user's clone): skipped")
    return path


# --- a clock the tests control ---------------------------------------------------------------

TEST_CLOCK_ENV = "GUWEN_TEST_CLOCK"


def session_clock() -> time_machine.travel | None:
    """The whole session's clock from GUWEN_TEST_CLOCK (an ISO 8601 moment, local time when it has no
    offset), or None to keep the real one. The clock ticks from there, so timeouts and ordering by
    time still behave; a test that pins its own moment travels on top of it and comes back to it.

    Running the suite at awkward moments (a local midnight, the turn of a year, the first day of a
    month, a Sunday) finds tests that quietly assume "today" is an ordinary weekday afternoon."""
    value = os.environ.get(TEST_CLOCK_ENV, "").strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise pytest.UsageError(f"{TEST_CLOCK_ENV}={value!r} is not an ISO 8601 date and time") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    return time_machine.travel(moment, tick=True)


# --- concurrent writers on either database ---------------------------------------------------


@contextmanager
def database_for_threads(path: Path) -> Iterator[None]:
    """Let threads write at once to the test database, as separate processes do in production.

    On SQLite the test database lives in memory, shared between a process's connections through
    SQLite's shared cache, which fails a second writer at once ("database table is locked") instead
    of letting it wait. Here the default database becomes a file at ``path`` holding a copy of the
    test database (schema and all), so each thread opens its own connection to it with the
    settings' WAL journal, IMMEDIATE transactions and busy timeout: writers queue as they do in
    production. The in-memory database is set aside untouched and comes back afterwards.
    On PostgreSQL threads already have their own connections to a real server: nothing changes.
    """
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    memory = connection.connection
    with closing(sqlite3.connect(path)) as target:
        memory.backup(target)
    # One dict: this connection's settings are the ones a new thread's connection is built from.
    settings_dict = connections.settings[connection.alias]
    assert settings_dict is connection.settings_dict
    name = settings_dict["NAME"]
    # Set aside, not closed: closing the last connection to an in-memory database destroys it.
    connection.connection = None
    settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        connection.close()
        settings_dict["NAME"] = name
        connection.connection = memory


def tiny_image(fmt: str = "PNG") -> bytes:
    """A real 4×3 picture in ``fmt`` (PNG, JPEG, WEBP): uploads are decoded and encoded again, so
    a test file must be a picture, not just its first bytes."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 3), (30, 90, 200)).save(out, format=fmt)
    return out.getvalue()
