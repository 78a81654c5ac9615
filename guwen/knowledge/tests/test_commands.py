import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from guwen.knowledge.models import AnsweredQuestion, TriageCorrection
from guwen.knowledge.taxonomy import TAXONOMY_V1
from guwen.knowledge.triage import MODEL_PATH, load_model


def run_triage(tmp_path, content: bytes):
    path = tmp_path / "in.jsonl"
    path.write_bytes(content)
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("triage", str(path), stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue(), code


def test_triage_adds_fields_and_keeps_every_other_field(tmp_path):
    rows = [
        {"id": "a", "question": "公司拖欠工资怎么办", "extra": {"k": [1, 2]}, "category_hint": None},
        {"id": "b", "question": ""},
        {"id": "c", "question": "😀🎉"},
        {"id": "d", "question": "x" * 100_000},
        {"id": "e", "question": "Mixed 中文 English العربية 123"},
        {"id": "f", "question": "离婚后孩子抚养费", "title": "抚养费"},
    ]
    content = "\n".join(json.dumps(row, ensure_ascii=False) for row in rows).encode()
    out, err, code = run_triage(tmp_path, content)
    assert code == 0 and err == ""
    assert [row["id"] for row in out] == ["a", "b", "c", "d", "e", "f"]
    for original, row in zip(rows, out, strict=True):
        for key, value in original.items():
            assert row[key] == value
        assert row["category"] in TAXONOMY_V1
        assert len(row["category_top3"]) == 3 and set(row["category_top3"]) <= set(TAXONOMY_V1)
        assert row["urgency"] in {"normal", "urgent"}
    assert out[1]["category"] == "其他"


def test_bad_lines_get_a_per_line_error_and_the_rest_still_runs(tmp_path):
    content = "\n".join(
        ['{"id": 1, "question": "工资"}', "not json", '{"id": 3}', "[1]", '{"id": 5, "question": 5}', ""]
    ).encode()
    out, err, code = run_triage(tmp_path, content)
    assert code == 1
    assert out[0]["id"] == 1 and "category" in out[0]
    assert out[1] == {"line": 2, "error": "不是有效的 JSON"}
    assert out[2] == {"id": 3, "line": 3, "error": "缺少 question 字段"}
    assert out[3]["line"] == 4 and out[4]["error"] == "question 应为文本"
    assert "第 2 行" in err and "第 3 行" in err


def test_non_utf8_file_is_handled_without_a_traceback(tmp_path):
    content = '{"question": "公司拖欠工资"}\n'.encode("gbk")
    out, err, code = run_triage(tmp_path, content)
    assert "UTF-8" in err
    assert len(out) == 1 and code in (0, 1)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="无法读取"):
        call_command("triage", str(tmp_path / "nope.jsonl"), stdout=io.StringIO())


SYNTHETIC = {
    "劳动争议": ["公司拖欠工资{}个月", "老板不发工资还辞退我{}", "加班费不给{}", "没签劳动合同{}"],
    "婚姻家庭": ["离婚孩子抚养权{}", "老公出轨要离婚{}", "离婚财产分割{}", "抚养费不给{}"],
    "交通事故": ["开车被追尾{}", "交通事故责任认定{}", "电动车撞人{}", "车祸赔偿{}"],
}


def write_synthetic(tmp_path):
    """48 labelled questions in three categories, then a broken line (line 49)."""
    lines = []
    for category, templates in SYNTHETIC.items():
        for i in range(4):
            for template in templates:
                lines.append(
                    json.dumps(
                        {
                            "id": f"{category}{i}{template}",
                            "question": template.format(i),
                            "category": category,
                        }
                    )
                )
    lines.append("broken line")
    source = tmp_path / "train.jsonl"
    source.write_text("\n".join(lines), encoding="utf-8")
    return source


def test_train_triage_on_a_small_file_uses_corrections(db, tmp_path, settings):
    source = write_synthetic(tmp_path)
    TriageCorrection.objects.create(text_ref="c", text="公司不发工资", predicted="其他", corrected="劳动争议")
    output = tmp_path / "model.joblib"
    out, err = io.StringIO(), io.StringIO()
    call_command("train_triage", "--input", str(source), "--output", str(output), stdout=out, stderr=err)
    text = out.getvalue()
    assert "分类更正 1 条" in text and "准确率" in text and "前三命中率" in text and "宏平均 F1" in text
    assert "第 49 行" in err.getvalue()
    artefact = load_model(output)
    assert artefact["meta"]["n_train"] == 37  # 36 in the training part + 1 correction
    assert "held_out" in artefact["meta"]


