"""Intake (受理登记) with its case number, refusal and acceptance, parties, mediators and grade."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.accounts.models import Membership, Role, User
from guwen.core import audit
from guwen.core.crypto import decrypt_text, seal
from guwen.core.errors import DomainError
from guwen.core.masking import mask_id_number, mask_phone
from guwen.core.validators import (
    clean_mobile,
    normalize_credit_code,
    normalize_id_number,
    validate_credit_code,
    validate_id_number,
)
from guwen.core.workcalendar import is_workday
from guwen.duty.workflow import region_roles
from guwen.mediation.models import (
    GRADE_ORDER,
    CaseCounter,
    CaseMediator,
    DisputeType,
    Grade,
    GradeRule,
    MediationCase,
    Party,
    PartyKind,
    PartyRole,
    Sex,
    Source,
)
from guwen.mediation.services.common import clean_text, move, require
from guwen.mediation.workflow import WORKERS, serves_community
from guwen.regions.models import Region
from guwen.regions.selectors import current_assignments, in_force_on

TIME_LIMIT_DAYS = 30  # 若干规定 Art. 36: mediation is normally completed within one month
MAX_AMOUNT = Decimal("100000000000")


def committee_abbreviation(community: Region) -> str:
    """The committee's short name in the case number: the community's name without 社区."""
    name = re.sub(r"(社区|居委会|村委会)$", "", community.name)
    return name or community.name


def format_number(community: Region, year: int, serial: int) -> str:
    """（2026）南龙人调字第0001号."""
    return f"（{year}）{committee_abbreviation(community)}人调字第{serial:04d}号"


def allocate_serial(community: Region, year: int) -> int:
    """The next serial of the committee's year. The counter row is locked (``select_for_update``)
    for the rest of the caller's transaction, so two intakes at once queue and get different
    numbers; the unique constraint on (community, year, serial) backs it up. Numbers of refused
    cases are not given again."""
    CaseCounter.objects.get_or_create(community=community, year=year)
    counter = CaseCounter.objects.select_for_update().get(community=community, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def due_date(intake_on: date, days: int = TIME_LIMIT_DAYS) -> date:
    """``days`` calendar days after intake; a limit falling on a rest day moves to the next working day."""
    due = intake_on + timedelta(days=days)
    for _n in range(15):
        if is_workday(due):
            break
        due += timedelta(days=1)
    return due


def _district_of(community: Region) -> Region | None:
    node = community
    while node is not None and node.level != "district":
        node = node.parent
    return node


def grade_suggest(case: MediationCase) -> tuple[str, list[str]]:
    """The grade the district's rules suggest for ``case`` and the notes of the rules that set it:
    the highest grade among the rules whose every condition holds; 简易 when none does."""
    district = _district_of(case.community)
    rules = GradeRule.objects.filter(is_active=True)
    district_rules = rules.filter(district=district) if district is not None else rules.none()
    rules = district_rules if district_rules.exists() else rules.filter(district__isnull=True)
    parties = max(case.parties.count() if case.pk else 0, case.people_affected or 0)
    best, notes = Grade.SIMPLE, []
    for rule in rules:
        if rule.min_amount is not None and (case.amount is None or case.amount < rule.min_amount):
            continue
        if rule.min_parties is not None and parties < rule.min_parties:
            continue
        if rule.dispute_type_id is not None and rule.dispute_type_id != case.dispute_type_id:
            continue
        if rule.source and rule.source != case.source:
            continue
        rank = GRADE_ORDER.index(rule.grade)
        if rank > GRADE_ORDER.index(best):
            best, notes = Grade(rule.grade), [rule.note]
        elif rank == GRADE_ORDER.index(best) and rank > 0:
            notes.append(rule.note)
    return best, notes


def case_intake(
    *,
    community: Region,
    by,
    source: str,
    dispute_type: DisputeType,
    title: str,
    summary: str,
    requests: str = "",
    amount: Decimal | None = None,
    people_affected: int = 2,
    lead=None,
    consultation=None,
    intake_on: date | None = None,
    is_demo: bool = False,
) -> MediationCase:
    """Register a dispute with the committee (受理登记): a number of the committee's year, the
    30-day limit, a suggested grade. The case waits for the parties' agreement to mediate (accept)
    or a party's refusal (refuse)."""
    if community.level != "community":
        raise DomainError(_("请选择社区（人民调解委员会）"), field="community")
    if by is not None and not (region_roles(by, community) & WORKERS or serves_community(by, community)):
        raise DomainError(_("您无权在该社区受理调解案件"), field="community", code="forbidden")
    if source not in Source.values:
        raise DomainError(_("请选择案件来源"), field="source")
    if source == Source.LEAD and lead is None:
        raise DomainError(_("来源为排查发现时请选择线索"), field="lead")
    if lead is not None and lead.community_id != community.pk:
        raise DomainError(_("线索不属于该社区"), field="lead")
    if source == Source.CONSULTATION and consultation is None:
        raise DomainError(_("来源为法律咨询时请选择咨询记录"), field="consultation")
    if not isinstance(dispute_type, DisputeType):
        raise DomainError(_("请选择纠纷类型"), field="dispute_type")
    if amount is not None and (amount < 0 or amount >= MAX_AMOUNT):
        raise DomainError(_("涉及金额不正确"), field="amount")
    if not isinstance(people_affected, int) or not 1 <= people_affected <= 100000:
        raise DomainError(_("涉及人数应为1至100000之间的整数"), field="people_affected")
    title = clean_text(title, field="title", label=_("纠纷名称"), limit=100)
    summary = clean_text(summary, field="summary", label=_("纠纷简要情况"), limit=4000)
    requests = clean_text(requests, field="requests", label=_("申请事项"), limit=2000, required=False)
    intake_on = intake_on or timezone.localdate()
    if intake_on > timezone.localdate():
        raise DomainError(_("受理日期不能晚于今天"), field="intake_on")
    with transaction.atomic():
        serial = allocate_serial(community, intake_on.year)
        case = MediationCase(
            community=community,
            year=intake_on.year,
            serial=serial,
            number=format_number(community, intake_on.year, serial),
            source=source,
            lead=lead,
            consultation=consultation,
            dispute_type=dispute_type,
            title=title,
            summary=summary,
            requests=requests,
            amount=amount,
            people_affected=people_affected,
            intake_on=intake_on,
            due_on=due_date(intake_on),
            created_by=by,
            is_demo=is_demo,
        )
        case.grade_suggested = grade_suggest(case)[0]
        case.save(force_insert=True)
        audit.record(
            actor=by,
            action="mediation_case.intake",
            obj=case,
            new={"number": case.number, "status": case.status, "due_on": case.due_on.isoformat()},
            context={"source": source, "lead": lead.pk if lead else None},
        )
    return case


