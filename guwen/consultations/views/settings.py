"""The district's consultation settings, for its bureau (and the system administrator): the
urgency keywords that flag a question at once, the response deadlines, each a new version from a
date so that what was in force before stays on record, and the group-chat robots of its
communities (connect one, replace its secret, stop or resume it)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from guwen.consultations import emergency, selectors, services
from guwen.consultations.forms import (
    DeadlinePolicyForm,
    EmergencyNumbersForm,
    GroupRobotForm,
    UrgencyRuleForm,
)
from guwen.consultations.models import GroupChannel, UrgencyRule
from guwen.core.errors import DomainError
from guwen.core.formtools import form_status, form_submit
from guwen.knowledge.urgency import PRIORITY


def _district(request, code: str):
    return get_object_or_404(selectors.settings_districts(request.user), code=code)


def _current_table(district) -> dict:
    versions = selectors.deadline_versions(district)
    return {(r.level, r.urgency): (r.minutes, r.schedule) for r in versions[0].rows} if versions else {}


def _page(
    request,
    district,
    *,
    rule_form=None,
    deadline_form=None,
    emergency_form=None,
    robot_error: tuple[str, list] = ("", []),
    status: int = 200,
):
    today = timezone.localdate()
    city_rules, own_rules = selectors.urgency_rules_of(district, today)
    numbers = selectors.emergency_numbers_of(district)
    # City-wide rules grouped by kind, the most serious first: what each kind is recognised by.
    order = {kind: rank for rank, kind in enumerate(PRIORITY)}
    city_rules = sorted(city_rules, key=lambda rule: (order.get(rule.risk, len(order)), rule.pk))
    return render(
        request,
        "consultations/settings.html",
        {
            "district": district,
            "districts": selectors.settings_districts(request.user),
            "versions": selectors.deadline_versions(district, today),
            "city_rules": city_rules,
            "own_rules": own_rules,
            "robots": selectors.group_robots_of(district),
            "emergency": numbers,
            "emergency_form": emergency_form
            or EmergencyNumbersForm(initial={"lines": emergency.as_text(numbers.lines)}),
            "robot_error_code": robot_error[0],
            "robot_errors": robot_error[1],
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


@login_required
@require_POST
def emergency_numbers(request, code: str):
    district = _district(request, code)
    form = EmergencyNumbersForm(request.POST)
    done, lines = form_submit(
        request,
        form,
        lambda data: services.emergency_numbers_set(district=district, text=data["lines"], by=request.user),
    )
    if done:
        if lines:
            messages.success(request, _("紧急求助电话已更新，共 %(n)d 个") % {"n": len(lines)})
        else:
            messages.success(request, _("紧急求助电话已恢复为默认号码"))
        return _back(district)
    return _page(request, district, emergency_form=form, status=form_status(form))


def _community(district, code: str):
    return get_object_or_404(selectors.district_communities(district), code=code)


def hook_url(request, community) -> str:
    return request.build_absolute_uri(reverse("api:group_message", kwargs={"community_code": community.code}))


@never_cache
@login_required
@require_POST
def group_robot_secret(request, code: str, community_code: str):
    """Connect a community's group robot or replace its secret. The secret is shown on this
    response only (never stored in a message or a link), with what the robot must send."""
    district = _district(request, code)
    community = _community(district, community_code)
    form = GroupRobotForm(request.POST)
    done, issued = form_submit(
        request,
        form,
        lambda data: services.group_channel_issue_secret(
            community=community, group_name=data["group_name"], by=request.user
        ),
    )
    if not done:
        errors = [e for field in form.errors.values() for e in field]
        return _page(request, district, robot_error=(community.code, errors), status=form_status(form))
    channel, created = issued
    return render(
        request,
        "consultations/group_robot_secret.html",
        {
            "district": district,
            "community": community,
            "channel": channel,
            "created": created,
            "hook_url": hook_url(request, community),
        },
    )


@login_required
@require_POST
def group_robot_active(request, code: str, community_code: str):
    district = _district(request, code)
    community = _community(district, community_code)
    channel = get_object_or_404(GroupChannel, community=community)
    active = request.POST.get("active")
    if active not in ("0", "1"):
        messages.error(request, _("请选择启用或停用"))
        return _back(district)
    services.group_channel_set_active(channel=channel, active=active == "1", by=request.user)
    if active == "1":
        messages.success(request, _("%(name)s 的群聊机器人已恢复接入") % {"name": community.name})
    else:
        messages.success(request, _("%(name)s 的群聊机器人已停用，其消息将被拒收") % {"name": community.name})
    return _back(district)
