"""Access-matrix rows for every evaluation route: pages, the public survey and the API reads.

Records are made per place: community A with advisor A (firm A, the firm admin's), advisor B's own
in community B, and community E of another district (the system admin's only). Rows whose action
changes a record make a fresh one for each role, so one role's action never decides another's.
"""

from __future__ import annotations

import itertools

from django.utils import timezone

from guwen.testing import ROLES, World
from guwen.tests.matrix import (
    ONLY_SYSADMIN,
    SEES_A,
    Row,
    api_route,
    everyone,
    fixed,
    own_community,
    own_lawyer,
    page,
)

_serial = itertools.count(1)
WORKERS_200 = {**page(200), "association": 404, "outsider": 404}


def _place(w: World, role: str, inside: bool):
    if not inside:
        return w.community_e, w.lawyer_e
    return own_community(w, role), own_lawyer(w, role)


def _appraisal(w: World, role: str, inside: bool, *, reviewed: bool = False):
    from guwen.consultations.models import Rating
    from guwen.evaluation.models import Appraisal
    from guwen.evaluation.services import default_tables_ensure

    default_tables_ensure()
    community, lawyer = _place(w, role, inside)
    Rating.objects.create(
        kind="booking", target_id=10_000 + next(_serial), community=community, lawyer=lawyer, score=5
    )
    year = timezone.localdate().year
    Appraisal.objects.filter(lawyer=lawyer, year=year).delete()
    appraisal = Appraisal.objects.create(lawyer=lawyer, year=year)
    if reviewed:
        Appraisal.objects.filter(pk=appraisal.pk).update(status="reviewed", score=80, grade="合格")
    return appraisal


def _kept_appraisal(w: World, role: str, inside: bool):
    key = f"appraisal_{'e' if not inside else ('b' if role == 'advisor_b' else 'a')}"
    if key not in w.extras:
        w.extras[key] = _appraisal(w, role, inside)
    return w.extras[key]


def _rating(w: World, role: str, inside: bool, score: int = 2):
    from guwen.consultations.rating_targets import RatingTarget
    from guwen.consultations.services import rating_submit

    community, lawyer = _place(w, role, inside)
    target = RatingTarget("booking", 20_000 + next(_serial), "x", "驻点咨询", community, lawyer)
    return rating_submit(target=target, score=score, comment="不满意")


def _kept_complaint(w: World, role: str, inside: bool):
    key = f"complaint_{'e' if not inside else ('b' if role == 'advisor_b' else 'a')}"
    if key not in w.extras:
        w.extras[key] = _rating(w, role, inside).complaint
    return w.extras[key]


def _evaluation_body(w: World, role: str, inside: bool) -> dict:
    """A fresh backup advisor of the place for each role, so no two roles evaluate the same one."""
    from datetime import date

    from guwen.evaluation import rules
    from guwen.outreach.selectors import quarter_of
    from guwen.regions import services as regions
    from guwen.testing import make_lawyer

    community, _lawyer = _place(w, role, inside)
    firm = w.firm_a if inside else w.firm_other
    lawyer = make_lawyer(firm, f"评价律师{next(_serial)}")
    regions.assignment_create(
        lawyer=lawyer, community=community, starts_on=date(2024, 1, 1), role="backup", by=None
    )
    return {
        "community": community.pk,
        "lawyer": lawyer.pk,
        "quarter": quarter_of(timezone.localdate()).key,
        **{item["key"]: "4" for item in rules.DEFAULT_FORM_ITEMS},
    }


def _survey_body(w: World, role: str, inside: bool) -> dict:
    from guwen.evaluation import rules

    return {q["key"]: "5" for q in rules.DEFAULT_QUESTIONS}


_media_override = None


def _media(w: World) -> None:
    """Documents written by these rows go to a throw-away directory, never var/media."""
    import tempfile

    from django.test import override_settings

    global _media_override
    if _media_override is None:
        _media_override = override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="guwen-evaluation-matrix-"))
        _media_override.enable()


def _tables(w: World) -> None:
    from guwen.evaluation.services import default_tables_ensure

    default_tables_ensure()


