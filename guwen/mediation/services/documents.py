"""Downloads of a case's documents (the 卷宗 forms as .docx and PDF). The documents hold the
parties' names, addresses and masked numbers, so every download served is audited
(``mediation_case.document_download``) with the document, the format and its version."""

from __future__ import annotations

from django.utils.translation import gettext as _

from guwen.core import audit
from guwen.core import documents as core_documents
from guwen.core.errors import NotFound
from guwen.mediation.doc_context import CaseDocument, document_context, find_document, object_key
from guwen.mediation.models import MediationCase


def _document(case: MediationCase, name: str) -> CaseDocument:
    doc = find_document(case, name)
    if doc is None:
        # An unknown name, or a document the case does not have in its present state.
        raise NotFound(_("该案件目前没有这份文书"), field="name")
    return doc


def district_code(case: MediationCase) -> str:
    """The code of the case's district: a district's own replacement template renders its forms."""
    from guwen.mediation.services.cases import _district_of

    district = _district_of(case.community)
    return district.code if district is not None else ""


def _audit(case: MediationCase, doc: CaseDocument, fmt: str, version: str, by, request) -> None:
    audit.record(
        actor=by,
        action="mediation_case.document_download",
        obj=case,
        context={"document": doc.name, "kind": doc.key, "format": fmt, "version": version},
        request=request,
    )


def case_document_docx(
    *, case: MediationCase, name: str, by, request=None
) -> tuple[CaseDocument, core_documents.StoredDocument]:
    """The stored .docx of ``case``'s document ``name`` (rendered once per version), audited."""
    doc = _document(case, name)
    stored = core_documents.document_docx(
        kind=doc.key,
        object_key=object_key(case, doc),
        context=document_context(case, doc),
        district_code=district_code(case),
    )
    _audit(case, doc, "docx", stored.version, by, request)
    return doc, stored


def case_document_pdf(
    *, case: MediationCase, name: str, by, request=None
) -> tuple[CaseDocument, core_documents.StoredDocument, bool]:
    """The PDF of ``case``'s document ``name``: ``(doc, stored, ready)``. When the PDF of this
    version does not exist yet, the worker is asked to convert it and ``ready`` is False; a
    download is audited only when the PDF is there to serve."""
    doc = _document(case, name)
    stored, ready = core_documents.request_pdf(
        kind=doc.key,
        object_key=object_key(case, doc),
        context=document_context(case, doc),
        district_code=district_code(case),
    )
    if ready:
        _audit(case, doc, "pdf", stored.version, by, request)
    return doc, stored, ready
