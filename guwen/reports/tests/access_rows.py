"""Access-matrix rows for every reports route: the dashboard and its JSON (by region), the work log
page and its JSON (by lawyer)."""

from __future__ import annotations

from guwen.testing import World
from guwen.tests.matrix import ONLY_SYSADMIN, Row, api_route, own_lawyer, page

# Dashboards: those who run the service in a region (community staff, office, bureau, system admin)
# read the regions in their scope; community A is in each of theirs, community E in none.
REGION_READERS = {"staff_a": 200, "office": 200, "bureau": 200, "sysadmin": 200}


def _region(w: World, role: str, inside: bool) -> str:
    return (w.community_a if inside else w.community_e).code


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

ROWS = [
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
