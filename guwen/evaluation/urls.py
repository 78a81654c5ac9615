from django.urls import path

from guwen.evaluation.views import appraisals, community, feedback, tables

app_name = "evaluation"
urlpatterns = [
    path("e/<str:code>/survey", community.survey_public, name="survey_public"),
    path("e/<str:code>/survey-qr.svg", community.survey_qr, name="survey_qr"),
    path("evaluation/", appraisals.home, name="home"),
    path("evaluation/appraisals/open/", appraisals.appraisal_open, name="appraisal_open"),
    path("evaluation/appraisals/<int:pk>/", appraisals.appraisal_detail, name="appraisal"),
    path("evaluation/appraisals/<int:pk>/adjust/", appraisals.appraisal_adjust, name="appraisal_adjust"),
    path("evaluation/appraisals/<int:pk>/review/", appraisals.appraisal_review, name="appraisal_review"),
    path("evaluation/appraisals/<int:pk>/respond/", appraisals.appraisal_respond, name="appraisal_respond"),
    path(
        "evaluation/appraisals/<int:pk>/form.<str:fmt>", appraisals.appraisal_export, name="appraisal_export"
    ),
    path("evaluation/ratings/", feedback.ratings, name="ratings"),
    path("evaluation/ratings/<int:pk>/reply/", feedback.rating_reply, name="rating_reply"),
    path("evaluation/complaints/", feedback.complaints, name="complaints"),
    path("evaluation/complaints/<int:pk>/", feedback.complaint_detail, name="complaint"),
    path("evaluation/complaints/<int:pk>/resolve/", feedback.complaint_resolve, name="complaint_resolve"),
    path("evaluation/evaluations/", community.evaluations, name="evaluations"),
    path("evaluation/evaluations/new/", community.evaluation_create, name="evaluation_create"),
    path("evaluation/surveys/", community.surveys, name="surveys"),
    path("evaluation/tables/", tables.tables, name="tables"),
    path("evaluation/tables/<slug:kind>/new/", tables.table_create, name="table_create"),
    path("evaluation/tables/<slug:kind>/<int:pk>/", tables.table, name="table"),
]