def case_accept(*, case: MediationCase, by, note: str = "") -> MediationCase:
    """The parties agree to mediation (人民调解法 Art. 17): the case is accepted."""
    note = clean_text(note, field="note", label=_("备注"), limit=200, required=False)
    with transaction.atomic():
        move(case, action="accept", by=by, context={"note": note})
    return case


def case_refuse(*, case: MediationCase, by, reason: str) -> MediationCase:
    """A party clearly refuses mediation: it must not go on (Art. 17), the case ends unaccepted."""
    reason = clean_text(reason, field="reason", label=_("拒绝调解的情况"), limit=300)
    with transaction.atomic():
        move(case, action="refuse", by=by, changes={"refusal_reason": reason, "closed_at": timezone.now()})
    return case


# --- parties ----------------------------------------------------------------------------------


def _id_number(value: str) -> str:
    number = normalize_id_number(value or "")
    if not number:
        return ""
    try:
        validate_id_number(number)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="id_number") from exc
    return number


def _credit_code(value: str) -> str:
    code = normalize_credit_code(value or "")
    if not code:
        return ""
    try:
        validate_credit_code(code)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="credit_code") from exc
    return code


def _party_fields(
    *,
    role: str,
    kind: str,
    name: str,
    sex: str = "",
    ethnicity: str = "",
    age: int | None = None,
    occupation: str = "",
    address: str = "",
    representative: str = "",
    agent_name: str = "",
    agent_authorisation: str = "",
) -> dict:
    """The plain fields of a party, checked (the same rules at intake and on an edit)."""
    if role not in PartyRole.values:
        raise DomainError(_("请选择当事人身份"), field="role")
    if kind not in PartyKind.values:
        raise DomainError(_("请选择当事人类别"), field="kind")
    name = clean_text(name, field="name", label=_("姓名或名称"), limit=80)
    if sex and sex not in Sex.values:
        raise DomainError(_("请选择性别"), field="sex")
    if age is not None and not 0 <= age <= 130:
        raise DomainError(_("年龄应在0至130之间"), field="age")
    agent_name = clean_text(agent_name, field="agent_name", label=_("委托代理人"), limit=40, required=False)
    agent_authorisation = clean_text(
        agent_authorisation, field="agent_authorisation", label=_("授权情况"), limit=200, required=False
    )
    if agent_name and not agent_authorisation:
        raise DomainError(
            _("有委托代理人时请写明授权范围（一般授权或特别授权）"), field="agent_authorisation"
        )
    person = kind == PartyKind.PERSON
    return {
        "role": role,
        "kind": kind,
        "name": name,
        "sex": sex if person else "",
        "ethnicity": clean_text(ethnicity, field="ethnicity", label=_("民族"), limit=20, required=False),
        "age": age if person else None,
        "occupation": clean_text(
            occupation, field="occupation", label=_("职业或职务"), limit=40, required=False
        ),
        "address": clean_text(address, field="address", label=_("单位或住址"), limit=120, required=False),
        "representative": clean_text(
            representative, field="representative", label=_("法定代表人"), limit=40, required=False
        ),
        "agent_name": agent_name,
        "agent_authorisation": agent_authorisation,
    }


