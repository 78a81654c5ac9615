"""The access matrix: every URL pattern and API operation, for one user per role, in scope and
out of scope, with the status each must get. A route without a row fails the suite (DESIGN §5).

Out-of-scope objects answer 404, never 403, so a user cannot learn that they exist.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from guwen.api import api
from guwen.testing import ROLES, verified_client
from guwen.tests.matrix import (
    LOGGED_IN,
    MANAGES_A,
    ONLY_SYSADMIN,
    SEES_A,
    SEES_FIRM_A,
    Row,
    api_route,
    assignment_body,
    everyone,
    firm_body,
    fixed,
    lawyer_body,
    lawyer_edit_body,
    own_community,
    own_firm,
    own_lawyer,
    page,
)

ROWS: list[Row] = [
    Row("home", "GET", fixed("/"), everyone(200)),
    Row("healthz", "GET", fixed("/healthz"), everyone(200)),
    Row("favicon", "GET", fixed("/favicon.ico"), everyone(302)),
    Row(
        "accounts:login", "GET", fixed("/accounts/login/"), {"resident": 200, **dict.fromkeys(LOGGED_IN, 302)}
    ),
    Row("accounts:logout", "POST", fixed("/accounts/logout/"), everyone(302)),
    Row("accounts:otp_setup", "GET", fixed("/accounts/otp/setup/"), page(200)),
    Row(
        "accounts:otp_verify",
        "GET",
        fixed("/accounts/otp/verify/"),
        # Users without a confirmed device are sent to enrol first.
        page({**dict.fromkeys(LOGGED_IN, 302), "office": 200, "bureau": 200, "sysadmin": 200}),
    ),
    Row("accounts:profile", "GET", fixed("/accounts/me/"), page(200)),
    Row("regions:region_list", "GET", fixed("/regions/"), page(200)),
    Row(
        "regions:region_detail",
        "GET",
        lambda w, role, inside: f"/regions/{(own_community(w, role) if inside else w.community_e).code}/",
        page(SEES_A),
        page(ONLY_SYSADMIN),
    ),
    Row(
        "regions:assignment_create",
        "GET",
        lambda w, role, inside: (
            f"/regions/{(w.community_a if inside else w.community_e).code}/assignments/new/"
        ),
        page(MANAGES_A),
        page(ONLY_SYSADMIN),
    ),
    Row(
        "regions:assignment_create",
        "POST",
        lambda w, role, inside: (
            f"/regions/{(w.community_a if inside else w.community_e).code}/assignments/new/"
        ),
        page({"office": 302, "bureau": 302, "sysadmin": 302}),
        page({"sysadmin": 302}),
        body=assignment_body,
    ),
    Row(
        "regions:assignment_end",
        "GET",
        lambda w, role, inside: f"/assignments/{(w.assignment_a if inside else w.assignment_e).pk}/end/",
        page(MANAGES_A),
        page(ONLY_SYSADMIN),
    ),
    Row("regions:firm_list", "GET", fixed("/firms/"), page(200)),
    Row("regions:firm_create", "GET", fixed("/firms/new/"), page({"bureau": 200, "sysadmin": 200})),
    Row(
        "regions:firm_detail",
        "GET",
        lambda w, role, inside: f"/firms/{(own_firm(w, role) if inside else w.firm_other).pk}/",
        page(SEES_FIRM_A),
        page(ONLY_SYSADMIN),
    ),
    Row("regions:lawyer_list", "GET", fixed("/lawyers/"), page(200)),
    Row(
        "regions:lawyer_create",
        "GET",
        fixed("/lawyers/new/"),
        page({"firm_admin": 200, "bureau": 200, "sysadmin": 200}),
    ),
    Row(
        "regions:lawyer_create",
        "POST",
        fixed("/lawyers/new/"),
        page({"firm_admin": 302, "bureau": 302, "sysadmin": 302}),
        body=lawyer_body,
    ),
    Row(
        "regions:lawyer_detail",
        "GET",
        lambda w, role, inside: f"/lawyers/{(own_lawyer(w, role) if inside else w.lawyer_e).pk}/",
        page(SEES_FIRM_A),
        page(ONLY_SYSADMIN),
    ),
    Row(
        "regions:lawyer_edit",
        "GET",
        lambda w, role, inside: f"/lawyers/{(own_lawyer(w, role) if inside else w.lawyer_e).pk}/edit/",
        # The firm's admin, the district bureau and system admins; a lawyer cannot edit their own record.
        page({"firm_admin": 200, "bureau": 200, "sysadmin": 200}),
        page(ONLY_SYSADMIN),
    ),
    Row(
        "regions:lawyer_edit",
        "POST",
        lambda w, role, inside: f"/lawyers/{(own_lawyer(w, role) if inside else w.lawyer_e).pk}/edit/",
        page({"firm_admin": 302, "bureau": 302, "sysadmin": 302}),
        page({"sysadmin": 302}),
        body=lawyer_edit_body,
    ),
    Row(
        "regions:lawyer_id_number",
        "POST",
        lambda w, role, inside: f"/lawyers/{(own_lawyer(w, role) if inside else w.lawyer_e).pk}/id-number/",
        # The lawyer themself, their firm admin, the bureau and system admins may read it in full.
        page({"advisor_a": 200, "advisor_b": 200, "firm_admin": 200, "bureau": 200, "sysadmin": 200}),
        page(ONLY_SYSADMIN),
    ),
    # --- API -----------------------------------------------------------------------------------
    Row("api:openapi-json", "GET", fixed("/api/v1/openapi.json"), everyone(200), json=True),
    Row("api:openapi-view", "GET", fixed("/api/v1/docs"), everyone(200)),
    Row("api:api-root", "GET", fixed("/api/v1/"), everyone(404)),
    Row("api:me", "GET", fixed("/api/v1/me"), api_route(200), json=True),
    Row("api:list_regions", "GET", fixed("/api/v1/regions"), api_route(200), json=True),
    Row(
        "api:get_region",
        "GET",
        lambda w, role, inside: (
            f"/api/v1/regions/{(own_community(w, role) if inside else w.community_e).code}"
        ),
        api_route(SEES_A),
        api_route(ONLY_SYSADMIN),
        json=True,
    ),
    Row("api:list_firms", "GET", fixed("/api/v1/firms"), api_route(200), json=True),
    Row(
        "api:create_firm",
        "POST",
        fixed("/api/v1/firms"),
        api_route({"bureau": 201, "sysadmin": 201}, default=403),
        api_route({"bureau": 422, "sysadmin": 201}, default=403),
        body=firm_body,
        json=True,
    ),
    Row(
        "api:get_firm",
        "GET",
        lambda w, role, inside: f"/api/v1/firms/{(own_firm(w, role) if inside else w.firm_other).pk}",
        api_route(SEES_FIRM_A),
        api_route(ONLY_SYSADMIN),
        json=True,
    ),
    Row("api:list_lawyers", "GET", fixed("/api/v1/lawyers"), api_route(200), json=True),
    Row(
        "api:create_lawyer",
        "POST",
        fixed("/api/v1/lawyers"),
        api_route({"firm_admin": 201, "bureau": 201, "sysadmin": 201}),
        api_route({"sysadmin": 201}),
        body=lawyer_body,
        json=True,
    ),
    Row(
        "api:get_lawyer",
        "GET",
        lambda w, role, inside: f"/api/v1/lawyers/{(own_lawyer(w, role) if inside else w.lawyer_e).pk}",
        api_route(SEES_FIRM_A),
        api_route(ONLY_SYSADMIN),
        json=True,
    ),
    Row("api:list_assignments", "GET", fixed("/api/v1/assignments"), api_route(200), json=True),
    Row(
        "api:create_assignment",
        "POST",
        fixed("/api/v1/assignments"),
        api_route({"office": 201, "bureau": 201, "sysadmin": 201}),
        api_route({"sysadmin": 201}),
        body=assignment_body,
        json=True,
    ),
]


def _admin_rows() -> list[Row]:
    """Django admin: the index and every registered model's list, for system admins only."""
    staff_only = {**dict.fromkeys(ROLES, 302), "sysadmin": 200}
    rows = [Row("admin:index", "GET", fixed("/admin/"), staff_only)]
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        rows.append(
            Row(
                f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist",
                "GET",
                fixed(url),
                staff_only,
            )
        )
    return rows


