"""Background work of core: converting a generated document to PDF (thin: calls the module)."""

from __future__ import annotations

from django_tasks import task


@task()
def convert_document_pdf(docx_name: str) -> str:
    """LibreOffice takes seconds per document, so pages leave it to the worker."""
    from guwen.core.documents import pdf_from_stored_docx

    return pdf_from_stored_docx(docx_name)
