"""Every write to regions, firms, lawyers and assignments."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from guwen.core import audit
from guwen.core.crypto import decrypt_text, keyed_hash, seal
from guwen.core.errors import Conflict, DomainError
from guwen.core.masking import mask_id_number, mask_phone
from guwen.core.validators import (
    clean_mobile,
    normalize_credit_code,
    normalize_id_number,
    validate_credit_code,
    validate_id_number,
    validate_licence_number,
    validate_region_code,
)
from guwen.regions.models import CHILD_LEVEL, Assignment, AssignmentRole, LawFirm, Lawyer, Level, Region
from guwen.regions.selectors import overlapping

NAME_SUFFIXES = ("居民委员会", "居委会", "村民委员会", "村委会")


def display_name(official: str) -> str:
    """ "坂田社区居委会" → "坂田社区": the statistical names carry the committee suffix."""
    for suffix in NAME_SUFFIXES:
        if official.endswith(suffix) and len(official) > len(suffix):
            stem = official[: -len(suffix)]
            return stem if stem.endswith(("社区", "村")) else stem + "社区"
    return official


def _field_error(field: str, error: ValidationError) -> DomainError:
    return DomainError(" ".join(error.messages), field=field, code="invalid")


# --- regions ---------------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class DivisionRow:
    code: str
    name: str
    level: str
    parent_code: str


def read_divisions_csv(text: str) -> list[DivisionRow]:
    """Rows of the ``code,name,level,parent_code`` format; a bad row stops the import with its line."""
    reader = csv.DictReader(io.StringIO(text))
    missing = {"code", "name", "level", "parent_code"} - set(reader.fieldnames or [])
    if missing:
        raise DomainError(_("区划文件缺少列：%(cols)s") % {"cols": "、".join(sorted(missing))}, field="file")
    rows = []
    for line_no, raw in enumerate(reader, start=2):
        code = (raw["code"] or "").strip()
        try:
            validate_region_code(code)
        except ValidationError as exc:
            raise DomainError(
                _("第 %(line)d 行：%(msg)s") % {"line": line_no, "msg": " ".join(exc.messages)}, field="file"
            ) from exc
        level = (raw["level"] or "").strip()
        if level not in Level.values:
            raise DomainError(
                _("第 %(line)d 行：未知层级“%(level)s”") % {"line": line_no, "level": level}, field="file"
            )
        rows.append(DivisionRow(code, (raw["name"] or "").strip(), level, (raw["parent_code"] or "").strip()))
    return rows


def regions_import(*, rows: Iterable[DivisionRow], under: str | None = None, by=None) -> ImportResult:
    """Create or update the region tree from division rows, idempotently.

    ``under`` limits the import to one city, district or street code and everything below it; the
    chain of ancestors present in the rows is imported too, so the tree stays connected.
    """
    by_code = {row.code: row for row in rows}
    if under is not None:
        if under not in by_code:
            raise DomainError(_("区划代码 %(code)s 不在文件中") % {"code": under}, field="under")
        wanted = _subtree_codes(by_code, under) | _ancestor_codes(by_code, under)
    else:
        wanted = set(by_code)
    order = sorted(wanted, key=lambda code: (_depth(by_code, code), code))
    result = ImportResult()
    with transaction.atomic():
        existing = {r.code: r for r in Region.objects.filter(code__in=wanted)}
        for code in order:
            row = by_code[code]
            parent = existing.get(row.parent_code) if row.parent_code in wanted else None
            if parent is None and row.parent_code in wanted:
                raise DomainError(
                    _("区划 %(code)s 的上级 %(parent)s 未导入") % {"code": code, "parent": row.parent_code}
                )
            path = (parent.path if parent else "") + code + "/"
            fields = {
                "name": display_name(row.name),
                "full_name": row.name,
                "level": row.level,
                "parent": parent,
                "path": path,
            }
            region = existing.get(code)
            if region is None:
                region = Region.objects.create(code=code, **fields)
                existing[code] = region
                result.created += 1
                continue
            changed = {k: v for k, v in fields.items() if getattr(region, k) != v}
            if changed:
                for key, value in changed.items():
                    setattr(region, key, value)
                region.save(update_fields=list(changed))
                result.updated += 1
            else:
                result.unchanged += 1
        audit.record(
            actor=by,
            action="regions.import",
            object_type="regions.region",
            object_id=under or "*",
            context={"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
        )
    return result


def regions_import_file(*, path: Path, under: str | None = None, by=None) -> ImportResult:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DomainError(_("区划文件必须是 UTF-8 编码"), field="file") from exc
    return regions_import(rows=read_divisions_csv(text), under=under, by=by)


def _depth(by_code: dict[str, DivisionRow], code: str) -> int:
    depth = 0
    while code in by_code and depth < 10:
        code = by_code[code].parent_code
        depth += 1
    return depth


def _subtree_codes(by_code: dict[str, DivisionRow], root: str) -> set[str]:
    children: dict[str, list[str]] = {}
    for row in by_code.values():
        children.setdefault(row.parent_code, []).append(row.code)
    found, stack = set(), [root]
    while stack:
        code = stack.pop()
        if code not in found:
            found.add(code)
            stack.extend(children.get(code, []))
    return found


def _ancestor_codes(by_code: dict[str, DivisionRow], code: str) -> set[str]:
    found = set()
    while code in by_code and code not in found:
        found.add(code)
        code = by_code[code].parent_code
    return found


def region_set_village_converted(*, region: Region, value: bool, by) -> Region:
    if region.level != Level.COMMUNITY:
        raise DomainError(_("只有社区可以标记为村改居"), field="is_village_converted")
    with transaction.atomic():
        old = region.is_village_converted
        Region.objects.filter(pk=region.pk).update(is_village_converted=value)
        region.is_village_converted = value
        audit.record(
            actor=by, action="region.village_converted", obj=region, old={"v": old}, new={"v": value}
        )
    return region


# --- firms and lawyers --------------------------------------------------------------------


def lawfirm_create(
    *,
    name: str,
    credit_code: str,
    by,
    address: str = "",
    phone: str = "",
    district: Region | None = None,
    is_demo: bool = False,
) -> LawFirm:
    name = name.strip()
    if not name:
        raise DomainError(_("请填写律师事务所名称"), field="name")
    code = normalize_credit_code(credit_code)
    try:
        validate_credit_code(code)
    except ValidationError as exc:
        raise _field_error("credit_code", exc) from exc
    if district is not None and district.level != Level.DISTRICT:
        raise DomainError(_("登记所在区必须是区级区域"), field="district")
    if LawFirm.objects.filter(credit_code=code).exists():
        raise Conflict(_("统一社会信用代码已被登记"), field="credit_code")
    if LawFirm.objects.filter(name=name).exists():
        raise Conflict(_("同名律师事务所已存在"), field="name")
    with transaction.atomic():
        firm = LawFirm.objects.create(
            name=name,
            credit_code=code,
            address=address.strip(),
            phone=phone.strip(),
            district=district,
            is_demo=is_demo,
        )
        audit.record(actor=by, action="lawfirm.create", obj=firm, new={"name": name, "credit_code": code})
    return firm


def _clean_lawyer_fields(
    *, licence_number: str, phone: str, id_number: str | None
) -> tuple[str, str, str | None]:
    licence = licence_number.strip()
    try:
        validate_licence_number(licence)
    except ValidationError as exc:
        raise _field_error("licence_number", exc) from exc
    mobile = clean_mobile(phone)
    number = None
    if id_number:
        number = normalize_id_number(id_number)
        try:
            validate_id_number(number)
        except ValidationError as exc:
            raise _field_error("id_number", exc) from exc
    return licence, mobile, number


def lawyer_create(
    *,
    name: str,
    licence_number: str,
    firm: LawFirm,
    phone: str,
    by,
    id_number: str | None = None,
    specialties: str = "",
    user=None,
    is_demo: bool = False,
) -> Lawyer:
    name = name.strip()
    if not name:
        raise DomainError(_("请填写律师姓名"), field="name")
    licence, mobile, number = _clean_lawyer_fields(
        licence_number=licence_number, phone=phone, id_number=id_number
    )
    if Lawyer.objects.filter(licence_number=licence).exists():
        raise Conflict(_("该执业证号已登记"), field="licence_number")
    if number and Lawyer.objects.filter(id_number_hash=keyed_hash(number)).exists():
        raise Conflict(_("该身份证号已登记"), field="id_number")
    with transaction.atomic():
        lawyer = Lawyer(
            name=name,
            licence_number=licence,
            firm=firm,
            phone=mobile,
            specialties=specialties.strip(),
            user=user,
            is_demo=is_demo,
        )
        if number:
            _set_id_number(lawyer, number)
        lawyer.save()
        audit.record(
            actor=by,
            action="lawyer.create",
            obj=lawyer,
            new={"name": name, "licence_number": licence, "firm": firm.pk},
        )
    return lawyer


def _set_id_number(lawyer: Lawyer, number: str) -> None:
    sealed = seal(number, mask=mask_id_number)
    lawyer.id_number_encrypted, lawyer.id_number_hash, lawyer.id_number_masked = (
        sealed.encrypted,
        sealed.hash,
        sealed.masked,
    )


def lawyer_update(
    *,
    lawyer: Lawyer,
    by,
    phone: str,
    specialties: str = "",
    id_number: str | None = None,
    is_active: bool = True,
) -> Lawyer:
    """Change a lawyer's contact number, specialties, 身份证号 (blank keeps the stored one) and
    whether they are in post. Name, licence and firm stay: they identify the record. A lawyer
    who leaves post stops receiving new questions at once (routing skips them)."""
    _licence, mobile, number = _clean_lawyer_fields(
        licence_number=lawyer.licence_number, phone=phone, id_number=id_number
    )
    specialties = (specialties or "").strip()
    if len(specialties) > 200:
        raise DomainError(_("擅长领域最多 200 个字"), field="specialties")
    if number and Lawyer.objects.filter(id_number_hash=keyed_hash(number)).exclude(pk=lawyer.pk).exists():
        raise Conflict(_("该身份证号已登记"), field="id_number")
    with transaction.atomic():
        before = {"specialties": lawyer.specialties, "is_active": lawyer.is_active}
        old_phone = lawyer.phone
        lawyer.phone, lawyer.specialties, lawyer.is_active = mobile, specialties, is_active
        if number:
            _set_id_number(lawyer, number)
        lawyer.save()
        old, new = audit.changes(before, {"specialties": specialties, "is_active": is_active})
        if mobile != old_phone:
            # The audit trail keeps masked numbers only: it is read far more widely than the record.
            old["phone"], new["phone"] = mask_phone(old_phone), mask_phone(mobile)
        if number:
            new["id_number"] = "changed"
        audit.record(actor=by, action="lawyer.update", obj=lawyer, old=old, new=new)
    return lawyer


def lawyer_read_id_number(*, lawyer: Lawyer, by, request=None) -> str:
    """The full 身份证号, for a caller that has already checked the reader may see it. Every full
    read is audited (DESIGN §5)."""
    if not lawyer.id_number_encrypted:
        return ""
    value = decrypt_text(lawyer.id_number_encrypted)
    audit.record(actor=by, action="lawyer.id_number.read", obj=lawyer, request=request)
    return value


# --- assignments -----------------------------------------------------------------------------


def assignment_create(
    *,
    lawyer: Lawyer,
    community: Region,
    starts_on: date,
    by,
    ends_on: date | None = None,
    role: str = AssignmentRole.PRIMARY,
    firm: LawFirm | None = None,
    note: str = "",
) -> Assignment:
    """Appoint a lawyer to a community. At most one primary advisor per community on any date."""
    if community.level != Level.COMMUNITY:
        raise DomainError(_("顾问只能派驻到社区"), field="community")
    if role not in AssignmentRole.values:
        raise DomainError(_("派驻角色不正确"), field="role")
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(_("结束日期不能早于开始日期"), field="ends_on")
    if not lawyer.is_active:
        raise DomainError(_("该律师已不在职，不能派驻"), field="lawyer")
    firm = firm or lawyer.firm
    with transaction.atomic():
        # Lock the community row so two offices appointing at once queue instead of both passing the check.
        Region.objects.select_for_update().filter(pk=community.pk).first()
        same = Assignment.objects.filter(community=community).filter(overlapping(starts_on, ends_on))
        if role == AssignmentRole.PRIMARY and same.filter(role=AssignmentRole.PRIMARY).exists():
            raise Conflict(_("该社区在此期间已有主顾问，请先结束原派驻"), field="starts_on")
        if same.filter(lawyer=lawyer).exists():
            raise Conflict(_("该律师在此期间已派驻到该社区"), field="lawyer")
        try:
            with transaction.atomic():
                assignment = Assignment.objects.create(
                    lawyer=lawyer,
                    community=community,
                    firm=firm,
                    role=role,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    note=note.strip(),
                )
        except IntegrityError as exc:
            raise Conflict(_("该社区在此期间已有主顾问，请先结束原派驻"), field="starts_on") from exc
        audit.record(
            actor=by,
            action="assignment.create",
            obj=assignment,
            new={
                "lawyer": lawyer.pk,
                "community": community.code,
                "role": role,
                "starts_on": starts_on,
                "ends_on": ends_on,
            },
        )
    return assignment


def assignment_end(*, assignment: Assignment, ends_on: date, by, reason: str = "") -> Assignment:
    """End an appointment on a date; the row stays as history."""
    if ends_on < assignment.starts_on:
        raise DomainError(_("结束日期不能早于开始日期"), field="ends_on")
    if assignment.ends_on is not None and assignment.ends_on <= ends_on:
        raise DomainError(_("该派驻已于 %(day)s 结束") % {"day": assignment.ends_on}, field="ends_on")
    with transaction.atomic():
        old = assignment.ends_on
        Assignment.objects.filter(pk=assignment.pk).update(ends_on=ends_on)
        assignment.ends_on = ends_on
        audit.record(
            actor=by,
            action="assignment.end",
            obj=assignment,
            old={"ends_on": old},
            new={"ends_on": ends_on},
            context={"reason": reason},
        )
    return assignment


def child_level(level: str) -> str | None:
    return CHILD_LEVEL.get(Level(level))
