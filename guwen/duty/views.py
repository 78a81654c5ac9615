"""Work pages of duty: the advisor's check-in on a phone, the community's confirmation and approvals,
the office's overview (missed shifts, coverage gaps), rules, generation, rota and the notice board.
Every fetch goes through the scoped selectors; anything outside them is a 404."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guwen.accounts.models import Role
from guwen.accounts.scope import regions_visible_to, roles_of
from guwen.core.errors import DomainError
from guwen.core.formtools import add_domain_error, form_status, form_submit, paginate
from guwen.duty import board, selectors, services
from guwen.duty.conf import public_base_url
from guwen.duty.forms import (
    CancelShiftForm,
    ChangeRequestForm,
    CheckForm,
    DecideForm,
    GenerateForm,
    NoteForm,
    RotaSlotForm,
    RuleEndForm,
    RuleForm,
    parse_month,
)
from guwen.duty.models import (
    BookingStatus,
    DutyCheck,
    DutyShift,
    RequestStatus,
    ShiftStatus,
)
from guwen.duty.rota import coverage_gaps
from guwen.duty.workflow import CHANGE_REQUEST, SHIFT, request_roles, shift_roles
from guwen.regions.models import Assignment, Lawyer, Level

STAFF_ROLES = {Role.COMMUNITY_STAFF, Role.OFFICE, Role.BUREAU, Role.SYSADMIN}
# Who works a shift: its advisor, the community, the office (bookings, change requests).
REQUESTERS = {Role.ADVISOR, Role.COMMUNITY_STAFF, Role.OFFICE, Role.SYSADMIN}


def _shift(request, pk: int) -> DutyShift:
    return get_object_or_404(
        selectors.shifts_visible_to(request.user).select_related(
            "community", "community__parent", "lawyer", "rule"
        ),
        pk=pk,
    )


def _community(request, code: str, *, manage: bool = False):
    source = selectors.manageable_communities(request.user) if manage else regions_visible_to(request.user)
    return get_object_or_404(source.filter(level=Level.COMMUNITY).select_related("parent"), code=code)


def _street(request, code: str, *, manage: bool = False):
    source = (
        selectors.manageable_streets(request.user) if manage else selectors.streets_visible_to(request.user)
    )
    return get_object_or_404(source, code=code)


@login_required
def home(request):
    """My duty: today's and coming shifts for an advisor; confirmations and requests for the
    community; flagged shifts and coverage gaps for the judicial office."""
    user = request.user
    roles = roles_of(user)
    now = timezone.now()
    visible = selectors.shifts_visible_to(user)
    context: dict = {"roles": roles, "Role": Role, "now": now}
    if Role.ADVISOR in roles:
        mine = visible.filter(lawyer__user=user).select_related("community")
        context["my_shifts"] = mine.filter(
            ends_at__gte=now - timedelta(hours=3), starts_at__lte=now + timedelta(days=14)
        ).exclude(status=ShiftStatus.CANCELLED)[:20]
        context["my_flags"] = selectors.flagged_shifts(mine.filter(starts_at__gte=now - timedelta(days=60)))[
            :10
        ]
    if roles & STAFF_ROLES:
        recent = visible.filter(starts_at__gte=now - timedelta(days=60))
        context["to_confirm"] = selectors.unconfirmed_shifts(visible)[:30]
        context["flagged"] = selectors.flagged_shifts(recent)[:30]
        context["missed_count"] = recent.filter(status=ShiftStatus.MISSED).count()
        context["pending_requests"] = (
            selectors.change_requests_visible_to(user)
            .filter(status=RequestStatus.PENDING)
            .select_related("shift", "shift__community", "shift__lawyer", "substitute", "other_shift")[:20]
        )
    if roles & {Role.OFFICE, Role.BUREAU, Role.SYSADMIN}:
        streets = selectors.streets_visible_to(user).filter(
            Q(rota_slots__isnull=False) | Q(children__duty_rules__isnull=False)
        )
        context["coverage"] = [
            (street, coverage_gaps(street=street, now=now)) for street in streets.distinct()[:10]
        ]
    context["communities"] = regions_visible_to(user).filter(level=Level.COMMUNITY).order_by("code")[:60]
    context["streets"] = selectors.streets_visible_to(user).order_by("code")[:20]
    return render(request, "duty/home.html", context)


def _shift_page(request, shift: DutyShift, *, check_form=None, error: str | None = None):
    """The shift page; with ``error`` or a form with errors, the 400 answer to a refused action."""
    roles = shift_roles(request.user, shift)
    actions = SHIFT.allowed_actions(shift, roles)
    if Role.ADVISOR in roles and shift.status == ShiftStatus.COMPLETED:
        actions = [a for a in actions if a != "confirm"]  # nobody confirms their own attendance
    requests = shift.change_requests.select_related("substitute", "other_shift", "requested_by")
    refused = error is not None or (check_form is not None and check_form.errors)
    return render(
        request,
        "duty/shift_detail.html",
        {
            "shift": shift,
            "actions": actions,
            "check_form": check_form or CheckForm(),
            "error": error,
            "bookings": shift.bookings.exclude(status=BookingStatus.CANCELLED).order_by("created_at"),
            "can_see_bookings": bool(roles & REQUESTERS),
            "checks": shift.checks.all(),
            "requests": [
                (r, CHANGE_REQUEST.allowed_actions(r, request_roles(request.user, r))) for r in requests
            ],
            "can_request": shift.status == ShiftStatus.SCHEDULED
            and shift.starts_at > timezone.now()
            and bool(roles & REQUESTERS),
        },
        status=400 if refused else 200,
    )


@login_required
def shift_detail(request, pk: int):
    return _shift_page(request, _shift(request, pk))


@login_required
@require_POST
def shift_check_in(request, pk: int):
    return _check(request, pk, services.duty_shift_check_in, _("签到成功"))


@login_required
@require_POST
def shift_check_out(request, pk: int):
    return _check(request, pk, services.duty_shift_check_out, _("签退成功"))


def _check(request, pk, service, done):
    shift = _shift(request, pk)
    form = CheckForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            shift = service(
                shift=shift, by=request.user, photo=form.cleaned_data["photo"], note=form.cleaned_data["note"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            local = timezone.localtime(shift.checked_out_at or shift.checked_in_at)
            flags = [_("迟到")] if shift.is_late and shift.status == ShiftStatus.CHECKED_IN else []
            if shift.status == ShiftStatus.COMPLETED and shift.is_short:
                flags.append(_("早退"))
            note = f"（{'、'.join(flags)}）" if flags else ""
            messages.success(request, f"{done}：{local:%H:%M}{note}")
            return redirect("duty:shift_detail", pk=shift.pk)
    return _shift_page(request, shift, check_form=form)


@login_required
@require_POST
def shift_confirm(request, pk: int):
    shift = _shift(request, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _shift_page(request, shift, error=_("备注不能超过200字"))
    try:
        services.duty_shift_confirm(shift=shift, by=request.user, note=form.cleaned_data["note"])
    except DomainError as exc:
        return _shift_page(request, shift, error=exc.message)
    messages.success(request, _("已确认到岗"))
    if request.POST.get("next") == "home":
        return redirect("duty:home")
    return redirect("duty:shift_detail", pk=shift.pk)


@login_required
@require_http_methods(["GET", "POST"])
def shift_cancel(request, pk: int):
    shift = _shift(request, pk)
    if "cancel" not in SHIFT.allowed_actions(shift, shift_roles(request.user, shift)):
        raise Http404
    form = CancelShiftForm(request.POST or None)
    done, _cancelled = form_submit(
        request,
        form,
        lambda data: services.duty_shift_cancel(shift=shift, reason=data["reason"], by=request.user),
    )
    if done:
        messages.success(request, _("班次已取消"))
        return redirect("duty:shift_detail", pk=shift.pk)
    return render(
        request,
        "duty/form.html",
        {"form": form, "title": _("取消班次：%(s)s") % {"s": shift}},
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_request_create(request, pk: int):
    shift = _shift(request, pk)
    if not shift_roles(request.user, shift) & REQUESTERS:
        raise Http404
    substitutes = Lawyer.objects.filter(
        pk__in=Assignment.objects.filter(community=shift.community, starts_on__lte=shift.date)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=shift.date))
        .values("lawyer_id"),
        is_active=True,
    ).exclude(pk=shift.lawyer_id)
    others = (
        DutyShift.objects.filter(
            community__parent_id=shift.community.parent_id,
            status=ShiftStatus.SCHEDULED,
            starts_at__gt=timezone.now(),
        )
        .exclude(lawyer_id=shift.lawyer_id)
        .select_related("community", "lawyer")
        .order_by("starts_at")[:200]
    )
    others = DutyShift.objects.filter(pk__in=[s.pk for s in others]).select_related("community", "lawyer")
    form = ChangeRequestForm(
        request.POST or None, substitutes=substitutes.select_related("firm"), other_shifts=others
    )
    done, _change = form_submit(
        request,
        form,
        lambda data: services.duty_change_request_create(
            shift=shift,
            kind=data["kind"],
            reason=data["reason"],
            substitute=data["substitute"],
            other_shift=data["other_shift"],
            by=request.user,
        ),
    )
    if done:
        messages.success(request, _("申请已提交，待社区审批"))
        return redirect("duty:shift_detail", pk=shift.pk)
    return render(
        request,
        "duty/form.html",
        {"form": form, "title": _("替班或换班：%(s)s") % {"s": shift}},
        status=form_status(form),
    )


@login_required
@require_POST
def change_request_decide(request, pk: int):
    change = get_object_or_404(
        selectors.change_requests_visible_to(request.user).select_related("shift", "shift__community"), pk=pk
    )
    form = DecideForm(request.POST)
    shift = (
        _shift(request, change.shift_id)
        if change.shift in selectors.shifts_visible_to(request.user)
        else None
    )
    if not form.is_valid():
        return _decided(request, change, shift, _("请选择同意或驳回"))
    decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
    try:
        if decision == "approve":
            services.duty_change_request_approve(request=change, by=request.user, note=note)
        elif decision == "reject":
            services.duty_change_request_reject(request=change, by=request.user, note=note)
        else:
            services.duty_change_request_withdraw(request=change, by=request.user)
    except DomainError as exc:
        return _decided(request, change, shift, exc.message)
    messages.success(request, _("已处理申请"))
    return redirect("duty:shift_detail", pk=change.shift_id) if shift else redirect("duty:home")


def _decided(request, change, shift, error: str):
    if shift is not None:
        return _shift_page(request, shift, error=error)
    return render(request, "duty/error.html", {"message": error}, status=400)


@login_required
@require_POST
def booking_phone(request, pk: int):
    """Reveal a resident's full phone to the advisor or community calling back (audited)."""
    booking = get_object_or_404(selectors.bookings_visible_to(request.user).select_related("shift"), pk=pk)
    try:
        value = services.booking_read_phone(booking=booking, by=request.user, request=request)
    except DomainError:
        raise Http404 from None
    return HttpResponse(value, content_type="text/plain; charset=utf-8")


