"""A synthetic city to measure on (``manage.py generate_city``): the Shenzhen divisions from
../shared/data/divisions when present (the regions already imported, or a generated tree,
otherwise), firms, about 1,000 advisors with their postings, and years of work in every community —
consultations with a realistic category and channel mix, deadlines, escalations, answers and
ratings; weekly on-site duty with the check-in and check-out records the advisor's taps write;
lectures and publicity; enterprise health checks with findings; screening leads and mediation cases
with outcomes, two or more parties (身份证号 and phone sealed as at intake), 回访 and the required
卷宗 items; legal opinions; the residents' survey and the community's evaluation every quarter.

Then, city-wide (``city_history``): 以案定补 settlements of the last twelve full months computed by
the subsidy service and, older than two months, paid along the approval chain; one appraisal per
advisor and year, reviewed through the evaluation service for the years that have ended. Twelve
months of settlements, not the whole period: at Shenzhen scale over three years, settling every
month would triple the slowest part of the run for history no page reads.

Deterministic: every community draws from its own generators seeded by ``seed`` and its code, so
the same seed and end date give the same records (the sealed numbers' ciphertexts aside, which
differ at every encryption), whichever communities are built first and in however many processes
(``workers``). The city-wide history is computed from those records, so it is the same too.
Written with ``bulk_create`` in batches, one community per transaction; a run that stops can be
started again and skips the communities, district months and appraisals already built. Every text
is made up here from short phrases.

Volumes at ``scale=1`` per community and year follow the issue's Shenzhen figures (790
communities, three years: about 1.5 million consultations, 100,000 mediation cases and 200,000
activities); ``scale`` multiplies the records, never the regions or advisors. Measured figures:
docs/performance.md.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from guwen.accounts.models import Membership, Role, User
from guwen.consultations.models import Consultation, Rating, RatingKind
from guwen.core.crypto import seal
from guwen.core.masking import mask_id_number, mask_phone
from guwen.core.validators import credit_code_check_char, id_number_check_char, org_code_check_char
from guwen.demo import city_history as history
from guwen.duty.models import CheckKind, DutyCheck, DutyShift, ShiftStatus
from guwen.duty.services.attendance import held_minutes
from guwen.evaluation import rules as evaluation_rules
from guwen.evaluation.models import CommunityEvaluation, EvaluationForm, Questionnaire, SurveyResponse
from guwen.mediation import reference
from guwen.mediation.models import (
    Callback,
    CaseCounter,
    CaseMediator,
    CaseStatus,
    DisputeLead,
    DisputeType,
    FileItem,
    FileItemKind,
    LeadStatus,
    MediationCase,
    Outcome,
    OutcomeKind,
    Party,
    PartyKind,
    PartyRole,
    Performed,
    Satisfaction,
)
from guwen.mediation.services.cases import _sealed
from guwen.outreach.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    ChecklistArea,
    CheckStatus,
    Enterprise,
    Finding,
    HealthCheck,
    LegalOpinion,
    OpinionKind,
    OpinionStatus,
)
from guwen.regions.models import Assignment, LawFirm, Lawyer, Level, Region
from guwen.regions.services import regions_import_file

BATCH = 2000
# Per community and year at scale 1 (Shenzhen: 788 communities).
CONSULTATIONS = 635
ACTIVITIES = 85
CASES = 42
LEADS = 50
CHECKS = 10
OPINIONS = 8
ENTERPRISES = 6
ADVISORS_PER_COMMUNITY = 1000 / 788
LAWYERS_PER_FIRM = 8

# Category mix of community questions (the knowledge base's 18 categories; labour and family first).
CATEGORIES = [
    ("劳动争议", 24),
    ("婚姻家庭", 14),
    ("房产纠纷", 8),
    ("邻里纠纷", 8),
    ("债权债务", 8),
    ("合同纠纷", 7),
    ("物业纠纷", 6),
    ("消费维权", 5),
    ("交通事故", 4),
    ("社保工伤", 4),
    ("侵权损害", 3),
    ("土地征收拆迁", 2),
    ("医疗纠纷", 2),
    ("刑事治安", 2),
    ("公司商事", 1),
    ("行政事务", 1),
    ("建设工程", 1),
]
CHANNELS = [("web", 45), ("phone", 20), ("walk_in", 20), ("group", 10), ("hotline", 5)]
ASKS = [
    "应当怎么处理",
    "需要准备哪些材料",
    "可以找谁解决",
    "有没有时间限制",
    "费用大概多少",
    "对方不配合怎么办",
]
RATING_COMMENTS = {
    5: ["律师很耐心，讲得很清楚", "回复及时，解决了问题", "非常专业，谢谢"],
    4: ["解答清楚，就是回复慢了一点", "有帮助"],
    3: ["基本解答了，还想再了解细节", "一般"],
    2: ["回复太慢", "没有说清楚怎么办"],
    1: ["等了很久没人回复", "没有解决问题"],
}
SUBJECTS = {
    "劳动争议": ["工资拖欠", "解除劳动合同", "加班费", "经济补偿"],
    "婚姻家庭": ["离婚财产分割", "子女抚养", "赡养老人", "继承房产"],
    "房产纠纷": ["租房押金", "购房定金", "房屋漏水维修"],
    "邻里纠纷": ["噪音扰民", "占用楼道", "渗水"],
    "债权债务": ["借款不还", "欠条效力", "担保责任"],
    "合同纠纷": ["装修合同", "培训合同退费", "买卖合同违约"],
    "物业纠纷": ["物业费", "停车位", "公共维修基金"],
    "消费维权": ["预付卡退款", "网购退货", "虚假宣传"],
    "交通事故": ["电动车碰撞", "保险理赔", "误工费"],
    "社保工伤": ["工伤认定", "社保断缴", "医保报销"],
}
ACTIVITY_KINDS = [("lecture", 30), ("publicity", 55), ("party_building", 10), ("mediator_training", 5)]
PUBLICITY = ["banner", "group_push", "checkpoint_talk", "party_pavilion", "online"]
TOPICS = ["民法典进社区", "防范电信诈骗", "劳动者权益保护", "反家庭暴力", "未成年人保护", "物业管理条例解读"]
INDUSTRIES = ["制造业", "批发零售", "餐饮", "物流", "建筑", "软件和信息服务"]
ISSUES = [
    "劳动合同未书面签订",
    "加班费计算不规范",
    "消防安全制度缺失",
    "合同审批流程缺失",
    "个人信息保护不足",
]
OPINION_KINDS = [OpinionKind.CONTRACT_REVIEW] * 5 + [
    OpinionKind.DECISION,
    OpinionKind.PROJECT,
    OpinionKind.RULES,
]
SURNAMES = "陈李张刘黄王林吴郑杨"
GIVEN = "志明建华小红丽芳伟强静敏"
GRADES = [("simple", 55), ("ordinary", 35), ("major", 8), ("special", 2)]


def _b36(n: int, width: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    for _ in range(width):
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _count(rng: random.Random, per_year: float, days: int, scale: float, weight: float) -> int:
    expected = per_year * days / 365 * scale * weight
    whole = int(expected)
    return whole + (1 if rng.random() < expected - whole else 0)


def credit_code(serial: int, category: str = "91") -> str:
    """A valid 统一社会信用代码 registered in Shenzhen (440300), unique per serial."""
    body = f"G{serial:07d}"
    first17 = category + "440300" + body + org_code_check_char(body)
    return first17 + credit_code_check_char(first17)


@dataclass
class Options:
    scale: float = 1.0
    years: int = 1
    seed: int = 1
    communities: int | None = None
    until: date | None = None
    divisions: Path | None = None
    workers: int = 1


@dataclass
class Result:
    communities: int
    built: int
    skipped: int
    advisors: int
    counts: dict[str, int]


def default_divisions() -> Path:
    return Path(settings.GUWEN_SHARED_DIR) / "data" / "divisions" / "shenzhen.csv"


# --- regions ----------------------------------------------------------------------------------


def ensure_regions(divisions: Path | None) -> None:
    """Import the divisions file when given (re-runnable); otherwise keep the regions there are, or
    build a synthetic city of 10 districts, 70 streets and 800 communities."""
    if divisions is not None and divisions.exists():
        regions_import_file(path=divisions, by=None)
        return
    if Region.objects.filter(level=Level.COMMUNITY).exists():
        return
    city = Region.objects.create(code="449900000000", name="样例市", full_name="样例市", level=Level.CITY)
    city.path = f"{city.code}/"
    Region.objects.filter(pk=city.pk).update(path=city.path)
    rows = []
    for d in range(1, 11):
        district = Region(
            code=f"4499{d:02d}000000",
            name=f"第{d}区",
            full_name=f"第{d}区",
            level=Level.DISTRICT,
            parent=city,
        )
        district.path = f"{city.path}{district.code}/"
        district.save()
        for s in range(1, 8):
            street = Region(
                code=f"4499{d:02d}{s:03d}000",
                name=f"第{d}区{s}街道",
                full_name=f"第{d}区{s}街道",
                level=Level.STREET,
                parent=district,
            )
            street.path = f"{district.path}{street.code}/"
            street.save()
            for c in range(1, 12 + (s % 2)):
                code = f"{street.code[:9]}{c:03d}"
                rows.append(
                    Region(
                        code=code,
                        name=f"{street.name}{c}社区",
                        full_name=f"{street.name}{c}社区居委会",
                        level=Level.COMMUNITY,
                        parent=street,
                        path=f"{street.path}{code}/",
                    )
                )
    Region.objects.bulk_create(rows, batch_size=BATCH)


def city_communities() -> list[Region]:
    """Every residential community in code order (the five 虚拟社区 of bonded zones left out); a
    community's place in this list numbers its records, so the list must not depend on options."""
    return list(
        Region.objects.filter(level=Level.COMMUNITY, is_active=True)
        .exclude(name__contains="虚拟")
        .select_related("parent__parent")
        .order_by("code")
    )


