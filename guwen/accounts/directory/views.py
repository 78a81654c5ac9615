"""Pages for regions, firms, lawyers and assignments. Every fetch goes through the scope selectors;
anything outside them is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guwen.accounts import scope
from guwen.core.errors import DomainError
from guwen.core.formtools import form_status, form_submit, paginate
from guwen.regions import selectors, services
from guwen.regions.forms import AssignmentEndForm, AssignmentForm, LawFirmForm, LawyerEditForm, LawyerForm
from guwen.regions.models import Level, Region


@login_required
def region_list(request):
    visible = scope.regions_visible_to(request.user)
    query = request.GET.get("q", "").strip()
    communities = selectors.communities_with_advisors(visible)
    if query:
        communities = communities.filter(Q(name__contains=query) | Q(code__startswith=query))
    return render(
        request,
        "regions/region_list.html",
        {
            "page": paginate(request, communities, 50),
            "coverage": selectors.coverage(visible),
            "q": query,
            "streets": visible.filter(level=Level.STREET).order_by("code"),
        },
    )


@login_required
def region_detail(request, code: str):
    region = get_object_or_404(scope.regions_visible_to(request.user), code=code)
    history = (
        scope.assignments_visible_to(request.user).filter(community=region).select_related("lawyer", "firm")
    )
    children = selectors.communities_with_advisors(
        scope.regions_visible_to(request.user).filter(parent=region)
    )
    can_manage = scope.manageable_regions(request.user).filter(pk=region.pk).exists()
    return render(
        request,
        "regions/region_detail.html",
        {
            "region": region,
            "history": history.order_by("-starts_on", "role"),
            "current": list(
                selectors.current_assignments().filter(community=region).select_related("lawyer", "firm")
            ),
            "children": children,
            "can_manage": can_manage,
        },
    )


@login_required
def firm_list(request):
    firms = scope.firms_visible_to(request.user).order_by("name")
    return render(
        request,
        "regions/firm_list.html",
        {"page": paginate(request, firms), "can_create": scope.can_register_firms(request.user)},
    )


@login_required
def firm_detail(request, pk: int):
    firm = get_object_or_404(scope.firms_visible_to(request.user), pk=pk)
    lawyers = scope.lawyers_visible_to(request.user).filter(firm=firm)
    assignments = (
        scope.assignments_visible_to(request.user).filter(firm=firm).select_related("lawyer", "community")
    )
    return render(
        request,
        "regions/firm_detail.html",
        {"firm": firm, "lawyers": lawyers, "assignments": assignments.order_by("-starts_on")[:100]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def firm_create(request):
    if not scope.can_register_firms(request.user):
        raise Http404
    districts = Region.objects.filter(level=Level.DISTRICT) & scope.regions_visible_to(request.user)
    form = LawFirmForm(request.POST or None, districts=districts)
    done, firm = form_submit(request, form, lambda data: services.lawfirm_create(by=request.user, **data))
    if done:
        messages.success(request, _("已登记律师事务所：%(name)s") % {"name": firm.name})
        return redirect("regions:firm_detail", pk=firm.pk)
    return render(
        request, "regions/form.html", {"form": form, "title": _("登记律师事务所")}, status=form_status(form)
    )


@login_required
def lawyer_list(request):
    lawyers = scope.lawyers_visible_to(request.user).select_related("firm")
    query = request.GET.get("q", "").strip()
    if query:
        lawyers = lawyers.filter(Q(name__contains=query) | Q(firm__name__contains=query))
    return render(
        request,
        "regions/lawyer_list.html",
        {
            "page": paginate(request, lawyers),
            "q": query,
            "can_create": scope.manageable_firms(request.user).exists(),
        },
    )


@login_required
def lawyer_detail(request, pk: int):
    lawyer = get_object_or_404(scope.lawyers_visible_to(request.user).select_related("firm"), pk=pk)
    assignments = scope.assignments_visible_to(request.user).filter(lawyer=lawyer).select_related("community")
    return render(
        request,
        "regions/lawyer_detail.html",
        {
            "lawyer": lawyer,
            "assignments": assignments.order_by("-starts_on"),
            "can_read_id": scope.can_read_personal_numbers(request.user, lawyer),
            "can_edit": scope.manageable_lawyers(request.user).filter(pk=lawyer.pk).exists(),
            # An advisor signs in with the account linked to their lawyer record.
            "can_open_account": lawyer.user_id is None
            and scope.lawyers_for_accounts(request.user).filter(pk=lawyer.pk).exists(),
            "account_in_scope": lawyer.user_id is not None
            and scope.users_manageable_by(request.user).filter(pk=lawyer.user_id).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def lawyer_edit(request, pk: int):
    """A firm admin, the district bureau or a system admin changes a lawyer's record."""
    lawyer = get_object_or_404(scope.manageable_lawyers(request.user).select_related("firm"), pk=pk)
    initial = {"phone": lawyer.phone, "specialties": lawyer.specialties, "is_active": lawyer.is_active}
    form = LawyerEditForm(request.POST or None, initial=initial)
    done, _saved = form_submit(
        request, form, lambda data: services.lawyer_update(lawyer=lawyer, by=request.user, **data)
    )
    if done:
        messages.success(request, _("已保存律师信息：%(name)s") % {"name": lawyer.name})
        current = selectors.current_assignments_of(lawyer)
        if not lawyer.is_active and current:
            names = "、".join(a.community.name for a in current)
            messages.warning(
                request,
                _("%(name)s 仍派驻在：%(communities)s。新咨询将转给备岗顾问或街道，请尽快调整派驻。")
                % {"name": lawyer.name, "communities": names},
            )
        return redirect("regions:lawyer_detail", pk=lawyer.pk)
    return render(
        request,
        "regions/form.html",
        {"form": form, "title": _("修改律师信息：%(name)s") % {"name": lawyer.name}},
        status=form_status(form),
    )


