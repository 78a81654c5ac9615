"""Work pages around a shift: the advisor's check-in and check-out on a phone, the community's
confirmation, cancellations, change requests (替班/换班), the residents booked and check-in photos.
Every fetch goes through the scoped selectors; anything outside them is a 404."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guwen.accounts.models import Role
from guwen.accounts.scope import regions_visible_to, roles_of
from guwen.core.errors import DomainError, refusal_status
from guwen.core.formtools import add_domain_error, form_status, form_submit
from guwen.core.uploads import image_type
from guwen.duty import selectors, services
from guwen.duty.forms import (
    BulkConfirmForm,
    CancelShiftForm,
    ChangeRequestForm,
    CheckForm,
    CheckOutForm,
    DecideForm,
    DisputeDecideForm,
    DisputeForm,
    NoteForm,
)
from guwen.duty.models import BookingStatus, DisputeStatus, DutyDispute, DutyShift, RequestStatus, ShiftStatus
from guwen.duty.rota import coverage_gaps
from guwen.duty.services.calendar import may_edit_calendar
from guwen.duty.views.common import form_page
from guwen.duty.workflow import CHANGE_REQUEST, SHIFT, request_roles, shift_roles
from guwen.regions.models import Level

BULK_SHOWN = 100  # shifts listed for confirming at once
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


@login_required
def home(request):
    """My duty: today's and coming shifts for an advisor; confirmations and requests for the
    community; flagged shifts and coverage gaps for the judicial office."""
    return _home(request)


def _home(request, *, bulk_form=None, bulk_error: str = "", status: int = 200):
    user = request.user
    roles = roles_of(user)
    now = timezone.now()
    visible = selectors.shifts_visible_to(user)
    context: dict = {"roles": roles, "Role": Role, "now": now, "bulk_error": bulk_error}
    if Role.ADVISOR in roles:
        mine = selectors.my_shifts(user)
        context["my_shifts"] = selectors.my_coming_shifts(user, now=now)[:20]
        context["my_flags"] = selectors.flagged_shifts(mine.filter(starts_at__gte=now - timedelta(days=60)))[
            :10
        ]
    if roles & STAFF_ROLES:
        recent = visible.filter(starts_at__gte=now - timedelta(days=60))
        context["to_confirm"] = selectors.unconfirmed_shifts(visible)[:BULK_SHOWN]
        context["can_confirm"] = bool(roles & {Role.COMMUNITY_STAFF, Role.OFFICE, Role.SYSADMIN})
        context["selected"] = set(bulk_form.data.getlist("shift")) if bulk_form is not None else set()
        context["disputes"] = selectors.disputes_visible_to(user).filter(status=DisputeStatus.PENDING)[:30]
        context["flagged"] = selectors.flagged_shifts(recent)[:30]
        context["missed_count"] = recent.filter(status=ShiftStatus.MISSED).count()
        context["pending_requests"] = (
            selectors.change_requests_visible_to(user)
            .filter(status=RequestStatus.PENDING)
            .select_related("shift", "shift__community", "shift__lawyer", "substitute", "other_shift")[:20]
        )
    if roles & {Role.OFFICE, Role.BUREAU, Role.SYSADMIN}:
        context["coverage"] = [
            (street, coverage_gaps(street=street, now=now))
            for street in selectors.streets_with_duty(user)[:10]
        ]
    context["can_edit_calendar"] = may_edit_calendar(user)
    context["communities"] = regions_visible_to(user).filter(level=Level.COMMUNITY).order_by("code")[:60]
    context["streets"] = selectors.streets_visible_to(user).order_by("code")[:20]
    return render(request, "duty/home.html", context, status=status)


@login_required
@require_POST
def shifts_confirm(request):
    """Confirm the shifts ticked in the home page's list at once; those that cannot be confirmed are
    reported one by one and the rest go through (one transaction)."""
    raw = request.POST.getlist("shift")
    ids = [int(v) for v in raw if v.isascii() and v.isdigit()]
    form = BulkConfirmForm(request.POST, shift_ids=ids)
    if not form.is_valid():
        return _home(request, bulk_form=form, bulk_error=_first_error(form), status=form_status(form))
    chosen = form.cleaned_data["shift"]
    shifts = list(
        selectors.shifts_visible_to(request.user)
        .filter(pk__in=chosen)
        .select_related("community", "community__parent", "lawyer")
        .order_by("starts_at")
    )
    if len(shifts) != len(set(chosen)):
        raise Http404  # a shift outside the user's view: nothing is done, nothing is confirmed to exist
    try:
        result = services.duty_shifts_confirm(shifts=shifts, by=request.user, note=form.cleaned_data["note"])
    except DomainError as exc:
        return _home(request, bulk_form=form, bulk_error=str(exc.message), status=refusal_status(exc))
    if result.confirmed:
        messages.success(request, _("已确认 %(n)d 个班次") % {"n": len(result.confirmed)})
    refusals = [
        _("%(shift)s 未确认：%(reason)s") % {"shift": shift, "reason": exc.message}
        for shift, exc in result.refused
    ]
    if not result.confirmed:  # nothing done: the first refusal's meaning (role 403, state 409)
        status = refusal_status(result.refused[0][1])
        return _home(request, bulk_form=form, bulk_error="；".join(refusals[:10]), status=status)
    for text in refusals:
        messages.warning(request, text)
    return redirect("duty:home")


def _first_error(form) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return ""


@login_required
@require_POST
def shift_dispute(request, pk: int):
    """Community staff dispute a shift on record as held (签到在案、实际未到岗), with a reason."""
    shift = _shift(request, pk)
    form = DisputeForm(request.POST)
    if not form.is_valid():
        return _shift_page(request, shift, dispute_form=form, error=_first_error(form), status=422)
    try:
        services.duty_shift_dispute(shift=shift, reason=form.cleaned_data["reason"], by=request.user)
    except DomainError as exc:
        return _shift_page(
            request, shift, dispute_form=form, error=str(exc.message), status=refusal_status(exc)
        )
    messages.success(request, _("异议已提交，待司法所决定"))
    return redirect("duty:shift_detail", pk=shift.pk)


@login_required
@require_POST
def dispute_decide(request, pk: int):
    """The judicial office decides a dispute: accepted, the shift counts as missed; rejected, it
    stays confirmed."""
    shift = _shift(request, pk)
    dispute = get_object_or_404(DutyDispute.objects.filter(shift=shift))
    form = DisputeDecideForm(request.POST)
    if not form.is_valid():
        return _shift_page(request, shift, decide_form=form, error=_first_error(form), status=422)
    try:
        services.duty_dispute_decide(
            dispute=dispute,
            accept=form.cleaned_data["decision"] == "accept",
            note=form.cleaned_data["note"],
            by=request.user,
        )
    except DomainError as exc:
        return _shift_page(
            request, shift, decide_form=form, error=str(exc.message), status=refusal_status(exc)
        )
    messages.success(request, _("已就考勤异议作出决定"))
    return redirect("duty:shift_detail", pk=shift.pk)


def _shift_page(
    request,
    shift: DutyShift,
    *,
    check_form=None,
    error: str | None = None,
    status: int | None = None,
    confirm_check_out: str = "",
    dispute_form=None,
    decide_form=None,
):
    """The shift page; with ``error`` or a form with errors, the answer to a refused action (its
    ``status``, else 422 or ``form_status``); with ``confirm_check_out``, the question before an
    early check-out."""
    roles = shift_roles(request.user, shift)
    actions = SHIFT.allowed_actions(shift, roles)
    if Role.ADVISOR in roles:  # nobody confirms or disputes their own attendance
        actions = [a for a in actions if a not in ("confirm", "dispute")]
    requests = shift.change_requests.select_related("substitute", "other_shift", "requested_by")
    refused = error is not None or (check_form is not None and check_form.errors)
    dispute = DutyDispute.objects.filter(shift=shift).select_related("raised_by", "decided_by").first()
    if status is None:
        status = (form_status(check_form) if error is None else 422) if refused else 200
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
            "confirm_check_out": confirm_check_out,
            "dispute": dispute,
            "can_dispute": "dispute" in actions and dispute is None,
            "dispute_form": dispute_form or DisputeForm(),
            "can_decide_dispute": bool({"accept_dispute", "reject_dispute"} & set(actions)),
            "decide_form": decide_form or DisputeDecideForm(),
        },
        status=status,
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
    checking_out = service is services.duty_shift_check_out
    form = (CheckOutForm if checking_out else CheckForm)(request.POST, request.FILES)
    if form.is_valid():
        extra = {"confirm": form.cleaned_data["confirm"]} if checking_out else {}
        try:
            shift = service(
                shift=shift,
                by=request.user,
                photo=form.cleaned_data["photo"],
                note=form.cleaned_data["note"],
                **extra,
            )
        except DomainError as exc:
            if exc.code == "confirm_check_out":
                # Ask once more; the photo is not carried over, the note is.
                return _shift_page(request, shift, confirm_check_out=str(exc.message), status=409)
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
        return _shift_page(request, shift, error=exc.message, status=refusal_status(exc))
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
    return form_page(request, form, _("取消班次：%(s)s") % {"s": shift})


@login_required
@require_http_methods(["GET", "POST"])
def change_request_create(request, pk: int):
    shift = _shift(request, pk)
    if not shift_roles(request.user, shift) & REQUESTERS:
        raise Http404
    form = ChangeRequestForm(
        request.POST or None,
        substitutes=selectors.substitute_choices(shift),
        other_shifts=selectors.swap_choices(shift, now=timezone.now()),
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
    return form_page(request, form, _("替班或换班：%(s)s") % {"s": shift})


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
        return _decided(request, change, shift, exc.message, status=refusal_status(exc))
    messages.success(request, _("已处理申请"))
    return redirect("duty:shift_detail", pk=change.shift_id) if shift else redirect("duty:home")


def _decided(request, change, shift, error: str, *, status: int = 422):
    if shift is not None:
        return _shift_page(request, shift, error=error, status=status)
    return render(request, "duty/error.html", {"message": error}, status=status)


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
    check = get_object_or_404(selectors.check_photos_visible_to(request.user), pk=pk)
    file_type = image_type(check.photo_type)
    if file_type is None:
        raise Http404
    try:
        handle = check.photo.open("rb")
    except OSError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"check-{check.pk}{file_type.extension}",
        content_type=file_type.content_type,
    )
