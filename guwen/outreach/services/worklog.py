"""Free entries in the advisor's work log, for work that no module records."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.core import audit
from guwen.core.errors import DomainError
from guwen.outreach.models import WorkLogEntry
from guwen.outreach.services.common import text
from guwen.outreach.workflow import lawyer_of, serves
from guwen.regions.models import Region


def worklog_entry_create(
    *, community: Region, at: datetime, person: str, content: str, by, place: str = "", result: str = ""
) -> WorkLogEntry:
    """The advisor logs a service no module records (time, place, person served, content, result)."""
    lawyer = lawyer_of(by)
    if lawyer is None or not serves(by, community):
        raise DomainError(_("只有本社区的顾问律师可以记录工作日志"), code="forbidden")
    if at > timezone.now():
        raise DomainError(_("工作日志记录已发生的服务，时间不能晚于现在"), field="at")
    person = text(person, field="person", label=_("服务对象"), limit=100)
    content = text(content, field="content", label=_("服务内容"), limit=4000)
    place = text(place, field="place", label=_("地点"), limit=100, required=False)
    result = text(result, field="result", label=_("结果"), limit=4000, required=False)
    with transaction.atomic():
        entry = WorkLogEntry.objects.create(
            lawyer=lawyer,
            community=community,
            at=at,
            place=place,
            person=person,
            content=content,
            result=result,
        )
        audit.record(actor=by, action="outreach_worklog.create", obj=entry, new={"community": community.code})
    return entry
