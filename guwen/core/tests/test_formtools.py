from django import forms
from django.test import RequestFactory

from guwen.core.errors import DomainError
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
    assert form_status(invalid) == 400
    valid = NameForm({"name": "南湾"})
    assert form_submit(factory.post("/"), valid, lambda data: data["name"] * 2) == (True, "南湾南湾")


def test_a_refusal_lands_on_the_field_it_names_or_on_the_form():
    def refuse(field):
        def action(data):
            raise DomainError("已存在", field=field)

        return action

    named = NameForm({"name": "南湾"})
    assert form_submit(RequestFactory().post("/"), named, refuse("name")) == (False, None)
    assert named.errors == {"name": ["已存在"]} and form_status(named) == 400
    general = NameForm({"name": "南湾"})
    form_submit(RequestFactory().post("/"), general, refuse("no_such_field"))
    assert general.non_field_errors() == ["已存在"]
