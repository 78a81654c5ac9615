"""Settling a month: lines derived from the verified records of the other modules.

Deterministic: the same records and rules give the same lines in the same order, so recomputing a
draft changes nothing unless the work changed. Advisors are settled in batches (``BATCH_SIZE``)
with only one batch's records in memory, so a city month runs in flat memory.
"""

from __future__ import annotations

import calendar
import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.consultations.selectors import answers_within_deadline
from guwen.core import audit
from guwen.core.errors import Conflict
from guwen.core.models import AuditEvent
from guwen.duty.selectors import shifts_held
from guwen.mediation.selectors import cases_with_parties, payable_cases
from guwen.outreach.selectors import confirmed_work
from guwen.regions.models import Assignment, Lawyer, Region
from guwen.subsidy.models import (
    Batch,
    BatchPeriod,
    Flag,
    FlagKind,
    LineKind,
    RuleSet,
    Settlement,
    SettlementLine,
    SettlementStatus,
)
from guwen.subsidy.money import ZERO, cents, split
from guwen.subsidy.rules import GRADE_RANK, RuleBook

BATCH_SIZE = 50
EDITABLE = (SettlementStatus.DRAFT, SettlementStatus.RETURNED)
SAME_PERSON_DAYS = 90
PHOTO_DISTANCE = 4  # bits: below this two photos are taken to be the same picture
GRADE_LABELS = {"simple": "简易", "ordinary": "普通", "major": "重大", "special": "特别重大"}
OUTCOME_LABELS = {"written": "书面协议", "oral": "口头协议", "terminated": "调解终止"}


def percent_text(value) -> str:
    """``10.00`` as ``10``, ``12.50`` as ``12.5``: a percentage as people write it."""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def street_of(community: Region) -> Region:
    return community.parent if community.parent_id else community


def batch_for(street: Region, month: date, period: str) -> Batch:
    if period == BatchPeriod.QUARTER:
        first = date(month.year, 3 * ((month.month - 1) // 3) + 1, 1)
        last = month_end(date(first.year, first.month + 2, 1))
    else:
        first, last = month, month_end(month)
    batch, _created = Batch.objects.get_or_create(
        street=street, starts_on=first, period=period, defaults={"ends_on": last}
    )
    return batch


@dataclass(frozen=True)
class Advisor:
    lawyer_id: int
    user_id: int | None
    community_id: int


@dataclass
class DraftLine:
    kind: str
    record_type: str
    record_pk: int | None
    label: str
    url: str
    community_id: int | None
    completed_on: date | None
    rule_set: RuleSet | None
    grade: str = ""
    outcome: str = ""
    base: Decimal = ZERO
    share: Decimal = Decimal("1")
    amount: Decimal = ZERO
    note: str = ""


@dataclass
class DraftFlag:
    kind: str
    key: str
    evidence: str
    label: str = ""
    url: str = ""
    record: tuple[str, int] | None = None


@dataclass
class Plan:
    """What one advisor's month comes to before it is written."""

    lines: list[DraftLine] = field(default_factory=list)
    flags: list[DraftFlag] = field(default_factory=list)


def district_advisors(district: Region, month: date, lawyer_ids: list[int] | None = None) -> list[Advisor]:
    """Lawyers appointed to a community of the district at some time in the month, by lawyer id;
    their settlement's community is the primary appointment's (the earliest when several)."""
    end = month_end(month)
    rows = Assignment.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=month),
        starts_on__lte=end,
        community__path__startswith=district.path,
    )
    if lawyer_ids is not None:
        rows = rows.filter(lawyer_id__in=lawyer_ids)
    chosen: dict[int, tuple] = {}
    for lawyer_id, user_id, community_id, role, starts_on, pk in rows.order_by("lawyer_id").values_list(
        "lawyer_id", "lawyer__user_id", "community_id", "role", "starts_on", "pk"
    ):
        key = (role != "primary", starts_on, pk)
        if lawyer_id not in chosen or key < chosen[lawyer_id][0]:
            chosen[lawyer_id] = (key, user_id, community_id)
    return [
        Advisor(lawyer_id, user_id, community_id)
        for lawyer_id, (_k, user_id, community_id) in sorted(chosen.items())
    ]


