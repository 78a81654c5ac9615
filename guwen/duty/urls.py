from django.urls import path

from guwen.duty import public_views, views

app_name = "duty"
urlpatterns = [
    # Public (三公开): the community's card, its QR code, the advisor's photo, booking.
    # /c/<code>/ask and /c/<code>/status belong to the consultations module.
    path("c/<str:code>/", public_views.card, name="public_card"),
    path("c/<str:code>/qr.svg", public_views.qr_svg, name="public_qr"),
    path("c/<str:code>/photo", public_views.photo, name="public_photo"),
    path("c/<str:code>/book/", public_views.book, name="public_book"),
    path("c/<str:code>/booking/", public_views.booking, name="public_booking"),
    # Work pages.
    path("duty/", views.home, name="home"),
    path("duty/attendance/", views.attendance, name="attendance"),
    path("duty/shifts/<int:pk>/", views.shift_detail, name="shift_detail"),
    path("duty/shifts/<int:pk>/check-in/", views.shift_check_in, name="shift_check_in"),
    path("duty/shifts/<int:pk>/check-out/", views.shift_check_out, name="shift_check_out"),
    path("duty/shifts/<int:pk>/confirm/", views.shift_confirm, name="shift_confirm"),
    path("duty/shifts/<int:pk>/cancel/", views.shift_cancel, name="shift_cancel"),
    path("duty/shifts/<int:pk>/change/", views.change_request_create, name="change_request_create"),
    path("duty/requests/<int:pk>/decide/", views.change_request_decide, name="change_request_decide"),
    path("duty/bookings/<int:pk>/phone/", views.booking_phone, name="booking_phone"),
    path("duty/checks/<int:pk>/photo/", views.check_photo, name="check_photo"),
    path("duty/communities/<str:code>/", views.community, name="community"),
    path("duty/communities/<str:code>/rules/new/", views.rule_create, name="rule_create"),
    path("duty/communities/<str:code>/generate/", views.generate, name="generate"),
    path("duty/communities/<str:code>/board.pdf", views.board_pdf, name="board_pdf"),
    path("duty/rules/<int:pk>/end/", views.rule_end, name="rule_end"),
    path("duty/rota/<str:code>/", views.rota, name="rota"),
    path("duty/rota/<str:code>/new/", views.rota_slot_create, name="rota_slot_create"),
    path("duty/rota-slots/<int:pk>/delete/", views.rota_slot_delete, name="rota_slot_delete"),
]
