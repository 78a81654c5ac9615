import pytest
from django import forms
from django.test import RequestFactory

from guwen.core.errors import Conflict, DomainError, NotFound
from guwen.core.formtools import form_status, form_submit


class NameForm(forms.Form):
    name = forms.CharField(max_length=10)


def test_form_submit_runs_the_action_only_for_a_valid_post():
    factory = RequestFactory()
    shown = NameForm(None)
    assert form_submit(factory.get("/"), shown, lambda data: 1 / 0) == (False, None)
    assert form_status(shown) == 200
    invalid = NameForm({"name": ""})
    assert form_submit(factory.post("/"), invalid, lambda data: 1 / 0) == (False, None)
    assert form_status(invalid) == 422
    valid = NameForm({"name": "南湾"})
    assert form_submit(factory.post("/"), valid, lambda data: data["name"] * 2) == (True, "南湾南湾")


def test_a_refusal_lands_on_the_field_it_names_or_on_the_form():
    def refuse(field):
        def action(data):
            raise DomainError("已存在", field=field)

        return action

    named = NameForm({"name": "南湾"})
    assert form_submit(RequestFactory().post("/"), named, refuse("name")) == (False, None)
    assert named.errors == {"name": ["已存在"]} and form_status(named) == 422
    general = NameForm({"name": "南湾"})
    form_submit(RequestFactory().post("/"), general, refuse("no_such_field"))
    assert general.non_field_errors() == ["已存在"]


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (DomainError("不正确", field="name"), 422),
        (Conflict("已被登记", field="name"), 409),
        (DomainError("当前状态不允许此操作", code="invalid_state"), 409),
        (DomainError("班次尚未签退", code="not_finished"), 409),
        (DomainError("您无权", code="forbidden"), 403),
        (DomainError("您的角色无权执行此操作", code="forbidden_role"), 403),
        (NotFound("未找到"), 404),
    ],
)
def test_a_refused_form_answers_the_refusals_status(error, status):
    def refuse(data):
        raise error

    form = NameForm({"name": "南湾"})
    form_submit(RequestFactory().post("/"), form, refuse)
    assert form_status(form) == status


def test_the_project_form_refuses_control_characters_on_the_field():
    from guwen.core.formtools import Form

    class Plain(Form):
        name = forms.CharField(max_length=10)

    form = Plain({"name": "南\x00湾"})
    assert not form.is_valid() and "第 2 个字处" in form.errors["name"][0] and form_status(form) == 422
    clean = Plain({"name": "\u202e南湾"})
    assert clean.is_valid() and clean.cleaned_data["name"] == "南湾"