class Context:
    """One district month: its rules and what every batch shares."""

    def __init__(
        self, district: Region, month: date, *, rule_book: RuleBook | None = None, photos: bool = True
    ) -> None:
        self.district = district
        self.photos = photos
        self.month = month_start(month)
        self.start, self.end = self.month, month_end(self.month)
        self.rules = rule_book or RuleBook(district)
        in_force = self.rules.for_date(self.end)
        self.month_rules = in_force.rule_set if in_force else None
        self._window_photos: set[int] | None = None
        self._places: dict[int, tuple[Region, Batch]] = {}
        seed = f"{district.code}:{self.month:%Y-%m}".encode()
        self.seed = hashlib.sha256(seed).hexdigest()

    def place(self, community_id: int) -> tuple[Region, Batch]:
        """The community and its street's batch, looked up once per run."""
        if community_id not in self._places:
            community = Region.objects.select_related("parent").get(pk=community_id)
            period = self.month_rules.batch_period if self.month_rules else BatchPeriod.MONTH
            self._places[community_id] = (community, batch_for(street_of(community), self.month, period))
        return self._places[community_id]

    def places(self, community_ids: list[int]) -> dict[int, tuple[Region, Batch]]:
        """``place`` for many communities: one query for those not looked up yet."""
        wanted = set(community_ids) - set(self._places)
        if wanted:
            period = self.month_rules.batch_period if self.month_rules else BatchPeriod.MONTH
            batches: dict[int, Batch] = {}
            for community in Region.objects.select_related("parent").filter(pk__in=wanted).order_by("pk"):
                street = street_of(community)
                if street.pk not in batches:
                    batches[street.pk] = batch_for(street, self.month, period)
                self._places[community.pk] = (community, batches[street.pk])
        return {pk: self._places[pk] for pk in community_ids}

    def window_photos(self) -> set[int]:
        """The lecture photos of the last twelve months city-wide (ids), their prints brought up to
        date first (once per run)."""
        if self._window_photos is None:
            first, last = photo_window(self.month)
            self._window_photos = refresh_prints(first, last)
        return self._window_photos


def photo_window(month: date) -> tuple[date, date]:
    """The months a month's photos are compared with: the twelve before it and itself."""
    first = date(month.year - 1, month.month, 1)
    return first, month_end(month)


def _bands(value: str) -> list[str]:
    return [value[i * 4 : (i + 1) * 4] for i in range(4)]


def refresh_prints(first: date, last: date) -> set[int]:
    """Bring the photo prints of lectures confirmed between ``first`` and ``last`` (city-wide) up to
    date: hash the photos not seen before (only those files are read), follow a lecture moved to
    another day or community. Returns the ids of the photos in the window: a print of a photo
    since deleted, or of a lecture no longer confirmed, is not among them."""
    from guwen.outreach.selectors import lecture_photos, photo_hashes
    from guwen.subsidy.models import PhotoPrint

    live = {photo.pk: photo for photo in lecture_photos(start=first, end=last)}
    fields = ("pk", "photo_pk", "activity_pk", "community_id", "taken_on")
    # The window's prints in one query; a print dated outside it (its lecture moved) by id.
    known = {
        row.photo_pk: row
        for row in PhotoPrint.objects.filter(taken_on__gte=first, taken_on__lte=last).only(*fields)
        if row.photo_pk in live
    }
    ids = sorted(live)
    elsewhere = [pk for pk in ids if pk not in known]
    for index in range(0, len(elsewhere), 500):
        for row in PhotoPrint.objects.filter(photo_pk__in=elsewhere[index : index + 500]).only(*fields):
            known[row.photo_pk] = row
    moved = []
    for pk, row in known.items():
        photo = live[pk]
        if (row.activity_pk, row.community_id, row.taken_on) != (
            photo.activity_id,
            photo.community_id,
            photo.date,
        ):
            row.activity_pk, row.community_id, row.taken_on = (
                photo.activity_id,
                photo.community_id,
                photo.date,
            )
            moved.append(row)
    if moved:
        PhotoPrint.objects.bulk_update(moved, ["activity_pk", "community_id", "taken_on"])
    missing = [pk for pk in ids if pk not in known]
    for index in range(0, len(missing), 200):  # a few files at a time, so memory stays flat
        chunk = missing[index : index + 200]
        values = photo_hashes(chunk)
        fresh = []
        for pk in chunk:
            value = values.get(pk) or ""
            bands = _bands(value) if value else ["", "", "", ""]
            photo = live[pk]
            fresh.append(
                PhotoPrint(
                    photo_pk=pk,
                    activity_pk=photo.activity_id,
                    community_id=photo.community_id,
                    taken_on=photo.date,
                    value=value,
                    band0=bands[0],
                    band1=bands[1],
                    band2=bands[2],
                    band3=bands[3],
                )
            )
        PhotoPrint.objects.bulk_create(fresh, ignore_conflicts=True)  # another run may have added it
    return set(ids)


