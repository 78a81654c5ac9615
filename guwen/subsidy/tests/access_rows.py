"""Access-matrix rows for every subsidy route and API operation.

Settlements are made directly for lawyer A in community A, lawyer B in community B (advisor B is
checked against their own) and, out of scope, lawyer E in community E of another district. Rows
whose action changes a settlement or flag make a fresh one for each role (in ``path``).
"""

from __future__ import annotations

import itertools
from datetime import date

from django.utils import timezone

from guwen.testing import World
from guwen.tests.matrix import ONLY_SYSADMIN, Row, api_route, page

_months = itertools.count(1)
NOT_WORKERS = {"firm_admin": 403, "association": 403, "outsider": 403}
USERS = {
    "advisor_a": 200,
    "advisor_b": 200,
    "staff_a": 200,
    "office": 200,
    "bureau": 200,
    "sysadmin": 200,
    **NOT_WORKERS,
}
SEES = {"advisor_a": 200, "advisor_b": 200, "staff_a": 200, "office": 200, "bureau": 200, "sysadmin": 200}
DISTRICT_STAFF = {"office": 200, "bureau": 200, "sysadmin": 200}
RULE_READERS = {**dict.fromkeys(USERS, 403), **DISTRICT_STAFF}


def redirects(expect: dict) -> dict:
    return {k: (302 if v == 200 else v) for k, v in expect.items()}


