from django.urls import path

from guwen.mediation.views import cases, leads, ledgers

app_name = "mediation"
urlpatterns = [
    path("mediation/", cases.case_list, name="case_list"),
    path("mediation/cases/new/", cases.case_create, name="case_create"),
    path("mediation/cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path(
        "mediation/cases/<int:pk>/parties/<int:party_pk>/edit/",
        cases.party_edit,
        name="party_edit",
    ),
    path("mediation/cases/<int:pk>/<str:action>/", cases.case_action, name="case_action"),
    path(
        "mediation/cases/<int:pk>/extensions/<int:extension_pk>/decide/",
        cases.extension_decide,
        name="extension_decide",
    ),
    path(
        "mediation/cases/<int:pk>/documents/<slug:name>.docx",
        cases.document_docx,
        name="case_document_docx",
    ),
    path(
        "mediation/cases/<int:pk>/documents/<slug:name>.pdf",
        cases.document_pdf,
        name="case_document_pdf",
    ),
    path("mediation/cases/<int:pk>/files/<int:item_pk>/", cases.file_download, name="file_download"),
    path("mediation/parties/<int:pk>/id-number/", cases.party_id_number, name="party_id_number"),
    path("mediation/committees/<int:community_pk>/", cases.committee_edit, name="committee_edit"),
    path("mediation/leads/", leads.lead_list, name="lead_list"),
    path("mediation/leads/new/", leads.lead_create, name="lead_create"),
    path("mediation/leads/<int:pk>/", leads.lead_detail, name="lead_detail"),
    path("mediation/leads/<int:pk>/edit/", leads.lead_edit, name="lead_edit"),
    path("mediation/leads/<int:pk>/case/", leads.lead_escalate, name="lead_escalate"),
    path("mediation/register/", ledgers.register, name="register"),
    path("mediation/ledger/", ledgers.ledger, name="ledger"),
]
