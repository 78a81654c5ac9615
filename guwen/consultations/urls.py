from django.urls import path

from guwen.consultations.views import public, settings, work

app_name = "consultations"
urlpatterns = [
    # Residents, no account: reached by the community's QR code.
    path("c/<str:code>/ask", public.ask, name="public_ask"),
    path("c/<str:code>/status", public.status, name="public_status"),
    path("c/<str:code>/status/<int:pk>/message", public.resident_message, name="public_message"),
    path("c/rate/<str:token>", public.rate, name="rate"),
    path("status/", public.lookup, name="public_lookup"),
    # Work pages.
    path("consultations/", work.inbox, name="inbox"),
    path("consultations/street/", work.street_queue, name="street_queue"),
    path("consultations/district/", work.district_queue, name="district_queue"),
    path("consultations/new/", work.log_new, name="log_new"),
    path("consultations/from-booking/<int:booking_id>/", work.from_booking, name="from_booking"),
    path("consultations/away/", work.away, name="away"),
    path("consultations/away/<int:away_id>/end/", work.away_end, name="away_end"),
    path("consultations/<int:pk>/", work.detail, name="detail"),
    path("consultations/<int:pk>/reply/", work.reply, name="reply"),
    path("consultations/<int:pk>/ask-info/", work.ask_info, name="ask_info"),
    path("consultations/<int:pk>/escalate/", work.escalate, name="escalate"),
    path("consultations/<int:pk>/claim/", work.claim, name="claim"),
    path("consultations/<int:pk>/reassign/", work.reassign, name="reassign"),
    path("consultations/<int:pk>/close/", work.close, name="close"),
    path("consultations/<int:pk>/reusable/", work.reusable, name="reusable"),
    path("consultations/<int:pk>/convert/<slug:target>/", work.convert, name="convert"),
    path("consultations/<int:pk>/phone/", work.phone, name="phone"),
    path("consultations/<int:pk>/attachments/<int:attachment_id>/", work.attachment, name="attachment"),
    # The district's settings (its bureau): urgency keywords, response deadlines, group robots.
    path("consultations/settings/", settings.district_settings, name="settings"),
    path("consultations/settings/<str:code>/urgency/", settings.urgency_rule_add, name="urgency_rule_add"),
    path(
        "consultations/settings/<str:code>/urgency/<int:rule_id>/end/",
        settings.urgency_rule_end,
        name="urgency_rule_end",
    ),
    path(
        "consultations/settings/<str:code>/deadlines/",
        settings.deadline_policy_add,
        name="deadline_policy_add",
    ),
    path(
        "consultations/settings/<str:code>/emergency/",
        settings.emergency_numbers,
        name="emergency_numbers",
    ),
    path(
        "consultations/settings/<str:code>/robots/<str:community_code>/secret/",
        settings.group_robot_secret,
        name="group_robot_secret",
    ),
    path(
        "consultations/settings/<str:code>/robots/<str:community_code>/active/",
        settings.group_robot_active,
        name="group_robot_active",
    ),
]