def chosen(communities: list[Region], limit: int | None) -> list[tuple[int, Region]]:
    """``limit`` communities spread evenly over the city (all of them by default), with their index."""
    indexed = list(enumerate(communities))
    if not limit or limit >= len(indexed):
        return indexed
    step = len(indexed) / limit
    return [indexed[int(k * step)] for k in range(limit)]


# --- people -----------------------------------------------------------------------------------


def ensure_advisors(targets: list[tuple[int, Region]], seed: int, since: date) -> dict[int, list[Lawyer]]:
    """Firms registered in each district, a primary advisor for every community and backups for
    some (about 1,000 advisors for Shenzhen's 788 communities), each with a login and the advisor
    role. Communities already posted keep their advisors."""
    posted = {
        a.community_id: a
        for a in Assignment.objects.filter(community__in=[c for _i, c in targets], ends_on__isnull=True)
    }
    todo = [(i, c) for i, c in targets if c.pk not in posted]
    if todo:
        with transaction.atomic():
            _post(todo, seed, since)
    lawyers: dict[int, list[Lawyer]] = {}
    for a in (
        Assignment.objects.filter(community__in=[c for _i, c in targets], ends_on__isnull=True)
        .select_related("lawyer__user")
        .order_by("role", "id")
    ):
        lawyers.setdefault(a.community_id, []).append(a.lawyer)
    return lawyers