def _version(w: World, role: str, inside: bool):
    """A scheme version of the bureau's district (in scope) or of the other district."""
    from guwen.evaluation import rules
    from guwen.evaluation.models import AppraisalScheme

    return AppraisalScheme.objects.create(
        district=w.district if inside else w.district2,
        year=timezone.localdate().year,
        version=next(_serial),
        weights=rules.DEFAULT_WEIGHTS,
    )


def _table_body(kind: str):
    def body(w: World, role: str, inside: bool) -> dict:
        from guwen.evaluation import rules

        common = {
            "district": (w.district if inside else w.district2).pk,
            "year": str(timezone.localdate().year),
            "note": "按区里新要求调整",
        }
        if kind == "questionnaire":
            return common | {"title": "满意度问卷", "questions": "服务态度\n总体满意度"}
        if kind == "form":
            return common | {"label_0": "服务态度", "weight_0": "60", "label_1": "响应及时", "weight_1": "40"}
        return common | {
            **{f"w_{k}": str(v) for k, v in rules.DEFAULT_WEIGHTS.items()},
            "excellent_from": "90",
            "qualified_from": "75",
            "basic_from": "60",
        }

    return body


TABLE_EDITORS = {"bureau": 200, "sysadmin": 200}


def expect(allowed: dict[str, int], default: int) -> dict[str, int]:
    """Roles that see the record get ``default`` (refused by role) unless named in ``allowed``."""
    result = {role: default for role in ROLES}
    result.update({"resident": 302, "association": 404, "outsider": 404})
    result.update(allowed)
    return result


OFFICE_ACT = {"office": 302, "bureau": 302, "sysadmin": 302}
OUT_SYS = lambda status: {**page(ONLY_SYSADMIN), "sysadmin": status}  # noqa: E731
EVALUATORS = {"staff_a": 302, "office": 302, "sysadmin": 302}