def _app_rows() -> list[Row]:
    rows = []
    for config in apps.get_app_configs():
        if config.name.startswith("guwen."):
            try:
                module = importlib.import_module(f"{config.name}.tests.access_rows")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.tests.access_rows":
                    raise
                continue
            rows.extend(module.ROWS)
    return rows


ALL_ROWS = ROWS + _app_rows() + _admin_rows()


def _cases():
    for row in ALL_ROWS:
        yield pytest.param(row, True, id=f"{row.method} {row.name} in-scope")
        if row.outside is not None:
            yield pytest.param(row, False, id=f"{row.method} {row.name} out-of-scope")


def _request(client, row: Row, path: str, body: dict | None):
    if row.method == "GET":
        return client.get(path)
    if row.json:
        return client.post(path, body or {}, content_type="application/json")
    return client.post(path, body or {})


@pytest.mark.parametrize(("row", "inside"), list(_cases()))
def test_access(world, row: Row, inside: bool):
    expected = row.inside if inside else row.outside
    assert set(expected) == set(ROLES), f"{row.name}: every role needs an expected status"
    world.extras = {}
    if row.setup is not None:
        row.setup(world)
    wrong = []
    for role in ROLES:
        client = verified_client(world.user(role))
        path = row.path(world, role, inside)
        body = row.body(world, role, inside) if row.body else None
        response = _request(client, row, path, body)
        if response.status_code != expected[role]:
            detail = response.content[:200].decode(errors="replace") if response.status_code >= 400 else ""
            wrong.append(f"{role}: expected {expected[role]}, got {response.status_code} {detail}")
    assert not wrong, f"{row.method} {path}:\n" + "\n".join(wrong)


def _named_patterns(patterns, namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _named_patterns(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name, str(pattern.pattern), namespace


def test_every_route_has_rows():
    covered = {row.name for row in ALL_ROWS}
    missing = []
    for name, pattern, namespace in _named_patterns(get_resolver().url_patterns):
        if namespace == "admin":
            continue  # every admin view sits behind admin_view (staff only); its model lists have rows
        if name is None or name not in covered:
            missing.append(f"{name or '(unnamed)'} {pattern}")
    assert not missing, "routes without access-matrix rows:\n" + "\n".join(missing)


def test_every_api_operation_has_rows():
    schema = api.get_openapi_schema()
    covered = {(row.method, row.name) for row in ALL_ROWS}
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            url_name = _operation_url_name(operation)
            if (method.upper(), url_name) not in covered:
                missing.append(f"{method.upper()} {path} ({url_name})")
    assert not missing, "API operations without access-matrix rows:\n" + "\n".join(missing)


def _operation_url_name(operation: dict) -> str:
    # django-ninja names each URL after the view function; the operationId ends with it.
    for row in ALL_ROWS:
        if row.name.startswith("api:") and operation["operationId"].endswith(row.name.removeprefix("api:")):
            return row.name
    return operation["operationId"]
