"""Access-matrix rows for every reports route: the dashboard and its JSON (by region), the work log
page and its JSON (by lawyer)."""

from __future__ import annotations

from guwen.testing import World
from guwen.tests.matrix import ONLY_SYSADMIN, Row, api_route, fixed, own_lawyer, page

# Dashboards: those who run the service in a region (community staff, office, bureau, system admin)
# read the regions in their scope; community A is in each of theirs, community E in none.
REGION_READERS = {"staff_a": 200, "office": 200, "bureau": 200, "sysadmin": 200}


def _region(w: World, role: str, inside: bool) -> str:
    return (w.community_a if inside else w.community_e).code


def _export(w: World, role: str, inside: bool) -> str:
    """An export of community A: inside, a reader's own (others open the office's); outside,
    someone else's (advisor B's, or advisor A's for advisor B), which no one else may open."""
    from datetime import date

    from guwen.reports.models import LedgerExport

    key = f"export_{role}_{inside}"
    if key not in w.extras:
        if not inside:
            owner = w.user("advisor_a" if role == "advisor_b" else "advisor_b")
        else:
            owner = w.user(role if role in REGION_READERS else "office")
        w.extras[key] = LedgerExport.objects.create(
            requested_by=owner,
            region=w.community_a,
            kind="activities",
            start=date(2026, 1, 1),
            end=date(2026, 1, 31),
            status="queued",
            expires_at="2099-01-01T00:00:00+08:00",
        ).pk
    return f"/reports/exports/{w.extras[key]}/"


def _subscription(w: World, role: str, inside: bool) -> str:
    """A subscription of the role's own (inside) or another user's (outside), deleted by the row."""
    from guwen.reports.models import ReportSubscription

    owner = w.user(role if inside and role in REGION_READERS else "office")
    if not inside:
        owner = w.user("advisor_a" if role == "advisor_b" else "advisor_b")
    from guwen.regions.models import Region
    from guwen.testing import ROLES

    # One region per role, so no two roles' subscriptions clash on (user, region, frequency).
    region = Region.objects.order_by("pk")[ROLES.index(role)]
    sub, _made = ReportSubscription.objects.get_or_create(
        user=owner, region=region, frequency="quarterly" if inside else "monthly"
    )
    return f"/reports/subscriptions/{sub.pk}/delete/"


def _empty_ledger():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["普法宣传活动台账"])
    book.active.append(
        ["序号", "活动日期", "社区", "活动类型", "主题", "地点", "主讲律师", "参与人数", "状态"]
    )
    handle = io.BytesIO()
    book.save(handle)
    return SimpleUploadedFile("台账.xlsx", handle.getvalue())


def _log_of(w: World, role: str, inside: bool) -> str:
    lawyer = own_lawyer(w, role) if inside else w.lawyer_e
    return f"lawyer_id={lawyer.pk}"


# A lawyer's log: those who may see the lawyer (lawyers_visible_to) get it, limited to their own
# communities; lawyer A for advisor A, lawyer B for advisor B.
LOG_READERS = {
    "advisor_a": 200,
    "advisor_b": 200,
    "staff_a": 200,
    "office": 200,
    "bureau": 200,
    "firm_admin": 200,
    "sysadmin": 200,
}

# An export is its requester's only: others get 404 whatever their scope.
EXPORT_OWNERS = dict.fromkeys(REGION_READERS, 200)