def _post(todo: list[tuple[int, Region]], seed: int, since: date) -> None:
    rng = random.Random(f"{seed}:advisors:{todo[0][0]}:{len(todo)}")
    by_district: dict[int, list[tuple[int, Region]]] = {}
    for i, community in todo:
        by_district.setdefault(community.parent.parent_id, []).append((i, community))
    firms: dict[int, list[LawFirm]] = {}
    for district_id, rows in by_district.items():
        first = rows[0][0]
        count = max(1, round(len(rows) * ADVISORS_PER_COMMUNITY / LAWYERS_PER_FIRM))
        firms[district_id] = LawFirm.objects.bulk_create(
            LawFirm(
                name=f"城市样例律师事务所{first:03d}-{k + 1:02d}",
                credit_code=credit_code(100_000 + first * 100 + k, "31"),
                district_id=district_id,
            )
            for k in range(count)
        )
    # (serial, community, role, firm): the serial numbers the licence and phone, unique in the city.
    postings: list[tuple[int, Region, str, LawFirm]] = []
    for district_id, rows in by_district.items():
        for i, community in rows:
            firm = firms[district_id][i % len(firms[district_id])]
            postings.append((2 * i, community, "primary", firm))
            if rng.random() < ADVISORS_PER_COMMUNITY - 1:
                postings.append((2 * i + 1, community, "backup", firm))
    users = User.objects.bulk_create(
        User(
            username=f"city-{community.code}-{role}", password="!", display_name=f"律师{community.code[-5:]}"
        )
        for _serial, community, role, _firm in postings
    )
    Membership.objects.bulk_create(
        Membership(user=user, role=Role.ADVISOR, starts_on=since) for user in users
    )
    lawyers = Lawyer.objects.bulk_create(
        Lawyer(
            user=user,
            name=f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}{serial % 100:02d}",
            licence_number=f"14403{2005 + serial % 18}{(serial * 7919) % 100_000_000:08d}",
            firm=firm,
            phone=f"139{(serial * 104_729) % 100_000_000:08d}",
        )
        for user, (serial, _community, _role, firm) in zip(users, postings, strict=True)
    )
    Assignment.objects.bulk_create(
        Assignment(lawyer=lawyer, community=community, firm=firm, role=role, starts_on=since)
        for lawyer, (_serial, community, role, firm) in zip(lawyers, postings, strict=True)
    )


# --- one community's records --------------------------------------------------------------------


