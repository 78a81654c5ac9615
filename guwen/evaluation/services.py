"""Every write of evaluation, one function per action, each with its audit event (DESIGN §5)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.accounts.models import Role
from guwen.accounts.scope import is_sysadmin, roles_of
from guwen.core import audit
from guwen.core.cache import bump, cached
from guwen.core.errors import Conflict, DomainError, NotFound
from guwen.evaluation import indicators, rules, selectors
from guwen.evaluation.models import (
    Adjustment,
    Appraisal,
    AppraisalScheme,
    AppraisalStatus,
    CommunityEvaluation,
    EvaluationForm,
    Questionnaire,
    SurveyResponse,
)
from guwen.notifications.services import notify
from guwen.outreach.selectors import Quarter, quarter_of
from guwen.regions.models import Lawyer, Region

TEXT_MAX = 2000
REASON_MAX = 300
ADJUST_LIMIT = Decimal(20)


def _forbidden(message: str) -> DomainError:
    return DomainError(message, code="forbidden_role")


def _text(value: str, *, field: str, limit: int, required: bool, label: str) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError(_("请填写%(label)s") % {"label": label}, field=field)
    if len(text) > limit:
        raise DomainError(_("%(label)s最多 %(n)d 个字") % {"label": label, "n": limit}, field=field)
    return text


# --- satisfaction surveys -------------------------------------------------------------------------


def survey_submit(
    *, community: Region, answers: dict[str, int], comment: str = "", client_key: str | None = None
) -> SurveyResponse:
    """A resident's questionnaire for the community's current quarter, every question 1–5. A retry
    with the same client key returns the first answer sheet."""
    key = (client_key or "").strip() or None
    if key is not None and (len(key) > 64 or not key.isprintable()):
        raise DomainError(_("提交标识不正确，请刷新页面后重试"), field="client_key")
    if key and (earlier := SurveyResponse.objects.filter(client_key=key).first()):
        return earlier
    today = timezone.localdate()
    questionnaire = selectors.questionnaire_for(community, today.year)
    if questionnaire is None:
        raise DomainError(_("本年度尚未设置满意度问卷"), field="answers")
    values = []
    for question in questionnaire.questions:
        value = answers.get(question["key"])
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise DomainError(_("请为每一题选择 1 到 5 分"), field=question["key"])
        values.append(value)
    text = _text(comment, field="comment", limit=500, required=False, label=_("意见建议"))
    score = (Decimal(sum(values)) * 20 / Decimal(len(values))).quantize(rules.TWO)
    quarter = quarter_of(today)
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                questionnaire=questionnaire,
                community=community,
                year=quarter.year,
                quarter=quarter.number,
                answers={q["key"]: v for q, v in zip(questionnaire.questions, values, strict=True)},
                score=score,
                comment=text,
                client_key=key,
            )
            audit.record(actor=None, action="survey.submit", obj=response, new={"score": str(score)})
            preview_cache_bump()
    except IntegrityError:
        return SurveyResponse.objects.get(client_key=key)
    return response


# --- versioned tables -----------------------------------------------------------------------------
# A version is never edited once saved (responses, evaluations and appraisals refer to it): a change
# is a new version of the same district and year, which is then the one in force.

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,29}$")
QUESTIONS_MAX = 20
ITEMS_MAX = 15
NOTE_MAX = 200


def _table_editor(by, district: Region | None) -> None:
    """The bureau edits its own district's tables; the city-wide default is the system admin's."""
    if not roles_of(by) & {Role.BUREAU, Role.SYSADMIN}:
        raise _forbidden(_("只有区司法局可以修改评价表和考核方案"))
    if is_sysadmin(by):
        return
    if district is None:
        raise _forbidden(_("全市默认版本只能由系统管理员修改"))
    if not selectors.table_districts(by).filter(pk=district.pk).exists():
        raise NotFound(_("只能修改本区的评价表和考核方案"), field="district")


def _table_year(year) -> int:
    this_year = timezone.localdate().year
    if isinstance(year, bool) or not isinstance(year, int) or not this_year - 1 <= year <= this_year + 1:
        raise DomainError(
            _("适用年度须在 %(a)d 到 %(b)d 年之间") % {"a": this_year - 1, "b": this_year + 1}, field="year"
        )
    return year


def _next_version(model, district: Region | None, year: int) -> int:
    latest = model.objects.filter(district=district, year=year).order_by("-version").first()
    return (latest.version + 1) if latest else 1


def _create_version(model, *, district: Region | None, year: int, fields: dict, note: str, by, action: str):
    text = _text(note, field="note", limit=NOTE_MAX, required=False, label=_("修订说明"))
    try:
        with transaction.atomic():
            row = model.objects.create(
                district=district, year=year, version=_next_version(model, district, year), **fields
            )
            audit.record(
                actor=by,
                action=action,
                obj=row,
                new=fields,
                context={
                    "district": district.code if district else "",
                    "year": year,
                    "version": row.version,
                    "note": text,
                },
            )
    except IntegrityError:  # another version of the same district and year was saved at once
        raise Conflict(_("同一年度的新版本刚刚已由他人保存，请刷新后重试"), field="year") from None
    return row


def questionnaire_create(
    *, district: Region | None, year: int, title: str, questions: list[dict], by, note: str = ""
) -> Questionnaire:
    """A new version of the satisfaction questionnaire: one to twenty questions, each scored 1–5."""
    _table_editor(by, district)
    year = _table_year(year)
    heading = _text(title, field="title", limit=100, required=True, label=_("问卷标题"))
    if not isinstance(questions, list) or not questions:
        raise DomainError(_("请至少设置一个题目"), field="questions")
    if len(questions) > QUESTIONS_MAX:
        raise DomainError(_("题目最多 %(n)d 个") % {"n": QUESTIONS_MAX}, field="questions")
    rows = []
    for question in questions:
        key = question.get("key") if isinstance(question, dict) else None
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            raise DomainError(_("题目代码不正确"), field="questions")
        text = _text(
            str(question.get("text") or ""), field="questions", limit=200, required=True, label=_("题目")
        )
        rows.append({"key": key, "text": text})
    if len({r["key"] for r in rows}) != len(rows) or len({r["text"] for r in rows}) != len(rows):
        raise DomainError(_("题目不能重复"), field="questions")
    return _create_version(
        Questionnaire,
        district=district,
        year=year,
        fields={"title": heading, "questions": rows},
        note=note,
        by=by,
        action="questionnaire.create",
    )


def evaluation_form_create(
    *, district: Region | None, year: int, items: list[dict], by, note: str = ""
) -> EvaluationForm:
    """A new version of the quarterly community evaluation form: weights add up to 100."""
    _table_editor(by, district)
    year = _table_year(year)
    if not isinstance(items, list) or not items:
        raise DomainError(_("请至少设置一个评价项目"), field="weights")
    if len(items) > ITEMS_MAX:
        raise DomainError(_("评价项目最多 %(n)d 个") % {"n": ITEMS_MAX}, field="weights")
    keys = [item.get("key") for item in items if isinstance(item, dict)]
    if (
        len(keys) != len(items)
        or len(set(keys)) != len(keys)
        or not all(isinstance(k, str) and KEY_PATTERN.match(k) for k in keys)
    ):
        raise DomainError(_("评价项目的代码不能为空或重复"), field="weights")
    rows = []
    for item in items:
        label = _text(
            str(item.get("label") or ""), field="weights", limit=30, required=True, label=_("评价项目的名称")
        )
        rows.append({"key": item["key"], "label": label, "weight": item.get("weight")})
    if len({r["label"] for r in rows}) != len(rows):
        raise DomainError(_("评价项目的名称不能重复"), field="weights")
    rules.check_weights({r["key"]: r["weight"] for r in rows})
    if any(r["weight"] == 0 for r in rows):
        raise DomainError(_("每个评价项目的权重须大于 0"), field="weights")
    return _create_version(
        EvaluationForm,
        district=district,
        year=year,
        fields={"items": rows},
        note=note,
        by=by,
        action="evaluation_form.create",
    )


def appraisal_scheme_create(
    *,
    district: Region | None,
    year: int,
    weights: dict[str, int],
    excellent_from: Decimal,
    qualified_from: Decimal,
    basic_from: Decimal,
    by,
    note: str = "",
) -> AppraisalScheme:
    """A new version of the appraisal weights and grade thresholds."""
    _table_editor(by, district)
    year = _table_year(year)
    rules.check_weights(weights, known=set(rules.INDICATORS))
    try:
        lines = [Decimal(str(v)) for v in (excellent_from, qualified_from, basic_from)]
    except (InvalidOperation, ValueError):
        raise DomainError(_("等次分数线须为数字"), field="excellent_from") from None
    if not all(v.is_finite() and v == v.quantize(rules.TWO) for v in lines):
        raise DomainError(_("等次分数线最多两位小数"), field="excellent_from")
    rules.check_thresholds(*lines)
    scheme = _create_version(
        AppraisalScheme,
        district=district,
        year=year,
        fields={
            "weights": {key: weights[key] for key in rules.INDICATORS if key in weights},
            "excellent_from": lines[0],
            "qualified_from": lines[1],
            "basic_from": lines[2],
        },
        note=note,
        by=by,
        action="appraisal_scheme.create",
    )
    preview_cache_bump()
    return scheme


# --- quarterly community evaluation ---------------------------------------------------------------


def community_evaluate(
    *, community: Region, lawyer: Lawyer, quarter: Quarter, scores: dict[str, int], comment: str = "", by
) -> CommunityEvaluation:
    """Community staff evaluate their advisor for a quarter that has begun, once."""
    if not selectors.evaluation_communities(by).filter(pk=community.pk).exists():
        raise _forbidden(_("只有本社区工作人员或司法所可以评价本社区的法律顾问"))
    if quarter.first_day > timezone.localdate():
        raise DomainError(_("该季度尚未开始，不能评价"), field="quarter")
    if not selectors.assigned_in_quarter(lawyer=lawyer, community=community, quarter=quarter):
        raise DomainError(_("该律师在%(q)s未担任本社区法律顾问") % {"q": quarter.label}, field="lawyer")
    form = selectors.form_for(community, quarter.year)
    if form is None:
        raise DomainError(_("本年度尚未设置社区评价表"), field="lawyer")
    total = rules.weighted_total(form.items, scores)
    text = _text(comment, field="comment", limit=1000, required=False, label=_("意见建议"))
    try:
        with transaction.atomic():
            evaluation = CommunityEvaluation.objects.create(
                form=form,
                community=community,
                lawyer=lawyer,
                year=quarter.year,
                quarter=quarter.number,
                scores={item["key"]: scores[item["key"]] for item in form.items},
                total=total,
                comment=text,
                by=by,
            )
            audit.record(
                actor=by, action="community_evaluation.submit", obj=evaluation, new={"total": str(total)}
            )
            preview_cache_bump()
    except IntegrityError:
        raise Conflict(_("本季度已评价过该律师"), field="lawyer", code="duplicate") from None
    return evaluation


# --- appraisal ------------------------------------------------------------------------------------


@dataclass
class Preview:
    indicators: list[indicators.Indicator]
    adjustment: Decimal
    score: Decimal | None
    grade: str
    scheme: AppraisalScheme | None


# The live preview reads a dozen tables of five modules (tens of queries per advisor), and the list
# pages show it for every advisor: the indicator rows are kept in the shared cache per advisor, year,
# quarter, day and scheme version. Evaluation's own inputs (surveys, community evaluations, a new
# scheme) and the rare writes of other modules that move an advisor's figures most visibly (a
# resident's rating, an assignment) bump the namespace; everything else (consultations answered,
# duty held, activities, cases) shows within GUWEN_APPRAISAL_PREVIEW_SECONDS. Adjustments are not
# cached: they are added to the cached rows on every read.
PREVIEW = "evaluation.preview"


def preview_seconds() -> int:
    return int(settings.GUWEN_APPRAISAL_PREVIEW_SECONDS)


def preview_cache_bump() -> None:
    """Make every process compute the live previews afresh on their next read."""
    bump(PREVIEW)


def _live_rows(
    appraisal: Appraisal, scheme: AppraisalScheme | None, today, *, fresh: bool = False
) -> list[indicators.Indicator]:
    day = today or timezone.localdate()
    if fresh:
        return indicators.compute(appraisal.lawyer, appraisal.year, scheme, day)
    key = ":".join(
        [
            str(appraisal.lawyer_id),
            str(appraisal.year),
            quarter_of(day).key,
            day.isoformat(),
            f"{scheme.pk}" if scheme else "default",
        ]
    )
    return cached(
        PREVIEW,
        key,
        lambda: indicators.compute(appraisal.lawyer, appraisal.year, scheme, day),
        timeout=preview_seconds(),
    )


def appraisal_preview(appraisal: Appraisal, today=None, *, fresh: bool = False) -> Preview:
    """The live figures of a draft (from the cache unless ``fresh``); a reviewed appraisal shows
    what was frozen at the review."""
    scheme = appraisal.scheme or selectors.scheme_for(appraisal.lawyer, appraisal.year)
    adjustment = appraisal.adjustments.aggregate(s=Sum("points"))["s"] or Decimal(0)
    if appraisal.status == AppraisalStatus.REVIEWED:
        rows = [
            indicators.Indicator(
                r["key"],
                r["name"],
                r["weight"],
                r["detail"],
                None if r["value"] is None else Decimal(r["value"]),
                None if r["points"] is None else Decimal(r["points"]),
                r["link"],
            )
            for r in appraisal.indicators
        ]
        return Preview(rows, adjustment, appraisal.score, appraisal.grade, scheme)
    rows = _live_rows(appraisal, scheme, today, fresh=fresh)
    score = rules.score([(r.weight, r.points) for r in rows], adjustment)
    thresholds = scheme or AppraisalScheme(weights={})
    grade = rules.grade(
        score,
        excellent=Decimal(thresholds.excellent_from),
        qualified=Decimal(thresholds.qualified_from),
        basic=Decimal(thresholds.basic_from),
    )
    return Preview(rows, adjustment, score, grade, scheme)


def _office(by) -> None:
    if not roles_of(by) & selectors.OFFICE_ROLES:
        raise _forbidden(_("只有司法所或区司法局可以进行考核"))


def appraisal_open(*, lawyer: Lawyer, year: int, by) -> Appraisal:
    """The advisor's appraisal for the year, started if it does not exist yet."""
    _office(by)
    if not 2000 <= year <= timezone.localdate().year:
        raise DomainError(_("考核年度不正确"), field="year")
    with transaction.atomic():
        appraisal, created = Appraisal.objects.get_or_create(lawyer=lawyer, year=year)
        if created:
            audit.record(actor=by, action="appraisal.open", obj=appraisal, new={"year": year})
    return appraisal


