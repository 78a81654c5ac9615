"""Form helpers shared by every module: a service's DomainError as an error on the field it names,
the POST half of form pages, and date inputs that browsers can read."""

from __future__ import annotations

from django import forms


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
    field = getattr(exc, "field", None)
    form.add_error(field if field in form.fields else None, exc.message)


def form_status(form: forms.Form) -> int:
    """A form sent back with errors is a 422 (invalid input), so clients and tests can tell refusal
    from display."""
    return 422 if form.is_bound and form.errors else 200


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