def _case_line(case, rules, advisor_user: int, lawyer_of_user: dict[int, int]) -> DraftLine | None:
    if rules is None:
        return DraftLine(
            "case",
            "mediation.mediationcase",
            case.pk,
            case.number,
            case.url,
            case.community_id,
            case.completed_on,
            None,
            case.grade,
            case.outcome,
            note=_("完成之日无适用的补贴规则"),
        )
    rule = rules.rule_set
    base = rules.amount(case.grade)
    line = DraftLine(
        "case",
        "mediation.mediationcase",
        case.pk,
        case.number,
        case.url,
        case.community_id,
        case.completed_on,
        rule,
        case.grade,
        case.outcome,
        base=base,
    )
    reasons = []
    if case.outcome == "written":
        rate = Decimal(100)
    elif case.outcome == "oral":
        rate = rule.oral_percent
        line.note = _("口头协议按 %(p)s%% 计") % {"p": percent_text(rule.oral_percent)}
    elif (
        case.outcome == "terminated"
        and GRADE_RANK.get(case.grade, 0) >= GRADE_RANK[rule.terminated_min_grade]
    ):
        rate = rule.terminated_percent
        line.note = _("调解不成（有终止告知书）按 %(p)s%% 计") % {"p": percent_text(rule.terminated_percent)}
    else:
        rate = Decimal(0)
        reasons.append(_("调解不成且等级低于可补贴等级"))
    if rule.require_complete_file and not case.file_complete:
        reasons.append(_("卷宗不齐全"))
    if rule.require_callback and case.outcome != "terminated" and not case.callback_done:
        reasons.append(_("未回访"))
    if rule.require_performed and case.outcome != "terminated" and not case.performed:
        reasons.append(_("协议未履行"))
    if reasons:
        line.note = _("不予补贴：%(r)s") % {"r": "、".join(reasons)}
        return line
    whole = cents(base * rate / 100)
    people = [lawyer_of_user[user] for user, _primary in case.mediators if user in lawyer_of_user]
    primary = next((lawyer_of_user.get(user) for user, is_primary in case.mediators if is_primary), None)
    shares = split(whole, people, primary=primary, primary_percent=rule.primary_percent)
    mine = lawyer_of_user.get(advisor_user)
    line.amount = shares.get(mine, ZERO)
    line.share = (line.amount / whole).quantize(Decimal("0.0001")) if whole else Decimal("1")
    if len(shares) > 1:
        extra = _("%(n)d 名调解员共同调解，分得 %(a)s 元（共 %(w)s 元）") % {
            "n": len(shares),
            "a": line.amount,
            "w": whole,
        }
        line.note = f"{line.note}；{extra}" if line.note else extra
    return line


def _work_line(work, rules, lawyer_id: int) -> DraftLine:
    record_type = {
        "lecture": "outreach.activity",
        "health_check": "outreach.healthcheck",
        "opinion": "outreach.legalopinion",
    }[work.kind]
    line = DraftLine(
        work.kind,
        record_type,
        work.pk,
        work.label,
        work.url,
        work.community_id,
        work.completed_on,
        rules.rule_set if rules else None,
    )
    if rules is None:
        line.note = _("完成之日无适用的补贴规则")
        return line
    line.base = rules.amount(work.kind)
    shares = split(line.base, list(work.lawyer_ids), primary=None, primary_percent=None)
    line.amount = shares.get(lawyer_id, ZERO)
    line.share = (line.amount / line.base).quantize(Decimal("0.0001")) if line.base else Decimal("1")
    if len(shares) > 1:
        line.note = _("%(n)d 名律师共同完成，平均分配") % {"n": len(shares)}
    return line


def _simple_line(kind, record_type, pk, label, url, community_id, day, rules) -> DraftLine:
    line = DraftLine(kind, record_type, pk, label, url, community_id, day, rules.rule_set if rules else None)
    if rules is None:
        line.note = _("完成之日无适用的补贴规则")
    else:
        line.base = line.amount = rules.amount(kind)
    return line


