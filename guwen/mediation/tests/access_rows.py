"""Access-matrix rows for every mediation route and API operation.

Cases and leads sit in community A (advisor B is checked against one in community B, which they
serve) and, out of scope, in community E of another district. Rows whose action changes a case
make a fresh case for each role (in ``path``), so one role's action never decides another's.
"""

from __future__ import annotations

import tempfile

from django.test import override_settings
from django.utils import timezone

from guwen.testing import World
from guwen.tests.matrix import ONLY_SYSADMIN, Row, api_route, own_community, page

# Who sees a community's cases: its advisor, its staff, the street office, the district bureau.
SEES = {"advisor_a": 200, "advisor_b": 200, "staff_a": 200, "office": 200, "bureau": 200, "sysadmin": 200}
# Who works on them: the same without the bureau, which reads only (403 where it sees the record).
WORKS = {**SEES, "bureau": 403}
CAN_SCREEN = {
    "advisor_a": 200,
    "advisor_b": 200,
    "staff_a": 200,
    "office": 200,
    "sysadmin": 200,
    "bureau": 403,
    "firm_admin": 403,
    "association": 403,
    "outsider": 403,
}
COMMITTEE = {"advisor_a": 403, "advisor_b": 403, "staff_a": 200, "office": 200, "sysadmin": 200}
_media_override = None


def _media_to_tmp() -> None:
    # Scans written by these rows go to a throw-away directory, never var/media.
    global _media_override
    if _media_override is None:
        _media_override = override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="guwen-mediation-matrix-"))
        _media_override.enable()


def _where(w: World, role: str, inside: bool):
    return own_community(w, role) if inside else w.community_e


def _case(w: World, role: str, inside: bool, *, status: str = "registered"):
    from guwen.mediation import services
    from guwen.mediation.models import DisputeType

    case = services.case_intake(
        community=_where(w, role, inside),
        by=None,
        source="application",
        dispute_type=DisputeType.objects.get(code="neighbour"),
        title="门前占道纠纷",
        summary="邻居在门前堆放杂物，双方发生争执。",
    )
    if status != "registered":
        services.case_accept(case=case, by=w.user("sysadmin"))
    return case


def _lead(w: World, role: str, inside: bool):
    from guwen.mediation import services
    from guwen.mediation.models import DisputeType

    return services.dispute_lead_create(
        community=_where(w, role, inside),
        by=None,
        dispute_type=DisputeType.objects.get(code="neighbour"),
        place="某小区",
        parties="两户邻居",
        summary="噪音纠纷",
        people_affected=2,
    )


def _one_per_place(make):
    """A record per (place) shared by every role of a GET row: made once in setup."""

    def setup(w: World) -> None:
        _media_to_tmp()
        for key, role, inside in (
            ("a", "advisor_a", True),
            ("b", "advisor_b", True),
            ("e", "sysadmin", False),
        ):
            w.extras[key] = make(w, role, inside)

    return setup


def _pick(w: World, role: str, inside: bool):
    if not inside:
        return w.extras["e"]
    return w.extras["b"] if role == "advisor_b" else w.extras["a"]


def _case_with_file(w: World, role: str, inside: bool):
    import io

    from guwen.mediation import services
    from guwen.mediation.models import FileItemKind
    from guwen.testing import tiny_image, valid_id_number

    case = _case(w, role, inside)
    upload = io.BytesIO(tiny_image("PNG"))
    upload.name = "scan.png"
    services.file_item_upload(
        case=case, by=w.user("sysadmin"), kind=FileItemKind.objects.get(number=13), upload=upload
    )
    services.party_add(
        case=case,
        by=w.user("sysadmin"),
        role="applicant",
        kind="person",
        name="王五",
        id_number=valid_id_number(),
    )
    return case


def _case_body(w: World, role: str, inside: bool) -> dict:
    from guwen.mediation.models import DisputeType

    return {
        "community": own_community(w, role).pk,
        "source": "application",
        "dispute_type": DisputeType.objects.get(code="neighbour").pk,
        "title": "漏水纠纷",
        "summary": "楼上漏水。",
        "people_affected": "2",
        "intake_on": timezone.localdate().isoformat(),
    }


