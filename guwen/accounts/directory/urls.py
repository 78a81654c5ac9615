from django.urls import path

from guwen.accounts.directory import views

app_name = "regions"
urlpatterns = [
    path("regions/", views.region_list, name="region_list"),
    path("regions/<str:code>/", views.region_detail, name="region_detail"),
    path("regions/<str:code>/assignments/new/", views.assignment_create, name="assignment_create"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment_end"),
    path("firms/", views.firm_list, name="firm_list"),
    path("firms/new/", views.firm_create, name="firm_create"),
    path("firms/<int:pk>/", views.firm_detail, name="firm_detail"),
    path("lawyers/", views.lawyer_list, name="lawyer_list"),
    path("lawyers/new/", views.lawyer_create, name="lawyer_create"),
    path("lawyers/<int:pk>/", views.lawyer_detail, name="lawyer_detail"),
    path("lawyers/<int:pk>/edit/", views.lawyer_edit, name="lawyer_edit"),
    path("lawyers/<int:pk>/id-number/", views.lawyer_id_number, name="lawyer_id_number"),
]