def appraisal_adjust(*, appraisal: Appraisal, points: Decimal, reason: str, by) -> Adjustment:
    """A manual addition or deduction by the office, with its reason, before the review."""
    _office(by)
    try:
        value = Decimal(str(points))
    except (InvalidOperation, ValueError):
        raise DomainError(_("加减分须为数字"), field="points") from None
    if not value.is_finite() or value == 0 or abs(value) > ADJUST_LIMIT or value != value.quantize(rules.TWO):
        raise DomainError(_("加减分须在 -20 到 20 之间且不为 0，最多两位小数"), field="points")
    text = _text(reason, field="reason", limit=REASON_MAX, required=True, label=_("加减分理由"))
    if appraisal.status != AppraisalStatus.DRAFT:
        raise Conflict(_("考核已审核，不能再加减分"), field="points", code="invalid_state")
    with transaction.atomic():
        adjustment = Adjustment.objects.create(appraisal=appraisal, points=value, reason=text, by=by)
        audit.record(
            actor=by, action="appraisal.adjust", obj=appraisal, new={"points": str(value), "reason": text}
        )
    return adjustment


def appraisal_review(*, appraisal: Appraisal, comment: str, by, today=None) -> Appraisal:
    """The office reviews the appraisal: the figures, score and grade are frozen with its comment."""
    _office(by)
    text = _text(comment, field="comment", limit=TEXT_MAX, required=True, label=_("审核意见"))
    preview = appraisal_preview(appraisal, today, fresh=True)  # what is frozen is never a cached copy
    if preview.score is None:
        raise DomainError(_("尚无任何考核数据，不能审核"), field="comment", code="invalid_state")
    with transaction.atomic():
        updated = Appraisal.objects.filter(pk=appraisal.pk, status=AppraisalStatus.DRAFT).update(
            status=AppraisalStatus.REVIEWED,
            scheme=preview.scheme,
            indicators=[row.as_json() for row in preview.indicators],
            score=preview.score,
            grade=preview.grade,
            office_comment=text,
            reviewed_by=by,
            reviewed_at=timezone.now(),
        )
        if updated != 1:
            raise Conflict(_("该考核已审核"), field="comment", code="invalid_state")
        appraisal.refresh_from_db()
        audit.record(
            actor=by,
            action="appraisal.review",
            obj=appraisal,
            old={"status": AppraisalStatus.DRAFT},
            new={"status": appraisal.status, "score": str(appraisal.score), "grade": appraisal.grade},
        )
        transaction.on_commit(lambda: _notify_reviewed(appraisal.pk))
    return appraisal


