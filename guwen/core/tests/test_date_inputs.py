"""Date and time inputs render their value the way browsers read it. A browser's <input type=date>
takes only YYYY-MM-DD (and datetime-local YYYY-MM-DDTHH:MM); Django's default for the Chinese
locale is 2026/11/29, which a browser drops, so a pre-filled date showed up empty and the form
came back "required"."""

from __future__ import annotations

import datetime
import importlib
import inspect

from django import forms
from django.apps import apps
from django.utils import translation

BROWSER_FORMATS = {"date": "%Y-%m-%d", "datetime-local": "%Y-%m-%dT%H:%M"}


def _form_classes():
    for config in apps.get_app_configs():
        if not config.name.startswith("guwen."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


def _html_inputs():
    for cls in _form_classes():
        for name, field in cls.base_fields.items():
            kind = getattr(field.widget, "input_type", None)
            if kind in BROWSER_FORMATS:
                yield f"{cls.__module__}.{cls.__name__}.{name}", field.widget, kind


def test_every_form_module_is_seen():
    assert {cls.__module__.split(".")[1] for cls in _form_classes()} >= {"consultations", "duty", "regions"}


def test_date_inputs_render_the_browsers_format():
    inputs = list(_html_inputs())
    assert len(inputs) >= 8
    wrong = []
    for where, widget, kind in inputs:
        value = (
            datetime.datetime(2026, 11, 29, 9, 30)
            if kind == "datetime-local"
            else datetime.date(2026, 11, 29)
        )
        with translation.override("zh-hans"):
            html = widget.render("x", value)
        expected = "2026-11-29T09:30" if kind == "datetime-local" else "2026-11-29"
        if f'value="{expected}"' not in html:
            wrong.append(f"{where}: {html}")
    assert not wrong, "\n".join(wrong)