ROWS: list[Row] = [
    Row("evaluation:home", "GET", fixed("/evaluation/"), {**page(200), "outsider": 404}),
    Row(
        "evaluation:appraisal_open",
        "POST",
        fixed("/evaluation/appraisals/open/"),
        {**page(404), **OFFICE_ACT},
        {**page(404), "office": 422, "bureau": 422, "sysadmin": 302},
        body=lambda w, r, i: {"lawyer": _place(w, r, i)[1].pk, "year": str(timezone.localdate().year)},
    ),
    Row(
        "evaluation:appraisal",
        "GET",
        lambda w, r, i: f"/evaluation/appraisals/{_kept_appraisal(w, r, i).pk}/",
        page(SEES_A),
        page(ONLY_SYSADMIN),
    ),
    Row(
        "evaluation:appraisal_adjust",
        "POST",
        lambda w, r, i: f"/evaluation/appraisals/{_appraisal(w, r, i).pk}/adjust/",
        expect(OFFICE_ACT, 403),
        OUT_SYS(302),
        body=lambda w, r, i: {"points": "-2", "reason": "公示牌未及时更新"},
    ),
    Row(
        "evaluation:appraisal_review",
        "POST",
        lambda w, r, i: f"/evaluation/appraisals/{_appraisal(w, r, i).pk}/review/",
        expect(OFFICE_ACT, 403),
        OUT_SYS(302),
        body=lambda w, r, i: {"comment": "全年工作扎实"},
    ),
    Row(
        "evaluation:appraisal_respond",
        "POST",
        lambda w, r, i: f"/evaluation/appraisals/{_appraisal(w, r, i, reviewed=True).pk}/respond/",
        expect({"advisor_a": 302, "advisor_b": 302}, 403),
        OUT_SYS(403),
        body=lambda w, r, i: {"text": "感谢反馈，明年改进"},
    ),
    # The Word form (the PDF is the same view; the document itself is tested in test_documents).
    Row(
        "evaluation:appraisal_export",
        "GET",
        lambda w, r, i: f"/evaluation/appraisals/{_kept_appraisal(w, r, i).pk}/form.docx",
        page(SEES_A),
        page(ONLY_SYSADMIN),
        setup=_media,
    ),
    Row("evaluation:ratings", "GET", fixed("/evaluation/ratings/"), WORKERS_200),
    Row(
        "evaluation:rating_reply",
        "POST",
        lambda w, r, i: f"/evaluation/ratings/{_rating(w, r, i, score=4).pk}/reply/",
        expect({"advisor_a": 302, "advisor_b": 302, "office": 302, "bureau": 302}, 403),
        OUT_SYS(403),
        body=lambda w, r, i: {"text": "谢谢您的反馈"},
    ),
    Row("evaluation:complaints", "GET", fixed("/evaluation/complaints/"), WORKERS_200),
    Row(
        "evaluation:complaint",
        "GET",
        lambda w, r, i: f"/evaluation/complaints/{_kept_complaint(w, r, i).pk}/",
        page(SEES_A),
        page(ONLY_SYSADMIN),
    ),
    Row(
        "evaluation:complaint_resolve",
        "POST",
        lambda w, r, i: f"/evaluation/complaints/{_rating(w, r, i).complaint.pk}/resolve/",
        expect({"office": 302, "bureau": 302}, 403),
        OUT_SYS(403),
        body=lambda w, r, i: {"outcome": "已约谈律师"},
    ),
    Row("evaluation:evaluations", "GET", fixed("/evaluation/evaluations/"), WORKERS_200),
    Row(
        "evaluation:evaluation_create",
        "GET",
        fixed("/evaluation/evaluations/new/"),
        page({"staff_a": 200, "office": 200, "sysadmin": 200}),
        setup=_tables,
    ),
    Row(
        "evaluation:evaluation_create",
        "POST",
        fixed("/evaluation/evaluations/new/"),
        page(EVALUATORS),
        page({"staff_a": 422, "office": 422, "sysadmin": 302}),
        body=_evaluation_body,
        setup=_tables,
    ),
    Row("evaluation:surveys", "GET", fixed("/evaluation/surveys/"), WORKERS_200),
    Row(
        "evaluation:survey_public",
        "GET",
        lambda w, r, i: f"/e/{w.community_a.code}/survey",
        everyone(200),
        setup=_tables,
    ),
    Row(
        "evaluation:survey_public",
        "POST",
        lambda w, r, i: f"/e/{w.community_a.code}/survey",
        everyone(200),
        body=_survey_body,
        setup=_tables,
    ),
    Row(
        "evaluation:survey_qr",
        "GET",
        lambda w, r, i: f"/e/{w.community_a.code}/survey-qr.svg",
        everyone(200),
    ),
    Row("evaluation:tables", "GET", fixed("/evaluation/tables/"), page(TABLE_EDITORS), setup=_tables),
    Row(
        "evaluation:table",
        "GET",
        lambda w, r, i: f"/evaluation/tables/scheme/{_version(w, r, i).pk}/",
        page(TABLE_EDITORS),
        page(ONLY_SYSADMIN),
    ),
    Row(
        "evaluation:table_create",
        "GET",
        fixed("/evaluation/tables/form/new/"),
        page(TABLE_EDITORS),
        setup=_tables,
    ),
    *[
        Row(
            "evaluation:table_create",
            "POST",
            fixed(f"/evaluation/tables/{kind}/new/"),
            page({"bureau": 302, "sysadmin": 302}),
            page({"bureau": 422, "sysadmin": 302}),
            body=_table_body(kind),
            setup=_tables,
        )
        for kind in ("questionnaire", "form", "scheme")
    ],
    Row(
        "api:evaluation_list_appraisals",
        "GET",
        lambda w, r, i: f"/api/v1/evaluation/appraisals?year={timezone.localdate().year}",
        api_route(200),
    ),
    Row(
        "api:evaluation_get_appraisal",
        "GET",
        lambda w, r, i: f"/api/v1/evaluation/appraisals/{_kept_appraisal(w, r, i).pk}",
        api_route(SEES_A),
        api_route(ONLY_SYSADMIN),
    ),
    Row("api:evaluation_list_complaints", "GET", fixed("/api/v1/evaluation/complaints"), api_route(200)),
]
