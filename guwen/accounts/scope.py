"""The one definition of what a user may see.

Every list, detail page, action, export, search and API route fetches through these
selectors; anything outside them is a 404 (DESIGN §5). Later apps build their own
``<record>_visible_to(user)`` on top of ``regions_visible_to``.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from guwen.accounts.models import Membership, Role
from guwen.regions.models import Assignment, LawFirm, Lawyer, Region
from guwen.regions.selectors import current_assignments, in_force_on

_CACHE_ATTR = "_guwen_memberships"


def current_memberships(user) -> list[Membership]:
    """The user's memberships in force today, cached on the user object for one request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    today = timezone.localdate()
    memberships = list(
        Membership.objects.filter(in_force_on(today), user=user).select_related("region", "firm")
    )
    setattr(user, _CACHE_ATTR, memberships)
    return memberships


def forget_memberships(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def is_sysadmin(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or any(m.role == Role.SYSADMIN for m in current_memberships(user))


def roles_of(user) -> set[str]:
    """All roles the user holds today. An advisor role comes from a membership or from being the
    lawyer of a current assignment."""
    roles = {m.role for m in current_memberships(user)}
    if is_sysadmin(user):
        roles.add(Role.SYSADMIN)
    if (
        getattr(user, "is_authenticated", False)
        and Role.ADVISOR not in roles
        and _lawyer_of(user) is not None
    ):
        roles.add(Role.ADVISOR)
    return roles


def _lawyer_of(user) -> Lawyer | None:
    try:
        return user.lawyer
    except Lawyer.DoesNotExist:
        return None


def _region_anchors(user, roles: set[str]) -> list[Region]:
    return [m.region for m in current_memberships(user) if m.role in roles and m.region is not None]


def _admin_firm_ids(user) -> list[int]:
    return [m.firm_id for m in current_memberships(user) if m.role == Role.FIRM_ADMIN and m.firm_id]


def regions_visible_to(user) -> QuerySet[Region]:
    """Regions whose records the user may see: a bureau its district and everything under it, an
    office its street, community staff their community, an advisor the communities they serve
    today, a firm admin the communities their firm's lawyers serve today. The association sees
    anonymised aggregates only, so no region's records."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Region.objects.none()
    if is_sysadmin(user):
        return Region.objects.all()
    return Region.objects.filter(_regions_condition(user, through_firm=True))


def _regions_condition(user, *, through_firm: bool) -> Q:
    """The regions a user holds a role in or serves; with ``through_firm``, also those their
    administered firm's lawyers serve today."""
    condition = Q(pk__in=[])
    for region in _region_anchors(user, {Role.BUREAU, Role.OFFICE, Role.COMMUNITY_STAFF}):
        condition |= Q(path__startswith=region.path)
    lawyer = _lawyer_of(user)
    if lawyer is not None:
        condition |= Q(pk__in=current_assignments().filter(lawyer=lawyer).values("community_id"))
    firm_ids = _admin_firm_ids(user) if through_firm else []
    if firm_ids:
        condition |= Q(
            pk__in=current_assignments().filter(lawyer__firm_id__in=firm_ids).values("community_id")
        )
    return condition


def communities_visible_to(user) -> QuerySet[Region]:
    return regions_visible_to(user).filter(level="community")


def firms_visible_to(user) -> QuerySet[LawFirm]:
    """Firms serving the user's regions (ever), the firm they administer or belong to, and for a
    bureau the firms registered in its district."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return LawFirm.objects.none()
    if is_sysadmin(user):
        return LawFirm.objects.all()
    condition = Q(pk__in=Assignment.objects.filter(community__in=regions_visible_to(user)).values("firm_id"))
    condition |= Q(pk__in=_admin_firm_ids(user))
    condition |= Q(lawyers__user=user)
    for region in _region_anchors(user, {Role.BUREAU}):
        condition |= Q(district__path__startswith=region.path)
    return LawFirm.objects.filter(condition).distinct()


def lawyers_visible_to(user) -> QuerySet[Lawyer]:
    """Lawyers who serve or served the user's regions, the lawyers of the firm they administer,
    the user's own lawyer record, and for a bureau the lawyers of firms registered in its district.
    A firm administrator's view of the communities its lawyers serve does not reach the records of
    other firms' lawyers there: those appear only on the public advisor card."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Lawyer.objects.none()
    if is_sysadmin(user):
        return Lawyer.objects.all()
    own_regions = Region.objects.filter(_regions_condition(user, through_firm=False))
    condition = Q(pk__in=Assignment.objects.filter(community__in=own_regions).values("lawyer_id"))
    condition |= Q(firm_id__in=_admin_firm_ids(user))
    condition |= Q(user=user)
    for region in _region_anchors(user, {Role.BUREAU}):
        condition |= Q(firm__district__path__startswith=region.path)
    return Lawyer.objects.filter(condition)


def assignments_visible_to(user) -> QuerySet[Assignment]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Assignment.objects.none()
    if is_sysadmin(user):
        return Assignment.objects.all()
    condition = Q(community__in=regions_visible_to(user))
    condition |= Q(lawyer__firm_id__in=_admin_firm_ids(user))
    condition |= Q(lawyer__user=user)
    return Assignment.objects.filter(condition)


def manageable_regions(user) -> QuerySet[Region]:
    """Communities where the user may appoint advisors: an office's street, a bureau's district."""
    if is_sysadmin(user):
        return Region.objects.filter(level="community")
    condition = Q(pk__in=[])
    for region in _region_anchors(user, {Role.BUREAU, Role.OFFICE}):
        condition |= Q(path__startswith=region.path)
    return Region.objects.filter(condition, level="community")


def lawyers_appointable_by(user) -> QuerySet[Lawyer]:
    """Lawyer records a user may name when appointing an advisor: every registered lawyer for those
    who manage communities (a street may contract a firm from anywhere), none for anyone else."""
    if not manageable_regions(user).exists():
        return Lawyer.objects.none()
    return Lawyer.objects.all()


def manageable_firms(user) -> QuerySet[LawFirm]:
    """Firms whose lawyer records the user may add or edit: a firm admin's own firm; a bureau's
    district firms; everything for a system admin."""
    if is_sysadmin(user):
        return LawFirm.objects.all()
    condition = Q(pk__in=_admin_firm_ids(user))
    for region in _region_anchors(user, {Role.BUREAU}):
        condition |= Q(district__path__startswith=region.path)
    return LawFirm.objects.filter(condition)


def manageable_lawyers(user) -> QuerySet[Lawyer]:
    """Lawyer records the user may edit: those of the firms they manage."""
    return Lawyer.objects.filter(firm__in=manageable_firms(user))


def can_register_firms(user) -> bool:
    return is_sysadmin(user) or bool(_region_anchors(user, {Role.BUREAU}))


def can_read_personal_numbers(user, lawyer: Lawyer) -> bool:
    """Full 身份证号 is for the lawyer themself, their firm admin, the bureau and system admins
    (subsidy payment needs it); everyone else sees it masked."""
    if is_sysadmin(user):
        return True
    if lawyer.user_id is not None and lawyer.user_id == getattr(user, "pk", None):
        return True
    if lawyer.firm_id in _admin_firm_ids(user):
        return True
    is_bureau = bool(_region_anchors(user, {Role.BUREAU}))
    return is_bureau and manageable_firms(user).filter(pk=lawyer.firm_id).exists()


# --- accounts the office manages -------------------------------------------------------------

# The roles whose accounts each managing role may create and look after. An advisor's account is
# the login of a lawyer record, so it is reached through the lawyer (their firm, their post).
_ACCOUNT_ROLES_MANAGED_BY = {
    Role.OFFICE: frozenset({Role.COMMUNITY_STAFF, Role.ADVISOR}),
    Role.BUREAU: frozenset({Role.COMMUNITY_STAFF, Role.OFFICE, Role.ADVISOR}),
    Role.FIRM_ADMIN: frozenset({Role.ADVISOR}),
}


def account_roles_managed_by(user) -> frozenset[str]:
    """The roles whose accounts the user looks after (empty: the user manages no accounts)."""
    if is_sysadmin(user):
        return frozenset(Role.values)
    roles: set[str] = set()
    for membership in current_memberships(user):
        roles |= _ACCOUNT_ROLES_MANAGED_BY.get(membership.role, frozenset())
    return frozenset(roles)


def can_manage_accounts(user) -> bool:
    return bool(account_roles_managed_by(user))


def regions_for_accounts(user, role: str) -> QuerySet[Region]:
    """Regions where the user may give an account ``role``: community staff in the communities of
    an office's street or a bureau's district, an office in a bureau's streets."""
    level = {Role.COMMUNITY_STAFF: "community", Role.OFFICE: "street", Role.BUREAU: "district"}.get(role)
    if level is None or role not in account_roles_managed_by(user):
        return Region.objects.none()
    if is_sysadmin(user):
        return Region.objects.filter(level=level, is_active=True)
    anchors = {Role.COMMUNITY_STAFF: {Role.OFFICE, Role.BUREAU}, Role.OFFICE: {Role.BUREAU}}[role]
    condition = Q(pk__in=[])
    for region in _region_anchors(user, anchors):
        condition |= Q(path__startswith=region.path)
    return Region.objects.filter(condition, level=level, is_active=True)


def lawyers_for_accounts(user) -> QuerySet[Lawyer]:
    """Lawyer records whose login the user looks after: a firm admin's own firm, a bureau's district
    firms, and for an office or bureau the lawyers serving their communities today."""
    if Role.ADVISOR not in account_roles_managed_by(user):
        return Lawyer.objects.none()
    if is_sysadmin(user):
        return Lawyer.objects.all()
    condition = Q(firm_id__in=_admin_firm_ids(user))
    for region in _region_anchors(user, {Role.BUREAU}):
        condition |= Q(firm__district__path__startswith=region.path)
    places = Q(pk__in=[])
    for region in _region_anchors(user, {Role.BUREAU, Role.OFFICE}):
        places |= Q(community__path__startswith=region.path)
    condition |= Q(pk__in=current_assignments().filter(places).values("lawyer_id"))
    return Lawyer.objects.filter(condition)


def users_manageable_by(user):
    """The one definition of which accounts a user may list, open and change (DESIGN §5).

    An account is in scope when one of its memberships (current or past, so a deactivated member
    can be found again) sits in a region the user looks after for that role, or when it is the
    login of a lawyer in ``lawyers_for_accounts``; and every role it holds is one the user manages,
    so an office never resets a bureau's password. Never the user's own account (that is 我的账号),
    and never a superuser for anyone but a system admin."""
    from guwen.accounts.models import User

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return User.objects.none()
    if is_sysadmin(user):
        return User.objects.exclude(pk=user.pk)
    managed = account_roles_managed_by(user)
    if not managed:
        return User.objects.none()
    condition = Q(pk__in=[])
    for role in managed - {Role.ADVISOR}:
        condition |= Q(
            pk__in=Membership.objects.filter(role=role, region__in=regions_for_accounts(user, role)).values(
                "user_id"
            )
        )
    if Role.ADVISOR in managed:
        condition |= Q(pk__in=lawyers_for_accounts(user).filter(user__isnull=False).values("user_id"))
    others = Membership.objects.exclude(role__in=managed).values("user_id")
    return (
        User.objects.filter(condition)
        .exclude(pk__in=others)
        .exclude(is_superuser=True)
        .exclude(pk=user.pk)
        .distinct()
    )
