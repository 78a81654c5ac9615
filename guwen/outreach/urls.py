from django.urls import path
from django.views.generic import RedirectView

from guwen.outreach.views import activities, checks, opinions, pairings, referrals, worklog

app_name = "outreach"
urlpatterns = [
    path("outreach/", activities.activity_list, name="activity_list"),
    path("outreach/activities/new/", activities.activity_create, name="activity_create"),
    path("outreach/activities/<int:pk>/", activities.activity_detail, name="activity_detail"),
    path(
        "outreach/activities/<int:pk>/photos/<int:photo_pk>/<slug:size>/",
        activities.activity_photo,
        name="activity_photo",
    ),
    path("outreach/activities/<int:pk>/files/<slug:which>/", activities.activity_file, name="activity_file"),
    path("outreach/activities/<int:pk>/hold/", activities.activity_hold, name="activity_hold"),
    path("outreach/activities/<int:pk>/confirm/", activities.activity_confirm, name="activity_confirm"),
    path("outreach/activities/<int:pk>/cancel/", activities.activity_cancel, name="activity_cancel"),
    path("outreach/coverage/", activities.coverage, name="coverage"),
    path("outreach/enterprises/", checks.enterprise_list, name="enterprise_list"),
    path("outreach/enterprises/new/", checks.enterprise_create, name="enterprise_create"),
    path("outreach/checks/new/", checks.check_create, name="check_create"),
    path("outreach/checks/<int:pk>/", checks.check_detail, name="check_detail"),
    path("outreach/checks/<int:pk>/findings/", checks.finding_add, name="finding_add"),
    path("outreach/checks/<int:pk>/report.<str:fmt>", checks.check_report, name="check_report"),
    path("outreach/checks/<int:pk>/<str:action>/", checks.check_action, name="check_action"),
    path("outreach/findings/<int:pk>/fixed/", checks.finding_fixed, name="finding_fixed"),
    path("outreach/pairings/", pairings.pairing_list, name="pairing_list"),
    path("outreach/pairings/new/", pairings.pairing_create, name="pairing_create"),
    path("outreach/pairings/<int:pk>/", pairings.pairing_detail, name="pairing_detail"),
    # The log moved to reports (it reads every module); the old address keeps working.
    path(
        "outreach/worklog/",
        RedirectView.as_view(pattern_name="reports:worklog", query_string=True),
        name="worklog",
    ),
    path("outreach/worklog/new/", worklog.worklog_entry_create, name="worklog_entry_create"),
    path("outreach/referrals/", referrals.referral_list, name="referral_list"),
    path("outreach/referrals/new/", referrals.referral_create, name="referral_create"),
    path("outreach/referrals/<int:pk>/", referrals.referral_detail, name="referral_detail"),
    path("outreach/referrals/<int:pk>/<str:action>/", referrals.referral_action, name="referral_action"),
    path("outreach/opinions/", opinions.opinion_list, name="opinion_list"),
    path("outreach/opinions/new/", opinions.opinion_create, name="opinion_create"),
    path("outreach/opinions/<int:pk>/", opinions.opinion_detail, name="opinion_detail"),
    path("outreach/opinions/<int:pk>/deliver/", opinions.opinion_deliver, name="opinion_deliver"),
    path("outreach/opinions/<int:pk>/document.<str:fmt>", opinions.opinion_document, name="opinion_document"),
    path("outreach/opinions/<int:pk>/withdraw/", opinions.opinion_withdraw, name="opinion_withdraw"),
]
