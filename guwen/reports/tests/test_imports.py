"""Import of historical ledgers: exported ledgers round-trip; a dry run lists every row error in
Chinese (sheet, row, column, reason) and nothing is imported while one remains; duplicates are
skipped with a report; files that are not .xlsx, encrypted, too large or too long are refused."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from guwen.consultations.models import Consultation
from guwen.core.workcalendar import CHINA_TZ
from guwen.duty.models import DutyShift
from guwen.outreach.models import Activity
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
    ("kind", "model"), [("activities", Activity), ("duty", DutyShift), ("consultations", Consultation)]
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
        good,
    ]
    response = _post(
        client_for("office"), "activities", _sheet("普法宣传活动台账", ACTIVITY_HEADERS, rows), "import"
    )
    html = response.content.decode()
    assert response.status_code == 422 and "发现 6 处错误，未导入任何数据" in html
    for reason in (
        "日期“2026/13/45”无法识别",
        "“松园社区”不是您范围内的社区",
        "“茶话会”不是可选值",
        "找不到律师“无名律师”",
        "此处应为数值，不能是公式",
        "已开展的活动应填写参与人数",
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
