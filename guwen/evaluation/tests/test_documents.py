"""The appraisal form: registered, the shipped template passes the upload check, an appraisal's
form renders with its indicators, adjustments, result and signature lines, and the Word download
is scoped like the appraisal."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

from guwen.consultations.models import Rating
from guwen.core import documents
from guwen.evaluation import documents as evaluation_documents
from guwen.evaluation import services
from guwen.testing import verified_client


def full_text(data: bytes) -> str:
    body = Document(io.BytesIO(data)).element.body
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_kind_is_registered_and_its_template_passes_the_check(db):
    kind = documents.get_kind(evaluation_documents.KEY)
    assert kind.title == "社区法律顾问年度考核表"
    documents.check_template(kind, kind.template.read_bytes())


def test_an_appraisals_form_carries_its_figures_and_signature_lines(world):
    services.default_tables_ensure()
    Rating.objects.create(
        kind="booking", target_id=1, community=world.community_a, lawyer=world.lawyer_a, score=4
    )
    office = world.user("office")
    appraisal = services.appraisal_open(lawyer=world.lawyer_a, year=timezone.localdate().year, by=office)
    services.appraisal_adjust(
        appraisal=appraisal, points=Decimal("-2"), reason="公示牌信息未及时更新", by=office
    )
    services.appraisal_review(appraisal=appraisal, comment="全年工作基本到位", by=office)
    preview = services.appraisal_preview(appraisal)
    context = evaluation_documents.form_context(appraisal, preview, absolute=lambda p: f"http://x{p}")
    assert documents.schema_mismatches(evaluation_documents.VARIABLES, context) == []
    kind = documents.get_kind(evaluation_documents.KEY)
    text = full_text(documents.render_docx(kind.template.read_bytes(), context, strict=True))
    assert "{{" not in text and "{%" not in text
    for expected in (
        "甲律师",
        "南龙社区",
        "居民评价",
        "公示牌信息未及时更新",
        "全年工作基本到位",
        str(preview.score),
    ):
        assert expected in text
    assert "被考核律师（签名）" in text and "司法所负责人（签名）" in text
    response = verified_client(world.user("firm_admin")).get(
        f"/evaluation/appraisals/{appraisal.pk}/form.docx"
    )
    assert response.status_code == 200 and response["Content-Type"] == documents.DOCX_CONTENT_TYPE
    assert (
        verified_client(world.user("advisor_b"))
        .get(f"/evaluation/appraisals/{appraisal.pk}/form.docx")
        .status_code
        == 404
    )
    assert verified_client(office).get(f"/evaluation/appraisals/{appraisal.pk}/form.txt").status_code == 404