class Builder:
    """The records of one community over the period, drawn from its own generator."""

    def __init__(self, *, index: int, community: Region, lawyers: list[Lawyer], options: Options, refs):
        self.index = index
        self.community = community
        self.lawyers = lawyers
        self.primary = lawyers[0]
        self.options = options
        self.refs = refs
        self.rng = random.Random(f"{options.seed}:{community.code}")
        self.until = options.until
        self.start = self.until - timedelta(days=365 * options.years - 1)
        self.days = (self.until - self.start).days + 1
        self.now = timezone.now()
        # A busy community asks ten times what a quiet one does.
        self.weight = min(3.0, max(0.3, self.rng.lognormvariate(0, 0.5)))
        self.place = community.name.removesuffix("居委会").removesuffix("居民委员会")
        self.counts: dict[str, int] = {}

    def count(self, per_year: float) -> int:
        return _count(self.rng, per_year, self.days, self.options.scale, self.weight)

    def day(self) -> date:
        return self.start + timedelta(days=self.rng.randrange(self.days))

    def at(self, day: date, hour_from: int = 8, hour_to: int = 21) -> datetime:
        moment = datetime.combine(day, time(self.rng.randrange(hour_from, hour_to), self.rng.randrange(60)))
        return timezone.make_aware(moment)

    def save(self, model, rows: list) -> list:
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + len(rows)
        return model.objects.bulk_create(rows, batch_size=BATCH)

    def build(self) -> None:
        self.consultations()
        self.shifts()
        self.activities()
        self.checks()
        self.mediation()
        self.opinions()
        self.evaluations()

    # Consultations: first deadline a day after the question (four hours when urgent); most are
    # answered within it; older ones are closed; a few went up to the street or district.
    def consultations(self) -> None:
        rng, rows = self.rng, []
        n = max(1, self.count(CONSULTATIONS))
        marker = marker_code(self.index)
        for k in range(n):
            created = self.at(self.day()) if k else self.at(self.start)
            if created > self.now:
                created = self.now - timedelta(minutes=rng.randrange(1, 600))
            category = _pick(rng, CATEGORIES)
            subject = rng.choice(SUBJECTS.get(category, [category]))
            urgent = rng.random() < 0.03
            first_due = created + timedelta(hours=4 if urgent else 24)
            age = self.now - created
            roll = rng.random()
            level = "community" if roll < 0.88 else ("street" if roll < 0.97 else "district")
            minutes = int(rng.lognormvariate(5.6, 1.0))  # median about 4.5 hours
            first = created + timedelta(minutes=minutes)
            if first > self.now:
                first = None
            if age > timedelta(days=7):
                status = rng.choices(["closed", "answered", "waiting_resident", "new"], [70, 26, 2, 2])[0]
            else:
                status = rng.choices(["new", "answered", "followup", "closed"], [30, 45, 5, 20])[0]
            if status == "new":
                first = None
            elif first is None:
                status, first = "new", None
            closed = None
            if status == "closed" and first is not None:
                closed = first + timedelta(hours=rng.randrange(1, 96))
                if closed > self.now:
                    closed = None
                    status = "answered"
            open_ = status in ("new", "followup")
            rows.append(
                Consultation(
                    community_id=self.community.pk,
                    channel=_pick(rng, CHANNELS),
                    resident_name=rng.choice("陈李张刘黄王林吴")
                    + rng.choice(["先生", "女士", "阿姨", "师傅"]),
                    phone_masked=f"13{rng.randrange(10)}****{rng.randrange(10_000):04d}",
                    text=f"{self.place}居民咨询{subject}问题，{rng.choice(ASKS)}？",
                    category=category if closed else "",
                    category_confirmed=closed is not None,
                    category_suggested=category,
                    urgency="urgent" if urgent else "normal",
                    level=level,
                    owner_id=self.primary.user_id,
                    status=status,
                    due_at=first_due if open_ else None,
                    first_due_at=first_due,
                    receipt_code=marker if k == 0 else f"G{_b36(self.index, 2)}{_b36(k, 5)}",
                    created_at=created,
                    first_response_at=first,
                    answered_at=first,
                    closed_at=closed,
                    minutes_to_first_response=int((first - created).total_seconds() // 60) if first else None,
                    minutes_to_close=int((closed - created).total_seconds() // 60) if closed else None,
                )
            )
        self.ratings(self.save(Consultation, rows))

    # Ratings: about one resident in five rates a closed consultation, a day or two after it
    # closed, mostly well. Drawn from a generator of their own, so the other records stay as the
    # same seed has always drawn them.
    def ratings(self, consultations: list[Consultation]) -> None:
        rng = random.Random(f"{self.options.seed}:{self.community.code}:ratings")
        rows = []
        for c in consultations:
            if c.closed_at is None or rng.random() >= 0.2:
                continue
            at = min(c.closed_at + timedelta(hours=rng.randrange(1, 48)), self.now)
            score = rng.choices([5, 4, 3, 2, 1], [62, 24, 8, 4, 2])[0]
            rows.append(
                Rating(
                    kind=RatingKind.CONSULTATION,
                    target_id=c.pk,
                    label=f"法律咨询 {c.receipt_code}",
                    consultation_id=c.pk,
                    community_id=self.community.pk,
                    lawyer_id=self.primary.pk,
                    score=score,
                    comment=rng.choice(RATING_COMMENTS[score]) if rng.random() < 0.4 else "",
                    created_at=at,
                )
            )
        self.save(Rating, rows)

    # On-site duty: one half-day a week on a fixed weekday (三固定), by the primary advisor or, one
    # week in ten, a backup standing in; the next four weeks scheduled. Weekly whatever the scale.
    def shifts(self) -> None:
        rng, rows = self.rng, []
        weekday = rng.randrange(5)
        morning = rng.random() < 0.5
        day = self.start + timedelta(days=(weekday - self.start.weekday()) % 7)
        horizon = self.until + timedelta(days=28)
        while day <= horizon:
            rows.append(self._shift(day, morning))
            day += timedelta(days=7)
        self.checks_in_out(self.save(DutyShift, rows))

    # The check-in and check-out records the advisor's taps write (duty_shift_check_in/_out), on
    # the shift's own times, by the advisor who held it, without a photo.
    def checks_in_out(self, shifts: list[DutyShift]) -> None:
        rows = []
        for shift in shifts:
            if shift.checked_in_at is None:
                continue
            by = shift.lawyer.user_id
            rows.append(DutyCheck(shift_id=shift.pk, kind=CheckKind.IN, at=shift.checked_in_at, by_id=by))
            if shift.checked_out_at is not None:
                rows.append(
                    DutyCheck(shift_id=shift.pk, kind=CheckKind.OUT, at=shift.checked_out_at, by_id=by)
                )
        self.save(DutyCheck, rows)

    def _shift(self, day: date, morning: bool) -> DutyShift:
        rng = self.rng
        starts = timezone.make_aware(datetime.combine(day, time(9) if morning else time(14, 30)))
        ends = starts + timedelta(hours=3)
        lawyer, original = self.primary, None
        if len(self.lawyers) > 1 and rng.random() < 0.1:
            lawyer, original = self.lawyers[1], self.primary
        shift = DutyShift(
            community_id=self.community.pk,
            lawyer=lawyer,
            original_lawyer=original,
            date=day,
            starts_at=starts,
            ends_at=ends,
            place=f"{self.place}党群服务中心",
            confirm_due=day + timedelta(days=6 - day.weekday()),
        )
        if ends > self.now:
            return shift
        status = rng.choices(
            [
                ShiftStatus.CONFIRMED,
                ShiftStatus.COMPLETED,
                ShiftStatus.MISSED,
                ShiftStatus.CANCELLED,
                ShiftStatus.DISPUTED,
            ],
            [86, 5, 4, 4, 1],
        )[0]
        shift.status = status
        if status in (ShiftStatus.CONFIRMED, ShiftStatus.COMPLETED, ShiftStatus.DISPUTED):
            late = rng.random() < 0.08
            shift.checked_in_at = starts + timedelta(
                minutes=rng.randrange(16, 45) if late else -rng.randrange(15)
            )
            shift.checked_out_at = ends + timedelta(minutes=rng.randrange(-20, 30))
            shift.is_late = late
            # As the check-out counts them: only the scheduled hours (an early arrival adds nothing).
            shift.held_minutes = held_minutes(shift, shift.checked_out_at)
            if status == ShiftStatus.CONFIRMED:
                shift.confirmed_at = shift.checked_out_at + timedelta(hours=rng.randrange(1, 48))
        elif status == ShiftStatus.CANCELLED:
            shift.cancel_reason = "社区场地另有安排"
        return shift

    def activities(self) -> None:
        rng, rows = self.rng, []
        for _k in range(self.count(ACTIVITIES)):
            day = self.day()
            kind = _pick(rng, ACTIVITY_KINDS)
            if day > self.until - timedelta(days=3):
                status, audience = ActivityStatus.PLANNED, None
            else:
                status = rng.choices(
                    [ActivityStatus.CONFIRMED, ActivityStatus.HELD, ActivityStatus.CANCELLED], [70, 25, 5]
                )[0]
                audience = None if status == ActivityStatus.CANCELLED else rng.randrange(15, 120)
            rows.append(
                Activity(
                    community_id=self.community.pk,
                    kind=kind,
                    channel=rng.choice(PUBLICITY) if kind == ActivityKind.PUBLICITY else "",
                    status=status,
                    date=day,
                    topic=rng.choice(TOPICS),
                    place=f"{self.place}党群服务中心",
                    audience_count=audience,
                    held_at=self.at(day, 9, 18) if audience is not None else None,
                )
            )
        saved = self.save(Activity, rows)
        through = Activity.advisors.through
        self.save(through, [through(activity_id=a.pk, lawyer_id=self.primary.pk) for a in saved])

    def checks(self) -> None:
        rng = self.rng
        n = self.count(CHECKS)
        if not n:
            return
        pool = self.save(
            Enterprise,
            [
                Enterprise(
                    name=f"{self.place}样例企业{k + 1}号有限公司",
                    credit_code=credit_code(self.index * 100 + k),
                    industry=rng.choice(INDUSTRIES),
                    staff_count=rng.randrange(10, 500),
                    community_id=self.community.pk,
                )
                for k in range(min(ENTERPRISES, n))
            ],
        )
        checks = []
        for _k in range(n):
            day = self.day()
            done = day < self.until - timedelta(days=30)
            checks.append(
                HealthCheck(
                    enterprise=rng.choice(pool),
                    community_id=self.community.pk,
                    date=day,
                    scope="劳动用工、合同管理、安全生产",
                    method="自查问卷、座谈访谈、查阅资料",
                    status=CheckStatus.CLOSED if done else CheckStatus.REPORTED,
                    reported_on=day + timedelta(days=7),
                    closed_at=self.at(day + timedelta(days=30)) if done else None,
                )
            )
        saved = self.save(HealthCheck, checks)
        through = HealthCheck.advisors.through
        self.save(through, [through(healthcheck_id=c.pk, lawyer_id=self.primary.pk) for c in saved])
        findings = [
            Finding(
                health_check_id=check.pk,
                area=rng.choice(self.refs.areas),
                issue=rng.choice(ISSUES),
                risk_level=rng.choices(["high", "medium", "low"], [15, 35, 50])[0],
                recommendation="建议完善制度并组织培训",
            )
            for check in saved
            for _f in range(rng.randrange(4))
        ]
        self.save(Finding, findings)

    # Leads screened and cases taken in; a case decided more than two months ago is closed (or
    # terminated), recent ones are still being mediated. Numbers run per community and year.
    def mediation(self) -> None:
        rng = self.rng
        types = self.refs.types
        leads = [
            DisputeLead(
                community_id=self.community.pk,
                dispute_type=rng.choice(types),
                found_on=(day := self.day()),
                place=f"{self.place}{rng.randrange(1, 30)}栋",
                parties="双方均为本社区居民",
                summary="排查发现的邻里矛盾",
                people_affected=rng.randrange(2, 12),
                risk_level=rng.choices(["red", "orange", "yellow", "blue"], [2, 8, 30, 60])[0],
                status=rng.choices(
                    [LeadStatus.RESOLVED, LeadStatus.WATCHING, LeadStatus.MEDIATING, LeadStatus.HANDED_OVER],
                    [60, 20, 15, 5],
                )[0],
                created_at=self.at(day),
            )
            for _k in range(self.count(LEADS))
        ]
        self.save(DisputeLead, leads)
        days = sorted(self.day() for _k in range(self.count(CASES)))
        serial: dict[int, int] = {}
        cases, outcomes = [], []
        for day in days:
            serial[day.year] = serial.get(day.year, 0) + 1
            age = (self.until - day).days
            if age > 60:
                status = rng.choices(
                    [CaseStatus.CLOSED, CaseStatus.TERMINATED, CaseStatus.CALLBACK_DONE, CaseStatus.REFUSED],
                    [78, 12, 7, 3],
                )[0]
            else:
                status = rng.choices(
                    [CaseStatus.ACCEPTED, CaseStatus.INVESTIGATING, CaseStatus.MEDIATING, CaseStatus.AGREED],
                    [20, 20, 40, 20],
                )[0]
            decided = status not in (CaseStatus.ACCEPTED, CaseStatus.INVESTIGATING, CaseStatus.MEDIATING)
            decided = decided and status != CaseStatus.REFUSED
            kind = None
            if decided:
                kind = (
                    OutcomeKind.TERMINATED
                    if status == CaseStatus.TERMINATED
                    else (OutcomeKind.WRITTEN if rng.random() < 0.75 else OutcomeKind.ORAL)
                )
            dispute = rng.choice(types)
            cases.append(
                MediationCase(
                    community_id=self.community.pk,
                    year=day.year,
                    serial=serial[day.year],
                    number=f"（{day.year}）{self.place}调字第{serial[day.year]:03d}号",
                    source=rng.choice(["application", "initiative", "lead", "consultation", "police"]),
                    dispute_type=dispute,
                    title=f"{dispute.name}纠纷",
                    summary="双方就赔偿金额发生争议，申请社区调解",
                    amount=Decimal(rng.randrange(0, 80_000)) if rng.random() < 0.6 else None,
                    people_affected=rng.randrange(2, 8),
                    status=status,
                    grade=_pick(rng, GRADES) if decided else "",
                    intake_on=day,
                    due_on=day + timedelta(days=30),
                    closed_at=self.at(day + timedelta(days=rng.randrange(5, 45)))
                    if status in (CaseStatus.CLOSED, CaseStatus.CALLBACK_DONE, CaseStatus.TERMINATED)
                    else None,
                    created_at=self.at(day),
                )
            )
            outcomes.append((kind, day))
        saved = self.save(MediationCase, cases)
        self.save(
            Outcome,
            [
                Outcome(case_id=case.pk, kind=kind, decided_on=day + timedelta(days=rng.randrange(3, 28)))
                for case, (kind, day) in zip(saved, outcomes, strict=True)
                if kind is not None
            ],
        )
        self.save(
            CaseMediator,
            [CaseMediator(case_id=case.pk, user_id=self.primary.user_id, is_primary=True) for case in saved],
        )
        self.parties(saved)
        self.case_files(saved)
        self.save(
            CaseCounter,
            [
                CaseCounter(community_id=self.community.pk, year=year, last=last)
                for year, last in serial.items()
            ],
        )

    # Two parties a case (a third one case in ten), a firm as respondent one case in seven. The
    # 身份证号 and phone are sealed as intake seals them (encrypted, keyed hash, masked); one
    # applicant in twenty came back with another dispute within weeks, so the subsidy's "same
    # person in two cases within 90 days" check has something to find. A generator of their own.
    def parties(self, cases: list[MediationCase]) -> None:
        rng = random.Random(f"{self.options.seed}:{self.community.code}:parties")
        rows, recent = [], []
        for n, case in enumerate(cases):
            roles = [PartyRole.APPLICANT, PartyRole.RESPONDENT]
            if rng.random() < 0.1:
                roles.append(rng.choice(roles))
            for k, role in enumerate(roles):
                if role == PartyRole.RESPONDENT and rng.random() < 0.15:
                    body = f"P{self.index:03d}{n % 10_000:04d}"
                    first17 = "91440300" + body + org_code_check_char(body)
                    rows.append(
                        Party(
                            case_id=case.pk,
                            role=role,
                            kind=PartyKind.ORGANISATION,
                            name=f"{self.place}样例{rng.choice(INDUSTRIES)}公司",
                            credit_code=first17 + credit_code_check_char(first17),
                            representative=f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}",
                            created_at=case.created_at,
                        )
                    )
                    continue
                again = k == 0 and recent and rng.random() < 0.05
                person = rng.choice(recent) if again else self._person(rng, n, k)
                if k == 0:
                    recent = [*recent[-5:], person]
                name, sex, age, number, phone = person
                rows.append(
                    Party(
                        case_id=case.pk,
                        role=role,
                        kind=PartyKind.PERSON,
                        name=name,
                        sex=sex,
                        ethnicity="汉族",
                        age=age,
                        address=f"{self.place}{rng.randrange(1, 30)}栋",
                        **_sealed("id_number", seal(number, mask=mask_id_number)),
                        **_sealed("phone", seal(phone, mask=mask_phone)),
                        created_at=case.created_at,
                    )
                )
        self.save(Party, rows)

    def _person(self, rng: random.Random, n: int, k: int) -> tuple[str, str, int, str, str]:
        """A made-up resident: name, sex, age, a 身份证号 that passes its check and a mobile number,
        unique in the city by community index, case and place in it."""
        age = rng.randrange(20, 75)
        born = self.until.year - age
        sex = rng.choice(["male", "female"])
        serial = (self.index * 7 + n * 3 + k) % 1000
        if (sex == "male") != (serial % 2 == 1):
            serial = (serial + 1) % 1000
        first17 = f"440300{born}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}{serial:03d}"
        phone = f"13{rng.randrange(10)}{(self.index * 100_000 + n * 4 + k) % 100_000_000:08d}"
        name = f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}{rng.choice(GIVEN)}"
        return name, sex, age, first17 + id_number_check_char(first17), phone

    # What the subsidy needs of a closed case: a 回访 (most of them, a week or two after it closed)
    # and the required 卷宗 items filed (most cases complete, some missing one). The scans all point
    # at one small stored image (see ``city_scan``). A generator of their own.
    def case_files(self, cases: list[MediationCase]) -> None:
        rng = random.Random(f"{self.options.seed}:{self.community.code}:files")
        callbacks, items = [], []
        scan = self.refs.scan
        for case in cases:
            if case.closed_at is None or case.status == CaseStatus.TERMINATED:
                continue
            closed = timezone.localdate(case.closed_at)
            called = closed + timedelta(days=rng.randrange(3, 20))
            if called <= self.until and rng.random() < 0.9:
                callbacks.append(
                    Callback(
                        case_id=case.pk,
                        called_on=called,
                        method=rng.choice(["phone", "phone", "visit", "online"]),
                        interviewee="申请人",
                        caller_id=self.primary.user_id,
                        performed=rng.choices(
                            [Performed.YES, Performed.NA, Performed.PARTLY, Performed.NO], [80, 10, 7, 3]
                        )[0],
                        satisfaction=rng.choices(
                            [Satisfaction.SATISFIED, Satisfaction.BASIC, Satisfaction.UNSATISFIED],
                            [80, 17, 3],
                        )[0],
                        created_at=min(self.at(called), self.now),
                    )
                )
            kinds = list(self.refs.required)
            if rng.random() < 0.12:
                kinds.remove(rng.choice(kinds))
            uploaded = min(case.closed_at + timedelta(hours=rng.randrange(1, 72)), self.now)
            items.extend(
                FileItem(
                    case_id=case.pk,
                    kind_id=kind,
                    file=scan.name,
                    original_name="scan.png",
                    content_type="image/png",
                    size=scan.size,
                    sha256=scan.sha256,
                    uploaded_by_id=self.primary.user_id,
                    uploaded_at=uploaded,
                )
                for kind in kinds
            )
        self.save(Callback, callbacks)
        self.save(FileItem, items)

    # The residents' satisfaction survey and the community's evaluation of its advisor, every
    # quarter that has ended in the period (the quarter's questionnaire and form in force); about
    # twenty answers a quarter, most happy. A generator of their own.
    def evaluations(self) -> None:
        rng = random.Random(f"{self.options.seed}:{self.community.code}:evaluations")
        responses, evaluations = [], []
        year, number = self.start.year, (self.start.month - 1) // 3 + 1
        while True:
            last = _quarter_last_day(year, number)
            if last > self.until:
                break
            questionnaire, form = self.refs.questionnaire(year), self.refs.form(year)
            key = f"{year}Q{number}"
            if questionnaire is not None:
                keys = [q["key"] for q in questionnaire.questions]
                for n in range(rng.randrange(12, 30)):
                    answers = {k: rng.choices([5, 4, 3, 2], [60, 28, 9, 3])[0] for k in keys}
                    score = Decimal(sum(answers.values())) * 20 / Decimal(len(keys))
                    responses.append(
                        SurveyResponse(
                            questionnaire=questionnaire,
                            community_id=self.community.pk,
                            year=year,
                            quarter=number,
                            answers=answers,
                            score=score.quantize(evaluation_rules.TWO),
                            client_key=f"city-{self.community.code}-{key}-{n}",
                            created_at=self.at(last - timedelta(days=rng.randrange(80))),
                        )
                    )
            if form is not None:
                scores = {item["key"]: rng.choices([5, 4, 3], [60, 32, 8])[0] for item in form.items}
                evaluations.append(
                    CommunityEvaluation(
                        form=form,
                        community_id=self.community.pk,
                        lawyer=self.primary,
                        year=year,
                        quarter=number,
                        scores=scores,
                        total=evaluation_rules.weighted_total(form.items, scores),
                        created_at=min(self.at(last + timedelta(days=rng.randrange(1, 10))), self.now),
                    )
                )
            year, number = (year + 1, 1) if number == 4 else (year, number + 1)
        self.save(SurveyResponse, responses)
        self.save(CommunityEvaluation, evaluations)

    def opinions(self) -> None:
        rng, rows = self.rng, []
        for _k in range(self.count(OPINIONS)):
            day = self.day()
            delivered = day + timedelta(days=rng.randrange(1, 8))
            done = delivered <= self.until and rng.random() < 0.9
            rows.append(
                LegalOpinion(
                    community_id=self.community.pk,
                    kind=rng.choice(OPINION_KINDS),
                    title=f"{self.place}{rng.choice(['物业服务', '场地租赁', '采购', '工程'])}合同审查",
                    question="请审查合同条款并提出修改意见",
                    advisor=self.primary,
                    status=OpinionStatus.DELIVERED if done else OpinionStatus.REQUESTED,
                    requested_on=day,
                    due_on=day + timedelta(days=7),
                    opinion="已逐条审查，修改意见见附件" if done else "",
                    delivered_on=delivered if done else None,
                    working_days_taken=(delivered - day).days if done else None,
                )
            )
        self.save(LegalOpinion, rows)


