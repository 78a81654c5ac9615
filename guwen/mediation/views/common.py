"""What the mediation pages share."""

from __future__ import annotations

from django.shortcuts import render

from guwen.core.formtools import form_status


def form_page(request, form, title: str, *, back: str = "", multipart: bool = False):
    """A one-form page: 200 when first shown, the refusal's status when the form has errors."""
    context = {"form": form, "title": title, "back": back, "multipart": multipart}
    return render(request, "mediation/form.html", context, status=form_status(form))
