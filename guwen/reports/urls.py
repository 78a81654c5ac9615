from django.urls import path

from guwen.reports import views

app_name = "reports"
urlpatterns = [
    path("reports/", views.dashboard, name="dashboard"),
    path("reports/worklog/", views.worklog_page, name="worklog"),
]
