"""The inbox pages: a user's own notices only (anything else is a 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guwen.core.formtools import paginate
from guwen.notifications import selectors, services


@login_required
def inbox(request):
    notes = selectors.inbox(request.user)
    return render(
        request,
        "notifications/inbox.html",
        {"page": paginate(request, notes, 20), "unread": selectors.unread_count(request.user)},
    )


@login_required
@require_POST
def mark_read(request, pk: int):
    """Mark a notice read; with ``open`` set, go on to the page it links to."""
    note = get_object_or_404(selectors.notifications_visible_to(request.user), pk=pk)
    services.notification_mark_read(notification=note, by=request.user)
    if request.POST.get("open") and note.url:
        return redirect(note.url)  # a local path: notify() refuses anything else
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = services.notifications_mark_all_read(by=request.user)
    messages.success(request, _("已将 %(n)d 条通知标为已读") % {"n": count})
    return redirect("notifications:inbox")