def _notify_reviewed(appraisal_id: int) -> None:
    """The advisor learns that the office has reviewed their appraisal and may respond."""
    appraisal = Appraisal.objects.select_related("lawyer").get(pk=appraisal_id)
    if appraisal.lawyer.user_id is None:
        return
    notify(
        recipients=[appraisal.lawyer.user_id],
        event="evaluation.appraisal_reviewed",
        title=_("%(year)d 年度考核已审核") % {"year": appraisal.year},
        body=_(
            "司法所已审核您的 %(year)d 年度考核：%(score)s 分，%(grade)s。请查看审核意见，如有意见可以反馈。"
        )
        % {"year": appraisal.year, "score": appraisal.score, "grade": appraisal.grade},
        url=reverse("evaluation:appraisal", args=[appraisal.pk]),
        context={"appraisal": appraisal.pk, "year": appraisal.year},
    )


def _notify_responded(appraisal_id: int) -> None:
    """The firm's admins learn that their lawyer has responded to the appraisal."""
    appraisal = Appraisal.objects.select_related("lawyer").get(pk=appraisal_id)
    admins = selectors.firm_admins(appraisal.lawyer.firm_id)
    if not admins:
        return
    notify(
        recipients=admins,
        event="evaluation.appraisal_responded",
        title=_("%(name)s 已反馈 %(year)d 年度考核")
        % {"name": appraisal.lawyer.name, "year": appraisal.year},
        body=_("本所律师%(name)s对司法所的 %(year)d 年度考核意见作了反馈。")
        % {"name": appraisal.lawyer.name, "year": appraisal.year},
        url=reverse("evaluation:appraisal", args=[appraisal.pk]),
        context={"appraisal": appraisal.pk, "year": appraisal.year},
    )