def marker_code(index: int) -> str:
    """The receipt code of a community's first generated consultation: its presence marks the
    community as built, so a second run skips it."""
    return f"G{_b36(index, 2)}00000"


def _quarter_last_day(year: int, number: int) -> date:
    return (
        date(year + 1, 1, 1) - timedelta(days=1)
        if number == 4
        else date(year, 3 * number + 1, 1) - timedelta(days=1)
    )


@dataclass
class Scan:
    name: str
    size: int
    sha256: str


def city_scan() -> Scan:
    """One small scan in the media storage that every generated 卷宗 item points at (so a file
    page opens an image), stored the first time."""
    import hashlib
    import io

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image

    name = "mediation/city/scan.png"
    if not default_storage.exists(name):
        out = io.BytesIO()
        Image.new("RGB", (8, 10), (245, 245, 240)).save(out, format="PNG")
        name = default_storage.save(name, ContentFile(out.getvalue()))
    with default_storage.open(name, "rb") as handle:
        data = handle.read()
    return Scan(name, len(data), hashlib.sha256(data).hexdigest())


@dataclass
class Refs:
    types: list[DisputeType]
    areas: list[ChecklistArea]
    scan: Scan | None = None
    required: tuple[int, ...] = ()
    questionnaires: dict[int, Questionnaire | None] | None = None
    forms: dict[int, EvaluationForm | None] | None = None

    def questionnaire(self, year: int) -> Questionnaire | None:
        return (self.questionnaires or {}).get(year)

    def form(self, year: int) -> EvaluationForm | None:
        return (self.forms or {}).get(year)