def plan_batch(ctx: Context, advisors: list[Advisor], *, flags: bool = True) -> dict[int, Plan]:
    """The lines and flags of a batch of advisors, from the records of the month."""
    path = ctx.district.path
    lawyer_ids = [a.lawyer_id for a in advisors]
    user_ids = [a.user_id for a in advisors if a.user_id]
    cases = payable_cases(region_path=path, start=ctx.start, end=ctx.end, user_ids=user_ids)
    # Every mediator of these cases who is a lawyer, so each advisor's share is split among all.
    mediator_users = {user for case in cases for user, _p in case.mediators}
    lawyer_of_user = dict(Lawyer.objects.filter(user_id__in=mediator_users).values_list("user_id", "pk"))
    work = confirmed_work(region_path=path, start=ctx.start, end=ctx.end, lawyer_ids=lawyer_ids, photos=False)
    shifts = shifts_held(region_path=path, start=ctx.start, end=ctx.end, lawyer_ids=lawyer_ids)
    answers = answers_within_deadline(region_path=path, start=ctx.start, end=ctx.end, user_ids=user_ids)
    plans = {a.lawyer_id: Plan() for a in advisors}
    by_user = {a.user_id: a for a in advisors if a.user_id}
    for case in cases:
        rules = ctx.rules.for_date(case.completed_on)
        for user, _primary in case.mediators:
            if user in by_user:
                line = _case_line(case, rules, user, lawyer_of_user)
                if line is not None:
                    plans[by_user[user].lawyer_id].lines.append(line)
    for item in work:
        rules = ctx.rules.for_date(item.completed_on)
        for lawyer_id in item.lawyer_ids:
            if lawyer_id in plans:
                plans[lawyer_id].lines.append(_work_line(item, rules, lawyer_id))
    shift_count: dict[int, int] = defaultdict(int)
    for shift in shifts:
        shift_count[shift.lawyer_id] += 1
        plans[shift.lawyer_id].lines.append(
            _simple_line(
                "shift",
                "duty.dutyshift",
                shift.pk,
                _("%(d)s 驻点值班") % {"d": shift.date.isoformat()},
                f"/duty/shifts/{shift.pk}/",
                shift.community_id,
                shift.date,
                ctx.rules.for_date(shift.date),
            )
        )
    for answer in answers:
        advisor = by_user[answer.owner_id]
        plans[advisor.lawyer_id].lines.append(
            _simple_line(
                "online_answer",
                "consultations.consultation",
                answer.pk,
                _("咨询 #%(n)d 期限内答复") % {"n": answer.pk},
                f"/consultations/{answer.pk}/",
                answer.community_id,
                answer.answered_on,
                ctx.rules.for_date(answer.answered_on),
            )
        )
    for plan in plans.values():
        plan.lines.sort(key=lambda line: (line.completed_on or date.min, line.kind, line.record_pk or 0))
    if not flags:
        return plans
    _flag_cases(ctx, cases, by_user, plans)
    if ctx.photos:
        _flag_photos(ctx, work, plans)
    for advisor in advisors:
        plan = plans[advisor.lawyer_id]
        case_lines = sum(1 for line in plan.lines if line.kind == "case")
        per_shift = ctx.month_rules.cases_per_shift if ctx.month_rules else 4
        if case_lines and case_lines > (shift_count[advisor.lawyer_id] + 1) * per_shift:
            plan.flags.append(
                DraftFlag(
                    FlagKind.CASES_OVER_SHIFTS,
                    "month",
                    _("本月结案 %(c)d 件，值班 %(s)d 次，超出每次值班 %(p)d 件的承载（另计 1 次）")
                    % {"c": case_lines, "s": shift_count[advisor.lawyer_id], "p": per_shift},
                )
            )
        plan.flags.extend(_sample(ctx, advisor, plan))
    return plans


def _flag_cases(ctx: Context, cases, by_user, plans) -> None:
    hashes = sorted({h for case in cases for h in case.party_hashes})
    others = cases_with_parties(
        hashes, since=ctx.start - timedelta(days=SAME_PERSON_DAYS + 62), until=ctx.end
    )
    by_hash: dict[str, list[tuple[int, str, int, date]]] = defaultdict(list)
    for value, case_id, number, type_id, intake_on in others:
        by_hash[value].append((case_id, number, type_id, intake_on))
    for case in cases:
        found = []
        for value in case.party_hashes:
            for case_id, number, type_id, intake_on in by_hash[value]:
                if (
                    case_id != case.pk
                    and type_id == case.dispute_type_id
                    and abs((intake_on - case.intake_on).days) <= SAME_PERSON_DAYS
                ):
                    found.append(f"{number}（{intake_on.isoformat()} 受理）")
        draft = []
        if found:
            draft.append(
                DraftFlag(
                    FlagKind.SAME_PERSON,
                    f"case:{case.pk}",
                    _("同一当事人（身份证号指纹一致）90 天内另有同类案件：%(c)s")
                    % {"c": "、".join(sorted(set(found)))},
                    case.number,
                    case.url,
                    ("mediation.mediationcase", case.pk),
                )
            )
        if case.grade in ("major", "special") and (case.completed_on - case.intake_on).days <= 1:
            draft.append(
                DraftFlag(
                    FlagKind.QUICK_HIGH_GRADE,
                    f"case:{case.pk}",
                    _("%(g)s案件 %(i)s 受理、%(c)s 结案，一日内办结")
                    % {
                        "g": GRADE_LABELS.get(case.grade, case.grade),
                        "i": case.intake_on.isoformat(),
                        "c": case.completed_on.isoformat(),
                    },
                    case.number,
                    case.url,
                    ("mediation.mediationcase", case.pk),
                )
            )
        for user, _primary in case.mediators:
            if user in by_user:
                plans[by_user[user].lawyer_id].flags.extend(draft)