@pytest.fixture
def stale_model(tmp_path):
    """The shipped model, recorded as trained by another scikit-learn."""
    import joblib

    artefact = dict(load_model())
    artefact["meta"] = {**artefact["meta"], "sklearn_version": "0.0.1"}
    path = tmp_path / "stale.joblib"
    joblib.dump(artefact, path)
    return path


def test_if_stale_leaves_a_usable_model_alone(tmp_path):
    output = tmp_path / "model.joblib"
    output.write_bytes(MODEL_PATH.read_bytes())
    before = output.stat().st_mtime_ns
    out = io.StringIO()
    call_command(
        "train_triage",
        "--if-stale",
        "--input",
        str(tmp_path / "absent.jsonl"),
        "--output",
        str(output),
        stdout=out,
    )
    assert "无需重新训练" in out.getvalue()
    assert output.stat().st_mtime_ns == before


def test_if_stale_retrains_a_model_from_another_scikit_learn(db, tmp_path, stale_model):
    import sklearn

    source = write_synthetic(tmp_path)
    out = io.StringIO()
    call_command(
        "train_triage",
        "--if-stale",
        "--all",
        "--no-corrections",
        "--input",
        str(source),
        "--output",
        str(stale_model),
        stdout=out,
        stderr=io.StringIO(),
    )
    assert "scikit-learn 0.0.1" in out.getvalue() and "已保存" in out.getvalue()
    meta = load_model(stale_model, reload=True)["meta"]
    assert meta["sklearn_version"] == sklearn.__version__
    assert meta["note"] == "all rows" and meta["n_train"] == 48


def test_if_stale_without_training_data_says_what_to_do_and_does_not_fail(tmp_path, stale_model):
    before = stale_model.read_bytes()
    err = io.StringIO()
    call_command(
        "train_triage",
        "--if-stale",
        "--all",
        "--no-corrections",
        "--input",
        str(tmp_path / "absent.jsonl"),
        "--output",
        str(stale_model),
        stdout=io.StringIO(),
        stderr=err,
    )
    assert "train_triage --all --no-corrections" in err.getvalue() and "knowledge.E001" in err.getvalue()
    assert stale_model.read_bytes() == before


def test_train_triage_refuses_a_missing_input(db, tmp_path):
    with pytest.raises(CommandError, match="不存在"):
        call_command("train_triage", "--input", str(tmp_path / "x.jsonl"), "--output", str(tmp_path / "m"))


def test_import_commands(db, tmp_path):
    out = io.StringIO()
    call_command("import_laws", "--file", "anti_domestic_violence_law.md", stdout=out)
    assert "新增 1 部" in out.getvalue()
    source = tmp_path / "qa.jsonl"
    source.write_text(
        '{"id": 1, "question": "我叫张三丰，电话13912345678，被公司辞退", '
        '"answer": "可以申请仲裁", "category": "劳动争议"}\n',
        encoding="utf-8",
    )
    call_command("import_answered", str(source), stdout=io.StringIO())
    entry = AnsweredQuestion.objects.get()
    assert "13912345678" not in entry.question and "张三丰" not in entry.question
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes("问题".encode("gbk"))
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("import_answered", str(bad), stdout=io.StringIO())


@pytest.mark.django_db
def test_triage_says_urgent_or_normal_and_why(tmp_path):
    """The interface the acceptance run reads: the same lines with urgency and urgency_reason."""
    rows = [
        {"id": "u1", "question": "我老公又打我了，把我锁在家里不让出门"},
        {"id": "u2", "question": "我真的撑不下去了，想结束这一切"},
        {"id": "u3", "question": "我们三十多个工人明天一起去区政府静坐"},
        {"id": "n1", "question": "我想打官司要回欠款"},
        {"id": "n2", "question": "早上堵车迟到，公司扣了全勤奖"},
    ]
    content = "\n".join(json.dumps(row, ensure_ascii=False) for row in rows).encode()
    out, err, code = run_triage(tmp_path, content)
    assert code == 0 and err == ""
    got = {row["id"]: (row["urgency"], row["urgency_reason"]) for row in out}
    assert got == {
        "u1": ("urgent", "家庭暴力"),
        "u2": ("urgent", "自伤风险"),
        "u3": ("urgent", "群体性事件"),
        "n1": ("normal", ""),
        "n2": ("normal", ""),
    }
    for row in out:
        assert set(row) == {"id", "question", "category", "category_top3", "urgency", "urgency_reason"}
