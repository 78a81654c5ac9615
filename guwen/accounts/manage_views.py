"""Pages for the accounts an office, a bureau or a firm admin looks after (/accounts/manage/).

Every account is fetched through ``scope.users_manageable_by``: anything else is a 404. A role that
looks after no accounts gets 403. A temporary password is shown in the response to the request
that made it, once: it is never stored in clear, put in the session or logged.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guwen.accounts import account_services as services
from guwen.accounts import scope
from guwen.accounts.forms import AccountCreateForm, AccountForm, MembershipAddForm
from guwen.accounts.models import Membership, Role, User
from guwen.core.errors import Conflict, DomainError, NotFound
from guwen.core.formtools import add_domain_error, form_status, form_submit, paginate
from guwen.core.masking import mask_phone
from guwen.core.validators import normalize_mobile
from guwen.regions.models import Region
from guwen.regions.selectors import in_force_on

CREATABLE = (Role.COMMUNITY_STAFF, Role.OFFICE, Role.ADVISOR)


def _require_manager(user) -> None:
    if not scope.can_manage_accounts(user):
        raise PermissionDenied(_("您的角色不能管理账号"))


def _region_roles(actor) -> list[str]:
    return [r for r in (Role.COMMUNITY_STAFF, Role.OFFICE) if r in scope.account_roles_managed_by(actor)]


def _regions(actor):
    ids = Q(pk__in=[])
    for role in _region_roles(actor):
        ids |= Q(pk__in=scope.regions_for_accounts(actor, role).values("pk"))
    return Region.objects.filter(ids).order_by("path")


def _account(request, pk: int) -> User:
    return get_object_or_404(scope.users_manageable_by(request.user), pk=pk)


@login_required
def account_list(request):
    _require_manager(request.user)
    query = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    accounts = scope.users_manageable_by(request.user).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(in_force_on(timezone.localdate())).select_related(
                "region", "firm"
            ),
            to_attr="current",
        )
    )
    if query:
        condition = Q(username__icontains=query) | Q(display_name__contains=query)
        digits = normalize_mobile(query)
        if digits.isdigit() and len(digits) >= 4:
            condition |= Q(phone__endswith=digits)
        accounts = accounts.filter(condition)
    if status == "active":
        accounts = accounts.filter(is_active=True)
    elif status == "inactive":
        accounts = accounts.filter(is_active=False)
    page = paginate(request, accounts.order_by("-is_active", "username"), 30)
    for account in page:
        account.masked_phone = mask_phone(account.phone)
    return render(
        request,
        "accounts/manage/list.html",
        {"page": page, "q": query, "status": status},
    )


def _create_form(request):
    actor = request.user
    roles = [r for r in CREATABLE if r in scope.account_roles_managed_by(actor)]
    lawyers = scope.lawyers_for_accounts(actor).filter(user__isnull=True).select_related("firm")
    initial = {}
    if request.method == "GET" and request.GET.get("lawyer", "").isdigit():
        lawyer = lawyers.filter(pk=int(request.GET["lawyer"])).first()
        if lawyer is not None:
            initial = {"role": Role.ADVISOR, "lawyer": lawyer.pk, "display_name": lawyer.name}
            initial["phone"] = lawyer.phone
    return AccountCreateForm(
        request.POST or None,
        initial=initial,
        roles=roles,
        regions=_regions(actor),
        lawyers=lawyers.order_by("name"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_create(request):
    _require_manager(request.user)
    form = _create_form(request)
    status = form_status(form)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = services.account_create(
                by=request.user,
                username=data["username"],
                display_name=data["display_name"],
                phone=data["phone"],
                role=data["role"],
                region=data.get("region"),
                lawyer=data.get("lawyer"),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            status = 409 if isinstance(exc, Conflict) else 422
        else:
            return _show_password(request, user, password, created=True)
    return render(request, "accounts/manage/create.html", {"form": form}, status=status)


def _show_password(request, user: User, password: str, *, created: bool):
    return render(
        request,
        "accounts/manage/password_shown.html",
        {"account": user, "password": password, "created": created},
        status=201 if created else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_detail(request, pk: int):
    _require_manager(request.user)
    account = _account(request, pk)
    form = AccountForm(
        request.POST or None, initial={"display_name": account.display_name, "phone": account.phone}
    )
    done, _saved = form_submit(
        request,
        form,
        lambda data: services.account_update(
            user=account, by=request.user, display_name=data["display_name"], phone=data["phone"]
        ),
    )
    if done:
        messages.success(request, _("已保存账号信息"))
        return redirect("accounts:manage_detail", pk=account.pk)
    return _detail_page(request, account, form=form, status=form_status(form))


def _detail_page(request, account: User, *, form=None, membership_form=None, status: int = 200):
    actor = request.user
    form = form or AccountForm(initial={"display_name": account.display_name, "phone": account.phone})
    roles = _region_roles(actor)
    membership_form = membership_form or (
        MembershipAddForm(roles=roles, regions=_regions(actor)) if roles else None
    )
    today = timezone.localdate()
    endable = {m.pk for m in services.memberships_manageable_by(actor, account)}
    memberships = account.memberships.select_related("region", "firm").order_by("-starts_on", "pk")
    lawyer = getattr(account, "lawyer", None)  # an advisor's login: their lawyer record
    return render(
        request,
        "accounts/manage/detail.html",
        {
            "account": account,
            "form": form,
            "membership_form": membership_form,
            "memberships": [
                (m, m.is_current(today), m.pk in endable and (m.ends_on is None or m.ends_on >= today))
                for m in memberships
            ],
            "lawyer": lawyer,
            "locked_until": services.lockout_until(account.username),
            "masked_phone": mask_phone(account.phone),
        },
        status=status,
    )


def _action(request, pk: int, run, done_message: str):
    """A POST action on one account: 404 outside scope, 409 when the account's state refuses it."""
    _require_manager(request.user)
    account = _account(request, pk)
    try:
        run(account)
    except NotFound as exc:
        raise Http404 from exc
    except Conflict as exc:
        messages.error(request, exc.message)
        return _detail_page(request, account, status=409)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _detail_page(request, account, status=422)
    messages.success(request, done_message)
    return redirect("accounts:manage_detail", pk=account.pk)