@login_required
def check_photo(request, pk: int):
    """A check-in photo, served only through the scope and as an attachment (DESIGN §5 files)."""
    check = get_object_or_404(
        DutyCheck.objects.filter(shift__in=selectors.shifts_visible_to(request.user)).exclude(photo=""), pk=pk
    )
    content_type = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}.get(check.photo_type)
    if content_type is None:
        raise Http404
    try:
        handle = check.photo.open("rb")
    except OSError:
        raise Http404 from None
    extension = "jpg" if check.photo_type == "jpeg" else check.photo_type
    return FileResponse(
        handle, as_attachment=True, filename=f"check-{check.pk}.{extension}", content_type=content_type
    )


# --- community pages --------------------------------------------------------------------------


@login_required
def community(request, code: str):
    place = _community(request, code)
    today = timezone.localdate()
    try:
        month = parse_month(request.GET.get("month"), today)
    except ValueError as exc:
        return render(request, "duty/error.html", {"message": str(exc)}, status=400)
    first, last = selectors.month_bounds(month)
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
            "month": month,
            "prev_month": (first - timedelta(days=1)).replace(day=1),
            "next_month": last + timedelta(days=1),
            "summary": selectors.attendance(start=first, end=last, community=place),
            "advisors": selectors.attendance_by_advisor(
                communities=regions_visible_to(request.user).filter(pk=place.pk), start=first, end=last
            ),
            "can_manage": can_manage,
            "card_url": f"/c/{place.code}/",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rule_create(request, code: str):
    place = _community(request, code, manage=True)
    today = timezone.localdate()
    lawyers = (
        Lawyer.objects.filter(
            pk__in=Assignment.objects.filter(community=place)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
            .values("lawyer_id"),
            is_active=True,
        )
        .select_related("firm")
        .order_by("name")
    )
    form = RuleForm(request.POST or None, lawyers=lawyers, initial={"valid_from": today})
    done, _rule = form_submit(
        request, form, lambda data: services.duty_rule_create(community=place, by=request.user, **data)
    )
    if done:
        messages.success(request, _("已添加驻点规则"))
        return redirect("duty:community", code=place.code)
    return render(
        request,
        "duty/form.html",
        {"form": form, "title": _("添加驻点规则：%(name)s") % {"name": place.name}},
        status=form_status(form),
    )


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
    return render(
        request,
        "duty/form.html",
        {"form": form, "title": _("截止驻点规则：%(r)s") % {"r": rule}},
        status=form_status(form),
    )


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
    return render(
        request,
        "duty/form.html",
        {"form": form, "title": _("生成班次：%(name)s") % {"name": place.name}},
        status=form_status(form),
    )


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
        return render(request, "duty/error.html", {"message": exc.message}, status=400)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="board-{place.code}-{size}.pdf"'
    return response


