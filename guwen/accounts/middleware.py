"""Sends a staff user who must use TOTP to enrol or verify before anything else, and a user whose
password someone else chose to the page that replaces it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from guwen.accounts.otp import has_confirmed_device, session_verified, totp_required

# Signing in and out, the second factor itself and the own-account page; never the account
# management pages under /accounts/manage/, which are an office's work like any other.
EXEMPT_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/otp/",
    "/accounts/me/",
    "/static/",
    "/healthz",
)


class RequireVerifiedStaffMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        path = request.path
        if (
            user is not None
            and not path.startswith(EXEMPT_PREFIXES)
            and totp_required(user)
            and not session_verified(user)
        ):
            if path.startswith("/api/"):
                return JsonResponse({"detail": _("需要完成两步验证（动态口令）后才能访问")}, status=403)
            target = "accounts:otp_verify" if has_confirmed_device(user) else "accounts:otp_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


# What a user who must change their password may still reach: the change page itself, signing out
# (and in again), the second factor, and what every page loads.
PASSWORD_CHANGE_EXEMPT = (
    "/accounts/password/",
    "/accounts/logout/",
    "/accounts/login/",
    "/accounts/otp/",
    "/static/",
    "/healthz",
    "/favicon.ico",
)


class RequirePasswordChangeMiddleware:
    """An account made or reset by someone else (``must_change_password``) reaches nothing until
    its owner has chosen a password: pages redirect to the change page, the API answers 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.must_change_password
            and not request.path.startswith(PASSWORD_CHANGE_EXEMPT)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("请先修改初始密码，然后再使用本系统")}, status=403)
            target = reverse("accounts:password_change")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