@login_required
@require_POST
def lawyer_id_number(request, pk: int):
    """Reveal a lawyer's full 身份证号 to a reader entitled to it; the read is audited."""
    lawyer = get_object_or_404(scope.lawyers_visible_to(request.user), pk=pk)
    if not scope.can_read_personal_numbers(request.user, lawyer):
        raise Http404
    value = services.lawyer_read_id_number(lawyer=lawyer, by=request.user, request=request)
    return render(request, "regions/_id_number.html", {"value": value})


@login_required
@require_http_methods(["GET", "POST"])
def lawyer_create(request):
    firms = scope.manageable_firms(request.user).order_by("name")
    if not firms.exists():
        raise Http404
    form = LawyerForm(request.POST or None, firms=firms)
    done, lawyer = form_submit(request, form, lambda data: services.lawyer_create(by=request.user, **data))
    if done:
        messages.success(request, _("已登记律师：%(name)s") % {"name": lawyer.name})
        return redirect("regions:lawyer_detail", pk=lawyer.pk)
    return render(
        request, "regions/form.html", {"form": form, "title": _("登记律师")}, status=form_status(form)
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_create(request, code: str):
    community = get_object_or_404(scope.manageable_regions(request.user), code=code)
    form = AssignmentForm(request.POST or None)

    def assign(data):
        lawyer = (
            scope.lawyers_appointable_by(request.user)
            .filter(licence_number=data["licence_number"].strip())
            .first()
        )
        if lawyer is None:
            raise DomainError(_("未找到该执业证号的律师，请先由律所登记"), field="licence_number")
        services.assignment_create(
            lawyer=lawyer,
            community=community,
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            role=data["role"],
            note=data["note"],
            by=request.user,
        )
        return lawyer

    done, lawyer = form_submit(request, form, assign)
    if done:
        messages.success(
            request,
            _("已派驻 %(lawyer)s 到 %(community)s") % {"lawyer": lawyer.name, "community": community.name},
        )
        return redirect("regions:region_detail", code=community.code)
    return render(
        request,
        "regions/form.html",
        {"form": form, "title": _("派驻顾问：%(name)s") % {"name": community.name}},
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_end(request, pk: int):
    assignment = get_object_or_404(
        scope.assignments_visible_to(request.user).filter(
            community__in=scope.manageable_regions(request.user)
        ),
        pk=pk,
    )
    form = AssignmentEndForm(request.POST or None)
    done, _ended = form_submit(
        request,
        form,
        lambda data: services.assignment_end(
            assignment=assignment, ends_on=data["ends_on"], reason=data["reason"], by=request.user
        ),
    )
    if done:
        messages.success(request, _("派驻已结束"))
        return redirect("regions:region_detail", code=assignment.community.code)
    return render(
        request,
        "regions/form.html",
        {"form": form, "title": _("结束派驻：%(a)s") % {"a": assignment}},
        status=form_status(form),
    )