def refs_for(options: Options) -> Refs:
    """What every community's builder shares: reference rows read once."""
    from guwen.evaluation import selectors as evaluation_selectors

    years = range(options.until.year - options.years, options.until.year + 1)
    return Refs(
        types=list(DisputeType.objects.order_by("code")),
        areas=list(ChecklistArea.objects.filter(district__isnull=True).order_by("order", "pk")),
        scan=city_scan(),
        required=tuple(
            FileItemKind.objects.filter(required=True).order_by("number").values_list("pk", flat=True)
        ),
        questionnaires={y: evaluation_selectors.questionnaire_for(None, y) for y in years},
        forms={y: evaluation_selectors.form_for(None, y) for y in years},
    )


# What forked workers read: set before the pool starts, inherited by every worker.
SHARED: dict = {}


def _build(job: tuple[int, Region]) -> dict[str, int]:
    index, community = job
    builder = Builder(
        index=index,
        community=community,
        lawyers=SHARED["lawyers"][community.pk],
        options=SHARED["options"],
        refs=SHARED["refs"],
    )
    with transaction.atomic():
        builder.build()
    return builder.counts


def each(function: Callable, jobs: list, workers: int) -> Iterator:
    """``function`` over ``jobs``, results in order: here, or in ``workers`` forked processes, each
    with its own database connection (the parent's are closed first, so none is shared). Every job
    draws from its own generator, so the records are the same either way."""
    if workers <= 1 or len(jobs) < 2:
        yield from map(function, jobs)
        return
    import multiprocessing

    from django.db import connections

    connections.close_all()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(function, jobs, chunksize=1)


