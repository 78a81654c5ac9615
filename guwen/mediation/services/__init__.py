"""Every write of the mediation module: one function per action, each audited, each in a
transaction, status changes by compare-and-set (``common.move``)."""

from guwen.mediation.services.cases import (
    case_accept,
    case_intake,
    case_refuse,
    grade_confirm,
    grade_suggest,
    mediator_choices,
    mediators_assign,
    party_add,
    party_read_id_number,
    party_update,
)
from guwen.mediation.services.committee import agreements_remind_confirmation, committee_update
from guwen.mediation.services.documents import case_document_docx, case_document_pdf
from guwen.mediation.services.leads import (
    dispute_lead_create,
    dispute_lead_escalate,
    dispute_lead_update,
    warning_reasons,
)
from guwen.mediation.services.records import (
    callback_record,
    case_close,
    confirmation_record,
    extension_decide,
    extension_request,
    file_item_upload,
    investigation_record,
    outcome_agree,
    outcome_terminate,
    performance_record,
    session_record,
)

__all__ = [
    "agreements_remind_confirmation",
    "callback_record",
    "case_accept",
    "case_close",
    "case_document_docx",
    "case_document_pdf",
    "case_intake",
    "case_refuse",
    "committee_update",
    "confirmation_record",
    "dispute_lead_create",
    "dispute_lead_escalate",
    "dispute_lead_update",
    "extension_decide",
    "extension_request",
    "file_item_upload",
    "grade_confirm",
    "grade_suggest",
    "investigation_record",
    "mediator_choices",
    "mediators_assign",
    "outcome_agree",
    "outcome_terminate",
    "party_add",
    "party_read_id_number",
    "party_update",
    "performance_record",
    "session_record",
    "warning_reasons",
]
