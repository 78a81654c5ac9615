from django.urls import path

from guwen.reports import views

app_name = "reports"
urlpatterns = [
    path("reports/", views.dashboard, name="dashboard"),
    path("reports/charts/<slug:key>.csv", views.chart_csv, name="chart_csv"),
    path("reports/summary/", views.summary_page, name="summary"),
    path("reports/summary.<str:fmt>", views.summary_document, name="summary_document"),
    path("reports/workload/", views.workload_page, name="workload"),
    path("reports/worklog/", views.worklog_page, name="worklog"),
    path("reports/ledgers/", views.ledgers, name="ledgers"),
    path("reports/ledgers/<slug:kind>.xlsx", views.ledger_download, name="ledger_download"),
    path("reports/imports/", views.ledger_import, name="ledger_import"),
    path("reports/subscriptions/", views.subscriptions, name="subscriptions"),
    path("reports/subscriptions/<int:pk>/delete/", views.subscription_delete, name="subscription_delete"),
    path("reports/exports/<int:pk>/", views.export_detail, name="export_detail"),
    path("reports/exports/<int:pk>/download/", views.export_download, name="export_download"),
]