def generate(
    options: Options,
    progress: Callable[[int, int], None] | None = None,
    stage: Callable[[str], None] | None = None,
) -> Result:
    options.until = options.until or timezone.localdate()
    reference.ensure()
    ensure_regions(options.divisions)
    targets = chosen(city_communities(), options.communities)
    since = options.until - timedelta(days=365 * options.years - 1)
    lawyers = ensure_advisors(targets, options.seed, since)
    history.tables_from(since.year)
    refs = refs_for(options)
    built = set(
        Consultation.objects.filter(receipt_code__in=[marker_code(i) for i, _c in targets]).values_list(
            "community_id", flat=True
        )
    )
    counts: dict[str, int] = {}
    done = skipped = 0
    todo = [(index, community) for index, community in targets if community.pk not in built]
    skipped = len(targets) - len(todo)
    SHARED.update(lawyers=lawyers, options=options, refs=refs)
    for position, built_counts in enumerate(each(_build, todo, options.workers), skipped + 1):
        for label, n in built_counts.items():
            counts[label] = counts.get(label, 0) + n
        done += 1
        if progress:
            progress(position, len(targets))
    if progress and not todo:
        progress(len(targets), len(targets))
    if stage:
        stage("各社区记录")
    admin = history.city_admin(since)
    communities = [c for _i, c in targets]
    districts = sorted({c.parent.parent for c in communities}, key=lambda d: d.code)
    settled = history.settle(districts=districts, until=options.until, by=admin, workers=options.workers)
    if stage:
        stage("以案定补结算")
    appraised = history.appraise(
        communities=communities, since=since, until=options.until, by=admin, workers=options.workers
    )
    if stage:
        stage("年度考核")
    counts["subsidy.Settlement"] = settled["settled"]
    counts["subsidy.Settlement (paid)"] = settled["paid"]
    counts["evaluation.Appraisal"] = appraised["opened"]
    counts["evaluation.Appraisal (reviewed)"] = appraised["reviewed"]
    advisors = Assignment.objects.filter(community__in=communities, ends_on__isnull=True).count()
    return Result(len(targets), done, skipped, advisors, counts)
