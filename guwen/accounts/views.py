from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from guwen.accounts import services
from guwen.accounts.account_services import password_change as services_password_change
from guwen.accounts.forms import LoginForm, OwnPasswordChangeForm, TokenForm
from guwen.accounts.otp import has_confirmed_device, session_verified, totp_required
from guwen.accounts.scope import current_memberships, roles_of
from guwen.core.errors import DomainError
from guwen.core.formtools import form_status


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Django's view names the site after the request's host; the page title names the platform.
        context["site_name"] = settings.GUWEN_SITE_NAME
        return context


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout answer (AXES_LOCKOUT_CALLABLE): the Chinese page saying at what time
    the username may try again, counted from its last counted failure."""
    from datetime import timedelta

    from axes.helpers import get_client_username
    from django.utils import timezone

    from guwen.accounts.account_services import lockout_until

    username = get_client_username(request, credentials) or ""
    until = lockout_until(username) if username else None
    if until is None:
        until = timezone.now() + timedelta(hours=settings.AXES_COOLOFF_TIME)
    minutes = max(1, -(-int((until - timezone.now()).total_seconds()) // 60))
    response = render(
        request,
        "accounts/locked_out.html",
        {"retry_at": timezone.localtime(until), "retry_minutes": minutes},
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    return response


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Enrol a phone authenticator: show the QR code, confirm with the first code."""
    user = request.user
    if has_confirmed_device(user) and not session_verified(user):
        return redirect("accounts:otp_verify")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.totp_device_confirm(user=user, token=form.cleaned_data["token"])
        except DomainError as exc:
            form.add_error("token", exc.message)
        else:
            otp_login(request, device)
            messages.success(request, _("两步验证已开启。"))
            return redirect(_next_url(request))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = services.totp_device_start(user=user)
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=5)
    return render(
        request,
        "accounts/otp_setup.html",
        {"form": form, "qr_svg": qr_svg, "secret": _b32_secret(device), "next": _next_url(request)},
        status=form_status(form),
    )


def _b32_secret(device: TOTPDevice) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    user = request.user
    if not has_confirmed_device(user):
        return redirect("accounts:otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        device = next(
            (d for d in TOTPDevice.objects.filter(user=user, confirmed=True) if d.verify_token(token)), None
        )
        if device is None:
            form.add_error("token", _("动态口令不正确或已过期，请重试"))
        else:
            otp_login(request, device)
            return redirect(_next_url(request))
    return render(
        request,
        "accounts/otp_verify.html",
        {"form": form, "next": _next_url(request)},
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    """Every signed-in user changes their own password here; an account whose password someone
    else chose is sent here for every page until it has (RequirePasswordChangeMiddleware)."""
    user = request.user
    form = OwnPasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_password_change(user=user, new_password=form.cleaned_data["new_password1"])
        except DjangoValidationError as exc:
            form.add_error("new_password1", exc)
        else:
            # The session survives the new password hash; other sessions of the user end.
            update_session_auth_hash(request, user)
            messages.success(request, _("密码已修改。"))
            return redirect(_next_url(request))
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "forced": user.must_change_password, "next": _next_url(request)},
        status=form_status(form),
    )


@login_required
def profile(request):
    user = request.user
    return render(
        request,
        "accounts/profile.html",
        {
            "memberships": current_memberships(user),
            "roles": sorted(roles_of(user)),
            "totp_required": totp_required(user),
            "totp_enrolled": has_confirmed_device(user),
        },
    )


def _public_home(request):
    """The entry without the QR code: find your community (then ask, book or read its card), check
    a question's status, the statutes. Searching is a GET form, so it works without script and a
    result can be bookmarked or shared in a chat."""
    from guwen.accounts.forms import CommunityFinderForm
    from guwen.regions import selectors

    streets = list(selectors.public_streets())
    searched = bool(request.GET.get("q", "").strip() or request.GET.get("street"))
    form = CommunityFinderForm(request.GET if searched else None, streets=streets)
    communities, more = [], False
    if searched and form.is_valid():
        found = selectors.public_communities(
            query=form.cleaned_data["q"], street_code=form.cleaned_data["street"]
        )
        communities = list(found[: selectors.PUBLIC_SEARCH_MAX + 1])
    elif not searched:
        # A street or a district has a few dozen communities: list them all until there are too many.
        communities = list(selectors.public_communities()[: selectors.PUBLIC_SEARCH_MAX + 1])
    more = len(communities) > selectors.PUBLIC_SEARCH_MAX
    if more and not searched:
        communities = []
    return render(
        request,
        "accounts/public_home.html",
        {
            "form": form,
            "searched": searched,
            "communities": communities[: selectors.PUBLIC_SEARCH_MAX],
            "more": more and searched,
            "too_many_to_list": more and not searched,
            "street_count": len(streets),
        },
        status=form_status(form),
    )


def home(request):
    """The landing page: a public page for residents, a role home for signed-in users."""
    user = request.user
    if not user.is_authenticated:
        return _public_home(request)
    from guwen.accounts import home
    from guwen.accounts.models import Role
    from guwen.accounts.scope import assignments_visible_to, regions_visible_to
    from guwen.regions import selectors
    from guwen.regions.models import Level

    roles = roles_of(user)
    visible = regions_visible_to(user)
    context: dict = {"roles": roles, "Role": Role, "sections": []}
    if roles & {Role.OFFICE, Role.BUREAU, Role.SYSADMIN, Role.COMMUNITY_STAFF}:
        context["coverage"] = selectors.coverage(visible)
        context["streets"] = visible.filter(level=Level.STREET).order_by("code")
    # The office's single street, community by community; the bureau reads its district by street
    # in its own panel instead (consultations.panels.bureau_panel).
    if roles & {Role.OFFICE, Role.SYSADMIN, Role.COMMUNITY_STAFF}:
        context["communities"] = selectors.communities_with_advisors(visible)[:60]
    if Role.ADVISOR in roles:
        context["my_assignments"] = (
            selectors.current_assignments()
            .filter(lawyer__user=user)
            .select_related("community", "community__parent")
        )
    # The firm admin's lawyers, postings and figures are the firm panel (consultations.panels).
    if Role.ASSOCIATION in roles:
        context["aggregates"] = _association_aggregates()
    context["panels"] = home.panels_for(request)
    context["recent_assignments"] = (
        assignments_visible_to(user).select_related("lawyer", "community").order_by("-created_at")[:5]
    )
    return render(request, "accounts/home.html", context)


def _association_aggregates() -> dict:
    """Anonymised counts only: the association sees the service, not the people in it."""
    from guwen.regions import selectors
    from guwen.regions.models import LawFirm, Region

    current = selectors.current_assignments()
    return {
        "communities": Region.objects.filter(level="community", is_active=True).count(),
        "covered": current.filter(role="primary").values("community_id").distinct().count(),
        "advisors": current.values("lawyer_id").distinct().count(),
        "firms": LawFirm.objects.filter(pk__in=current.values("firm_id")).count(),
    }
