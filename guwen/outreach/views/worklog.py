"""A free entry in the work log, for work no module records. The log itself (reading every
module) is the reports app's page, /reports/worklog/."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guwen.core.formtools import form_submit
from guwen.outreach import services
from guwen.outreach.forms import WorkLogEntryForm
from guwen.outreach.views.common import form_page
from guwen.outreach.workflow import lawyer_of
from guwen.regions.models import Region
from guwen.regions.selectors import current_assignments


@login_required
@require_http_methods(["GET", "POST"])
def worklog_entry_create(request):
    lawyer = lawyer_of(request.user)
    if lawyer is None:
        raise Http404
    communities = Region.objects.filter(
        pk__in=current_assignments().filter(lawyer=lawyer).values("community_id")
    )
    form = WorkLogEntryForm(request.POST or None, communities=communities)
    done, _entry = form_submit(
        request, form, lambda data: services.worklog_entry_create(by=request.user, **data)
    )
    if done:
        messages.success(request, _("已记入工作日志"))
        return redirect("reports:worklog")
    return form_page(request, form, _("记录工作日志"))
