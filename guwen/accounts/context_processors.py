"""Navigation by role for the work layout."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from guwen.accounts.models import Role
from guwen.accounts.scope import can_manage_accounts, roles_of

# Roles that handle consultations (the inbox) and roles that do the office's daily work (duty,
# the region tree, the knowledge base). The association reads anonymised aggregates only.
HANDLERS = frozenset({Role.ADVISOR, Role.OFFICE, Role.BUREAU, Role.SYSADMIN})
SETTINGS_EDITORS = frozenset({Role.BUREAU, Role.SYSADMIN})
WORKERS = frozenset(set(Role) - {Role.ASSOCIATION})
# People's mediation is the community's, the office's and the bureau's work; firms do not see cases.
MEDIATION = frozenset({Role.ADVISOR, Role.COMMUNITY_STAFF, Role.OFFICE, Role.BUREAU, Role.SYSADMIN})
# The subsidy's approval chain runs through the same roles: advisor, community, office, bureau.
SUBSIDY = MEDIATION
# Dashboards, ledgers and summaries are for those who run the service in a region.
REPORTS = frozenset({Role.COMMUNITY_STAFF, Role.OFFICE, Role.BUREAU, Role.SYSADMIN})
# Evaluation: every role with a part in it (the association reads anonymised aggregates there).
EVALUATION = frozenset(set(Role))


def menu_items(user) -> list[tuple[str, str]]:
    """The menu a signed-in user sees: every page the user's roles may use, as (label, url)."""
    roles = roles_of(user)
    items = [(_("工作台"), reverse("home"))]
    if roles & HANDLERS:
        items.append((_("法律咨询"), reverse("consultations:inbox")))
    if roles & SETTINGS_EDITORS:
        items.append((_("咨询设置"), reverse("consultations:settings")))
    if roles & WORKERS:
        items.append((_("驻点值班"), reverse("duty:home")))
        if roles & MEDIATION:
            items.append((_("人民调解"), reverse("mediation:case_list")))
        items.append((_("普法与体检"), reverse("outreach:activity_list")))
        if roles & SUBSIDY:
            items.append((_("以案定补"), reverse("subsidy:settlement_list")))
        if roles & REPORTS:
            items.append((_("统计报表"), reverse("reports:dashboard")))
        # One entry for the directory: its three lists link to each other (regions/_tabs.html).
        items.append((_("区域与律师"), reverse("regions:region_list")))
        items.append((_("知识库"), reverse("knowledge:search")))
    if roles & EVALUATION:
        items.append((_("评价考核"), reverse("evaluation:home")))
    items.append((_("法律法规"), reverse("knowledge:law_list")))
    if can_manage_accounts(user):
        items.append((_("账号管理"), reverse("accounts:manage_list")))
    if Role.SYSADMIN in roles or user.is_staff:
        items.append((_("系统管理"), reverse("admin:index")))
    # 修改密码 is on 我的账号: the bar must hold a region's whole menu on one line at 1,280 px.
    items.append((_("我的账号"), reverse("accounts:profile")))
    return items


def _sections() -> dict[str, tuple[str, ...]]:
    """Pages that belong to a menu item whose address they do not start with."""
    return {
        reverse("regions:region_list"): (reverse("regions:lawyer_list"), reverse("regions:firm_list")),
        reverse("accounts:profile"): (reverse("accounts:password_change"),),
    }


def _current_url(urls: list[str], path: str) -> str | None:
    """The menu item the page belongs to: the longest item address (or address of a page of its
    section) the path starts with (the home page only for itself), so /consultations/settings/
    marks 咨询设置, not 法律咨询 as well, and /lawyers/3/ marks 区域与律师."""
    sections = _sections()
    matches = [
        (len(prefix), url)
        for url in urls
        for prefix in (url, *sections.get(url, ()))
        if (path == prefix if prefix == "/" else path.startswith(prefix))
    ]
    return max(matches, default=(0, None))[1]


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    context = {
        "site_name": settings.GUWEN_SITE_NAME,
        "totp_waived": settings.GUWEN_WAIVE_STAFF_TOTP,
        "lockout_minutes": round(settings.AXES_COOLOFF_TIME * 60),
        "nav_items": [],
        "role_labels": [],
    }
    if user is None or not user.is_authenticated:
        return context
    items = menu_items(user)
    current = _current_url([url for _label, url in items], request.path)
    context["nav_items"] = [(label, url, url == current) for label, url in items]
    context["role_labels"] = [Role(r).label for r in sorted(roles_of(user))]
    return context