@login_required
@require_POST
def account_deactivate(request, pk: int):
    return _action(
        request,
        pk,
        lambda account: services.account_set_active(user=account, by=request.user, active=False),
        _("账号已停用，该用户不能再登录"),
    )


@login_required
@require_POST
def account_reactivate(request, pk: int):
    return _action(
        request,
        pk,
        lambda account: services.account_set_active(user=account, by=request.user, active=True),
        _("账号已重新启用"),
    )


@login_required
@require_POST
def account_unlock(request, pk: int):
    return _action(
        request,
        pk,
        lambda account: services.account_unlock(user=account, by=request.user),
        _("已解除登录锁定"),
    )


@login_required
@require_POST
def account_reset_password(request, pk: int):
    _require_manager(request.user)
    account = _account(request, pk)
    try:
        password = services.account_reset_password(user=account, by=request.user)
    except NotFound as exc:
        raise Http404 from exc
    return _show_password(request, account, password, created=False)


@login_required
@require_POST
def membership_add(request, pk: int):
    _require_manager(request.user)
    account = _account(request, pk)
    roles = _region_roles(request.user)
    if not roles:
        raise PermissionDenied(_("您不能授予区域角色"))
    form = MembershipAddForm(request.POST, roles=roles, regions=_regions(request.user))
    if form.is_valid():
        try:
            data = form.cleaned_data
            services.account_membership_add(
                user=account, by=request.user, role=data["role"], region=data["region"]
            )
        except Conflict as exc:
            add_domain_error(form, exc)
            return _detail_page(request, account, membership_form=form, status=409)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已添加角色"))
            return redirect("accounts:manage_detail", pk=account.pk)
    return _detail_page(request, account, membership_form=form, status=422)


@login_required
@require_POST
def membership_end(request, pk: int, membership_pk: int):
    _require_manager(request.user)
    account = _account(request, pk)
    membership = get_object_or_404(account.memberships, pk=membership_pk)
    return _action(
        request,
        pk,
        lambda _account: services.account_membership_end(membership=membership, by=request.user),
        _("角色已结束"),
    )
