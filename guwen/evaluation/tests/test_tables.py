"""The district's table pages: the version in force per year, a new version copied and edited, never
an edit of a version in use, and every bad value refused in Chinese with nothing saved."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from guwen.core.errors import DomainError
from guwen.core.models import AuditEvent
from guwen.evaluation import rules, selectors, services
from guwen.evaluation.models import AppraisalScheme, EvaluationForm, Questionnaire
from guwen.testing import verified_client


@pytest.fixture(autouse=True)
def tables(db):
    services.default_tables_ensure()


def year() -> int:
    return timezone.localdate().year


def scheme_body(world, **changes) -> dict:
    body = {
        "district": world.district.pk,
        "year": str(year()),
        "note": "提高社区评价的分量",
        **{f"w_{k}": str(v) for k, v in rules.DEFAULT_WEIGHTS.items()},
        "excellent_from": "92",
        "qualified_from": "80",
        "basic_from": "60",
    }
    body.update(changes)
    return body


def test_the_bureau_sees_the_version_in_force_and_saves_a_new_one_from_a_copy(world):
    client = verified_client(world.user("bureau"))
    page = client.get("/evaluation/tables/").content.decode()
    assert "全市默认" in page and "考核方案" in page and "满意度问卷" in page
    city = AppraisalScheme.objects.get(district=None)
    form = client.get(f"/evaluation/tables/scheme/new/?from={city.pk}")
    assert form.status_code == 200 and 'value="15"' in form.content.decode()
    body = scheme_body(world, w_survey="5", w_community_evaluation="20")
    response = client.post(f"/evaluation/tables/scheme/new/?from={city.pk}", body)
    assert response.status_code == 302
    mine = AppraisalScheme.objects.get(district=world.district)
    assert (mine.version, mine.weights["community_evaluation"], mine.excellent_from) == (1, 20, Decimal(92))
    assert selectors.scheme_for(world.lawyer_a, year()) == mine
    assert selectors.scheme_for(world.lawyer_e, year()) == city  # the other district keeps the default
    city.refresh_from_db()
    assert city.weights == rules.DEFAULT_WEIGHTS  # the copy left the base as it was
    event = AuditEvent.objects.get(action="appraisal_scheme.create")
    assert event.context["note"] == "提高社区评价的分量" and event.context["district"] == world.district.code
    detail = client.get(response["Location"]).content.decode()
    assert "优秀 ≥ 92" in detail and "已有记录引用" not in detail
    again = client.post("/evaluation/tables/scheme/new/", scheme_body(world, basic_from="55"))
    assert again.status_code == 302
    assert AppraisalScheme.objects.filter(district=world.district).count() == 2
    assert selectors.scheme_for(world.lawyer_a, year()).basic_from == Decimal(55)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"w_survey": "20"}, "合计必须为 100，现为 110"),
        ({"w_survey": "-1"}, "权重须在 0 到 100 之间"),
        ({"w_survey": "abc"}, "权重必须是整数"),
        ({"excellent_from": "70"}, "100 ≥ 优秀 &gt; 合格 &gt; 基本合格 ≥ 0"),
        ({"excellent_from": "101"}, "分数线须在 0 到 100 之间"),
        ({"basic_from": "60.123"}, "最多两位小数"),
        ({"year": "1999"}, "适用年度须在"),
        ({"note": ""}, "此项为必填项"),
    ],
)
def test_bad_scheme_values_are_refused_on_the_page(world, changes, message):
    client = verified_client(world.user("bureau"))
    response = client.post("/evaluation/tables/scheme/new/", scheme_body(world, **changes))
    assert response.status_code == 422 and message in response.content.decode()
    assert not AppraisalScheme.objects.filter(district=world.district).exists()


def test_the_evaluation_form_rows_need_names_weights_adding_up_to_100(world):
    client = verified_client(world.user("bureau"))
    url = "/evaluation/tables/form/new/"
    common = {"district": world.district.pk, "year": str(year()), "note": "精简评价项目"}
    for rows, message in [
        ({"label_0": "服务态度", "weight_0": "60", "label_1": "响应及时", "weight_1": "30"}, "现为 90"),
        ({"label_0": "", "weight_0": "60"}, "请填写项目名称"),
        ({"label_0": "服务态度", "weight_0": "0", "label_1": "响应", "weight_1": "100"}, "权重须大于 0"),
        ({"label_0": "服务态度", "weight_0": "50", "label_1": "服务态度", "weight_1": "50"}, "名称不能重复"),
        ({"label_0": "服务态度", "weight_0": "100", "key_0": "../x"}, "代码不能为空或重复"),
    ]:
        blank = {f"label_{i}": "" for i in range(10)} | {f"weight_{i}": "" for i in range(10)}
        response = client.post(url, common | blank | rows)
        assert response.status_code == 422 and message in response.content.decode(), message
    assert not EvaluationForm.objects.filter(district=world.district).exists()
    blank = {f"label_{i}": "" for i in range(10)} | {f"weight_{i}": "" for i in range(10)}
    rows = {
        "label_0": "服务态度",
        "weight_0": "60",
        "key_0": "attitude",
        "label_1": "调解成效",
        "weight_1": "40",
    }
    assert client.post(url, common | blank | rows).status_code == 302
    form = EvaluationForm.objects.get(district=world.district)
    assert form.items == [
        {"key": "attitude", "label": "服务态度", "weight": 60},
        {"key": "item1", "label": "调解成效", "weight": 40},
    ]
    assert selectors.form_for(world.community_a, year()) == form


def test_the_questionnaire_keeps_the_codes_of_questions_copied_unchanged(world):
    client = verified_client(world.user("bureau"))
    city = Questionnaire.objects.get(district=None)
    url = f"/evaluation/tables/questionnaire/new/?from={city.pk}"
    common = {
        "district": world.district.pk,
        "year": str(year()),
        "note": "增加一题",
        "title": "南湾满意度问卷",
    }
    for questions, message in [
        ("  \n ", "此项为必填项"),
        ("同一题\n同一题", "题目不能重复"),
        ("长" * 201, "200"),
    ]:
        response = client.post(url, common | {"questions": questions})
        assert response.status_code == 422 and message in response.content.decode()
    assert (
        client.post(url, common | {"questions": "\n".join(f"第{i}题" for i in range(21))}).status_code == 422
    )
    assert not Questionnaire.objects.filter(district=world.district).exists()
    lines = [q["text"] for q in city.questions] + ["法律顾问能及时回复微信留言"]
    assert client.post(url, common | {"questions": "\n".join(lines)}).status_code == 302
    mine = Questionnaire.objects.get(district=world.district)
    assert [q["key"] for q in mine.questions] == [q["key"] for q in city.questions] + ["q1"]
    assert selectors.questionnaire_for(world.community_a, year()) == mine
    # The public survey now asks the district's questions.
    assert (
        "法律顾问能及时回复微信留言"
        in verified_client(None).get(f"/e/{world.community_a.code}/survey").content.decode()
    )


def test_scope_the_bureau_keeps_its_own_district_only_and_the_city_default_is_the_admins(world):
    bureau = world.user("bureau")
    with pytest.raises(DomainError) as refused:
        services.appraisal_scheme_create(
            district=None,
            year=year(),
            weights=rules.DEFAULT_WEIGHTS,
            excellent_from=Decimal(90),
            qualified_from=Decimal(75),
            basic_from=Decimal(60),
            by=bureau,
        )
    assert refused.value.code == "forbidden_role"
    with pytest.raises(DomainError, match="本区"):
        services.evaluation_form_create(
            district=world.district2, year=year(), items=rules.DEFAULT_FORM_ITEMS, by=bureau
        )
    other = services.evaluation_form_create(
        district=world.district2, year=year(), items=rules.DEFAULT_FORM_ITEMS, by=world.user("sysadmin")
    )
    client = verified_client(bureau)
    assert client.get(f"/evaluation/tables/form/{other.pk}/").status_code == 404
    assert client.get("/evaluation/tables/nothing/new/").status_code == 404
    assert verified_client(world.user("office")).get("/evaluation/tables/").status_code == 404
    assert EvaluationForm.objects.filter(district=world.district).count() == 0


def test_a_version_in_use_is_marked_and_cannot_be_edited_in_the_admin(world):
    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    from guwen.evaluation.models import Appraisal

    scheme = AppraisalScheme.objects.get(district=None)
    request = RequestFactory().get("/")
    request.user = world.user("sysadmin")
    admin = site._registry[AppraisalScheme]
    assert admin.has_change_permission(request, scheme)
    Appraisal.objects.create(lawyer=world.lawyer_a, year=year(), status="reviewed", scheme=scheme, score=80)
    assert selectors.table_in_use(scheme)
    assert not admin.has_change_permission(request, scheme) and not admin.has_delete_permission(
        request, scheme
    )
    page = verified_client(world.user("bureau")).get(f"/evaluation/tables/scheme/{scheme.pk}/")
    assert "不再修改" in page.content.decode()


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=8))
def test_form_rows_are_accepted_exactly_when_each_weight_is_positive_and_they_add_up_to_100(weights):
    from guwen.evaluation.forms import EvaluationFormVersionForm
    from guwen.regions.models import Region

    data = {"district": "", "year": str(timezone.localdate().year), "note": "调整"}
    data |= {f"label_{i}": f"项目{i}" for i in range(len(weights))}
    data |= {f"weight_{i}": str(w) for i, w in enumerate(weights)}
    form = EvaluationFormVersionForm(data, items=[], spare=8, districts=Region.objects.none(), city=True)
    valid = all(weights) and sum(weights) == 100
    assert form.is_valid() == valid, form.errors
    if valid:
        assert [i["weight"] for i in form.cleaned_data["items"]] == weights
        assert len({i["key"] for i in form.cleaned_data["items"]}) == len(weights)


def test_every_field_of_the_version_forms_refuses_control_characters(world):
    """The plain-text check of every form (guwen/tests/test_plain_text.py) builds forms without
    arguments; these need the districts, so they are checked here the same way."""
    from guwen.evaluation.forms import EvaluationFormVersionForm, QuestionnaireVersionForm, SchemeVersionForm
    from guwen.regions.models import Region

    districts = Region.objects.filter(pk=world.district.pk)
    for form_class, extra in (
        (QuestionnaireVersionForm, {}),
        (EvaluationFormVersionForm, {"items": [{"key": "attitude", "label": "服务态度", "weight": 100}]}),
        (SchemeVersionForm, {"indicators": {"duty_hours": 100}}),
    ):
        names = form_class(districts=districts, city=False, **extra).fields
        form = form_class(data={name: "1\x00" for name in names}, districts=districts, city=False, **extra)
        assert not form.is_valid()
        for name in names:
            assert any("控制字符" in error for error in form.errors.get(name, [])), (
                form_class,
                name,
                form.errors,
            )
