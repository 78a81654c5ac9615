"""What the mediation pages share."""

from __future__ import annotations

from django.shortcuts import render

from guwen.core.formtools import form_status


def form_page(request, form, title: str, *, back: str = "", back_url: str = "", multipart: bool = False):
    """A one-form page: 200 when first shown, the refusal's status when the form has errors.
    ``back`` is a URL name without arguments, ``back_url`` a URL already built."""
    context = {"form": form, "title": title, "back": back, "back_url": back_url, "multipart": multipart}
    return render(request, "mediation/form.html", context, status=form_status(form))