def _settlement(w: World, role: str, inside: bool, *, fresh: bool = False):
    from guwen.subsidy.models import Batch, Settlement

    if not inside:
        lawyer, community = w.lawyer_e, w.community_e
    elif role == "advisor_b":
        lawyer, community = w.lawyer_b, w.community_b
    else:
        lawyer, community = w.lawyer_a, w.community_a
    n = next(_months) if fresh else 0
    month = date(2020 + n // 12, n % 12 + 1, 1)
    batch, _ = Batch.objects.get_or_create(
        street=community.parent, starts_on=month, period="month", defaults={"ends_on": month.replace(day=28)}
    )
    district = community.parent.parent
    settlement, _ = Settlement.objects.get_or_create(
        lawyer=lawyer, month=month, defaults={"district": district, "community": community, "batch": batch}
    )
    return settlement


def _flag(w: World, role: str, inside: bool, kind: str = "same_person"):
    from guwen.subsidy.models import Flag

    settlement = _settlement(w, role, inside, fresh=True)
    return Flag.objects.create(
        settlement=settlement, kind=kind, key=f"k{settlement.pk}", evidence="同一当事人"
    )


def _draft_rules(w: World, role: str, inside: bool):
    from guwen.subsidy.defaults import ensure
    from guwen.subsidy.models import RuleSet
    from guwen.subsidy.services import rule_set_new_version

    ensure()
    source = RuleSet.objects.filter(district__isnull=True).first()
    return rule_set_new_version(
        source=source,
        district=w.district if inside else w.district2,
        by=w.user("sysadmin"),
        effective_from=timezone.localdate(),
    )


def _setup(w: World) -> None:
    from guwen.subsidy.defaults import ensure

    ensure()
    for key, role, inside in (("a", "advisor_a", True), ("b", "advisor_b", True), ("e", "sysadmin", False)):
        w.extras[key] = _settlement(w, role, inside)
    w.extras["rules_in"] = _draft_rules(w, "sysadmin", True)
    w.extras["rules_out"] = _draft_rules(w, "sysadmin", False)


def _pick(w: World, role: str, inside: bool):
    if not inside:
        return w.extras["e"]
    return w.extras["b"] if role == "advisor_b" else w.extras["a"]


def _run(w: World, role: str, inside: bool):
    from guwen.subsidy.models import SettlementRun

    return SettlementRun.objects.create(
        district=w.district if inside else w.district2, month=date(2020, 1, 1)
    )


def _rules(w, r, i):
    return w.extras["rules_in" if i else "rules_out"]


def _rule_body(w, r, i) -> dict:
    body = {
        "name": "新标准",
        "effective_from": timezone.localdate().isoformat(),
        "oral_percent": "50",
        "terminated_percent": "50",
        "terminated_min_grade": "major",
        "sample_percent": "10",
        "batch_period": "month",
        "require_complete_file": "on",
    }
    for item in (
        "simple",
        "ordinary",
        "major",
        "special",
        "lecture",
        "health_check",
        "opinion",
        "shift",
        "online_answer",
    ):
        body[f"amount_{item}"] = "100"
    return body


def _fee(w: World, role: str, inside: bool):
    from guwen.subsidy.models import FeeIncome

    return FeeIncome.objects.create(
        community=w.community_a if inside else w.community_e,
        firm=w.firm_a if inside else w.firm_other,
        kind="retainer",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        amount="36000.00",
    )


def _fee_body(w: World, role: str, inside: bool) -> dict:
    return {
        "community": w.community_a.pk,
        "firm": w.firm_a.pk,
        "kind": "retainer",
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "amount": "36000",
    }


RULE_EDITORS_IN = {**dict.fromkeys(USERS, 403), "bureau": 302, "sysadmin": 302}
RULE_EDITORS_OUT = {**dict.fromkeys(USERS, 403), "office": 404, "bureau": 404, "sysadmin": 302}
FLAG_DECIDERS = {
    "advisor_a": 403,
    "advisor_b": 403,
    "staff_a": 403,
    "office": 302,
    "bureau": 403,
    "sysadmin": 302,
}

ROWS: list[Row] = [
    Row("subsidy:settlement_list", "GET", lambda w, r, i: "/subsidy/", page(USERS)),
    Row(
        "subsidy:settlement_detail",
        "GET",
        lambda w, r, i: f"/subsidy/settlements/{_pick(w, r, i).pk}/",
        page(SEES),
        page(ONLY_SYSADMIN),
        setup=_setup,
    ),
    Row(
        "subsidy:statement",
        "GET",
        lambda w, r, i: f"/subsidy/settlements/{_pick(w, r, i).pk}/statement.pdf",
        page(SEES),
        page(ONLY_SYSADMIN),
        setup=_setup,
    ),
    Row(
        "subsidy:finance",
        "GET",
        lambda w, r, i: f"/subsidy/settlements/{_pick(w, r, i).pk}/finance.xlsx",
        page({"advisor_a": 403, "advisor_b": 403, "staff_a": 403, **DISTRICT_STAFF}),
        page(ONLY_SYSADMIN),
        setup=_setup,
    ),
    Row(
        "subsidy:settlement_action",
        "POST",
        lambda w, r, i: f"/subsidy/settlements/{_settlement(w, r, i, fresh=True).pk}/recompute/",
        page(
            {
                "advisor_a": 302,
                "advisor_b": 302,
                "staff_a": 403,
                "office": 302,
                "bureau": 403,
                "sysadmin": 302,
            }
        ),
        page({"sysadmin": 302}),
        body=lambda w, r, i: {"recompute-revision": "0"},
        setup=_setup,
    ),
    Row(
        "subsidy:run_create",
        "POST",
        lambda w, r, i: "/subsidy/runs/",
        page({**dict.fromkeys(USERS, 403), "office": 302, "bureau": 302, "sysadmin": 302}),
        body=lambda w, r, i: {"district": w.district.pk, "month": f"{timezone.localdate():%Y-%m}"},
    ),
    Row(
        "subsidy:run_detail",
        "GET",
        lambda w, r, i: f"/subsidy/runs/{_run(w, r, i).pk}/",
        page({**NOT_WORKERS, **DISTRICT_STAFF}),
        page({**NOT_WORKERS, "sysadmin": 200}),
    ),
    Row("subsidy:flag_list", "GET", lambda w, r, i: "/subsidy/flags/", page(USERS)),
    Row(
        "subsidy:flag_decide",
        "POST",
        lambda w, r, i: f"/subsidy/flags/{_flag(w, r, i).pk}/decide/",
        page(FLAG_DECIDERS),
        page({"sysadmin": 302}),
        body=lambda w, r, i: {"decision": "clear", "reason": "经核查属实"},
    ),
    Row(
        "subsidy:flag_callback",
        "POST",
        lambda w, r, i: f"/subsidy/flags/{_flag(w, r, i, 'callback_sample').pk}/callback/",
        page(FLAG_DECIDERS),
        page({"sysadmin": 302}),
        body=lambda w, r, i: {"result": "confirmed", "note": "当事人确认"},
    ),
    Row("subsidy:rule_list", "GET", lambda w, r, i: "/subsidy/rules/", page(RULE_READERS), setup=_setup),
    Row(
        "subsidy:rule_detail",
        "GET",
        lambda w, r, i: f"/subsidy/rules/{_rules(w, r, i).pk}/",
        page(RULE_READERS),
        page({**dict.fromkeys(USERS, 403), "office": 404, "bureau": 404, "sysadmin": 200}),
        setup=_setup,
    ),
    Row(
        "subsidy:rule_detail",
        "POST",
        lambda w, r, i: f"/subsidy/rules/{_draft_rules(w, r, i).pk}/",
        page(RULE_EDITORS_IN),
        page(RULE_EDITORS_OUT),
        body=_rule_body,
    ),
    Row(
        "subsidy:rule_copy",
        "POST",
        lambda w, r, i: f"/subsidy/rules/{_rules(w, r, i).pk}/copy/",
        page({**RULE_EDITORS_IN, "office": 403}),
        page(RULE_EDITORS_OUT),
        body=lambda w, r, i: {"effective_from": timezone.localdate().isoformat(), "district": w.district.pk},
        setup=_setup,
    ),
    Row(
        "subsidy:rule_adopt",
        "POST",
        lambda w, r, i: f"/subsidy/rules/{_draft_rules(w, r, i).pk}/adopt/",
        page(RULE_EDITORS_IN),
        page(RULE_EDITORS_OUT),
    ),
    Row("subsidy:whatif", "GET", lambda w, r, i: "/subsidy/whatif/", page(RULE_READERS)),
    Row("subsidy:fee_list", "GET", lambda w, r, i: "/subsidy/fees/", page(RULE_READERS)),
    Row(
        "subsidy:fee_list",
        "POST",
        lambda w, r, i: "/subsidy/fees/",
        page(redirects(RULE_READERS)),
        body=_fee_body,
    ),
    Row(
        "subsidy:fee_delete",
        "POST",
        lambda w, r, i: f"/subsidy/fees/{_fee(w, r, i).pk}/delete/",
        page(redirects(RULE_READERS)),
        page({**dict.fromkeys(USERS, 403), "office": 404, "bureau": 404, "sysadmin": 302}),
        body=lambda w, r, i: {"reason": "重复登记"},
    ),
    Row("api:subsidy_list_settlements", "GET", lambda w, r, i: "/api/v1/subsidy/settlements", api_route(200)),
    Row(
        "api:subsidy_get_settlement",
        "GET",
        lambda w, r, i: f"/api/v1/subsidy/settlements/{_pick(w, r, i).pk}",
        api_route(SEES),
        api_route(ONLY_SYSADMIN),
        setup=_setup,
    ),
    Row(
        "api:subsidy_finance_xlsx",
        "GET",
        lambda w, r, i: f"/api/v1/subsidy/settlements/{_pick(w, r, i).pk}/finance.xlsx",
        api_route({"advisor_a": 403, "advisor_b": 403, "staff_a": 403, **DISTRICT_STAFF}),
        api_route(ONLY_SYSADMIN),
        setup=_setup,
    ),
]