def _flag_photos(ctx: Context, work, plans) -> None:
    """A lecture photo the same as (or within 3 bits of) a photo of another lecture of the last
    twelve months anywhere in the city: candidates found through the indexed bands of the prints,
    the distance checked exactly, the other lectures named with day and community as evidence."""
    from guwen.core.photohash import distance
    from guwen.subsidy.models import PhotoPrint

    lectures = {item.pk: item for item in work if item.kind == "lecture"}
    if not lectures:
        return
    window = ctx.window_photos()
    first, last = photo_window(ctx.month)
    mine = [
        (activity_pk, value)
        for photo_pk, activity_pk, value in PhotoPrint.objects.filter(activity_pk__in=list(lectures))
        .exclude(value="")
        .values_list("photo_pk", "activity_pk", "value")
        if photo_pk in window
    ]
    if not mine:
        return
    near = Q()
    for index in range(4):
        near |= Q(**{f"band{index}__in": sorted({_bands(value)[index] for _a, value in mine})})
    candidates = [
        row
        for row in PhotoPrint.objects.filter(near, taken_on__gte=first, taken_on__lte=last)
        .exclude(value="")
        .values_list("photo_pk", "activity_pk", "community_id", "taken_on", "value")
        if row[0] in window
    ]
    names = dict(Region.objects.filter(pk__in={row[2] for row in candidates}).values_list("pk", "name"))
    twins: dict[int, set[tuple[int, date, str]]] = defaultdict(set)
    for activity_pk, value in mine:
        for _photo, other, community_id, taken_on, theirs in candidates:
            if other != activity_pk and distance(value, theirs) < PHOTO_DISTANCE:
                twins[activity_pk].add((other, taken_on, names.get(community_id, "")))
    for activity_pk in sorted(twins):
        item = lectures[activity_pk]
        found = "、".join(
            f"#{other}（{taken_on.isoformat()}，{name}）"
            for other, taken_on, name in sorted(twins[activity_pk])
        )
        flag = DraftFlag(
            FlagKind.SAME_PHOTO,
            f"lecture:{item.pk}",
            _("照片与近十二个月内其他活动的照片相同或近似：活动 %(ids)s") % {"ids": found},
            item.label,
            item.url,
            ("outreach.activity", item.pk),
        )
        for lawyer_id in item.lawyer_ids:
            if lawyer_id in plans:
                plans[lawyer_id].flags.append(flag)


def _sample(ctx: Context, advisor: Advisor, plan: Plan) -> list[DraftFlag]:
    """The callback sample: the district's percentage of the advisor's paid record lines (at least
    one when there are any), chosen by a hash of the district, the month and the record, so the
    same month always samples the same lines and nobody can pick them."""
    percent = ctx.month_rules.sample_percent if ctx.month_rules else Decimal(10)
    candidates = [line for line in plan.lines if line.amount > 0]
    if not candidates:
        return []
    count = max(1, math.ceil(len(candidates) * percent / 100))

    def order(line: DraftLine) -> str:
        return hashlib.sha256(f"{ctx.seed}:{line.record_type}:{line.record_pk}".encode()).hexdigest()

    chosen = sorted(candidates, key=order)[:count]
    return [
        DraftFlag(
            FlagKind.CALLBACK_SAMPLE,
            f"{line.record_type}:{line.record_pk}",
            _("随机抽查回访（本月抽查比例 %(p)s%%）：请回访当事人或社区核实") % {"p": percent_text(percent)},
            line.label,
            line.url,
            (line.record_type, line.record_pk),
        )
        for line in chosen
    ]


# --- writing --------------------------------------------------------------------------------------


