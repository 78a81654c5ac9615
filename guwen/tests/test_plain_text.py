"""Control characters are refused and bidirectional controls removed in every text a person or a
client sends: every form class of the project, every admin form, every API operation's body and
query string, every page's query string and path. PostgreSQL refuses NUL in text, so a field that
let one through would be a 500 there; these tests walk the code so that a new form or operation
cannot be forgotten."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import re

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

import guwen
from guwen.api import api
from guwen.core.errors import DomainError
from guwen.core.formtools import PlainTextMixin
from guwen.core.validators import BIDI_CONTROLS, CONTROL_CHARS, plain_data
from guwen.testing import verified_client

CHINESE = re.compile(r"[\u4e00-\u9fff]")
MESSAGE = "控制字符"
# Every control character a form, the parser or the middleware refuses; tab, CR and LF are text.
REFUSED = [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]]
BIDI = ["\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c"]


def _project_modules():
    for info in pkgutil.walk_packages(guwen.__path__, "guwen."):
        name = info.name
        if ".tests" in name or ".migrations" in name or name.endswith((".conftest", ".wsgi")):
            continue
        yield importlib.import_module(name)


def project_form_classes() -> list[type[forms.BaseForm]]:
    found = set()
    for module in _project_modules():
        for _name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, forms.BaseForm)
                and value.__module__.startswith("guwen.")
            ):
                found.add(value)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


FORMS = project_form_classes()


def test_the_walk_finds_the_forms():
    names = {cls.__name__ for cls in FORMS}
    assert {"AskForm", "BookingForm", "LawFirmForm", "LoginForm", "TokenForm", "WriteOnlySecrets"} <= names


@pytest.mark.parametrize("form_class", FORMS, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_every_project_form_refuses_control_characters(form_class):
    assert issubclass(form_class, PlainTextMixin), f"{form_class} must inherit guwen.core.formtools.Form"


def test_every_admin_form_refuses_control_characters():
    for model, model_admin in admin.site._registry.items():
        assert issubclass(model_admin.form, PlainTextMixin), model


def _constructible(form_class) -> bool:
    required = [
        p
        for p in list(inspect.signature(form_class.__init__).parameters.values())[1:]
        if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    return not required and not issubclass(form_class, forms.ModelForm)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "form_class", [cls for cls in FORMS if _constructible(cls)], ids=lambda cls: cls.__qualname__
)
def test_every_field_of_every_form_puts_the_refusal_on_the_field(form_class):
    # Fields a form adds in its __init__ count too: the names come from an instance.
    form = form_class(data={name: "1\x00" for name in form_class().fields}, files={})
    form.is_valid()
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField | forms.BooleanField):
            continue  # files come in request.FILES (the upload checks'); a checkbox is a bool
        assert any(MESSAGE in error for error in form.errors.get(name, [])), (form_class, name, form.errors)


class _Probe(PlainTextMixin, forms.Form):
    text = forms.CharField(required=False)
    password = forms.CharField(required=False, widget=forms.PasswordInput)
    choice = forms.MultipleChoiceField(required=False, choices=[("a", "a"), ("b", "b")])


@given(
    st.text(max_size=20).filter(lambda t: not CONTROL_CHARS.search(t)),
    st.sampled_from(REFUSED),
    st.text(max_size=20).filter(lambda t: not CONTROL_CHARS.search(t)),
)
def test_a_control_character_anywhere_is_refused_on_its_field(before, control, after):
    form = _Probe(data={"text": before + control + after})
    assert not form.is_valid()
    assert MESSAGE in form.errors["text"][0] and CHINESE.search(form.errors["text"][0])


@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")) | st.sampled_from(BIDI), max_size=30)
)
def test_bidi_controls_are_removed_and_the_rest_kept(text):
    form = _Probe(data={"text": text})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["text"] == BIDI_CONTROLS.sub("", text).strip()


def test_a_password_keeps_its_characters_but_not_a_nul():
    form = _Probe(data={"password": "pa\u202ess"})
    assert form.is_valid() and form.cleaned_data["password"] == "pa\u202ess"
    assert "password" in _Probe(data={"password": "pa\x00ss"}).errors


def test_a_list_value_is_checked_item_by_item():
    assert "choice" in _Probe(data={"choice": ["a", "b\x00"]}).errors
    assert _Probe(data={"choice": ["a", "b"]}).is_valid()


def _values(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for item in data.values():
            yield from _values(item)
    elif isinstance(data, list):
        for item in data:
            yield from _values(item)


JSON_LIKE = st.recursive(
    st.text(max_size=5) | st.integers() | st.none(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=10,
)


@given(JSON_LIKE)
def test_plain_data_removes_bidi_from_every_value_or_names_the_refused_one(data):
    try:
        cleaned = plain_data(data)
    except DomainError as exc:
        assert any(CONTROL_CHARS.search(value) for value in _values(data)) and exc.field
    else:
        assert not any(BIDI_CONTROLS.search(value) for value in _values(cleaned))
        assert [BIDI_CONTROLS.sub("", value) for value in _values(data)] == list(_values(cleaned))


# --- the API: every operation, every field ---------------------------------------------------------

SCHEMA = api.get_openapi_schema(path_prefix="/api/v1")


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _path(path: str, parameters: list[dict]) -> str:
    for parameter in parameters:
        if parameter["in"] == "path":
            filler = "1" if parameter["schema"].get("type") == "integer" else "440307012002"
            path = path.replace("{" + parameter["name"] + "}", filler)
    return path


def _probes():
    """(method, url, where, field, payload) for every body property and query parameter."""
    for path, operations in SCHEMA["paths"].items():
        for method, operation in operations.items():
            parameters = operation.get("parameters", [])
            url = _path(path, parameters)
            for parameter in parameters:
                if parameter["in"] == "query":
                    yield method, url, "query", parameter["name"]
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                body = _resolve(content["application/json"]["schema"])
                for name in body.get("properties", {}):
                    yield method, url, "body", name


PROBES = list(_probes())


def test_the_walk_finds_the_operations():
    fields = {(url, field) for _m, url, _w, field in PROBES}
    assert ("/api/v1/consultations", "text") in fields and ("/api/v1/firms", "credit_code") in fields
    assert ("/api/v1/knowledge/search", "q") in fields and ("/api/v1/regions", "q") in fields


def _counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models() if model._meta.managed}


@pytest.mark.parametrize(("method", "url", "where", "field"), PROBES, ids=lambda v: str(v))
def test_every_api_field_refuses_a_nul_with_a_chinese_422_and_saves_nothing(world, method, url, where, field):
    client = verified_client(world.user("sysadmin"))
    before = _counts()
    if where == "query":
        response = getattr(client, method)(url, {field: "a\x00b"}, HTTP_IDEMPOTENCY_KEY="plain-1")
    else:
        response = getattr(client, method)(
            url,
            json.dumps({field: "a\x00b"}),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="plain-1",
        )
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field and CHINESE.search(response.json()["detail"])
    assert _counts() == before


def test_the_api_removes_bidi_controls_before_the_schema(world):
    client = verified_client(world.user("sysadmin"))
    response = client.get("/api/v1/regions", {"q": "\u202e南龙"})
    assert response.status_code == 200
    assert [row["name"] for row in response.json()["items"]] == ["南龙社区"]


def test_a_nul_deep_in_a_json_body_names_its_path(world):
    client = verified_client(world.user("advisor_a"))
    response = client.post(
        "/api/v1/consultations",
        json.dumps(
            {"community_code": "440307012002", "text": "正常的问题内容共十个字", "extra": {"a": ["b\x00"]}}
        ),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="plain-2",
    )
    assert response.status_code == 422 and response.json()["field"] == "extra.a"


# --- pages: query strings and paths --------------------------------------------------------------


@pytest.mark.parametrize("control", ["\x00", "\x1b", "\x7f"])
def test_a_page_query_with_a_control_character_is_a_chinese_422(world, control):
    client = verified_client(world.user("office"))
    response = client.get("/lawyers/", {"q": f"张{control}"})
    assert response.status_code == 422
    text = response.content.decode()
    assert MESSAGE in text and "输入内容无法处理" in text


def test_a_page_query_loses_its_bidi_controls(world, rf):
    from guwen.core.middleware import PlainTextQueryMiddleware

    seen = {}

    def view(request):
        seen["q"] = request.GET["q"]
        from django.http import HttpResponse

        return HttpResponse()

    PlainTextQueryMiddleware(view)(rf.get("/anything/", {"q": "\u202e张三\u2066"}))
    assert seen["q"] == "张三"


def test_a_path_with_a_control_character_is_not_found(world):
    assert Client().get("/c/440307012002%00/ask").status_code == 404
    api_response = Client().get("/api/v1/regions/440307012002%00")
    assert api_response.status_code == 404 and CHINESE.search(api_response.json()["detail"])
