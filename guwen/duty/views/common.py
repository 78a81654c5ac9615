"""What the duty work pages share."""

from __future__ import annotations

from django.shortcuts import render

from guwen.core.formtools import form_status


def form_page(request, form, title: str):
    """A one-form page: 200 when first shown, the refusal's status when the form has errors."""
    return render(request, "duty/form.html", {"form": form, "title": title}, status=form_status(form))
