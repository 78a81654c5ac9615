"""The district's consultation settings, for its bureau (and the system administrator): the
urgency keywords that flag a question at once, and the response deadlines, each a new version
from a date so that what was in force before stays on record."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guwen.consultations import selectors, services
from guwen.consultations.forms import DeadlinePolicyForm, UrgencyRuleForm
from guwen.consultations.models import UrgencyRule
from guwen.core.errors import DomainError
from guwen.core.formtools import form_status, form_submit


def _district(request, code: str):
    return get_object_or_404(selectors.settings_districts(request.user), code=code)


def _current_table(district) -> dict:
    versions = selectors.deadline_versions(district)
    return {(r.level, r.urgency): (r.minutes, r.schedule) for r in versions[0].rows} if versions else {}


def _page(request, district, *, rule_form=None, deadline_form=None, status: int = 200):
    today = timezone.localdate()
    city_rules, own_rules = selectors.urgency_rules_of(district, today)
    return render(
        request,
        "consultations/settings.html",
        {
            "district": district,
            "districts": selectors.settings_districts(request.user),
            "versions": selectors.deadline_versions(district, today),
            "city_rules": city_rules,
            "own_rules": own_rules,
            "today": today,
            "rule_form": rule_form or UrgencyRuleForm(initial={"effective_from": today}),
            "deadline_form": deadline_form
            or DeadlinePolicyForm(
                current=_current_table(district), initial={"effective_from": today + timedelta(days=1)}
            ),
        },
        status=status,
    )


def _back(district):
    return redirect(f"{reverse('consultations:settings')}?district={district.code}")


@login_required
@require_GET
def district_settings(request):
    districts = selectors.settings_districts(request.user)
    code = request.GET.get("district", "")
    district = districts.filter(code=code).first() if code else districts.first()
    if district is None:
        raise Http404
    return _page(request, district)


@login_required
@require_POST
def urgency_rule_add(request, code: str):
    district = _district(request, code)
    form = UrgencyRuleForm(request.POST)
    done, rule = form_submit(
        request, form, lambda data: services.urgency_rule_create(district=district, by=request.user, **data)
    )
    if done:
        messages.success(request, _("已添加紧急识别规则“%(label)s”") % {"label": rule.label})
        return _back(district)
    return _page(request, district, rule_form=form, status=form_status(form))


@login_required
@require_POST
def urgency_rule_end(request, code: str, rule_id: int):
    district = _district(request, code)
    # Only the district's own rules: the city-wide ones are the system administrator's.
    rule = get_object_or_404(UrgencyRule.objects.filter(district=district), pk=rule_id)
    try:
        services.urgency_rule_end(rule=rule, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已停用规则“%(label)s”") % {"label": rule.label})
    return _back(district)


@login_required
@require_POST
def deadline_policy_add(request, code: str):
    district = _district(request, code)
    form = DeadlinePolicyForm(request.POST, current=_current_table(district))
    done, policy = form_submit(
        request,
        form,
        lambda data: services.deadline_policy_create(
            district=district,
            effective_from=data["effective_from"],
            note=data["note"],
            table=form.table(),
            by=request.user,
        ),
    )
    if done:
        messages.success(request, _("新的答复期限自 %(day)s 起生效") % {"day": policy.effective_from})
        return _back(district)
    return _page(request, district, deadline_form=form, status=form_status(form))