def _paid_elsewhere(lawyer_ids: list[int], month: date, district: Region) -> set[tuple[int, str, int]]:
    """Records already on another settlement of the advisor (another month, or the same month in
    another district), which this one must not pay again."""
    return set(
        SettlementLine.objects.filter(lawyer_id__in=lawyer_ids, record_pk__isnull=False)
        .exclude(settlement__month=month, settlement__district=district)
        .exclude(kind__in=[LineKind.CAP, LineKind.ADJUSTMENT])
        .values_list("lawyer_id", "record_type", "record_pk")
    )


def cap_cuts(
    lines, rules: RuleSet | None, *, before_year: Decimal, others: dict[int, Decimal]
) -> list[tuple[Decimal, str, int | None]]:
    """The cap lines an advisor's month needs, as ``(cut, note, community)``: the advisor's month,
    then the advisor's year (``before_year``: the other months' totals), then the community's
    monthly budget (``others``: what the other advisors' lines already use, by community)."""
    if rules is None or (
        rules.cap_advisor_month is None
        and rules.cap_advisor_year is None
        and rules.cap_community_month is None
    ):
        return []
    total = sum((line.amount for line in lines), ZERO)
    caps: list[tuple[Decimal, str, int | None]] = []
    if rules.cap_advisor_month is not None and total > rules.cap_advisor_month:
        cut = total - rules.cap_advisor_month
        caps.append((cut, _("超出每人每月上限 %(c)s 元") % {"c": rules.cap_advisor_month}, None))
        total -= cut
    if rules.cap_advisor_year is not None:
        room = max(rules.cap_advisor_year - before_year, ZERO)
        if total > room:
            caps.append(
                (
                    total - room,
                    _("超出每人每年上限 %(c)s 元（本年其他月份已结算 %(b)s 元）")
                    % {"c": rules.cap_advisor_year, "b": before_year},
                    None,
                )
            )
            total = room
    if rules.cap_community_month is not None:
        mine: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for line in lines:
            if line.community_id:
                mine[line.community_id] += line.amount
        for community_id, amount in sorted(mine.items()):
            used = others.get(community_id, ZERO)
            room = max(rules.cap_community_month - used, ZERO)
            if amount > room and total > 0:
                cut = min(amount - room, total)
                caps.append(
                    (
                        cut,
                        _("超出社区每月预算 %(c)s 元（其他律师已用 %(o)s 元）")
                        % {"c": rules.cap_community_month, "o": used},
                        community_id,
                    )
                )
                total -= cut
    return caps


def _cap_lines(settlement: Settlement, rules: RuleSet | None, caps, position: int) -> list[SettlementLine]:
    return [
        SettlementLine(
            settlement=settlement,
            lawyer_id=settlement.lawyer_id,
            position=position + index,
            kind=LineKind.CAP,
            community_id=community_id,
            rule_set=rules,
            amount=-cents(cut),
            note=note,
        )
        for index, (cut, note, community_id) in enumerate(caps, start=1)
    ]


def _year_before(lawyer_ids: list[int], month: date, district_id: int) -> dict[int, Decimal]:
    """Each advisor's settled total in the other months of the year in the district (summed in
    Decimal): a district's yearly cap counts only what the district itself pays."""
    before: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for lawyer_id, total in (
        Settlement.objects.filter(lawyer_id__in=lawyer_ids, month__year=month.year, district_id=district_id)
        .exclude(month=month)
        .values_list("lawyer_id", "total")
    ):
        before[lawyer_id] += total
    return before


def _community_used(community_ids, month: date, excluding: list[int]) -> dict[int, Decimal]:
    """What the month's lines of other settlements use of each community's budget."""
    used: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for community_id, amount in (
        SettlementLine.objects.filter(settlement__month=month, community_id__in=community_ids)
        .exclude(settlement_id__in=excluding)
        .values_list("community_id", "amount")
    ):
        used[community_id] += amount
    return used


def apply_caps(settlement: Settlement, rules: RuleSet | None) -> None:
    """Cap lines, recomputed from the other lines, so no cap is ever exceeded (see ``cap_cuts``)."""
    caps = settlement.lines.filter(kind=LineKind.CAP)
    Flag.objects.filter(line__in=caps).update(line=None)
    caps.delete()
    if rules is None:
        return
    lines = list(settlement.lines.all())
    before = _year_before([settlement.lawyer_id], settlement.month, settlement.district_id)[
        settlement.lawyer_id
    ]
    used = _community_used(
        {line.community_id for line in lines if line.community_id}, settlement.month, [settlement.pk]
    )
    caps = cap_cuts(lines, rules, before_year=before, others=used)
    position = max((line.position for line in lines), default=0)
    SettlementLine.objects.bulk_create(_cap_lines(settlement, rules, caps, position))


