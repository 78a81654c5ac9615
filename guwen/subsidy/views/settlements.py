"""Settlement pages: the list (my settlements, or the queue waiting on my role), the settlement
with its lines, flags and only the actions allowed now, the month computation with its progress."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guwen.accounts.scope import roles_of
from guwen.core.errors import DomainError
from guwen.core.formtools import add_domain_error, form_status, paginate
from guwen.subsidy import forms, selectors, services
from guwen.subsidy.models import FlagStatus, SettlementRun, SettlementStatus
from guwen.subsidy.services.runs import run_request
from guwen.subsidy.workflow import CHAIN_ACTIONS, SETTLEMENT, settlement_roles


def _require_user(request) -> None:
    if not selectors.can_use_subsidy(request.user):
        raise PermissionDenied


def _settlement(request, pk: int):
    return get_object_or_404(
        selectors.settlements_visible_to(request.user).select_related(
            "lawyer", "community", "district", "batch"
        ),
        pk=pk,
    )


@login_required
def settlement_list(request):
    """Settlements in scope: a tab per status, the queue waiting on the user's role first."""
    _require_user(request)
    visible = selectors.settlements_visible_to(request.user)
    roles = roles_of(request.user)
    queue = sorted({s for role in roles for s in selectors.QUEUE_FOR_ROLE.get(role, [])})
    tab = request.GET.get("tab") or ("queue" if queue else "all")
    month = selectors.parse_month(request.GET.get("month"))
    rows = visible
    if tab == "queue":
        rows = rows.filter(status__in=queue)
    elif tab in SettlementStatus.values:
        rows = rows.filter(status=tab)
    else:
        tab = "all"
    if month:
        rows = rows.filter(month=month)
    rows = selectors.narrowed(rows, request.GET)
    page = paginate(request, selectors.with_counts(rows).order_by("-month", "lawyer__name", "pk"))
    districts = selectors.districts_for(request.user)
    context = {
        "page": page,
        "tab": tab,
        "has_queue": bool(queue),
        "statuses": SettlementStatus.choices,
        "month": request.GET.get("month", ""),
        "filters": selectors.filter_query(request.GET),
        "filter_items": selectors.filter_items(request.GET),
        "filter_note": selectors.filter_note(request.GET),
        "run_form": forms.RunForm(
            districts=districts,
            initial={"month": f"{timezone.localdate():%Y-%m}", "district": districts.first()},
        )
        if districts.exists()
        else None,
        "runs": SettlementRun.objects.filter(district__in=districts)[:5] if districts.exists() else [],
    }
    return render(request, "subsidy/settlement_list.html", context)


def _action_forms(settlement, roles, bound=None):
    bound = bound or {}
    allowed = SETTLEMENT.allowed_actions(settlement, roles)
    result = []
    for action in allowed:
        if action in bound:
            form = bound[action]
        else:
            cls = {"pay": forms.PayForm, "adjust": forms.AdjustForm}.get(action, forms.ActForm)
            initial = {"revision": settlement.revision}
            if action == "pay":
                initial["paid_on"] = timezone.localdate()
            form = cls(initial=initial, prefix=action)
        if action not in ("return", "adjust") and "reason" in form.fields:
            form.fields["reason"].widget = form.fields["reason"].hidden_widget()
        result.append((action, SETTLEMENT.action_label(action), form))
    return result


def _page(request, settlement, *, bound=None, status=200):
    roles = settlement_roles(request.user, settlement)
    flags = list(settlement.flags.select_related("decided_by").order_by("status", "pk"))
    for flag in flags:
        flag.may_decide = bool(roles & {"office", "sysadmin"})
    context = {
        "s": settlement,
        "lines": selectors.lines_of(settlement),
        "flags": flags,
        "open_flags": sum(1 for f in flags if f.status == FlagStatus.OPEN),
        "actions": _action_forms(settlement, roles, bound),
        "can_decide_flags": bool(roles & {"office", "sysadmin"}),
        "can_export": bool(roles & {"office", "bureau", "sysadmin"}),
        "decide_form": forms.FlagDecideForm(),
        "callback_form": forms.CallbackForm(),
    }
    return render(request, "subsidy/settlement_detail.html", context, status=status)


@login_required
def settlement_detail(request, pk: int):
    return _page(request, _settlement(request, pk))


@login_required
@require_POST
def settlement_action(request, pk: int, action: str):
    """One action of the settlement page; a refusal shows the page again with the form's error."""
    settlement = _settlement(request, pk)
    if action not in (*CHAIN_ACTIONS, "recompute", "adjust"):
        raise Http404
    cls = {"pay": forms.PayForm, "adjust": forms.AdjustForm}.get(action, forms.ActForm)
    form = cls(request.POST, prefix=action)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "recompute":
                services.settlement_recompute(
                    settlement=settlement, by=request.user, revision=data["revision"]
                )
            elif action == "adjust":
                services.adjustment_add(
                    settlement=settlement,
                    by=request.user,
                    amount=data["amount"],
                    reason=data["reason"],
                    revision=data["revision"],
                )
            else:
                services.settlement_act(
                    settlement=settlement,
                    action=action,
                    by=request.user,
                    revision=data["revision"],
                    reason=data.get("reason", ""),
                    finance_reference=data.get("finance_reference", ""),
                    paid_on=data.get("paid_on"),
                )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已%(a)s") % {"a": SETTLEMENT.action_label(action)})
            return redirect("subsidy:settlement_detail", pk=settlement.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return _page(request, _settlement(request, pk), bound={action: form}, status=form_status(form))


@login_required
@require_POST
def run_create(request):
    """Queue a district month for the worker (office and bureau of the district)."""
    _require_user(request)
    districts = selectors.districts_for(request.user)
    if not districts.exists():
        raise PermissionDenied
    form = forms.RunForm(request.POST, districts=districts)
    if form.is_valid():
        try:
            run = run_request(
                district=form.cleaned_data["district"], month=form.cleaned_data["month"], by=request.user
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("subsidy:run_detail", pk=run.pk)
    return render(
        request, "subsidy/form.html", {"form": form, "title": _("计算月度结算")}, status=form_status(form)
    )


@login_required
def run_detail(request, pk: int):
    """A run's progress; the page refreshes itself while the worker is busy."""
    _require_user(request)
    run = get_object_or_404(
        SettlementRun.objects.filter(district__in=selectors.districts_for(request.user)), pk=pk
    )
    template = "subsidy/_run.html" if request.headers.get("HX-Request") else "subsidy/run_detail.html"
    return render(request, template, {"run": run})