def _sealed(prefix: str, sealed) -> dict:
    return {
        f"{prefix}_encrypted": sealed.encrypted,
        f"{prefix}_hash": sealed.hash,
        f"{prefix}_masked": sealed.masked,
    }


def party_add(
    *,
    case: MediationCase,
    by,
    role: str,
    kind: str,
    name: str,
    id_number: str = "",
    phone: str = "",
    credit_code: str = "",
    **fields,
) -> Party:
    """Add a party. A 身份证号 or 统一社会信用代码 that fails its check is refused with the reason
    and nothing is saved; the 身份证号 and phone are stored sealed (encrypted, keyed hash, masked)."""
    require(case, "add_party", by)
    values = _party_fields(role=role, kind=kind, name=name, **fields)
    number = _id_number(id_number) if kind == PartyKind.PERSON else ""
    code = _credit_code(credit_code) if kind == PartyKind.ORGANISATION else ""
    if kind == PartyKind.ORGANISATION and not code:
        raise DomainError(_("请填写统一社会信用代码"), field="credit_code")
    mobile = clean_mobile(phone) if (phone or "").strip() else ""
    sealed_id = seal(number, mask=mask_id_number)
    sealed_phone = seal(mobile, mask=mask_phone)
    with transaction.atomic():
        party = Party.objects.create(
            case=case,
            **values,
            **_sealed("id_number", sealed_id),
            **_sealed("phone", sealed_phone),
            credit_code=code,
        )
        audit.record(
            actor=by,
            action="mediation_party.add",
            obj=party,
            new={"case": case.pk, "role": role, "id_number": sealed_id.masked},
        )
    return party


# What an edit's audit event compares (personal numbers by their masked form only).
_AUDITED = (
    "role",
    "kind",
    "name",
    "sex",
    "ethnicity",
    "age",
    "occupation",
    "address",
    "credit_code",
    "representative",
    "agent_name",
    "agent_authorisation",
    "id_number_masked",
    "phone_masked",
)
# The keyed hashes tell a corrected number whose masked form did not change; they are compared but
# never written into the audit event (the event names the field only).
_COMPARED = (*_AUDITED, "id_number_hash", "phone_hash")
_SHOWN = {
    "id_number_hash": "id_number",
    "id_number_masked": "id_number",
    "phone_hash": "phone",
    "phone_masked": "phone",
}


