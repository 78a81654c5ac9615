"""The API contract, fuzzed: schemathesis generates requests for every operation of /api/v1/ from its
OpenAPI schema (the examples, coverage and fuzzing phases, with a fixed seed) and sends them as
several roles against the Nanwan demo, so that ids, codes and states exist. Every response must be
no server error, carry a status code the operation declares, and match the declared schema and
content type.

The budget is about two minutes on two cores: ``GUWEN_FUZZ_EXAMPLES`` (examples per operation in
the fuzzing phase) makes a deeper run, e.g. ``GUWEN_FUZZ_EXAMPLES=1000 pytest guwen/tests/test_api_fuzz.py``.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck
from hypothesis import settings as settings_for_hypothesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from guwen.accounts.models import User
from guwen.demo import consultations, duty, knowledge, nanwan
from guwen.testing import verified_client

SEED = 20261203
EXAMPLES = int(os.environ.get("GUWEN_FUZZ_EXAMPLES", "25"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# The roles the fuzzer signs in as (demo usernames); None is a resident without a session.
ROLES = {"anonymous": None, "advisor": "advisor", "staff": "staff", "office": "office"}
CSRF_TOKEN = "f" * 32  # any 32 characters: the cookie and the header only have to agree

CONFIG = f"""
seed = {SEED}

[generation]
max-examples = {EXAMPLES}
deterministic = true

[phases.examples]
enabled = true

[phases.coverage]
enabled = true

[phases.fuzzing]
enabled = true

[phases.stateful]
enabled = false
"""

APP = WSGIHandler()
# The examples of one operation share its test's database transaction, as requests share a server.
ONE_DATABASE_PER_OPERATION = settings_for_hypothesis(
    suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The Nanwan demo and one signed-in session per role, built once for the module inside a
    transaction that is rolled back at its end (each test then runs in a savepoint of it)."""
    # Requests reach the app through WSGI, not Django's test client, so the handler's
    # close_old_connections would close the connection (inside this transaction it counts as
    # unusable): on PostgreSQL that ends the transaction and every later request. The test client
    # unhooks it the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            yield _demo_sessions()
            transaction.set_rollback(True)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _demo_sessions() -> dict[str, dict[str, str]]:
    nanwan.load()
    for step in (knowledge.load, duty.load, consultations.load):
        step()
    sessions: dict[str, dict[str, str]] = {}
    for role, username in ROLES.items():
        if username is None:
            sessions[role] = {}
            continue
        client = verified_client(User.objects.get(username=username))
        sessions[role] = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
    return sessions


@pytest.fixture
def sent(request):
    """How many requests this test sent, in its report's properties: guwen/tests/conftest.py adds
    them up at the end of the run (across xdist workers too)."""
    tally = {"operation": "", "requests": 0}
    request.node.user_properties.append(("api_fuzz", tally))
    return tally


# Loaded while the module is collected, from the schema the running app serves (no database needed).
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", APP, config=schemathesis.Config.from_str(CONFIG)
)


def _send(case, role: str, sessions: dict, sent: dict) -> None:
    cookies = dict(sessions[role])
    headers = {}
    if cookies:
        cookies[settings.CSRF_COOKIE_NAME] = CSRF_TOKEN
        headers["X-CSRFToken"] = CSRF_TOKEN
    response = case.call(cookies=cookies, headers=headers)
    sent["operation"] = case.operation.label
    sent["requests"] += 1
    case.validate_response(response, checks=CHECKS)


@schema.parametrize()
@ONE_DATABASE_PER_OPERATION
def test_api_contract_anonymous(case, demo, db, sent):
    _send(case, "anonymous", demo, sent)


@schema.parametrize()
@ONE_DATABASE_PER_OPERATION
def test_api_contract_advisor(case, demo, db, sent):
    _send(case, "advisor", demo, sent)


@schema.parametrize()
@ONE_DATABASE_PER_OPERATION
def test_api_contract_community_staff(case, demo, db, sent):
    _send(case, "staff", demo, sent)


@schema.parametrize()
@ONE_DATABASE_PER_OPERATION
def test_api_contract_office(case, demo, db, sent):
    _send(case, "office", demo, sent)