def refresh_total(settlement: Settlement) -> None:
    # Summed here in Decimal: SQLite's SUM of decimals goes through floating point.
    settlement.total = sum(settlement.lines.values_list("amount", flat=True), ZERO)
    Settlement.objects.filter(pk=settlement.pk).update(total=settlement.total)


def _line(settlement: Settlement, lawyer_id: int, index: int, line: DraftLine) -> SettlementLine:
    return SettlementLine(
        settlement=settlement,
        lawyer_id=lawyer_id,
        position=index,
        kind=line.kind,
        record_type=line.record_type,
        record_pk=line.record_pk,
        record_label=line.label[:120],
        record_url=line.url,
        community_id=line.community_id,
        completed_on=line.completed_on,
        rule_set=line.rule_set,
        grade=line.grade,
        outcome=line.outcome,
        base_amount=line.base,
        share=line.share,
        amount=line.amount,
        note=line.note[:300],
    )


def _write_batch(ctx: Context, advisors: list[Advisor], plans: dict[int, Plan], by) -> list[Settlement]:
    """Write a batch's settlements set-wise: one locking read, one insert of the new settlements, one
    delete and one insert of the lines, one insert of the flags and of the audit events. Advisors
    are capped in order, each seeing the community budget used by those before it."""
    lawyer_ids = [a.lawyer_id for a in advisors]
    rules = ctx.month_rules
    paid = _paid_elsewhere(lawyer_ids, ctx.month, ctx.district)
    with transaction.atomic():
        current = {
            settlement.lawyer_id: settlement
            for settlement in Settlement.objects.select_for_update().filter(
                lawyer_id__in=lawyer_ids, month=ctx.month, district=ctx.district
            )
        }
        missing = [a for a in advisors if a.lawyer_id not in current]
        places = ctx.places([a.community_id for a in missing])
        fresh = [
            Settlement(
                lawyer_id=a.lawyer_id,
                month=ctx.month,
                district=ctx.district,
                community=places[a.community_id][0],
                batch=places[a.community_id][1],
            )
            for a in missing
        ]
        Settlement.objects.bulk_create(fresh)  # primary keys come back (PostgreSQL, SQLite ≥ 3.35)
        current.update((settlement.lawyer_id, settlement) for settlement in fresh)
        # Submitted ones are never overwritten.
        chosen = [(a, current[a.lawyer_id]) for a in advisors if current[a.lawyer_id].status in EDITABLE]
        keys = [settlement.pk for _a, settlement in chosen]
        stale = SettlementLine.objects.filter(settlement_id__in=keys).exclude(kind=LineKind.ADJUSTMENT)
        Flag.objects.filter(settlement_id__in=keys, line__isnull=False).exclude(
            line__kind=LineKind.ADJUSTMENT
        ).update(line=None)
        stale.delete()
        adjustments: dict[int, list[SettlementLine]] = defaultdict(list)
        for adjustment in SettlementLine.objects.filter(
            settlement_id__in=keys, kind=LineKind.ADJUSTMENT
        ).order_by("settlement_id", "position", "pk"):
            adjustments[adjustment.settlement_id].append(adjustment)
        written: dict[int, list[SettlementLine]] = {}
        for advisor, settlement in chosen:
            written[settlement.pk] = [
                _line(settlement, advisor.lawyer_id, index, line)
                for index, line in enumerate(plans[advisor.lawyer_id].lines, start=1)
                if (advisor.lawyer_id, line.record_type, line.record_pk) not in paid
            ]
        capped = rules is not None and (
            rules.cap_advisor_month is not None
            or rules.cap_advisor_year is not None
            or rules.cap_community_month is not None
        )
        before = (
            _year_before(lawyer_ids, ctx.month, ctx.district.pk)
            if capped and rules.cap_advisor_year is not None
            else {}
        )
        used: dict[int, Decimal] = {}
        if capped and rules.cap_community_month is not None:
            communities = {
                line.community_id for lines in written.values() for line in lines if line.community_id
            } | {line.community_id for lines in adjustments.values() for line in lines if line.community_id}
            used = _community_used(communities, ctx.month, keys)
        moved: list[SettlementLine] = []
        new_lines: list[SettlementLine] = []
        events = []
        now = timezone.now()
        for _advisor, settlement in chosen:
            lines = written[settlement.pk]
            for offset, adjustment in enumerate(adjustments[settlement.pk], start=len(lines) + 1):
                if adjustment.position != offset:  # adjustments stay after the computed lines
                    adjustment.position = offset
                    moved.append(adjustment)
            kept = lines + adjustments[settlement.pk]
            caps = (
                cap_cuts(kept, rules, before_year=before.get(settlement.lawyer_id, ZERO), others=used)
                if capped
                else []
            )
            position = max((line.position for line in kept), default=0)
            cap_lines = _cap_lines(settlement, rules, caps, position)
            everything = kept + cap_lines
            for line in everything:
                if line.community_id:
                    used[line.community_id] = used.get(line.community_id, ZERO) + line.amount
            new_lines.extend(lines)
            new_lines.extend(cap_lines)
            settlement.total = sum((line.amount for line in everything), ZERO)
            settlement.computed_at = now
            settlement.revision += 1
            events.append(
                audit.build(
                    actor=by,
                    action="subsidy.settlement.compute",
                    obj=settlement,
                    new={"total": settlement.total, "lines": len(lines)},
                )
            )
        SettlementLine.objects.bulk_create(new_lines)
        if moved:
            SettlementLine.objects.bulk_update(moved, ["position"])
        settled = [settlement for _a, settlement in chosen]
        Settlement.objects.bulk_update(settled, ["total", "computed_at", "revision"])
        _write_flags(chosen, plans, written, adjustments)
        AuditEvent.objects.bulk_create(events)
    return settled


