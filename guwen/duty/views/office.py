"""Pages for the community and the judicial office: the community's month (rules, shifts,
attendance), on-site rules (三固定), shift generation, the notice board (公示牌), attendance across
communities and the street's online rota for nights and holidays. Every fetch goes through the scoped
selectors; anything outside them is a 404."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guwen.accounts.narrowing import chips
from guwen.accounts.narrowing import from_request as narrowing_from_request
from guwen.accounts.scope import regions_visible_to
from guwen.core.errors import DomainError, refusal_status
from guwen.core.formtools import form_submit, paginate
from guwen.duty import board, selectors, services
from guwen.duty.conf import public_base_url
from guwen.duty.forms import GenerateForm, RotaSlotForm, RuleEndForm, RuleForm, parse_month, parse_span
from guwen.duty.rota import coverage_gaps
from guwen.duty.views.common import form_page
from guwen.regions.models import Level


def _community(request, code: str, *, manage: bool = False):
    source = selectors.manageable_communities(request.user) if manage else regions_visible_to(request.user)
    return get_object_or_404(source.filter(level=Level.COMMUNITY).select_related("parent"), code=code)


def _street(request, code: str, *, manage: bool = False):
    source = (
        selectors.manageable_streets(request.user) if manage else selectors.streets_visible_to(request.user)
    )
    return get_object_or_404(source, code=code)


def _month_nav(month):
    """The month's first and last day, and the month with its neighbours for the page's arrows."""
    first, last = selectors.month_bounds(month)
    nav = {
        "month": month,
        "prev_month": (first - timedelta(days=1)).replace(day=1),
        "next_month": last + timedelta(days=1),
    }
    return first, last, nav


@login_required
def community(request, code: str):
    place = _community(request, code)
    today = timezone.localdate()
    try:
        month = parse_month(request.GET.get("month"), today)
    except ValueError as exc:
        return render(request, "duty/error.html", {"message": str(exc)}, status=422)
    first, last, nav = _month_nav(month)
    shifts = (
        selectors.shifts_visible_to(request.user)
        .filter(community=place, date__gte=first, date__lte=last)
        .select_related("lawyer", "original_lawyer")
        .order_by("starts_at")
    )
    can_manage = selectors.manageable_communities(request.user).filter(pk=place.pk).exists()
    return render(
        request,
        "duty/community.html",
        {
            "community": place,
            "rules": selectors.rules_visible_to(request.user)
            .filter(community=place)
            .select_related("lawyer")
            .order_by("-valid_from"),
            "shifts": shifts,
            **nav,
            "summary": selectors.attendance(start=first, end=last, community=place),
            "advisors": selectors.attendance_by_advisor(
                communities=regions_visible_to(request.user).filter(pk=place.pk), start=first, end=last
            ),
            "can_manage": can_manage,
            "planned": selectors.planned_hours(place, start=today) if can_manage else None,
            "card_url": f"/c/{place.code}/",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rule_create(request, code: str):
    place = _community(request, code, manage=True)
    today = timezone.localdate()
    lawyers = selectors.rule_lawyer_choices(place, on=today)
    form = RuleForm(request.POST or None, lawyers=lawyers, initial={"valid_from": today})
    done, _rule = form_submit(
        request, form, lambda data: services.duty_rule_create(community=place, by=request.user, **data)
    )
    if done:
        messages.success(request, _("已添加驻点规则"))
        if _rule.warning:
            messages.warning(request, _rule.warning)
        return redirect("duty:community", code=place.code)
    return form_page(request, form, _("添加驻点规则：%(name)s") % {"name": place.name})


@login_required
@require_http_methods(["GET", "POST"])
def rule_end(request, pk: int):
    rule = get_object_or_404(
        selectors.rules_visible_to(request.user).filter(
            community__in=selectors.manageable_communities(request.user)
        ),
        pk=pk,
    )
    form = RuleEndForm(request.POST or None)
    done, _ended = form_submit(
        request,
        form,
        lambda data: services.duty_rule_end(
            rule=rule, valid_to=data["valid_to"], reason=data["reason"], by=request.user
        ),
    )
    if done:
        messages.success(request, _("驻点规则已截止"))
        return redirect("duty:community", code=rule.community.code)
    return form_page(request, form, _("截止驻点规则：%(r)s") % {"r": rule})


@login_required
@require_http_methods(["GET", "POST"])
def generate(request, code: str):
    place = _community(request, code, manage=True)
    today = timezone.localdate()
    form = GenerateForm(request.POST or None, initial={"start": today, "end": today + timedelta(days=90)})
    done, result = form_submit(
        request,
        form,
        lambda data: services.duty_shifts_generate(
            community=place, start=data["start"], end=data["end"], by=request.user
        ),
    )
    if done:
        text = _("已生成 %(created)d 个班次，已有 %(existing)d 个，节假日跳过 %(holidays)d 个") % {
            "created": result.created,
            "existing": result.existing,
            "holidays": result.holidays,
        }
        messages.success(request, text)
        if result.clashes:
            messages.warning(
                request,
                _("以下班次因律师时间冲突未生成：%(list)s") % {"list": "、".join(result.clashes[:10])},
            )
        return redirect("duty:community", code=place.code)
    return form_page(request, form, _("生成班次：%(name)s") % {"name": place.name})


@login_required
def board_pdf(request, code: str):
    place = _community(request, code)
    size = request.GET.get("size", "A4").upper()
    card = selectors.public_card(place)
    ask_url = f"{public_base_url(request)}/c/{place.code}/ask"
    try:
        pdf = board.render_board(card=card, ask_url=ask_url, size=size, generated_on=timezone.localdate())
    except board.FontMissing as exc:
        return render(request, "duty/error.html", {"message": exc.message}, status=503)
    except DomainError as exc:
        return render(request, "duty/error.html", {"message": exc.message}, status=refusal_status(exc))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="board-{place.code}-{size}.pdf"'
    return response


@login_required
def attendance(request):
    """Attendance per community and per advisor for a month, or for ``date_from``–``date_to`` (the
    appraisal's period); narrowed to a region of any level and to one advisor, whose total over
    the communities the user may see is then shown (the appraisal's 驻点时长 figure)."""
    narrowing, refused = narrowing_from_request(request)
    if refused:
        return refused
    today = timezone.localdate()
    try:
        month = parse_month(request.GET.get("month"), today)
        span = parse_span(request.GET.get("date_from"), request.GET.get("date_to"))
    except ValueError as exc:
        return render(request, "duty/error.html", {"message": str(exc)}, status=422)
    first, last, nav = _month_nav(month)
    if span is not None:
        first, last = span
    communities = (
        regions_visible_to(request.user).filter(level=Level.COMMUNITY).filter(narrowing.region_q(""))
    )
    lawyer = narrowing.lawyer
    extra = []
    if span is not None:
        extra.append((("date_from", "date_to"), _("日期：%(a)s 至 %(b)s") % {"a": first, "b": last}))
    kept = request.GET.copy()
    for name in ("month", "date_from", "date_to", "page"):
        kept.pop(name, None)
    return render(
        request,
        "duty/attendance.html",
        {
            **nav,
            "span": span,
            "first": first,
            "last": last,
            "kept": kept.urlencode(),
            "chips": chips(request.GET, narrowing, extra=extra),
            "lawyer": lawyer,
            "total": selectors.attendance(start=first, end=last, lawyer=lawyer, communities=communities)
            if lawyer is not None
            else None,
            "by_community": []
            if lawyer is not None
            else selectors.attendance_by_community(communities=communities, start=first, end=last),
            "by_advisor": selectors.attendance_by_advisor(
                communities=communities, start=first, end=last, lawyer=lawyer
            ),
        },
    )


# --- online rota ------------------------------------------------------------------------------


@login_required
def rota(request, code: str):
    street = _street(request, code)
    now = timezone.now()
    slots = (
        selectors.rota_visible_to(request.user)
        .filter(street=street, ends_at__gte=now - timedelta(days=1))
        .select_related("lawyer", "lawyer__firm")
        .order_by("starts_at")
    )
    return render(
        request,
        "duty/rota.html",
        {
            "street": street,
            "page": paginate(request, slots, 60),
            "gaps": coverage_gaps(street=street, now=now),
            "can_manage": selectors.manageable_streets(request.user).filter(pk=street.pk).exists(),
            "now": now,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rota_slot_create(request, code: str):
    street = _street(request, code, manage=True)
    today = timezone.localdate()
    form = RotaSlotForm(request.POST or None, lawyers=selectors.rota_lawyer_choices(street, on=today))
    done, _slot = form_submit(
        request, form, lambda data: services.rota_slot_create(street=street, by=request.user, **data)
    )
    if done:
        messages.success(request, _("已安排线上值班"))
        return redirect("duty:rota", code=street.code)
    return form_page(request, form, _("安排线上值班：%(name)s") % {"name": street.name})


@login_required
@require_POST
def rota_slot_delete(request, pk: int):
    slot = get_object_or_404(
        selectors.rota_visible_to(request.user).filter(street__in=selectors.manageable_streets(request.user)),
        pk=pk,
    )
    code = slot.street.code
    try:
        services.rota_slot_delete(slot=slot, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已删除该值班"))
    return redirect("duty:rota", code=code)
