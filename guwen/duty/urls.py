from django.urls import path

from guwen.duty.views import calendar, office, public, work

app_name = "duty"
urlpatterns = [
    # Public (三公开): the community's card, its QR code, the advisor's photo, booking.
    # /c/<code>/ask and /c/<code>/status belong to the consultations module.
    path("c/<str:code>/", public.card, name="public_card"),
    path("c/<str:code>/qr.svg", public.qr_svg, name="public_qr"),
    path("c/<str:code>/photo", public.photo, name="public_photo"),
    path("c/<str:code>/book/", public.book, name="public_book"),
    path("c/<str:code>/booking/", public.booking, name="public_booking"),
    # Work pages.
    path("duty/", work.home, name="home"),
    path("duty/attendance/", office.attendance, name="attendance"),
    path("duty/shifts/<int:pk>/", work.shift_detail, name="shift_detail"),
    path("duty/shifts/<int:pk>/check-in/", work.shift_check_in, name="shift_check_in"),
    path("duty/shifts/<int:pk>/check-out/", work.shift_check_out, name="shift_check_out"),
    path("duty/shifts/<int:pk>/confirm/", work.shift_confirm, name="shift_confirm"),
    path("duty/shifts/confirm/", work.shifts_confirm, name="shifts_confirm"),
    path("duty/shifts/<int:pk>/dispute/", work.shift_dispute, name="shift_dispute"),
    path("duty/shifts/<int:pk>/dispute/decide/", work.dispute_decide, name="dispute_decide"),
    path("duty/shifts/<int:pk>/cancel/", work.shift_cancel, name="shift_cancel"),
    path("duty/shifts/<int:pk>/change/", work.change_request_create, name="change_request_create"),
    path("duty/requests/<int:pk>/decide/", work.change_request_decide, name="change_request_decide"),
    path("duty/bookings/<int:pk>/phone/", work.booking_phone, name="booking_phone"),
    path("duty/checks/<int:pk>/photo/", work.check_photo, name="check_photo"),
    path("duty/communities/<str:code>/", office.community, name="community"),
    path("duty/communities/<str:code>/rules/new/", office.rule_create, name="rule_create"),
    path("duty/communities/<str:code>/generate/", office.generate, name="generate"),
    path("duty/communities/<str:code>/board.pdf", office.board_pdf, name="board_pdf"),
    path("duty/rules/<int:pk>/end/", office.rule_end, name="rule_end"),
    path("duty/holidays/", calendar.holidays_home, name="holidays"),
    path("duty/holidays/<int:year>/", calendar.holiday_year, name="holiday_year"),
    path("duty/rota/<str:code>/", office.rota, name="rota"),
    path("duty/rota/<str:code>/new/", office.rota_slot_create, name="rota_slot_create"),
    path("duty/rota-slots/<int:pk>/delete/", office.rota_slot_delete, name="rota_slot_delete"),
]
