"""Sends a staff user who must use TOTP to enrol or verify before anything else."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from guwen.accounts.otp import has_confirmed_device, session_verified, totp_required

EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz")


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