def party_update(
    *,
    party: Party,
    by,
    role: str,
    kind: str,
    name: str,
    id_number: str = "",
    phone: str = "",
    credit_code: str = "",
    clear_id_number: bool = False,
    clear_phone: bool = False,
    **fields,
) -> Party:
    """Correct a party after intake, by the same rules as ``party_add``; refused once the case is
    closed (or refused). Pages never hold the full 身份证号 or phone, so a blank one keeps what is
    stored and ``clear_*`` removes it; a new one is sealed again (encrypted, keyed hash recomputed,
    masked), so matching across cases follows the corrected number. Audited with the changed fields,
    personal numbers by their masked form."""
    case = party.case
    require(case, "edit_party", by)
    values = _party_fields(role=role, kind=kind, name=name, **fields)
    person = kind == PartyKind.PERSON
    if person:
        number = _id_number(id_number)
        if number:
            values.update(_sealed("id_number", seal(number, mask=mask_id_number)))
        elif clear_id_number:
            values.update(_sealed("id_number", seal("", mask=mask_id_number)))
        values["credit_code"] = ""
    else:
        values.update(_sealed("id_number", seal("", mask=mask_id_number)))
        code = _credit_code(credit_code) or party.credit_code
        if not code:
            raise DomainError(_("请填写统一社会信用代码"), field="credit_code")
        values["credit_code"] = code
    mobile = clean_mobile(phone) if (phone or "").strip() else ""
    if mobile:
        values.update(_sealed("phone", seal(mobile, mask=mask_phone)))
    elif clear_phone:
        values.update(_sealed("phone", seal("", mask=mask_phone)))
    with transaction.atomic():
        locked = Party.objects.select_for_update().get(pk=party.pk)
        old = {name: getattr(locked, name) for name in _COMPARED}
        for field_name, value in values.items():
            setattr(locked, field_name, value)
        new = {name: getattr(locked, name) for name in _COMPARED}
        changed = [name for name in _COMPARED if old[name] != new[name]]
        if changed:
            locked.save()
            shown = sorted({_SHOWN.get(name, name) for name in changed})
            audit.record(
                actor=by,
                action="mediation_party.update",
                obj=locked,
                old={name: old[name] for name in changed if name in _AUDITED},
                new={name: new[name] for name in changed if name in _AUDITED},
                context={"case": case.pk, "changed": shown},
            )
    party.refresh_from_db()
    return party


def party_read_id_number(*, party: Party, by, request=None) -> str:
    """The full 身份证号, for a caller in the case's scope; every full read is audited."""
    if not party.id_number_encrypted:
        return ""
    value = decrypt_text(party.id_number_encrypted)
    audit.record(actor=by, action="mediation_party.id_number.read", obj=party, request=request)
    return value


# --- mediators --------------------------------------------------------------------------------


def mediator_choices(case: MediationCase):
    """Who may mediate the case: the lawyers serving its community today and its community staff."""
    today = timezone.localdate()
    lawyers = current_assignments().filter(community=case.community, lawyer__user__isnull=False)
    staff = Membership.objects.filter(in_force_on(today), role=Role.COMMUNITY_STAFF, region=case.community)
    ids = set(lawyers.values_list("lawyer__user_id", flat=True)) | set(
        staff.values_list("user_id", flat=True)
    )
    ids |= set(case.mediators.values_list("user_id", flat=True))
    return User.objects.filter(pk__in=ids, is_active=True).order_by("pk")


def mediators_assign(*, case: MediationCase, by, users: list, primary) -> list[CaseMediator]:
    """Set the case's mediators (人民调解法 Art. 19), exactly one of them primary."""
    require(case, "assign", by)
    users = list(dict.fromkeys(users))
    if not users:
        raise DomainError(_("请至少指派一名调解员"), field="users")
    if primary not in users:
        raise DomainError(_("主持调解员须在所指派的调解员之中"), field="primary")
    allowed = set(mediator_choices(case).values_list("pk", flat=True))
    if any(user.pk not in allowed for user in users):
        raise DomainError(_("所选人员不是本社区的顾问律师或工作人员"), field="users")
    with transaction.atomic():
        before = sorted(case.mediators.values_list("user_id", flat=True))
        case.mediators.all().delete()
        rows = [CaseMediator.objects.create(case=case, user=u, is_primary=u == primary) for u in users]
        audit.record(
            actor=by,
            action="mediation_case.assign",
            obj=case,
            old={"mediators": before},
            new={"mediators": [u.pk for u in users], "primary": primary.pk},
        )
    return rows


# --- grade ------------------------------------------------------------------------------------


def grade_confirm(*, case: MediationCase, by, grade: str, reason: str) -> MediationCase:
    """The judicial office confirms the case's grade (the subsidy pays by it), with the reason."""
    require(case, "confirm_grade", by)
    if grade not in Grade.values:
        raise DomainError(_("请选择案件等级"), field="grade")
    reason = clean_text(reason, field="reason", label=_("定级理由"), limit=300)
    suggested, _notes = grade_suggest(case)
    with transaction.atomic():
        old = {"grade": case.grade, "grade_suggested": case.grade_suggested}
        MediationCase.objects.filter(pk=case.pk).update(
            grade=grade,
            grade_reason=reason,
            grade_suggested=suggested,
            grade_confirmed_by=by,
            grade_confirmed_at=timezone.now(),
        )
        case.refresh_from_db()
        audit.record(
            actor=by,
            action="mediation_case.confirm_grade",
            obj=case,
            old=old,
            new={"grade": grade, "grade_suggested": suggested},
            context={"reason": reason},
        )
    return case
