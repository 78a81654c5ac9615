"""What the duty work pages share."""

from __future__ import annotations

from django.shortcuts import render

from guwen.core.formtools import form_status


def form_page(request, form, title: str):
    """A one-form page: 200 when first shown, the refusal's status when the form has errors."""
    return render(request, "duty/form.html", {"form": form, "title": title}, status=form_status(form))


FORBIDDEN_CODES = {"forbidden", "forbidden_role", "not_own_shift"}


def refusal_status(exc) -> int:
    """One meaning per refusal (DESIGN §5): out of scope 404, role 403, wrong state 409, input 422."""
    from guwen.core.errors import Conflict, NotFound

    if isinstance(exc, NotFound):
        return 404
    if getattr(exc, "code", "") in FORBIDDEN_CODES:
        return 403
    if isinstance(exc, Conflict) or getattr(exc, "code", "") == "invalid_state":
        return 409
    return 422
