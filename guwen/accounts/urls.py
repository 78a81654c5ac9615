from django.contrib.auth import views as auth_views
from django.urls import path

from guwen.accounts import manage_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("otp/setup/", views.otp_setup, name="otp_setup"),
    path("otp/verify/", views.otp_verify, name="otp_verify"),
    path("me/", views.profile, name="profile"),
    path("password/", views.password_change, name="password_change"),
    path("manage/", manage_views.account_list, name="manage_list"),
    path("manage/new/", manage_views.account_create, name="manage_create"),
    path("manage/<int:pk>/", manage_views.account_detail, name="manage_detail"),
    path("manage/<int:pk>/deactivate/", manage_views.account_deactivate, name="manage_deactivate"),
    path("manage/<int:pk>/reactivate/", manage_views.account_reactivate, name="manage_reactivate"),
    path(
        "manage/<int:pk>/reset-password/",
        manage_views.account_reset_password,
        name="manage_reset_password",
    ),
    path("manage/<int:pk>/unlock/", manage_views.account_unlock, name="manage_unlock"),
    path("manage/<int:pk>/memberships/", manage_views.membership_add, name="manage_membership_add"),
    path(
        "manage/<int:pk>/memberships/<int:membership_pk>/end/",
        manage_views.membership_end,
        name="manage_membership_end",
    ),
]
