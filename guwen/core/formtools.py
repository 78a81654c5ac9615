"""Turning a service's DomainError into an error on the form field it names."""

from __future__ import annotations

from django import forms


def add_domain_error(form: forms.Form, exc) -> None:
    field = getattr(exc, "field", None)
    form.add_error(field if field in form.fields else None, exc.message)


def paginate(request, queryset, per_page: int = 30):
    from django.core.paginator import Paginator

    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
