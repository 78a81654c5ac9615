"""Legal-aid referral (法律援助): from a consultation or on its own, to the district's legal-aid
centre, tracked to accepted / refused / closed as the centre answers."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.core import audit
from guwen.core.errors import Conflict, DomainError
from guwen.outreach.models import AidCategory, LegalAidCentre, Referral
from guwen.outreach.selectors import district_of
from guwen.outreach.services.common import stored_upload, text
from guwen.outreach.workflow import CHECK_WRITERS, REFERRAL, community_roles
from guwen.regions.models import Level, Region


def referral_create(
    *,
    community: Region,
    applicant: str,
    category: str,
    situation: str,
    by,
    hardship: bool = False,
    consultation=None,
    mediation_case=None,
    attachment=None,
) -> Referral:
    """The advisor (or the office) refers a resident to the district's legal-aid centre."""
    if community.level != Level.COMMUNITY:
        raise DomainError(_("请选择社区"), field="community")
    if not community_roles(by, community) & CHECK_WRITERS:
        raise DomainError(_("法律援助转介由本社区顾问律师或司法所办理"), code="forbidden")
    if consultation is not None and consultation.community_id != community.pk:
        raise DomainError(_("来源咨询不属于该社区"), field="consultation")
    if mediation_case is not None and mediation_case.community_id != community.pk:
        raise DomainError(_("来源调解案件不属于该社区"), field="community")
    applicant = text(applicant, field="applicant", label=_("申请人"), limit=40)
    if category not in AidCategory.values:
        raise DomainError(_("请选择援助事项"), field="category")
    situation = text(situation, field="situation", label=_("申请人情况"), limit=4000)
    centre = LegalAidCentre.objects.filter(district=district_of(community)).first()
    if centre is None:
        raise DomainError(_("本区尚未配置法律援助中心，请联系区司法局在系统管理中设置"), field="community")
    stored = stored_upload(attachment, field="attachment")[0] if attachment else None
    with transaction.atomic():
        referral = Referral(
            community=community,
            consultation=consultation,
            mediation_case=mediation_case,
            centre=centre,
            applicant=applicant,
            category=category,
            hardship=bool(hardship),
            situation=situation,
            referred_by=by,
            sent_on=timezone.localdate(),
        )
        if stored is not None:
            referral.attachment.save(stored.name, stored, save=False)
        referral.save()
        audit.record(
            actor=by,
            action="outreach_referral.send",
            obj=referral,
            new={
                "centre": centre.pk,
                "category": category,
                "consultation": getattr(consultation, "pk", None),
            },
        )
    return referral


def referral_move(*, referral: Referral, action: str, by, note: str = "") -> Referral:
    """Record the centre's answer (accept / refuse) or the end of the aid (close)."""
    target = REFERRAL.require(referral, action, community_roles(by, referral.community))
    note = text(note, field="note", label=_("处理情况"), limit=2000, required=action == "refuse")
    today = timezone.localdate()
    changes = {"status": target, "note": note or referral.note}
    if action in ("accept", "refuse"):
        changes["decided_on"] = today
    else:
        changes["closed_on"] = today
    with transaction.atomic():
        if Referral.objects.filter(pk=referral.pk, status=referral.status).update(**changes) != 1:
            raise Conflict(_("该转介已被他人更新，请刷新后重试"), field="referral")
        old = referral.status
        referral.refresh_from_db()
        audit.record(
            actor=by,
            action=f"outreach_referral.{action}",
            obj=referral,
            old={"status": old},
            new={"status": target},
        )
    return referral
