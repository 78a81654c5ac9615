"""Rule sets: the list, one version (editable while a draft), a new version from a copy, adoption,
and the what-if comparison of a draft against the rules in force on last year's records."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guwen.core.errors import DomainError
from guwen.core.formtools import add_domain_error, form_status
from guwen.subsidy import forms, selectors, services
from guwen.subsidy.models import Item, RuleSet
from guwen.subsidy.services.rulesets import is_frozen, may_edit_rules
from guwen.subsidy.whatif import compare, last_twelve_months


def _visible(request):
    if not selectors.districts_for(request.user).exists():
        raise PermissionDenied
    return selectors.rule_sets_visible_to(request.user)


@login_required
def rule_list(request):
    rows = _visible(request).select_related("district").prefetch_related("amounts")
    return render(request, "subsidy/rule_list.html", {"rule_sets": rows})


def _initial(rule_set: RuleSet) -> dict:
    data = {field: getattr(rule_set, field) for field in forms.RuleSetForm.base_fields}
    for amount in rule_set.amounts.all():
        data[f"amount_{amount.item}"] = amount.amount
    return data


@login_required
@require_http_methods(["GET", "POST"])
def rule_detail(request, pk: int):
    rule_set = get_object_or_404(_visible(request).select_related("district"), pk=pk)
    editable = not is_frozen(rule_set) and may_edit_rules(request.user, rule_set.district)
    form = forms.RuleSetForm(request.POST or None, initial=_initial(rule_set))
    if request.method == "POST":
        if not editable:
            return render(
                request,
                "subsidy/rule_detail.html",
                {
                    "r": rule_set,
                    "form": form,
                    "editable": False,
                    "error": _("已启用或已用于结算的规则不能修改，请新建版本"),
                },
                status=409 if is_frozen(rule_set) else 403,
            )
        if form.is_valid():
            data = dict(form.cleaned_data)
            amounts = {item.value: data.pop(f"amount_{item.value}") for item in Item}
            try:
                services.rule_set_update(rule_set=rule_set, by=request.user, amounts=amounts, **data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("已保存"))
                return redirect("subsidy:rule_detail", pk=rule_set.pk)
    amounts = {a.item: a for a in rule_set.amounts.all()}
    rows = [(item.label, amounts.get(item.value)) for item in Item]
    return render(
        request,
        "subsidy/rule_detail.html",
        {
            "r": rule_set,
            "form": form,
            "editable": editable,
            "rows": rows,
            "can_adopt": may_edit_rules(request.user, rule_set.district),
            "new_version_form": forms.NewVersionForm(
                districts=selectors.districts_for(request.user).filter(
                    pk__in=[
                        d.pk for d in selectors.districts_for(request.user) if may_edit_rules(request.user, d)
                    ]
                ),
                initial={"effective_from": timezone.localdate().replace(day=1)},
            )
            if any(may_edit_rules(request.user, d) for d in selectors.districts_for(request.user))
            else None,
        },
        status=form_status(form),
    )


@login_required
@require_POST
def rule_copy(request, pk: int):
    source = get_object_or_404(_visible(request), pk=pk)
    form = forms.NewVersionForm(request.POST, districts=selectors.districts_for(request.user))
    if form.is_valid():
        try:
            copy = services.rule_set_new_version(source=source, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已新建草稿版本，请修改后启用"))
            return redirect("subsidy:rule_detail", pk=copy.pk)
    return render(
        request, "subsidy/form.html", {"form": form, "title": _("新建规则版本")}, status=form_status(form)
    )


@login_required
@require_POST
def rule_adopt(request, pk: int):
    rule_set = get_object_or_404(_visible(request), pk=pk)
    try:
        services.rule_set_adopt(rule_set=rule_set, by=request.user)
    except DomainError as exc:
        from guwen.core.errors import refusal_status

        messages.error(request, str(exc))
        return render(
            request,
            "subsidy/rule_detail.html",
            {"r": rule_set, "editable": False, "error": str(exc)},
            status=refusal_status(exc),
        )
    messages.success(request, _("已启用"))
    return redirect("subsidy:rule_detail", pk=rule_set.pk)


@login_required
def whatif(request):
    """A draft (or any version) applied to last year's records, beside the rules then in force."""
    visible = _visible(request)
    districts = selectors.districts_for(request.user)
    rule_set = (
        visible.filter(pk=request.GET.get("rule_set") or 0).first()
        if (request.GET.get("rule_set") or "").isdigit()
        else None
    )
    district = (
        districts.filter(pk=request.GET.get("district") or 0).first()
        if (request.GET.get("district") or "").isdigit()
        else districts.first()
    )
    months = last_twelve_months(timezone.localdate())
    result = compare(district=district, rule_set=rule_set, months=months) if rule_set and district else None
    return render(
        request,
        "subsidy/whatif.html",
        {
            "rule_sets": visible,
            "districts": districts,
            "chosen": rule_set,
            "district": district,
            "first": months[0],
            "last": months[-1],
            "result": result,
        },
    )