def _extension_path(w: World, role: str, inside: bool) -> str:
    from guwen.mediation import services

    case = _case(w, role, inside, status="accepted")
    ext = services.extension_request(
        case=case, by=w.user("sysadmin"), days=10, reason="需补充证据", consent="双方同意"
    )
    return f"/mediation/cases/{case.pk}/extensions/{ext.pk}/decide/"


CASE_GET = _one_per_place(_case_with_file)


def _case_with_pdf(w: World, role: str, inside: bool):
    """A case whose 受理登记表 PDF is already in the cache, so the PDF route answers 200 whether or
    not LibreOffice is installed where the matrix runs (the conversion itself is tested elsewhere)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from guwen.core import documents
    from guwen.mediation import doc_context

    case = _case_with_file(w, role, inside)
    doc = doc_context.find_document(case, "registration")
    stored = documents.document_docx(
        kind=doc.key,
        object_key=doc_context.object_key(case, doc),
        context=doc_context.document_context(case, doc),
    )
    default_storage.save(stored.pdf_name, ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return case


CASE_PDF = _one_per_place(_case_with_pdf)


def _party_edit_path(w: World, role: str, inside: bool) -> str:
    case = _case_with_file(w, role, inside)  # a fresh case per role: one role's edit decides nothing
    return f"/mediation/cases/{case.pk}/parties/{case.parties.get().pk}/edit/"


LEAD_GET = _one_per_place(_lead)

ROWS: list[Row] = [
    Row("mediation:case_list", "GET", lambda w, r, i: "/mediation/", page(200)),
    Row("mediation:case_create", "GET", lambda w, r, i: "/mediation/cases/new/", page(CAN_SCREEN)),
    Row(
        "mediation:case_create",
        "POST",
        lambda w, r, i: "/mediation/cases/new/",
        page({**{k: (302 if v == 200 else v) for k, v in CAN_SCREEN.items()}}),
        body=_case_body,
    ),
    Row(
        "mediation:case_detail",
        "GET",
        lambda w, r, i: f"/mediation/cases/{_pick(w, r, i).pk}/",
        page(SEES),
        page(ONLY_SYSADMIN),
        setup=CASE_GET,
    ),
    Row(
        "mediation:case_action",
        "POST",
        lambda w, r, i: f"/mediation/cases/{_case(w, r, i).pk}/accept/",
        page({k: (302 if v == 200 else v) for k, v in WORKS.items()}),
        page({"sysadmin": 302}),
        body=lambda w, r, i: {"note": "双方同意调解"},
    ),
    Row(
        "mediation:case_action",
        "POST",
        lambda w, r, i: f"/mediation/cases/{_case(w, r, i, status='accepted').pk}/record_session/",
        # Sessions are for the case's mediators and the office: community staff may not record one.
        page({**{k: (302 if v == 200 else v) for k, v in WORKS.items()}, "staff_a": 403}),
        page({"sysadmin": 302}),
        body=lambda w, r, i: {
            "held_on": timezone.localdate().isoformat(),
            "place": "调解室",
            "mediators": "甲律师",
            "attendees": "双方当事人",
            "record": "双方陈述意见。",
        },
    ),
    Row(
        "mediation:extension_decide",
        "POST",
        _extension_path,
        page(
            {
                "advisor_a": 403,
                "advisor_b": 403,
                "staff_a": 403,
                "office": 302,
                "bureau": 403,
                "sysadmin": 302,
            }
        ),
        page({"sysadmin": 302}),
        body=lambda w, r, i: {"decision": "approve"},
    ),
    Row(
        "mediation:file_download",
        "GET",
        lambda w, r, i: f"/mediation/cases/{_pick(w, r, i).pk}/files/{_pick(w, r, i).file_items.get().pk}/",
        page(SEES),
        page(ONLY_SYSADMIN),
        setup=CASE_GET,
    ),
    Row(
        "mediation:case_document_docx",
        "GET",
        lambda w, r, i: f"/mediation/cases/{_pick(w, r, i).pk}/documents/registration.docx",
        page(SEES),
        page(ONLY_SYSADMIN),
        setup=CASE_GET,
    ),
    Row(
        "mediation:case_document_pdf",
        "GET",
        lambda w, r, i: f"/mediation/cases/{_pick(w, r, i).pk}/documents/registration.pdf",
        page(SEES),
        page(ONLY_SYSADMIN),
        setup=CASE_PDF,
    ),
    Row(
        "mediation:party_id_number",
        "POST",
        lambda w, r, i: f"/mediation/parties/{_pick(w, r, i).parties.get().pk}/id-number/",
        page(WORKS),
        page(ONLY_SYSADMIN),
        setup=CASE_GET,
    ),
    Row(
        "mediation:party_edit",
        "GET",
        lambda w, r, i: (
            f"/mediation/cases/{_pick(w, r, i).pk}/parties/{_pick(w, r, i).parties.get().pk}/edit/"
        ),
        page(WORKS),
        page(ONLY_SYSADMIN),
        setup=CASE_GET,
    ),
    Row(
        "mediation:party_edit",
        "POST",
        _party_edit_path,
        page({k: (302 if v == 200 else v) for k, v in WORKS.items()}),
        page({"sysadmin": 302}),
        body=lambda w, r, i: {"role": "applicant", "kind": "person", "name": "王五", "occupation": "个体户"},
    ),
    # The committee's address and phone: its community's staff, the street office, system admins;
    # an advisor works there but does not keep it (403); the bureau has no working community (404).
    Row(
        "mediation:committee_edit",
        "GET",
        lambda w, r, i: f"/mediation/committees/{_where(w, r, i).pk}/",
        page(COMMITTEE),
        page(ONLY_SYSADMIN),
    ),
    Row(
        "mediation:committee_edit",
        "POST",
        lambda w, r, i: f"/mediation/committees/{_where(w, r, i).pk}/",
        page({k: (302 if v == 200 else v) for k, v in COMMITTEE.items()}),
        page({"sysadmin": 302}),
        body=lambda w, r, i: {"address": "党群服务中心二楼", "phone": "0755-28701234"},
    ),
    Row("mediation:lead_list", "GET", lambda w, r, i: "/mediation/leads/", page(200)),
    Row("mediation:lead_create", "GET", lambda w, r, i: "/mediation/leads/new/", page(CAN_SCREEN)),
    Row(
        "mediation:lead_detail",
        "GET",
        lambda w, r, i: f"/mediation/leads/{_pick(w, r, i).pk}/",
        page(SEES),
        page(ONLY_SYSADMIN),
        setup=LEAD_GET,
    ),
    Row(
        "mediation:lead_edit",
        "GET",
        lambda w, r, i: f"/mediation/leads/{_pick(w, r, i).pk}/edit/",
        page(WORKS),
        page(ONLY_SYSADMIN),
        setup=LEAD_GET,
    ),
    Row(
        "mediation:lead_escalate",
        "GET",
        lambda w, r, i: f"/mediation/leads/{_pick(w, r, i).pk}/case/",
        page(WORKS),
        page(ONLY_SYSADMIN),
        setup=LEAD_GET,
    ),
    Row("mediation:register", "GET", lambda w, r, i: "/mediation/register/", page(200)),
    Row("mediation:ledger", "GET", lambda w, r, i: "/mediation/ledger/", page(200)),
    # --- API -----------------------------------------------------------------------------------
    Row(
        "api:list_mediation_cases",
        "GET",
        lambda w, r, i: "/api/v1/mediation/cases",
        api_route(200),
        json=True,
    ),
    Row(
        "api:get_mediation_case",
        "GET",
        lambda w, r, i: f"/api/v1/mediation/cases/{_pick(w, r, i).pk}",
        api_route(SEES),
        api_route(ONLY_SYSADMIN),
        json=True,
        setup=CASE_GET,
    ),
    Row(
        "api:list_mediation_leads",
        "GET",
        lambda w, r, i: "/api/v1/mediation/leads",
        api_route(200),
        json=True,
    ),
]
