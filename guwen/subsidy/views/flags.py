"""The office's flags page: every flag in scope with its evidence; clear or reject with a reason,
or record a sampled callback's result."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guwen.core.errors import DomainError
from guwen.core.formtools import add_domain_error, form_status, paginate
from guwen.subsidy import forms, selectors, services
from guwen.subsidy.models import FlagStatus
from guwen.subsidy.workflow import flag_roles


@login_required
def flag_list(request):
    if not selectors.can_use_subsidy(request.user):
        raise PermissionDenied
    tab = request.GET.get("tab", "open")
    rows = selectors.flags_visible_to(request.user).select_related(
        "settlement__lawyer", "settlement__community", "decided_by"
    )
    if tab in FlagStatus.values:
        rows = rows.filter(status=tab)
    else:
        tab = "all"
    rows = selectors.narrowed(rows, request.GET, prefix="settlement__")
    page = paginate(request, rows.order_by("-settlement__month", "pk"))
    for flag in page.object_list:
        flag.may_decide = bool(flag_roles(request.user, flag))
    return render(
        request,
        "subsidy/flag_list.html",
        {
            "page": page,
            "tab": tab,
            "statuses": FlagStatus.choices,
            "filters": selectors.filter_query(request.GET),
            "filter_items": selectors.filter_items(request.GET),
            "filter_note": selectors.filter_note(request.GET),
            "decide_form": forms.FlagDecideForm(),
            "callback_form": forms.CallbackForm(),
            "show_rules": selectors.districts_for(request.user).exists(),
        },
    )


def _back(request, flag):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("subsidy:settlement_detail", pk=flag.settlement_id)


def _flag(request, pk: int):
    return get_object_or_404(
        selectors.flags_visible_to(request.user).select_related(
            "settlement__lawyer", "settlement__community"
        ),
        pk=pk,
    )


@login_required
@require_POST
def flag_decide(request, pk: int):
    flag = _flag(request, pk)
    form = forms.FlagDecideForm(request.POST)
    if form.is_valid():
        try:
            services.flag_decide(flag=flag, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已处理异常提示"))
            return _back(request, flag)
    return render(
        request,
        "subsidy/form.html",
        {"form": form, "title": _("处理异常提示"), "flag": flag},
        status=form_status(form),
    )


@login_required
@require_POST
def flag_callback(request, pk: int):
    flag = _flag(request, pk)
    form = forms.CallbackForm(request.POST)
    if form.is_valid():
        try:
            services.flag_callback_result(flag=flag, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已登记回访结果"))
            return _back(request, flag)
    return render(
        request,
        "subsidy/form.html",
        {"form": form, "title": _("登记回访结果"), "flag": flag},
        status=form_status(form),
    )
