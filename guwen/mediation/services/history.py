"""Historical mediation cases taken over from a committee's case register (人民调解案件登记台账):
checked by the caller (guwen.reports.imports), written here in one transaction, all or nothing.

A register row gives the case number, intake date, dispute type and name, the parties' names (and,
in a hand-kept register, perhaps their 身份证号 and phones), the amount, the status, the outcome and
when it closed. What it does not say stays empty: no mediators, no grade (so no subsidy is paid
for history), no sessions. A party's 身份证号 and phone are sealed as at intake (encrypted, a keyed
hash to find the same person across cases, a masked copy); a name arrives as the register has it,
masked or not. The committee's case counter is moved past every imported serial, so a number is
never given twice. History raises no alarms: the overdue and judicial-confirmation reminders are
marked as already sent.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.core import audit
from guwen.core.crypto import seal
from guwen.core.errors import Conflict
from guwen.core.masking import mask_id_number, mask_phone
from guwen.core.validators import clean_mobile
from guwen.mediation.models import CaseCounter, MediationCase, Outcome, Party
from guwen.mediation.services.cases import _id_number, _sealed, due_date

BATCH = 500


def _party(case: MediationCase, party: dict) -> Party:
    number = _id_number(party.get("id_number", ""))
    phone = clean_mobile(party["phone"]) if party.get("phone") else ""
    return Party(
        case=case,
        role=party["role"],
        kind=party["kind"],
        name=party["name"],
        **_sealed("id_number", seal(number, mask=mask_id_number)),
        **_sealed("phone", seal(phone, mask=mask_phone)),
    )


def cases_import(*, rows: list[dict], by, source: str) -> int:
    """See ``_cases_import``; a number taken by an intake between the check and the import refuses
    the whole file (409) instead of failing in the database."""
    try:
        return _cases_import(rows=rows, by=by, source=source)
    except IntegrityError:
        raise Conflict(
            _("导入期间有案号已被新登记的案件占用，未导入任何数据：请重新检查后再导入"), field="file"
        ) from None


def _cases_import(*, rows: list[dict], by, source: str) -> int:
    """Create the cases, each a dict of MediationCase fields plus ``parties`` (dicts of role, kind,
    name, id_number, phone) and ``outcome`` (a dict of Outcome fields, or None); the limit is the
    usual 30 days from intake. One audit event names the file."""
    now = timezone.now()
    with transaction.atomic():
        made = 0
        tops: dict[tuple[int, int], int] = {}
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            cases = MediationCase.objects.bulk_create(
                [
                    MediationCase(
                        created_by=by,
                        due_on=due_date(row["intake_on"]),
                        overdue_notified_at=now,
                        **{k: v for k, v in row.items() if k not in ("parties", "outcome")},
                    )
                    for row in chunk
                ]
            )
            Party.objects.bulk_create(
                [
                    _party(case, party)
                    for case, row in zip(cases, chunk, strict=True)
                    for party in row["parties"]
                ]
            )
            Outcome.objects.bulk_create(
                [
                    Outcome(case=case, recorded_by=by, confirmation_reminded_at=now, **row["outcome"])
                    for case, row in zip(cases, chunk, strict=True)
                    if row.get("outcome")
                ]
            )
            for case in cases:
                key = (case.community_id, case.year)
                tops[key] = max(tops.get(key, 0), case.serial)
            made += len(cases)
        for (community_id, year), top in tops.items():
            CaseCounter.objects.get_or_create(community_id=community_id, year=year)
            CaseCounter.objects.filter(community_id=community_id, year=year).update(
                last=Greatest(F("last"), top)
            )
        audit.record(
            actor=by,
            action="mediation_case.import",
            object_type="mediation.mediationcase",
            new={"count": made, "source": source},
        )
    return made
