import io
import os
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from guwen.subsidy.models import LineKind, RuleSet, Settlement, SettlementLine, SettlementStatus
from guwen.subsidy.tests.helpers import closed_case, settle
from guwen.testing import verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def settlement(world):
    closed_case(world, grade="ordinary", co_mediator=True)
    return settle(world)


def test_pages_show_lines_linked_to_their_records_and_only_allowed_actions(world, settlement):
    advisor = verified_client(world.user("advisor_a"))
    page = advisor.get(f"/subsidy/settlements/{settlement.pk}/").content.decode()
    line = settlement.lines.get(kind=LineKind.CASE)
    assert line.record_url in page and "500.00" in page and "提交" in page
    assert "社区确认" not in page and "添加调整" not in page
    office = verified_client(world.user("office"))
    assert "添加调整" in office.get(f"/subsidy/settlements/{settlement.pk}/").content.decode()
    assert "抽查回访" in office.get("/subsidy/flags/").content.decode()
    pdf = advisor.get(f"/subsidy/settlements/{settlement.pk}/statement.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_bad_values_are_refused_in_chinese_and_change_nothing(world, settlement):
    office = verified_client(world.user("office"))
    url = f"/subsidy/settlements/{settlement.pk}/"
    before = list(settlement.lines.values_list("pk", "amount"))
    for body, message in (
        (
            {"adjust-revision": settlement.revision, "adjust-amount": "abc", "adjust-reason": "补"},
            "请填写正确的金额",
        ),
        ({"adjust-revision": settlement.revision, "adjust-amount": "10", "adjust-reason": ""}, "请填写理由"),
        ({"adjust-revision": "x", "adjust-amount": "10", "adjust-reason": "补"}, "页面已过期"),
    ):
        response = office.post(url + "adjust/", body)
        assert response.status_code == 422
        assert message in response.content.decode()
    assert list(settlement.lines.values_list("pk", "amount")) == before
    staff = verified_client(world.user("staff_a"))
    assert staff.post(url + "return/", {"return-revision": settlement.revision}).status_code == 409  # a draft
    assert (
        office.post("/subsidy/runs/", {"district": world.district.pk, "month": "2026-13"}).status_code == 422
    )
    assert office.post(url + "nonsense/", {}).status_code == 404
    flag = settlement.flags.first()
    response = office.post(f"/subsidy/flags/{flag.pk}/decide/", {"decision": "maybe", "reason": "x"})
    assert response.status_code == 422 and "请选择处理结果" in response.content.decode()
    response = office.post(f"/subsidy/flags/{flag.pk}/callback/", {"result": "nope"})
    assert response.status_code == 422
    flag.refresh_from_db()
    assert flag.status == "open" and flag.callback_result == ""


def test_stale_revision_on_the_page_gets_a_409_with_a_clear_message(world, settlement):
    advisor = verified_client(world.user("advisor_a"))
    url = f"/subsidy/settlements/{settlement.pk}/submit/"
    assert advisor.post(url, {"submit-revision": settlement.revision}).status_code == 302
    again = advisor.post(url, {"submit-revision": settlement.revision})
    assert again.status_code == 409
    assert Settlement.objects.get(pk=settlement.pk).status == SettlementStatus.SUBMITTED


def test_finance_sheet_adds_up_to_the_cent(world, settlement):
    from guwen.subsidy import services

    services.adjustment_add(settlement=settlement, by=world.user("office"), amount="0.05", reason="尾差")
    response = verified_client(world.user("office")).get(
        f"/api/v1/subsidy/settlements/{settlement.pk}/finance.xlsx"
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    lines = [Decimal(str(r[9])) for r in rows if r[4] not in ("小计", "") and r[0] != "合计"]
    subtotal = [Decimal(str(r[9])) for r in rows if r[4] == "小计"]
    grand = Decimal(str(rows[-1][9]))
    settlement.refresh_from_db()
    total = sum(
        SettlementLine.objects.filter(settlement__batch=settlement.batch).values_list("amount", flat=True)
    )
    assert sum(lines) == sum(subtotal) == grand == total
    assert settlement.total in subtotal


def test_api_lists_scoped_settlements_with_decimal_strings(world, settlement):
    advisor = verified_client(world.user("advisor_a"))
    month = f"{timezone.localdate():%Y-%m}"
    rows = advisor.get(f"/api/v1/subsidy/settlements?period={month}").json()["items"]
    assert [r["id"] for r in rows] == [settlement.pk]
    assert rows[0]["total"] == f"{settlement.total:.2f}" and rows[0]["line_count"] >= 1
    assert advisor.get("/api/v1/subsidy/settlements?period=2026-1").status_code == 422
    detail = advisor.get(f"/api/v1/subsidy/settlements/{settlement.pk}").json()
    case = next(line for line in detail["lines"] if line["kind"] == "case")
    assert (case["amount"], case["grade"], case["rule_version"]) == ("500.00", "ordinary", 1)
    assert detail["flags"][0]["kind"] == "callback_sample"
    other = verified_client(world.user("advisor_b")).get("/api/v1/subsidy/settlements").json()["items"]
    assert settlement.pk not in [r["id"] for r in other]


RULE_BODY = {
    "name": "龙岗区标准",
    "oral_percent": "60",
    "terminated_percent": "50",
    "terminated_min_grade": "major",
    "sample_percent": "10",
    "batch_period": "month",
    **{f"amount_{item}": "800" for item in ("simple", "ordinary", "major", "special")},
    **{f"amount_{i}": "0" for i in ("lecture", "health_check", "opinion", "shift", "online_answer")},
}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("oral_percent", "六十", "请填写正确的比例"),
        ("oral_percent", "-5", "比例不能为负数"),
        ("sample_percent", "10.555", "比例最多两位小数"),
        ("sample_percent", "1000", "比例不能超过 100"),
        ("amount_major", "两千", "请填写正确的金额"),
        ("amount_major", "2000.001", "金额最多两位小数"),
        ("amount_major", "-1", "金额不能为负数"),
        ("amount_major", "1" * 13, "金额过大"),
        ("cap_advisor_month", "-100", "金额不能为负数"),
    ],
)
def test_a_bad_rule_value_names_amount_or_percentage_and_saves_nothing(
    world, settlement, field, value, message
):
    bureau = verified_client(world.user("bureau"))
    default = RuleSet.objects.get(district__isnull=True, version=1)
    today = timezone.localdate().isoformat()
    bureau.post(
        f"/subsidy/rules/{default.pk}/copy/", {"effective_from": today, "district": world.district.pk}
    )
    draft = RuleSet.objects.get(district=world.district)
    before = (draft.name, list(draft.amounts.values_list("item", "amount")))
    response = bureau.post(
        f"/subsidy/rules/{draft.pk}/", {**RULE_BODY, "effective_from": today, field: value}
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    draft.refresh_from_db()
    assert (draft.name, list(draft.amounts.values_list("item", "amount"))) == before


def test_bureau_copies_edits_and_adopts_a_version_then_what_if_compares(world, settlement):
    bureau = verified_client(world.user("bureau"))
    default = RuleSet.objects.get(district__isnull=True, version=1)
    response = bureau.post(
        f"/subsidy/rules/{default.pk}/copy/",
        {"effective_from": timezone.localdate().isoformat(), "district": world.district.pk},
    )
    draft = RuleSet.objects.get(district=world.district)
    assert response.status_code == 302 and draft.status == "draft" and draft.amounts.count() == 9
    body = {
        "name": "龙岗区标准",
        "effective_from": timezone.localdate().isoformat(),
        "oral_percent": "150",
        "terminated_percent": "50",
        "terminated_min_grade": "major",
        "sample_percent": "10",
        "batch_period": "quarter",
    }
    body.update({f"amount_{item}": "800" for item in ("simple", "ordinary", "major", "special")})
    body.update(
        {f"amount_{i}": "0" for i in ("lecture", "health_check", "opinion", "shift", "online_answer")}
    )
    response = bureau.post(f"/subsidy/rules/{draft.pk}/", body)
    assert response.status_code == 422 and "比例不能超过 100" in response.content.decode()
    body["oral_percent"] = "60"
    assert bureau.post(f"/subsidy/rules/{draft.pk}/", body).status_code == 302
    page = bureau.get(f"/subsidy/whatif/?rule_set={draft.pk}&district={world.district.pk}")
    assert page.status_code == 200 and "这段时间没有可比较的记录" in page.content.decode()
    from guwen.subsidy.whatif import compare

    draft.refresh_from_db()
    result = compare(district=world.district, rule_set=draft, months=[timezone.localdate().replace(day=1)])
    # The case: 1,000 split 500/500 now; 800 split 400/400 under the draft (activities pay nothing).
    assert [(r.label, r.current, r.proposed) for r in result.advisors] == [
        ("乙律师", Decimal("500.00"), Decimal("400.00")),
        ("甲律师", Decimal("500.00"), Decimal("400.00")),
    ]
    assert result.streets[0].label == "南湾街道" and result.total.change == Decimal("-200.00")
    assert bureau.post(f"/subsidy/rules/{draft.pk}/adopt/").status_code == 302
    assert bureau.post(f"/subsidy/rules/{draft.pk}/", body).status_code == 409  # frozen once adopted
    assert verified_client(world.user("office")).post(f"/subsidy/rules/{draft.pk}/adopt/").status_code == 403


def test_case_page_links_to_the_settlement_lines_that_paid_it_in_scope(world, settlement):
    line_a = settlement.lines.get(kind=LineKind.CASE)
    line_b = SettlementLine.objects.get(
        lawyer=world.lawyer_b, record_type="mediation.mediationcase", record_pk=line_a.record_pk
    )
    case_url = line_a.record_url
    office = verified_client(world.user("office")).get(case_url).content.decode()
    for line in (line_a, line_b):
        assert f"/subsidy/settlements/{line.settlement_id}/#line-{line.pk}" in office
    # Advisor B co-mediated the case: their own line only, not A's settlement.
    mine = verified_client(world.user("advisor_b")).get(case_url).content.decode()
    assert f"#line-{line_b.pk}" in mine and f"#line-{line_a.pk}" not in mine
    page = verified_client(world.user("office")).get(f"/subsidy/settlements/{settlement.pk}/")
    assert f'id="line-{line_a.pk}"' in page.content.decode()


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("1110"), "1,110.00"),
        (Decimal("-400.5"), "-400.50"),
        (Decimal("0"), "0.00"),
        (None, ""),
        ("—", "—"),
    ],
)
def test_yuan_amounts_are_written_as_finance_writes_them(value, shown):
    from guwen.subsidy.templatetags.subsidy import yuan

    assert yuan(value) == shown


def test_the_statement_has_its_lines_total_and_a_signature_line_for_each_step(world, settlement, tmp_path):
    """The printed statement is signed by the advisor, the community, the office and the district."""
    if not shutil.which("pdftotext"):
        if os.environ.get("GUWEN_REQUIRE_BROWSER") == "1":
            pytest.fail("GUWEN_REQUIRE_BROWSER=1 but pdftotext is missing (make system-deps)")
        pytest.skip("pdftotext missing: statement text not checked")
    pdf = tmp_path / "statement.pdf"
    pdf.write_bytes(
        verified_client(world.user("advisor_a"))
        .get(f"/subsidy/settlements/{settlement.pk}/statement.pdf")
        .content
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "以案定补结算单" in text and "合计" in text and f"{settlement.total:,.2f}" in text
    for signer in ("顾问律师：", "社区确认：", "司法所审核：", "区司法局审批："):
        assert signer in text, signer