def appraisal_respond(*, appraisal: Appraisal, text: str, by) -> Appraisal:
    """The advisor's response to the reviewed appraisal, once."""
    if appraisal.lawyer.user_id != by.pk:
        raise _forbidden(_("只有被考核的律师本人可以反馈"))
    body = _text(text, field="text", limit=TEXT_MAX, required=True, label=_("反馈内容"))
    if appraisal.status != AppraisalStatus.REVIEWED:
        raise Conflict(_("司法所审核之后才能反馈"), field="text", code="invalid_state")
    with transaction.atomic():
        updated = Appraisal.objects.filter(pk=appraisal.pk, responded_at=None).update(
            advisor_response=body, responded_at=timezone.now()
        )
        if updated != 1:
            raise Conflict(_("已经反馈过了"), field="text", code="invalid_state")
        appraisal.refresh_from_db()
        audit.record(actor=by, action="appraisal.respond", obj=appraisal, new={"response": body})
        transaction.on_commit(lambda: _notify_responded(appraisal.pk))
    return appraisal


def default_tables_ensure() -> None:
    """The city-wide default questionnaire, evaluation form and appraisal scheme, when a flushed
    database has lost the rows the migration seeded (the demo loader calls this too)."""
    year = 2026
    with transaction.atomic():
        Questionnaire.objects.get_or_create(
            district=None,
            year=year,
            version=1,
            defaults={"title": "社区法律顾问服务满意度问卷", "questions": rules.DEFAULT_QUESTIONS},
        )
        EvaluationForm.objects.get_or_create(
            district=None, year=year, version=1, defaults={"items": rules.DEFAULT_FORM_ITEMS}
        )
        AppraisalScheme.objects.get_or_create(
            district=None, year=year, version=1, defaults={"weights": rules.DEFAULT_WEIGHTS}
        )
