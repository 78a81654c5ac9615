"""Activity pages: the list, recording one, its page with held / confirm / cancel; the coverage page."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guwen.accounts.narrowing import from_request as narrowing_from_request
from guwen.core.errors import DomainError, refusal_status
from guwen.core.formtools import add_domain_error, form_status, form_submit, paginate
from guwen.outreach import photos, selectors, services
from guwen.outreach.forms import ActivityForm, CancelForm, HoldForm
from guwen.outreach.models import Activity, ActivityKind, ActivityStatus
from guwen.outreach.views.common import (
    filter_chips,
    form_page,
    narrowed,
    recording_communities,
    serving_lawyers,
)
from guwen.outreach.workflow import ACTIVITY, record_roles

# The statuses the appraisal counts a lecture in (held, or held and confirmed by the community).
HELD_OR_CONFIRMED = "done"


@login_required
def activity_list(request):
    activities = (
        selectors.activities_visible_to(request.user).select_related("community").prefetch_related("advisors")
    )
    narrowing, refused = narrowing_from_request(request)
    if refused:
        return refused
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    if kind in ActivityKind.values:
        activities = activities.filter(kind=kind)
    if status in ActivityStatus.values:
        activities = activities.filter(status=status)
    elif status == HELD_OR_CONFIRMED:
        activities = activities.filter(status__in=[ActivityStatus.HELD, ActivityStatus.CONFIRMED])
    activities = narrowed(activities, request.GET, narrowing)
    # The kind and status links keep the drill-down filters (advisor, region, dates) in place.
    keep = request.GET.copy()
    for name in ("kind", "status", "page"):
        keep.pop(name, None)
    return render(
        request,
        "outreach/activity_list.html",
        {
            "page": paginate(request, activities),
            "kinds": ActivityKind.choices,
            "statuses": [*ActivityStatus.choices, (HELD_OR_CONFIRMED, _("已开展或已确认"))],
            "kind": kind,
            "status": status,
            "keep": keep.urlencode(),
            "chips": filter_chips(request, narrowing),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request):
    communities = recording_communities(request.user)
    form = ActivityForm(
        request.POST or None,
        communities=communities,
        lawyers=serving_lawyers(communities),
        pairings=selectors.pairings_visible_to(request.user).filter(community__in=communities),
    )
    done, activity = form_submit(
        request,
        form,
        lambda data: services.activity_create(
            community=data["community"],
            kind=data["kind"],
            channel=data["channel"],
            date=data["date"],
            topic=data["topic"],
            place=data["place"],
            advisors=data["advisors"],
            audience_count=data["audience_count"],
            summary=data["summary"],
            pairing=data["pairing"],
            by=request.user,
        ),
    )
    if done:
        messages.success(request, _("活动已登记"))
        return redirect("outreach:activity_detail", pk=activity.pk)
    return form_page(request, form, _("登记普法活动"))


# The files an activity may carry besides its photos: (model field, name in the download).
ACTIVITY_FILES = {"materials": ("materials", "宣传材料"), "sign-in-sheet": ("sign_in_sheet", "签到表")}


@login_required
def activity_file(request, pk: int, which: str):
    """The activity's publicity material or sign-in sheet scan, as a download, within its scope
    (404 otherwise). The sign-in sheet names the residents who came, so each download of it is
    audited."""
    activity = _activity(request, pk)
    if which not in ACTIVITY_FILES:
        raise Http404
    field, label = ACTIVITY_FILES[which]
    stored = getattr(activity, field)
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    if field == "sign_in_sheet":
        services.activity_sign_in_sheet_read(activity=activity, by=request.user, request=request)
    extension = stored.name[stored.name.rfind(".") :] if "." in stored.name else ""
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{activity.date:%Y%m%d}-{activity.community.name}-{label}{extension}",
        content_type=mimetypes.guess_type(stored.name)[0] or "application/octet-stream",
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def _activity(request, pk: int) -> Activity:
    return get_object_or_404(
        selectors.activities_visible_to(request.user).select_related("community", "community__parent"), pk=pk
    )


def _detail(request, activity: Activity, *, hold_form=None, error: str = "", status: int = 200):
    actions = ACTIVITY.allowed_actions(activity, record_roles(request.user, activity))
    return render(
        request,
        "outreach/activity_detail.html",
        {
            "activity": activity,
            "actions": actions,
            "hold_form": hold_form or HoldForm(),
            "cancel_form": CancelForm(),
            "error": error,
            "photos": list(activity.photos.order_by("pk")),
        },
        status=status,
    )


@login_required
def activity_photo(request, pk: int, photo_pk: int, size: str):
    """A photo of an activity the user may see (404 otherwise): ``thumb`` a small JPEG made once,
    ``full`` the re-encoded upload. Shown inline, never cached by shared caches."""
    activity = _activity(request, pk)
    photo = get_object_or_404(activity.photos, pk=photo_pk)
    if size == "thumb":
        response = FileResponse(
            default_storage.open(photos.photo_thumbnail(photo), "rb"), content_type="image/jpeg"
        )
    elif size == "full":
        response = FileResponse(photo.photo.open("rb"), content_type=photos.content_type(photo))
    else:
        raise Http404
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def activity_detail(request, pk: int):
    return _detail(request, _activity(request, pk))


@login_required
@require_POST
def activity_hold(request, pk: int):
    activity = _activity(request, pk)
    form = HoldForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.activity_mark_held(
                activity=activity,
                audience_count=form.cleaned_data["audience_count"],
                summary=form.cleaned_data["summary"],
                photos=form.cleaned_data["photos"],
                materials=form.cleaned_data["materials"],
                sign_in_sheet=form.cleaned_data["sign_in_sheet"],
                by=request.user,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已登记为已开展，等待社区确认"))
            return redirect("outreach:activity_detail", pk=activity.pk)
    return _detail(request, activity, hold_form=form, status=form_status(form))


def _simple_action(request, pk: int, run, done: str):
    activity = _activity(request, pk)
    try:
        run(activity)
    except DomainError as exc:
        return _detail(request, activity, error=exc.message, status=refusal_status(exc))
    messages.success(request, done)
    return redirect("outreach:activity_detail", pk=activity.pk)


@login_required
@require_POST
def activity_confirm(request, pk: int):
    return _simple_action(
        request, pk, lambda a: services.activity_confirm(activity=a, by=request.user), _("已确认活动开展")
    )


@login_required
@require_POST
def activity_cancel(request, pk: int):
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _simple_action(
        request,
        pk,
        lambda a: services.activity_cancel(activity=a, reason=reason, by=request.user),
        _("活动已取消"),
    )


@login_required
def coverage(request):
    try:
        quarter = selectors.parse_quarter(request.GET.get("quarter"))
    except DomainError as exc:
        return render(request, "outreach/error.html", {"message": exc.message}, status=422)
    rows = selectors.coverage_visible_to(request.user, quarter)
    return render(
        request,
        "outreach/coverage.html",
        {
            "quarter": quarter,
            "previous": quarter.previous(),
            "next": quarter.next(),
            "rows": rows,
            "behind": sum(1 for row in rows if row.behind),
        },
    )
