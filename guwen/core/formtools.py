"""Form helpers shared by every module: a service's DomainError as an error on the field it names,
the POST half of form pages, and date inputs that browsers can read."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def _plain_value(value, *, keep_bidi: bool):
    """A submitted value (a string, or a list of them from a multiple or split widget) without
    bidirectional controls; ``ValidationError`` when it holds other control characters."""
    from guwen.core.validators import BIDI_CONTROLS, CONTROL_CHARS, control_chars_message

    if isinstance(value, list | tuple):
        return type(value)(_plain_value(item, keep_bidi=keep_bidi) for item in value)
    if not isinstance(value, str):
        return value  # an uploaded file, None
    plain = value if keep_bidi else BIDI_CONTROLS.sub("", value)
    if CONTROL_CHARS.search(plain):
        raise ValidationError(control_chars_message(plain), code="control_characters")
    return plain


def _plain_clean(clean, *, keep_bidi: bool):
    def plain_clean(value, *args, **kwargs):
        return clean(_plain_value(value, keep_bidi=keep_bidi), *args, **kwargs)

    plain_clean.plain_text = True
    return plain_clean


class PlainTextMixin:
    """Every field of the form refuses control characters (NUL among them, which PostgreSQL refuses
    in text) with a Chinese error on the field, and loses bidirectional controls (which could
    reorder what an advisor reads) before its own cleaning: free text, choices, dates and codes
    alike, so that no field can be forgotten. A password keeps its bidirectional characters, as it
    was typed. Every form of the project inherits this (``guwen/tests/test_plain_text.py`` checks)."""

    def full_clean(self):
        # At cleaning time, so that fields a form adds in its own __init__ are covered too.
        for field in self.fields.values():
            if not getattr(field.clean, "plain_text", False):
                keep_bidi = isinstance(field.widget, forms.PasswordInput)
                field.clean = _plain_clean(field.clean, keep_bidi=keep_bidi)
        super().full_clean()


class Form(PlainTextMixin, forms.Form):
    """The project's form: ``forms.Form`` with ``PlainTextMixin``."""


class ModelForm(PlainTextMixin, forms.ModelForm):
    """The project's model form: ``forms.ModelForm`` with ``PlainTextMixin``."""


class DateInput(forms.DateInput):
    """The browser's date picker. It reads only YYYY-MM-DD; Django's default for the Chinese locale
    (2026/11/29) is dropped, so a pre-filled date would show empty."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker, which reads only YYYY-MM-DDTHH:MM."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def add_domain_error(form: forms.Form, exc) -> None:
    """The service's refusal as an error on the field it names; the form remembers the refusal's
    status (403, 404, 409 or 422) for ``form_status``."""
    from guwen.core.errors import refusal_status

    field = getattr(exc, "field", None)
    form.add_error(field if field in form.fields else None, exc.message)
    form.refusal_status = max(getattr(form, "refusal_status", 0), refusal_status(exc))


def form_status(form: forms.Form) -> int:
    """A form sent back with errors is a 422 (invalid input), or the status of the service's
    refusal (``guwen.core.errors.refusal_status``: 403 a role that may not, 404 out of scope, 409
    a state that does not allow it), so clients and tests can tell refusal from display."""
    if not (form.is_bound and form.errors):
        return 200
    return getattr(form, "refusal_status", 422)


def paginate(request, queryset, per_page: int = 30):
    from django.core.paginator import Paginator

    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def form_submit(request, form: forms.Form, action) -> tuple[bool, object]:
    """The POST half of a form page: when the form was posted and is valid, run
    ``action(cleaned_data)`` (a service call); a ``DomainError`` it raises becomes an error on the
    field it names. Returns ``(done, result)``: ``done`` is False on GET, on invalid input and on
    refusal, and the page then renders the form with ``form_status(form)``."""
    from guwen.core.errors import DomainError

    if request.method != "POST" or not form.is_valid():
        return False, None
    try:
        return True, action(form.cleaned_data)
    except DomainError as exc:
        add_domain_error(form, exc)
        return False, None