@login_required
def attendance(request):
    today = timezone.localdate()
    try:
        month = parse_month(request.GET.get("month"), today)
    except ValueError as exc:
        return render(request, "duty/error.html", {"message": str(exc)}, status=400)
    first, last = selectors.month_bounds(month)
    communities = regions_visible_to(request.user).filter(level=Level.COMMUNITY)
    return render(
        request,
        "duty/attendance.html",
        {
            "month": month,
            "prev_month": (first - timedelta(days=1)).replace(day=1),
            "next_month": last + timedelta(days=1),
            "by_community": selectors.attendance_by_community(communities=communities, start=first, end=last),
            "by_advisor": selectors.attendance_by_advisor(communities=communities, start=first, end=last),
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
    lawyers = (
        Lawyer.objects.filter(
            pk__in=Assignment.objects.filter(community__parent=street)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
            .values("lawyer_id"),
            is_active=True,
        )
        .select_related("firm")
        .order_by("name")
    )
    form = RotaSlotForm(request.POST or None, lawyers=lawyers)
    done, _slot = form_submit(
        request, form, lambda data: services.rota_slot_create(street=street, by=request.user, **data)
    )
    if done:
        messages.success(request, _("已安排线上值班"))
        return redirect("duty:rota", code=street.code)
    return render(
        request,
        "duty/form.html",
        {"form": form, "title": _("安排线上值班：%(name)s") % {"name": street.name}},
        status=form_status(form),
    )


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