ROWS = [
    Row(
        "reports:chart_csv",
        "GET",
        lambda w, r, i: f"/reports/charts/consultations_level.csv?region={_region(w, r, i)}",
        page(REGION_READERS),
        page(ONLY_SYSADMIN),
    ),
    Row(
        "reports:workload",
        "GET",
        lambda w, r, i: f"/reports/workload/?region={_region(w, r, i)}",
        # The association reads the city-wide view, anonymised, whatever region is asked for.
        page({**REGION_READERS, "association": 200}),
        page({"sysadmin": 200, "association": 200}),
    ),
    # The summary is a street's or a district's: each reader names one of theirs (community staff
    # have none and are refused in Chinese); another district's street is out of scope.
    Row(
        "reports:summary",
        "GET",
        lambda w, r, i: f"/reports/summary/?region={(w.street if i else w.street3).code}",
        page({"staff_a": 404, "office": 200, "bureau": 200, "sysadmin": 200}),
        page(ONLY_SYSADMIN),
    ),
    Row(
        "reports:summary_document",
        "GET",
        lambda w, r, i: f"/reports/summary.docx?region={(w.street if i else w.street3).code}",
        page({"office": 200, "bureau": 200, "sysadmin": 200}),
        page(ONLY_SYSADMIN),
    ),
    Row(
        "reports:ledger_download",
        "GET",
        lambda w, r, i: f"/reports/ledgers/activities.xlsx?region={_region(w, r, i)}",
        page(REGION_READERS),
        page(ONLY_SYSADMIN),
    ),
    Row(
        "api:reports_documents",
        "GET",
        lambda w, r, i: f"/api/v1/reports/documents?region={_region(w, r, i)}",
        api_route(REGION_READERS),
        api_route(ONLY_SYSADMIN),
    ),
    Row("reports:ledgers", "GET", fixed("/reports/ledgers/"), page(REGION_READERS)),
    Row(
        "reports:ledgers",
        "POST",
        fixed("/reports/ledgers/"),
        page({"staff_a": 302, "office": 302, "bureau": 302, "sysadmin": 302}),
        # Another district's community is not among the choices: refused as invalid input.
        page({"staff_a": 422, "office": 422, "bureau": 422, "sysadmin": 302}),
        body=lambda w, r, i: {
            "region": _region(w, r, i),
            "kind": "activities",
            "start": "2026-01-01",
            "end": "2026-01-31",
        },
    ),
    Row("reports:ledger_import", "GET", fixed("/reports/imports/"), page(REGION_READERS)),
    # A check (dry run) of an empty ledger of activities: nothing to import, nothing wrong.
    Row(
        "reports:ledger_import",
        "POST",
        fixed("/reports/imports/"),
        page(REGION_READERS),
        body=lambda w, r, i: {"kind": "activities", "action": "check", "file": _empty_ledger()},
    ),
    Row("reports:subscriptions", "GET", fixed("/reports/subscriptions/"), page(REGION_READERS)),
    Row(
        "reports:subscriptions",
        "POST",
        fixed("/reports/subscriptions/"),
        page({"staff_a": 302, "office": 302, "bureau": 302, "sysadmin": 302}),
        # Another district's community is not among the choices: refused as invalid input.
        page({"staff_a": 422, "office": 422, "bureau": 422, "sysadmin": 302}),
        body=lambda w, r, i: {"region": _region(w, r, i), "frequency": "monthly", "delivery": "notice"},
    ),
    Row(
        "reports:subscription_delete",
        "POST",
        _subscription,
        page({"staff_a": 302, "office": 302, "bureau": 302, "sysadmin": 302}),
        page({}),
    ),
    Row("reports:export_detail", "GET", _export, page(EXPORT_OWNERS), page({})),
    Row(
        "reports:export_download",
        "GET",
        lambda w, r, i: _export(w, r, i) + "download/",
        # Not yet written: there is no file to download, for its owner too.
        page({}),
        page({}),
    ),
    Row(
        "reports:dashboard",
        "GET",
        lambda w, r, i: f"/reports/?region={_region(w, r, i)}",
        page(REGION_READERS),
        page(ONLY_SYSADMIN),
    ),
    Row(
        "api:reports_summary",
        "GET",
        lambda w, r, i: f"/api/v1/reports/summary?region={_region(w, r, i)}",
        api_route(REGION_READERS),
        api_route(ONLY_SYSADMIN),
    ),
    Row(
        "reports:worklog",
        "GET",
        lambda w, r, i: f"/reports/worklog/?{_log_of(w, r, i)}",
        page(LOG_READERS),
        page(ONLY_SYSADMIN),
    ),
    Row(
        "api:worklog_read",
        "GET",
        lambda w, r, i: f"/api/v1/worklog?{_log_of(w, r, i)}",
        api_route(LOG_READERS),
        api_route(ONLY_SYSADMIN),
    ),
]
