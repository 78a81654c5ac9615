"""Party-building pairing (结对共建): a firm's party branch and a community's party committee."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from guwen.accounts.models import Role
from guwen.core import audit
from guwen.core.errors import Conflict, DomainError
from guwen.duty.workflow import region_roles
from guwen.outreach.models import Pairing
from guwen.outreach.services.common import text
from guwen.regions.models import LawFirm, Level, Region

MANAGERS = {Role.OFFICE, Role.BUREAU, Role.SYSADMIN}


def pairing_create(
    *,
    firm: LawFirm,
    branch: str,
    community: Region,
    committee: str,
    starts_on: date,
    ends_on: date,
    goals: str,
    by,
    contacts: str = "",
) -> Pairing:
    """Record a pairing agreement. One per firm and community for any period: a second agreement
    overlapping the first is refused (extend or end the first instead)."""
    if community.level != Level.COMMUNITY:
        raise DomainError(_("请选择社区"), field="community")
    if not region_roles(by, community) & MANAGERS:
        raise DomainError(_("结对共建协议由司法所或区司法局登记"), code="forbidden")
    branch = text(branch, field="branch", label=_("律所党支部"), limit=100)
    committee = text(committee, field="committee", label=_("社区党委（党支部）"), limit=100)
    goals = text(goals, field="goals", label=_("共建目标"), limit=4000)
    contacts = text(contacts, field="contacts", label=_("联络人"), limit=200, required=False)
    if ends_on < starts_on:
        raise DomainError(_("结束日期不能早于开始日期"), field="ends_on")
    with transaction.atomic():
        clash = Pairing.objects.select_for_update().filter(
            firm=firm, community=community, starts_on__lte=ends_on, ends_on__gte=starts_on
        )
        if clash.exists():
            raise Conflict(
                _("%(firm)s与%(community)s在此期间已有结对共建协议")
                % {"firm": firm.name, "community": community.name},
                field="starts_on",
                code="duplicate",
            )
        pairing = Pairing.objects.create(
            firm=firm,
            branch=branch,
            community=community,
            committee=committee,
            starts_on=starts_on,
            ends_on=ends_on,
            goals=goals,
            contacts=contacts,
            created_by=by,
        )
        audit.record(
            actor=by,
            action="outreach_pairing.create",
            obj=pairing,
            new={"firm": firm.pk, "community": community.code, "starts_on": starts_on, "ends_on": ends_on},
        )
    return pairing
