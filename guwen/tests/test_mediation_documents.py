"""The mediation case file's twelve documents: every shipped template renders its sample, reopens
in python-docx with the facts in place, states what Article 29 of the 人民调解法 requires of an
agreement, and converts to a PDF that shows something (LibreOffice headless, then pdftoppm).

The PDF tests skip without soffice or pdftoppm, unless GUWEN_REQUIRE_BROWSER=1 (CI), where they
fail, as the other PDF and browser tests do: both come with ``make system-deps``.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from docx import Document
from PIL import Image

from guwen.core import documents
from guwen.mediation import documents as mediation_documents

KINDS = sorted(mediation_documents.KINDS)
PDF_KINDS = ["agreement", "registration"]  # a few: each conversion takes seconds


def need_pdf_tools() -> None:
    missing = [
        name
        for name, found in (
            ("libreoffice-writer-nogui", documents.soffice_path()),
            ("pdftoppm", shutil.which("pdftoppm")),
        )
        if not found
    ]
    if missing:
        if os.environ.get("GUWEN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"GUWEN_REQUIRE_BROWSER=1 but missing: {', '.join(missing)} (make system-deps)")
        pytest.skip(f"missing {', '.join(missing)}: PDF conversion of documents skipped (make system-deps)")


def rendered(name: str) -> bytes:
    kind = mediation_documents.kind(name)
    return documents.render_docx(kind.template.read_bytes(), kind.sample_context(), strict=True)


def full_text(data: bytes) -> str:
    """The text of every paragraph in document order, inside tables too."""
    from docx.oxml.ns import qn

    body = Document(io.BytesIO(data)).element.body
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))


def test_the_twelve_documents_of_the_case_file_are_registered():
    titles = {mediation_documents.kind(name).title for name in KINDS}
    assert titles == {
        "人民调解申请书",
        "人民调解受理登记表",
        "人民调解当事人权利义务告知书",
        "人民调解调查记录",
        "人民调解记录",
        "人民调解协议书",
        "人民调解口头协议登记表",
        "人民调解终止告知书",
        "人民调解回访记录",
        "人民调解结案报告表",
        "人民调解卷宗封面",
        "人民调解卷宗封底（卷内备考表）",
    }
    assert {kind.key for kind in documents.kinds()} >= {f"mediation.{name}" for name in KINDS}


@pytest.mark.parametrize("name", KINDS)
def test_each_sample_context_is_exactly_what_the_kind_offers(name):
    kind = mediation_documents.kind(name)
    assert documents.schema_mismatches(kind.variables, kind.sample_context()) == []
    assert mediation_documents.sample_context(f"mediation.{name}") == kind.sample_context()


@pytest.mark.parametrize("name", KINDS)
def test_each_shipped_template_passes_the_upload_check(name):
    kind = mediation_documents.kind(name)
    documents.check_template(kind, kind.template.read_bytes())


@pytest.mark.parametrize("name", KINDS)
def test_each_document_renders_and_reopens_with_its_facts(name):
    text = full_text(rendered(name))
    sample = mediation_documents.sample_context(name)
    assert "{{" not in text and "{%" not in text and "}}" not in text
    assert sample["case"]["number"] in text
    if "parties" in sample:
        assert all(party["name"] in text for party in sample["parties"])
    if "applicants" in sample:
        assert "陈丽华" in text and "林国栋" in text
    title = mediation_documents.kind(name).title
    heading = {"cover": "人 民 调 解 卷 宗", "back_cover": "卷 内 备 考 表"}.get(name, title)
    assert heading in text


def test_the_agreement_states_everything_article_29_requires():
    text = full_text(rendered("agreement"))
    agreement = mediation_documents.sample_context("agreement")["agreement"]
    # (1) the parties' basic facts
    for field in ("性别", "民族", "年龄", "职业或职务", "联系方式", "单位或住址", "身份证号码", "委托代理人"):
        assert field in text
    assert "440307********3527" in text and "林晓峰（其子，经书面授权）" in text
    # (2) the main facts, the points in dispute and each party's responsibility
    assert agreement["facts"] in text and agreement["dispute_points"] in text
    assert agreement["responsibility"] in text
    # (3) the terms, and the way, place and deadline of performance
    for number, term in enumerate(agreement["terms"], 1):
        assert f"{number}．{term}" in text
    assert agreement["performance_method"] in text and agreement["performance_deadline"] in text
    # signatures, fingerprints, seal, mediator, date, copies, court confirmation within 30 days
    assert "当事人（签名、盖章或按指印）" in text and "人民调解员（签名）" in text
    assert "（人民调解委员会印）" in text and "2026年3月18日" in text
    assert "一式三份，当事人各执一份，人民调解委员会留存一份" in text
    assert "三十日内共同向人民法院申请司法确认" in text


def test_docs_list_every_variable_of_every_kind():
    text = (Path(__file__).resolve().parents[2] / "docs" / "documents.md").read_text()
    for name in KINDS:
        kind = mediation_documents.kind(name)
        assert f"`{kind.key}` | {kind.title} |" in text
        for path, _description in documents.schema_paths(kind.variables):
            assert f"`{path.split('.', 1)[-1]}`" in text, (kind.key, path)


def test_the_termination_notice_gives_the_reason_and_the_routes():
    text = full_text(rendered("termination"))
    termination = mediation_documents.sample_context("termination")["termination"]
    assert f"因{termination['reason']}" in text and "第二十六条" in text
    assert all(route in text for route in termination["routes"])


def test_the_cover_shows_the_retention_period_and_the_back_cover_the_counts():
    assert "保管期限" in full_text(rendered("cover")) and "长期" in full_text(rendered("cover"))
    back = full_text(rendered("back_cover"))
    assert "本卷共有文件材料 11 件，共 27 页" in back and "检查人：南湾司法所 刘海燕" in back


def test_the_rights_notice_lists_the_rights_of_article_23():
    text = full_text(rendered("rights_notice"))
    for right in (
        "选择或者接受人民调解员",
        "拒绝调解或者要求终止调解",
        "公开进行或者不公开进行",
        "自愿达成调解协议",
    ):
        assert right in text


def test_records_list_every_entry_in_order():
    text = full_text(rendered("session"))
    entries = mediation_documents.sample_context("session")["session"]["entries"]
    positions = [text.index(f"{entry['speaker']}：{entry['text']}") for entry in entries]
    assert positions == sorted(positions)


# --- PDF ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    """A few kinds converted once for the whole module."""
    need_pdf_tools()
    folder = tmp_path_factory.mktemp("mediation-pdf")
    converted = {}
    for name in PDF_KINDS:
        path = folder / f"{name}.pdf"
        path.write_bytes(documents.docx_to_pdf(rendered(name)))
        converted[name] = path
    return converted


def non_white_fraction(png: Path) -> float:
    image = Image.open(png).convert("L")
    histogram = image.histogram()
    return 1 - sum(histogram[245:]) / (image.width * image.height)


@pytest.mark.parametrize("name", PDF_KINDS)
def test_the_pdf_renders_a_page_with_ink_on_a4(pdfs, name):
    pdf = pdfs[name]
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "40",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(pdf.with_suffix("")),
        ],
        check=True,
    )
    png = pdf.with_suffix(".png")
    assert png.exists()
    image = Image.open(png)
    assert abs(image.width / image.height - 210 / 297) < 0.01  # A4 portrait
    assert 0.01 < non_white_fraction(png) < 0.5


def test_the_pdf_embeds_a_cjk_font_and_keeps_the_text(pdfs):
    fonts = subprocess.run(
        ["pdffonts", str(pdfs["agreement"])], capture_output=True, text=True, check=False
    ).stdout
    if fonts:  # pdffonts comes with pdftoppm (poppler-utils)
        assert "CJK" in fonts
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdfs["agreement"]), "-"], capture_output=True, text=True, check=False
    ).stdout
    if text:  # LibreOffice spaces Latin digits from CJK text on the page: compare without spaces
        compact = "".join(text.split())
        assert "人民调解协议书" in compact and "（2026）南湾人调字第0137号" in compact


@pytest.mark.django_db
def test_the_cached_pdf_is_converted_once_per_version(pdfs, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    runs = []
    real = documents._run_soffice

    def counting(docx, outdir, *, timeout):
        runs.append(docx)
        real(docx, outdir, timeout=timeout)

    monkeypatch.setattr(documents, "_run_soffice", counting)
    context = mediation_documents.sample_context("callback")
    first = documents.document_pdf(kind="mediation.callback", object_key="case:137", context=context)
    second = documents.document_pdf(kind="mediation.callback", object_key="case:137", context=context)
    assert first == second and len(runs) == 1
    with default_storage.open(first, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