def _write_flags(chosen, plans: dict[int, Plan], written, adjustments) -> None:
    """New flags inserted, flags found again kept (with their status) and pointed at the new lines."""
    existing: dict[tuple[int, str, str], tuple[int, int | None]] = {
        (settlement_id, kind, key): (pk, line_id)
        for settlement_id, kind, key, pk, line_id in Flag.objects.filter(
            settlement_id__in=[settlement.pk for _a, settlement in chosen]
        ).values_list("settlement_id", "kind", "key", "pk", "line_id")
    }
    new: dict[tuple[int, str, str], Flag] = {}
    relinked: list[Flag] = []
    for advisor, settlement in chosen:
        line_of = {
            (line.record_type, line.record_pk): line.pk
            for line in written[settlement.pk] + adjustments[settlement.pk]
            if line.record_pk is not None
        }
        for draft in plans[advisor.lawyer_id].flags:
            line_pk = line_of.get(draft.record) if draft.record else None
            key = (settlement.pk, draft.kind, draft.key)
            found = existing.get(key)
            if found is None:
                new.setdefault(
                    key,
                    Flag(
                        settlement=settlement,
                        kind=draft.kind,
                        key=draft.key,
                        evidence=draft.evidence,
                        record_label=draft.label[:120],
                        record_url=draft.url,
                        line_id=line_pk,
                    ),
                )
            elif found[1] != line_pk:  # recomputed lines have new ids
                relinked.append(Flag(pk=found[0], line_id=line_pk))
                existing[key] = (found[0], line_pk)
    Flag.objects.bulk_create(new.values())
    if relinked:
        Flag.objects.bulk_update(relinked, ["line_id"])


def settle_advisors(ctx: Context, advisors: list[Advisor], *, by=None) -> list[Settlement]:
    return _write_batch(ctx, advisors, plan_batch(ctx, advisors), by)


def settle_district_month(
    *, district: Region, month: date, by=None, progress=None, batch_size: int = BATCH_SIZE
) -> int:
    """Compute (or recompute) the draft settlements of every advisor of the district for the month;
    submitted ones are left alone. ``progress(done, total)`` is called after each batch."""
    ctx = Context(district, month)
    advisors = district_advisors(district, ctx.month)
    done = 0
    for index in range(0, len(advisors), batch_size):
        chunk = advisors[index : index + batch_size]
        settle_advisors(ctx, chunk, by=by)
        done += len(chunk)
        if progress is not None:
            progress(done, len(advisors))
    return len(advisors)


def settlement_recompute(*, settlement: Settlement, by, revision: int | None = None) -> Settlement:
    """Recompute one draft (or returned) settlement from the records as they are now."""
    from guwen.subsidy.workflow import SETTLEMENT, settlement_roles

    SETTLEMENT.require(settlement, "recompute", settlement_roles(by, settlement))
    if revision is not None and revision != settlement.revision:
        raise Conflict(_("该结算单已被他人修改，请刷新后再操作"), code="changed")
    district = settlement.district
    ctx = Context(district, settlement.month)
    advisors = district_advisors(district, settlement.month, [settlement.lawyer_id])
    if not advisors:
        advisors = [Advisor(settlement.lawyer_id, settlement.lawyer.user_id, settlement.community_id)]
    result = settle_advisors(ctx, advisors, by=by)
    if not result:
        raise Conflict(_("结算单已提交，不能重新计算"), code="invalid_state")
    return result[0]
