"""Import of historical ledgers: exported ledgers round-trip; a dry run lists every row error in
Chinese (sheet, row, column, reason) and nothing is imported while one remains; duplicates are
skipped with a report; files that are not .xlsx, encrypted, too large or too long are refused."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from guwen.consultations.models import Consultation
from guwen.core.workcalendar import CHINA_TZ
from guwen.duty.models import DutyShift
from guwen.mediation.models import MediationCase
from guwen.outreach.models import Activity, HealthCheck
from guwen.regions.models import Region
from guwen.reports import imports
from guwen.reports.ledgers import LEDGERS, write_ledger

pytestmark = pytest.mark.django_db

START, END = datetime(2026, 1, 1).date(), datetime(2026, 3, 20).date()


def _ledger(world, kind: str) -> bytes:
    handle = io.BytesIO()
    communities = Region.objects.filter(pk=world.community_a.pk)
    write_ledger(
        handle, ledger=LEDGERS[kind], region=world.street, communities=communities, start=START, end=END
    )
    return handle.getvalue()


def _rows(data: bytes) -> list[list]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return [list(row)[1:] for row in book.active.iter_rows(min_row=3, values_only=True)]


def _post(client, kind: str, data: bytes, action: str = "check", name: str = "台账.xlsx"):
    return client.post(
        "/reports/imports/", {"kind": kind, "action": action, "file": SimpleUploadedFile(name, data)}
    )


@pytest.mark.parametrize(
    ("kind", "model"),
    [
        ("activities", Activity),
        ("duty", DutyShift),
        ("consultations", Consultation),
        ("mediation", MediationCase),
        ("checks", HealthCheck),
    ],
)
def test_an_exported_ledger_round_trips(world, records, client_for, kind, model):
    office = client_for("office")
    data = _ledger(world, kind)
    again = _post(office, kind, data)  # everything is already in the system
    assert "重复并跳过" in again.content.decode(), again.content.decode()[-3000:]
    before = _rows(data)
    model.objects.filter(community=world.community_a).delete()
    checked = _post(office, kind, data)
    assert checked.status_code == 200 and "检查通过" in checked.content.decode()
    assert model.objects.filter(community=world.community_a).count() == 0  # a dry run writes nothing
    imported = _post(office, kind, data, action="import")
    assert imported.status_code == 200 and "导入完成" in imported.content.decode()
    assert model.objects.filter(community=world.community_a).count() == len(before)
    assert _rows(_ledger(world, kind)) == before


def _sheet(title: str, headers, rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append([title])
    sheet.append(["序号", *headers])
    for row in rows:
        sheet.append(row)
    handle = io.BytesIO()
    book.save(handle)
    return handle.getvalue()


ACTIVITY_HEADERS = LEDGERS["activities"].headers


def test_row_errors_are_listed_and_nothing_is_imported(world, client_for):
    good = [1, "2026-03-02", "南龙社区", "法治讲座", "民法典讲座", "党群服务中心", "甲律师", 30, "已开展"]
    rows = [
        good,
        [2, "2026/13/45", "南龙社区", "法治讲座", "讲座二", "", "甲律师", 30, "已开展"],
        [3, "2026-03-03", "松园社区", "法治讲座", "讲座三", "", "甲律师", 30, "已开展"],
        [4, "2026-03-04", "南龙社区", "茶话会", "讲座四", "", "甲律师", 30, "已开展"],
        [5, "2026-03-05", "南龙社区", "法治讲座", "讲座五", "", "无名律师", 30, "已开展"],
        [6, "2026-03-06", "南龙社区", "法治讲座", "讲座六", "", "甲律师", "=10*3", "已举办"],
        [7, "2026-03-07", "南龙社区", "法治讲座", "讲座七", "", "甲律师", None, "已开展"],
        [8, "2026-03-08", "南龙社区", "普法宣传", "宣传八", "", "甲律师", 50, "已开展"],
        good,
    ]
    response = _post(
        client_for("office"), "activities", _sheet("普法宣传活动台账", ACTIVITY_HEADERS, rows), "import"
    )
    html = response.content.decode()
    assert response.status_code == 422 and "发现 7 处错误，未导入任何数据" in html
    for reason in (
        "日期“2026/13/45”无法识别",
        "“松园社区”不是您范围内的社区",
        "“茶话会”不是可选值",
        "找不到律师“无名律师”",
        "此处应为数值，不能是公式",
        "已开展的活动应填写参与人数",
        "普法宣传应填写宣传形式（横幅展板、",
    ):
        assert reason in html, reason
    assert "与文件中前面的行重复" in html
    assert Activity.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"name,date\n1,2\n", "不是 Excel 文件"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "文件已加密，或是旧版 .xls 格式"),
        (b"PK\x03\x04broken", "无法读取该 Excel 文件"),
    ],
)
def test_files_that_are_not_xlsx_are_refused(world, client_for, data, message):
    response = _post(client_for("office"), "activities", data, "import")
    assert response.status_code == 422 and message in response.content.decode()
    assert Activity.objects.count() == 0


def test_wrong_sheet_header_size_and_length_are_refused(world, records, client_for, monkeypatch):
    office = client_for("office")
    wrong = _post(office, "activities", _ledger(world, "duty"), "import")
    assert wrong.status_code == 422 and "表头缺少该列" in wrong.content.decode()
    no_header = _post(office, "activities", _sheet("Sheet1", [], [[1, 2, 3]] * 6)[:], "import")
    assert no_header.status_code == 422
    monkeypatch.setattr(imports, "MAX_BYTES", 1000)
    assert (
        "文件超过 20 MB"
        in _post(office, "activities", _ledger(world, "activities"), "import").content.decode()
    )
    monkeypatch.setattr(imports, "MAX_BYTES", 20 * 1024 * 1024)
    monkeypatch.setattr(imports, "MAX_ROWS", 1)
    rows = [
        [i, "2026-03-02", "南龙社区", "法治讲座", f"讲座{i}", "", "甲律师", 30, "已开展"] for i in (1, 2, 3)
    ]
    long = _post(office, "activities", _sheet("普法宣传活动台账", ACTIVITY_HEADERS, rows), "import")
    assert long.status_code == 422 and "超过一次导入的上限" in long.content.decode()
    assert Activity.objects.filter(topic__startswith="讲座").count() == 0
    assert _post(office, "activities", b"", "import").status_code == 422  # an empty upload


def test_the_command_checks_with_a_progress_bar_and_imports(world, records, tmp_path, capsys):
    path = tmp_path / "普法台账.xlsx"
    path.write_bytes(_ledger(world, "activities"))
    Activity.objects.filter(community=world.community_a).delete()
    call_command("import_ledger", "activities", str(path), "--user", "office", "--dry-run")
    assert "可导入 1 条" in capsys.readouterr().out and Activity.objects.count() == 0
    call_command("import_ledger", "activities", str(path), "--user", "office")
    out = capsys.readouterr()
    assert "已导入 1 条" in out.out and "检查中" in out.err
    assert Activity.objects.get().advisors.get() == world.lawyer_a
    with pytest.raises(CommandError, match="不是 Excel 文件"):
        bad = tmp_path / "bad.xlsx"
        bad.write_text("not excel")
        call_command("import_ledger", "activities", str(bad), "--user", "office")


def test_imported_times_are_local(world, records, client_for):
    data = _ledger(world, "consultations")
    Consultation.objects.filter(community=world.community_a).delete()
    _post(client_for("office"), "consultations", data, "import")
    first = Consultation.objects.order_by("created_at").first()
    assert first.created_at == datetime(2026, 3, 16, 10, 0, tzinfo=CHINA_TZ)
    assert first.minutes_to_first_response == 60 and first.phone_masked == "139****1111"


MEDIATION_HEADERS = LEDGERS["mediation"].headers
CHECK_HEADERS = LEDGERS["checks"].headers


def _case_row(n, number="（2025）南龙人调字第0007号", **changes):
    row = {
        "案号": number,
        "受理日期": "2025-11-03",
        "社区": "南龙社区",
        "纠纷类型": "邻里纠纷",
        "纠纷名称": "装修噪音纠纷",
        "申请人": "王小明",
        "被申请人": "李大华、深圳市某某物业管理有限公司",
        "涉及金额（元）": 3000,
        "状态": "已结案归档",
        "调解结果": "书面协议",
        "结案时间": "2025-11-20 16:00",
    }
    row.update(changes)
    return [n, *(row[h] for h in MEDIATION_HEADERS)]


def test_row_errors_in_a_mediation_register_are_listed_and_nothing_is_imported(world, client_for):
    rows = [
        _case_row(1),
        _case_row(2, "南龙第七号"),
        _case_row(3, "（2025）南龙人调字第0008号", 纠纷类型="吵架纠纷"),
        _case_row(4, "（2025）南龙人调字第0009号", 受理日期="2025年13月3日"),
        _case_row(5, "（2025）南龙人调字第0010号", 社区="松园社区"),
        _case_row(6, "（2025）南龙人调字第0011号", **{"涉及金额（元）": "=1000*3"}),
        _case_row(7, "（2025）南龙人调字第0012号", **{"涉及金额（元）": "三千元"}),
        _case_row(8, "（2025）南龙人调字第0013号", 状态="已了结"),
        _case_row(9, "（2025）南龙人调字第0014号", 状态="调解中"),
        _case_row(10, "（2025）南龙人调字第0015号", 状态="已达成协议", 调解结果=""),
        _case_row(11, "（2025）南龙人调字第0016号", 结案时间="2025-10-01 09:00"),
        _case_row(12, "（2025）南龙人调字第0017号", 申请人=""),
        _case_row(1),
    ]
    data = _sheet("人民调解案件登记台账", MEDIATION_HEADERS, rows)
    response = _post(client_for("office"), "mediation", data, "import")
    html = response.content.decode()
    assert response.status_code == 422 and "发现 11 处错误，未导入任何数据" in html
    for reason in (
        "无法识别年度和序号",
        "“吵架纠纷”不是可选值",
        "日期“2025年13月3日”无法识别",
        "“松园社区”不是您范围内的社区",
        "此处应为数值，不能是公式",
        "应为金额（元）",
        "“已了结”不是可选值",
        "状态为“调解中”的案件还没有调解结果",
        "已达成协议的案件应填写“书面协议”或“口头协议”",
        "早于受理日期",
        '<td data-label="列">申请人</td><td data-label="原因">不能为空',
    ):
        assert reason in html, reason
    assert "与文件中前面的行重复" in html
    assert MediationCase.objects.count() == 0


def test_a_hand_kept_register_seals_id_numbers_keeps_masked_names_and_moves_the_counter(world, client_for):
    from guwen.mediation.models import CaseCounter, Party
    from guwen.mediation.services import case_intake
    from guwen.mediation.tests.helpers import dispute_type
    from guwen.testing import valid_id_number

    headers = (*MEDIATION_HEADERS, "申请人身份证号", "申请人联系电话")
    number = valid_id_number("19800101", 17)
    good = [*_case_row(1, 申请人="王*"), number, "139 1234 5678"]
    masked = [*_case_row(2, "（2025）南龙人调字第0030号"), "440307********1234", ""]
    mismatch = [*_case_row(3, "（2025）南龙人调字第0031号"), f"{number}、{number}", ""]
    office = client_for("office")
    refused = _post(office, "mediation", _sheet("人民调解案件登记台账", headers, [good, masked, mismatch]))
    html = refused.content.decode()
    assert "是脱敏的身份证号，无法导入为真实号码" in html and "应与当事人一一对应" in html
    imported = _post(office, "mediation", _sheet("人民调解案件登记台账", headers, [good]), "import")
    assert imported.status_code == 200 and "导入完成" in imported.content.decode()
    case = MediationCase.objects.get()
    assert (case.year, case.serial, case.grade, case.outcome.kind) == (2025, 7, "", "written")
    assert case.overdue_notified_at and case.outcome.confirmation_reminded_at  # history raises no alarms
    applicant = case.parties.get(role="applicant")
    assert (
        applicant.name == "王*"
        and applicant.id_number_encrypted
        and number not in applicant.id_number_encrypted
    )
    assert applicant.id_number_masked == number[:6] + "********" + number[-4:]
    assert applicant.phone_masked == "139****5678"
    assert Party.objects.filter(id_number_hash=applicant.id_number_hash).count() == 1
    assert case.parties.get(name__endswith="公司").kind == "organisation"
    assert CaseCounter.objects.get(community=world.community_a, year=2025).last == 7
    later = case_intake(
        community=world.community_a,
        by=world.user("staff_a"),
        source="application",
        dispute_type=dispute_type(),
        title="另一纠纷",
        summary="双方就费用协商不成。",
        intake_on=datetime(2025, 12, 1).date(),
    )
    assert later.serial == 8  # never a number the register already used


def _check_row(n, **changes):
    from guwen.testing import valid_credit_code

    row = {
        "体检日期": "2025-12-05",
        "社区": "南龙社区",
        "企业名称": "深圳市南湾示例电子有限公司",
        "统一社会信用代码": valid_credit_code(424242),
        "体检律师": "甲律师",
        "发现问题": 3,
        "高风险问题": 1,
        "状态": "已办结",
    }
    row.update(changes)
    return [n, *(row[h] for h in CHECK_HEADERS)]


def test_row_errors_in_a_health_check_ledger_are_listed_and_nothing_is_imported(world, client_for):
    rows = [
        _check_row(1),
        _check_row(2, 统一社会信用代码="91440300ABCDEFGHIJ", 体检日期="2025-12-06"),
        _check_row(3, 体检日期="12/07/2025"),
        _check_row(4, 社区="松园社区", 体检日期="2025-12-08"),
        _check_row(5, 体检律师="无名律师", 体检日期="2025-12-09"),
        _check_row(6, 高风险问题=4, 体检日期="2025-12-10"),
        _check_row(7, 发现问题="=2+1", 体检日期="2025-12-11"),
        _check_row(8, 状态="体检完毕", 体检日期="2025-12-12"),
        _check_row(9, 企业名称="另一个名字有限公司", 体检日期="2025-12-13"),
        _check_row(10, 发现问题=-1, 高风险问题=0, 体检日期="2025-12-14"),
        _check_row(1),
    ]
    data = _sheet("企业法治体检台账", CHECK_HEADERS, rows)
    response = _post(client_for("office"), "checks", data, "import")
    html = response.content.decode()
    assert response.status_code == 422 and "发现 9 处错误，未导入任何数据" in html
    for reason in (
        "统一社会信用代码应为18位",
        "日期“12/07/2025”无法识别",
        "“松园社区”不是您范围内的社区",
        "找不到律师“无名律师”",
        "不能多于发现问题的数量",
        "此处应为数值，不能是公式",
        "“体检完毕”不是可选值",
        "企业名称不一致",
        "应为不小于 0 的整数",
    ):
        assert reason in html, reason
    assert "与文件中前面的行重复" in html
    assert HealthCheck.objects.count() == 0


def test_a_health_check_ledger_registers_new_enterprises_by_command(world, tmp_path, capsys):
    from guwen.outreach.models import Enterprise
    from guwen.outreach.tests.helpers import ensure_checklist

    ensure_checklist()
    path = tmp_path / "体检台账.xlsx"
    path.write_bytes(
        _sheet("企业法治体检台账", CHECK_HEADERS, [_check_row(1), _check_row(2, 体检日期="2026-01-09")])
    )
    call_command("import_ledger", "checks", str(path), "--user", "office")
    out = capsys.readouterr()
    assert "已导入 2 条" in out.out and "检查中" in out.err
    enterprise = Enterprise.objects.get()
    assert enterprise.community == world.community_a and enterprise.checks.count() == 2
    check = enterprise.checks.first()
    assert check.findings.count() == 3 and check.findings.filter(risk_level="high").count() == 1
    assert check.advisors.get() == world.lawyer_a
    call_command("import_ledger", "checks", str(path), "--user", "office")
    assert "重复跳过 2 条" in capsys.readouterr().out and HealthCheck.objects.count() == 2


@given(
    year=st.integers(1990, 2100),
    serial=st.integers(1, 999_999),
    name=st.sampled_from(["南龙社区", "上李朗", "新村村委会"]),
)
def test_every_case_number_the_committee_gives_reads_back(year, serial, name):
    from guwen.mediation.services.cases import format_number

    number = format_number(Region(name=name), year, serial)
    match = imports.CASE_NUMBER.search(number)
    assert match and (int(match.group(1)), int(match.group(2))) == (year, serial)


@given(st.decimals(min_value=0, max_value=10**10, places=2, allow_nan=False))
def test_amounts_read_back_exactly(amount):
    assert imports._amount({"金额": str(amount)}, "金额") == amount
    assert imports._amount({"金额": float(amount)}, "金额") == amount


def test_a_number_taken_between_check_and_import_refuses_the_whole_file(world):
    from guwen.core.errors import Conflict
    from guwen.mediation.services import history
    from guwen.mediation.tests.helpers import intake

    taken = intake(world)
    rows = [_case_row(1, "（2025）南龙人调字第0040号"), _case_row(2, f"（{taken.year}）南龙人调字第0001号")]
    checked = imports.check(
        handle=io.BytesIO(data := _sheet("人民调解案件登记台账", MEDIATION_HEADERS, rows)),
        size=len(data),
        kind="mediation",
        user=world.user("office"),
    )
    assert len(checked.duplicates) == 1 and len(checked.records) == 1
    clash = dict(checked.records[0], year=taken.year, serial=taken.serial)  # as if taken meanwhile
    with pytest.raises(Conflict, match="未导入任何数据"):
        history.cases_import(rows=[checked.records[0], clash], by=world.user("office"), source="x.xlsx")
    assert MediationCase.objects.count() == 1
