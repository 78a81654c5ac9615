"""Legal opinions and contract review for the community: requested by community staff with a due
date (default 5 working days), delivered by the community's advisor, turnaround in working days."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.accounts.models import Role
from guwen.core import audit
from guwen.core.errors import Conflict, DomainError
from guwen.duty.workflow import region_roles
from guwen.outreach.models import LegalOpinion, OpinionKind, OpinionStatus
from guwen.outreach.selectors import add_working_days, working_days_between
from guwen.outreach.services.common import stored_upload, text
from guwen.outreach.workflow import OPINION, opinion_roles
from guwen.regions.models import Level, Region
from guwen.regions.selectors import primary_assignment

DEFAULT_WORKING_DAYS = 5
REQUESTERS = {Role.COMMUNITY_STAFF, Role.OFFICE, Role.SYSADMIN}


def opinion_request(
    *,
    community: Region,
    kind: str,
    title: str,
    question: str,
    by,
    related_to: str = "",
    due_on: date | None = None,
    attachment=None,
) -> LegalOpinion:
    """The community asks its primary advisor for a written opinion by ``due_on`` (default: 5
    working days from today on the work calendar)."""
    if community.level != Level.COMMUNITY:
        raise DomainError(_("请选择社区"), field="community")
    if not region_roles(by, community) & REQUESTERS:
        raise DomainError(_("法律意见由社区工作人员或司法所提出"), code="forbidden")
    if kind not in OpinionKind.values:
        raise DomainError(_("请选择意见类型"), field="kind")
    title = text(title, field="title", label=_("事项"), limit=120)
    question = text(question, field="question", label=_("需求说明"), limit=4000)
    related_to = text(related_to, field="related_to", label=_("服务的决定或合同"), limit=200, required=False)
    today = timezone.localdate()
    due = due_on or add_working_days(today, DEFAULT_WORKING_DAYS)
    if due < today:
        raise DomainError(_("答复期限不能早于提出日期"), field="due_on")
    assignment = primary_assignment(community=community)
    if assignment is None:
        raise DomainError(_("该社区目前没有在任顾问律师"), field="community")
    stored = stored_upload(attachment, field="attachment")[0] if attachment else None
    with transaction.atomic():
        opinion = LegalOpinion(
            community=community,
            kind=kind,
            title=title,
            question=question,
            related_to=related_to,
            advisor=assignment.lawyer,
            requested_by=by,
            requested_on=today,
            due_on=due,
        )
        if stored is not None:
            opinion.attachment.save(stored.name, stored, save=False)
        opinion.save()
        audit.record(
            actor=by, action="outreach_opinion.request", obj=opinion, new={"kind": kind, "due_on": due}
        )
    return opinion


def opinion_deliver(*, opinion: LegalOpinion, opinion_text: str = "", by, attachment=None) -> LegalOpinion:
    """The advisor delivers the opinion (text, and the signed document when there is one); the
    working days it took are recorded."""
    target = OPINION.require(opinion, "deliver", opinion_roles(by, opinion))
    body = text(opinion_text, field="opinion", label=_("法律意见"), limit=20000)
    stored = stored_upload(attachment, field="opinion_file")[0] if attachment else None
    today = timezone.localdate()
    taken = working_days_between(opinion.requested_on, today)
    with transaction.atomic():
        updated = LegalOpinion.objects.filter(pk=opinion.pk, status=OpinionStatus.REQUESTED).update(
            status=target, opinion=body, delivered_on=today, working_days_taken=taken
        )
        if updated != 1:
            raise Conflict(_("该法律意见已出具或已撤回"), field="opinion")
        opinion.refresh_from_db()
        if stored is not None:
            opinion.opinion_file.save(stored.name, stored, save=True)
        audit.record(
            actor=by,
            action="outreach_opinion.deliver",
            obj=opinion,
            old={"status": OpinionStatus.REQUESTED},
            new={"status": target, "working_days_taken": taken, "overdue": today > opinion.due_on},
        )
    return opinion


def opinion_withdraw(*, opinion: LegalOpinion, by) -> LegalOpinion:
    target = OPINION.require(opinion, "withdraw", opinion_roles(by, opinion) - {Role.ADVISOR})
    with transaction.atomic():
        if (
            LegalOpinion.objects.filter(pk=opinion.pk, status=OpinionStatus.REQUESTED).update(status=target)
            != 1
        ):
            raise Conflict(_("该法律意见已出具或已撤回"), field="opinion")
        opinion.refresh_from_db()
        audit.record(
            actor=by,
            action="outreach_opinion.withdraw",
            obj=opinion,
            old={"status": "requested"},
            new={"status": target},
        )
    return opinion
