"""Official documents in general: rendering, the check of a replacement template, the PDF cache.

A toy kind stands in for the apps' kinds (core knows no domain); the mediation kinds and a real
LibreOffice conversion are tested in guwen/tests/test_mediation_documents.py.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from docx import Document

from guwen.core import documents
from guwen.core.models import AuditEvent, DocumentTemplate
from guwen.testing import make_user, verified_client

KIND = "testing.notice"
VARIABLES = {"case": {"number": "案号", "title": "纠纷名称"}, "parties": [{"name": "姓名"}]}
SAMPLE = {
    "case": {"number": "（2026）测试人调字第0001号", "title": "测试纠纷"},
    "parties": [{"name": "王某"}],
}
FAKE_PDF = b"%PDF-1.4\n% fake\n"


def docx_with(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


GOOD = ("编号：{{ case.number }}", "{%p for p in parties %}", "当事人：{{ p.name }}", "{%p endfor %}")


def text_of(data: bytes) -> str:
    return "\n".join(paragraph.text for paragraph in Document(io.BytesIO(data)).paragraphs)


@pytest.fixture(autouse=True)
def kind(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    template = tmp_path / "notice.docx"
    template.write_bytes(docx_with(*GOOD))
    registered = documents.register(
        documents.DocumentKind(
            key=KIND, title="测试告知书", template=template, variables=VARIABLES, sample=lambda: SAMPLE
        )
    )
    yield registered
    documents._KINDS.pop(KIND, None)


def refusal(kind, data: bytes) -> str:
    with pytest.raises(documents.TemplateCheckError) as caught:
        documents.check_template(kind, data)
    return str(caught.value)


# --- rendering ------------------------------------------------------------------------------------


def test_renders_the_context_into_a_docx_that_reopens(kind):
    data = documents.render_docx(kind.template.read_bytes(), SAMPLE)
    text = text_of(data)
    assert "编号：（2026）测试人调字第0001号" in text and "当事人：王某" in text
    assert "{{" not in text and "{%" not in text


def test_a_tag_word_split_across_runs_still_renders_and_checks(kind):
    # Word splits a tag into several runs when part of it was edited or formatted differently.
    document = Document()
    paragraph = document.add_paragraph("编号：")
    paragraph.add_run("{{ case.")
    paragraph.add_run("number }}").bold = True
    out = io.BytesIO()
    document.save(out)
    documents.check_template(kind, out.getvalue())
    assert "编号：（2026）测试人调字第0001号" in text_of(documents.render_docx(out.getvalue(), SAMPLE))


def test_markup_in_a_value_stays_text(kind):
    context = {**SAMPLE, "parties": [{"name": "A&B <公司>"}]}
    assert "当事人：A&B <公司>" in text_of(documents.render_docx(kind.template.read_bytes(), context))


def test_a_value_left_out_prints_blank_when_producing_a_document(kind):
    context = {"case": {"number": "X-1"}, "parties": []}
    assert "编号：X-1" in text_of(documents.render_docx(kind.template.read_bytes(), context))


def test_schema_paths_document_nested_and_list_variables():
    paths = dict(documents.schema_paths(VARIABLES))
    assert paths == {"case.number": "案号", "case.title": "纠纷名称", "parties[].name": "姓名"}
    assert documents.schema_mismatches(VARIABLES, SAMPLE) == []
    assert documents.schema_mismatches(VARIABLES, {"case": {"number": "1"}, "parties": []})


# --- the check of a replacement -----------------------------------------------------------------


def test_the_shipped_template_passes_the_check(kind):
    documents.check_template(kind, kind.template.read_bytes())


def test_refuses_a_file_that_is_not_a_docx(kind):
    assert "不是 Word 文档" in refusal(kind, b"%PDF-1.7 not a word file")
    assert "不是 Word 文档" in refusal(kind, "编号：{{ case.number }}".encode())


def test_refuses_a_zip_that_is_not_a_word_document(kind):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("hello.txt", "hi")
    assert "word/document.xml" in refusal(kind, archive.getvalue())


def test_refuses_a_corrupt_docx(kind):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("word/document.xml", "<not xml")
    assert "无法打开" in refusal(kind, archive.getvalue())


def test_refuses_a_variable_the_kind_does_not_offer_and_names_it(kind):
    message = refusal(kind, docx_with("{{ case.number }}", "{{ salary }}"))
    assert "salary" in message and "不提供的变量" in message and "测试告知书" in message


def test_refuses_a_field_the_kind_does_not_offer_and_names_it(kind):
    message = refusal(kind, docx_with("{{ case.number }}", "{{ case.id_number }}"))
    assert message.endswith("不提供的字段：id_number") and "dict object" not in message


def test_refuses_an_unclosed_tag_and_quotes_it(kind):
    message = refusal(kind, docx_with("编号：{{ case.number", "正文"))
    assert "{{ case.number" in message and "没有闭合" in message


def test_refuses_a_broken_expression_and_quotes_the_tag(kind):
    message = refusal(kind, docx_with("{{ case..number }}"))
    assert "「{{ case..number }}」" in message and "有误" in message


def test_refuses_a_loop_without_its_end_and_names_the_missing_tag(kind):
    message = refusal(kind, docx_with("{%p for p in parties %}", "{{ p.name }}"))
    assert "{%p for p in parties %}" in message and "endfor" in message


def test_refuses_an_end_without_its_start(kind):
    message = refusal(kind, docx_with("{{ case.number }}", "{%p endif %}"))
    assert "{%p endif %}" in message and "结束标签" in message


def test_refuses_a_template_that_reaches_for_python_internals(kind):
    message = refusal(kind, docx_with("{{ case.number.__class__.__mro__[1].__subclasses__() }}"))
    assert "不允许的内部属性" in message and "__class__" in message


def test_refuses_an_include(kind):
    assert "include" in refusal(kind, docx_with("{% include 'x' %}"))


# --- replacing a template -----------------------------------------------------------------------


@pytest.mark.django_db
def test_an_upload_becomes_the_active_template_with_an_audit_event(kind):
    office = make_user("office-doc")
    replacement = docx_with("新版 {{ case.number }}")
    first = documents.document_template_upload(kind=KIND, data=replacement, filename="a.docx", by=office)
    assert (first.version, first.active) == (1, True)
    assert documents.template_bytes(kind) == replacement
    second = documents.document_template_upload(
        kind=KIND, data=docx_with("第三版 {{ case.title }}"), by=office
    )
    first.refresh_from_db()
    assert (second.version, second.active, first.active) == (2, True, False)
    event = AuditEvent.objects.filter(action="document_template.upload").first()
    assert event.new["version"] == 2 and event.old == {"active_version": 1} and event.actor == office

    documents.document_template_set_active(template=second, active=False, by=office)
    assert documents.template_bytes(kind) == kind.template.read_bytes()  # back to the shipped one
    assert AuditEvent.objects.filter(action="document_template.deactivate").count() == 1


@pytest.mark.django_db
def test_a_refused_upload_saves_nothing(kind):
    with pytest.raises(documents.TemplateCheckError):
        documents.document_template_upload(kind=KIND, data=docx_with("{{ salary }}"), by=None)
    assert not DocumentTemplate.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_an_unknown_kind_is_refused():
    with pytest.raises(documents.DomainError, match="未知的文书种类"):
        documents.document_template_upload(kind="nope.nothing", data=docx_with("x"), by=None)


@pytest.mark.django_db
def test_admin_upload_names_the_problem_then_accepts_a_good_template(kind):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = verified_client(make_user("root-doc", superuser=True))
    url = "/admin/core/documenttemplate/add/"
    assert client.get(url).status_code == 200
    bad = SimpleUploadedFile("bad.docx", docx_with("{{ salary }}"))
    response = client.post(url, {"kind": KIND, "upload": bad, "note": "试用"})
    assert response.status_code == 200 and "salary" in response.content.decode()
    assert not DocumentTemplate.objects.exists()
    good = SimpleUploadedFile("good.docx", docx_with("新 {{ case.number }}"))
    response = client.post(url, {"kind": KIND, "upload": good, "note": "试用"})
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = DocumentTemplate.objects.get()
    assert (saved.kind, saved.version, saved.active, saved.original_name) == (KIND, 1, True, "good.docx")
    assert AuditEvent.objects.filter(action="document_template.upload", object_id=str(saved.pk)).exists()
    assert "测试告知书" in client.get("/admin/core/documenttemplate/").content.decode()

    response = client.post(f"/admin/core/documenttemplate/{saved.pk}/change/", {})  # 启用 unticked
    assert response.status_code == 302
    saved.refresh_from_db()
    assert not saved.active
    assert AuditEvent.objects.filter(action="document_template.deactivate", object_id=str(saved.pk)).exists()


# --- PDF and the cache --------------------------------------------------------------------------


@pytest.fixture
def fake_soffice(monkeypatch):
    """Stands in for LibreOffice: writes a PDF beside the .docx and counts its runs."""
    runs: list[Path] = []

    def run(docx: Path, outdir: Path, *, timeout: int) -> None:
        runs.append(docx)
        (outdir / (docx.stem + ".pdf")).write_bytes(FAKE_PDF)

    monkeypatch.setattr(documents, "_run_soffice", run)
    return runs


@pytest.mark.django_db
def test_a_document_version_is_rendered_and_converted_once(fake_soffice):
    first = documents.document_pdf(kind=KIND, object_key="case:1", context=SAMPLE)
    again = documents.document_pdf(kind=KIND, object_key="case:1", context=SAMPLE)
    assert first == again and len(fake_soffice) == 1
    assert first.startswith("documents/testing.notice/case_1/") and default_storage.exists(first)
    with default_storage.open(first, "rb") as handle:
        assert handle.read() == FAKE_PDF


@pytest.mark.django_db
def test_a_changed_context_or_template_is_a_new_version(fake_soffice):
    one = documents.document_docx(kind=KIND, object_key="case:1", context=SAMPLE)
    changed = {**SAMPLE, "case": {**SAMPLE["case"], "title": "改名"}}
    two = documents.document_docx(kind=KIND, object_key="case:1", context=changed)
    documents.document_template_upload(kind=KIND, data=docx_with("新 {{ case.number }}"), by=None)
    three = documents.document_docx(kind=KIND, object_key="case:1", context=SAMPLE)
    assert len({one.version, two.version, three.version}) == 3
    with default_storage.open(three.docx_name, "rb") as handle:
        assert "新 （2026）测试人调字第0001号" in text_of(handle.read())


@pytest.mark.django_db
def test_request_pdf_leaves_the_conversion_to_the_task(fake_soffice, settings):
    from django_tasks import task_backends

    from guwen.core import tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # a real queue
    stored, ready = documents.request_pdf(kind=KIND, object_key="case:2", context=SAMPLE)
    queued = task_backends["default"].results
    assert not ready and fake_soffice == []
    assert [(result.task.name, result.args) for result in queued] == [
        ("convert_document_pdf", [stored.docx_name])
    ]
    assert tasks.convert_document_pdf.call(stored.docx_name) == stored.pdf_name  # what the worker runs
    assert documents.request_pdf(kind=KIND, object_key="case:2", context=SAMPLE) == (stored, True)
    assert len(fake_soffice) == 1 and len(queued) == 1


@pytest.mark.django_db
def test_request_pdf_is_ready_at_once_when_tasks_run_inline(fake_soffice):
    stored, ready = documents.request_pdf(kind=KIND, object_key="case:3", context=SAMPLE)
    assert ready and default_storage.exists(stored.pdf_name)


def test_the_task_converts_only_generated_documents():
    for name in ("../etc/passwd.docx", "document_templates/x/v1.docx", "documents/a/b.txt"):
        with pytest.raises(documents.DocumentError):
            documents.pdf_from_stored_docx(name)


def test_without_libreoffice_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setattr(documents, "soffice_path", lambda: None)
    with pytest.raises(documents.DocumentError, match="libreoffice-writer-nogui") as caught:
        documents.docx_to_pdf(docx_with("x"))
    assert caught.value.code == "no_converter"


def test_a_conversion_that_hangs_is_killed_after_the_timeout(monkeypatch, tmp_path):
    hanging = tmp_path / "soffice"
    hanging.write_text("#!/bin/sh\nsleep 30 &\nsleep 30\n")
    hanging.chmod(0o755)
    monkeypatch.setattr(documents, "soffice_path", lambda: str(hanging))
    with pytest.raises(documents.DocumentError, match="超时") as caught:
        documents.docx_to_pdf(docx_with("x"), timeout=1)
    assert caught.value.code == "timeout"


def test_a_failing_conversion_reports_libreoffice_exit_code(monkeypatch, tmp_path):
    failing = tmp_path / "soffice"
    failing.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 1\n")
    failing.chmod(0o755)
    monkeypatch.setattr(documents, "soffice_path", lambda: str(failing))
    with pytest.raises(documents.DocumentError, match="退出码 1"):
        documents.docx_to_pdf(docx_with("x"))


@pytest.mark.django_db
def test_a_pending_conversion_is_queued_once_however_often_it_is_asked_for(fake_soffice, settings):
    from django_tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # a real queue
    for _ in range(3):
        stored, ready = documents.request_pdf(kind=KIND, object_key="case:4", context=SAMPLE)
        assert not ready
    queued = task_backends["default"].results
    assert [result.args for result in queued] == [[stored.docx_name]]
    assert documents.pdf_is_queued(stored.docx_name)
    # Another document version is its own conversion.
    changed = {**SAMPLE, "case": {**SAMPLE["case"], "title": "改名"}}
    documents.request_pdf(kind=KIND, object_key="case:4", context=changed)
    assert len(queued) == 2


@pytest.mark.django_db
def test_a_conversion_still_missing_after_the_marker_expires_is_queued_again(fake_soffice, settings):
    from django.core.cache import cache
    from django_tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.GUWEN_SOFFICE_TIMEOUT = 30
    assert documents._queued_marker_seconds() == 90  # a little longer than a conversion may take
    stored, _ready = documents.request_pdf(kind=KIND, object_key="case:5", context=SAMPLE)
    cache.delete(documents._queued_marker(stored.docx_name))  # the marker's timeout has passed
    documents.request_pdf(kind=KIND, object_key="case:5", context=SAMPLE)
    assert len(task_backends["default"].results) == 2


@pytest.mark.django_db
def test_a_queue_that_refuses_the_task_leaves_no_marker(fake_soffice, monkeypatch):
    from guwen.core import tasks

    class Refusing:
        def enqueue(self, *args):
            raise RuntimeError("queue down")

    monkeypatch.setattr(tasks, "convert_document_pdf", Refusing())
    with pytest.raises(RuntimeError):
        documents.request_pdf(kind=KIND, object_key="case:6", context=SAMPLE)
    stored = documents.document_docx(kind=KIND, object_key="case:6", context=SAMPLE)
    assert not documents.pdf_is_queued(stored.docx_name)


def _age(name: str, days: int) -> None:
    import os
    import time

    path = default_storage.path(name)
    then = time.time() - days * 86400
    os.utime(path, (then, then))


@pytest.mark.django_db
def test_the_sweep_removes_old_versions_but_keeps_the_current_one(fake_soffice):
    from datetime import timedelta

    from django.utils import timezone

    from guwen.core import sweeps

    old = documents.document_docx(kind=KIND, object_key="case:7", context=SAMPLE)
    documents.pdf_from_stored_docx(old.docx_name)
    changed = {**SAMPLE, "case": {**SAMPLE["case"], "title": "改名"}}
    recent = documents.document_docx(kind=KIND, object_key="case:7", context=changed)
    current = documents.document_docx(kind=KIND, object_key="case:7", context={**SAMPLE, "parties": []})
    lone = documents.document_docx(kind=KIND, object_key="case:8", context=SAMPLE)  # current, however old
    for name in (old.docx_name, old.pdf_name, lone.docx_name):
        _age(name, 40)
    _age(recent.docx_name, 10)  # not current, but younger than the 30 days kept
    _age(current.docx_name, 5)

    assert documents.documents_expire() == 2
    assert not default_storage.exists(old.docx_name) and not default_storage.exists(old.pdf_name)
    for kept in (recent, current, lone):
        assert default_storage.exists(kept.docx_name)
    assert documents.documents_expire(older_than_days=7) == 1  # the 10-day-old one goes now
    assert not default_storage.exists(recent.docx_name)
    assert documents.documents_expire(now=timezone.now() + timedelta(days=400)) == 0
    assert "core.documents_expire" in {sweep.name for sweep in sweeps.registered()}
    # A removed version asked for again is simply made again.
    again = documents.document_docx(kind=KIND, object_key="case:7", context=SAMPLE)
    assert again == old and default_storage.exists(again.docx_name)


@pytest.mark.django_db
def test_the_sweep_refuses_a_retention_under_one_day_and_copes_with_no_cache():
    assert documents.documents_expire() == 0  # nothing generated yet
    for bad in (0, -3):
        with pytest.raises(documents.DomainError, match="至少为 1 天"):
            documents.documents_expire(older_than_days=bad)


# --- per-district templates -----------------------------------------------------------------------

NANWAN_DISTRICT = "440307000000"
OTHER_DISTRICT = "440306000000"


@pytest.mark.django_db
def test_a_districts_own_template_renders_its_documents_and_others_keep_the_default(kind, fake_soffice):
    office = make_user("office-district")
    shipped = kind.template.read_bytes()
    assert documents.template_bytes(kind, district_code=NANWAN_DISTRICT) == shipped  # nothing uploaded
    own = docx_with("龙岗区版 {{ case.number }}")
    mine = documents.document_template_upload(kind=KIND, data=own, district_code=NANWAN_DISTRICT, by=office)
    assert documents.template_bytes(kind, district_code=NANWAN_DISTRICT) == own
    assert documents.template_bytes(kind, district_code=OTHER_DISTRICT) == shipped  # no default yet
    assert documents.template_bytes(kind) == shipped
    default = docx_with("通用版 {{ case.number }}")
    general = documents.document_template_upload(kind=KIND, data=default, by=office)
    mine.refresh_from_db()
    assert mine.active and general.active and general.version == 2  # one active per district
    assert documents.template_bytes(kind, district_code=OTHER_DISTRICT) == default
    assert documents.template_bytes(kind, district_code=NANWAN_DISTRICT) == own

    stored = documents.document_docx(
        kind=KIND, object_key="case:9", context=SAMPLE, district_code=NANWAN_DISTRICT
    )
    with default_storage.open(stored.docx_name, "rb") as handle:
        assert "龙岗区版 （2026）测试人调字第0001号" in text_of(handle.read())
    elsewhere = documents.document_docx(
        kind=KIND, object_key="case:9", context=SAMPLE, district_code=OTHER_DISTRICT
    )
    assert elsewhere.version != stored.version

    # A new version for the district replaces only the district's; switching it off falls back.
    newer = documents.document_template_upload(
        kind=KIND, data=docx_with("龙岗区新版 {{ case.title }}"), district_code=NANWAN_DISTRICT, by=office
    )
    mine.refresh_from_db()
    general.refresh_from_db()
    assert not mine.active and general.active and newer.active
    event = AuditEvent.objects.filter(action="document_template.upload").order_by("pk").last()
    assert event.new["district_code"] == NANWAN_DISTRICT and event.old == {"active_version": 1}
    documents.document_template_set_active(template=newer, active=False, by=office)
    assert documents.template_bytes(kind, district_code=NANWAN_DISTRICT) == default
    documents.document_template_set_active(template=mine, active=True, by=office)
    general.refresh_from_db()
    assert general.active and documents.template_bytes(kind, district_code=NANWAN_DISTRICT) == own


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["4403", "44030700000X", "4403070000001", "龙岗区"])
def test_a_bad_district_code_is_refused_and_nothing_saved(kind, bad):
    with pytest.raises(documents.DomainError, match="12 位数字") as refused:
        documents.document_template_upload(kind=KIND, data=docx_with(*GOOD), district_code=bad, by=None)
    assert refused.value.field == "district_code"
    assert not DocumentTemplate.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_admin_upload_for_a_district(kind):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = verified_client(make_user("root-district", superuser=True))
    url = "/admin/core/documenttemplate/add/"
    body = {"kind": KIND, "note": "龙岗区", "district_code": "4403"}
    response = client.post(url, {**body, "upload": SimpleUploadedFile("d.docx", docx_with(*GOOD))})
    assert response.status_code == 200 and "12 位数字" in response.content.decode()
    assert not DocumentTemplate.objects.exists()
    body["district_code"] = NANWAN_DISTRICT  # well formed, but no such district in this database
    response = client.post(url, {**body, "upload": SimpleUploadedFile("d.docx", docx_with(*GOOD))})
    assert response.status_code == 200 and f"没有代码为 {NANWAN_DISTRICT} 的区" in response.content.decode()
    from guwen.testing import make_region

    make_region(NANWAN_DISTRICT, "龙岗区", "district")
    response = client.post(url, {**body, "upload": SimpleUploadedFile("d.docx", docx_with(*GOOD))})
    assert response.status_code == 302
    assert DocumentTemplate.objects.get().district_code == NANWAN_DISTRICT
