"""generate_city: a small synthetic city, the same records for the same seed, a second run adding
nothing, bad options refused in Chinese, and the dashboard drawn on it for every level."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from guwen.consultations.models import Consultation, Rating
from guwen.core.crypto import decrypt_text, keyed_hash
from guwen.core.masking import mask_id_number, mask_phone
from guwen.core.models import AuditEvent
from guwen.core.validators import validate_credit_code, validate_id_number
from guwen.core.workcalendar import CHINA_TZ
from guwen.demo import city
from guwen.duty.models import DutyCheck, DutyShift
from guwen.evaluation.models import Appraisal, CommunityEvaluation, SurveyResponse
from guwen.mediation.models import Callback, DisputeType, MediationCase, Party
from guwen.mediation.selectors import case_file_missing, payable_cases
from guwen.outreach.models import Activity, ChecklistArea
from guwen.regions.models import Assignment, Level, Region
from guwen.reports.scope import default_period
from guwen.subsidy.models import Flag, Settlement, SettlementLine
from guwen.testing import make_user, verified_client

pytestmark = pytest.mark.django_db

UNTIL = date(2026, 6, 30)
NOW = datetime(2026, 7, 1, 9, 0, tzinfo=CHINA_TZ)


def _options(seed: int = 7) -> city.Options:
    return city.Options(scale=0.05, years=1, seed=seed, communities=12, until=UNTIL, divisions=None)


def _fingerprint() -> list[tuple]:
    return list(
        Consultation.objects.order_by("receipt_code").values_list(
            "receipt_code", "community__code", "created_at", "category_suggested", "status", "level"
        )
    )


@pytest.fixture
def built(time_machine):
    time_machine.move_to(NOW, tick=False)
    return city.generate(_options())


def test_builds_a_city_with_work_in_every_chosen_community(built):
    assert built.communities == 12 and built.built == 12
    # Every chosen community has its primary advisor, consultations and weekly duty.
    posted = Assignment.objects.filter(role="primary", ends_on__isnull=True)
    assert posted.count() == 12 and built.advisors >= 12
    assert Consultation.objects.values("community").distinct().count() == 12
    assert DutyShift.objects.values("community").distinct().count() == 12
    assert built.counts["duty.DutyShift"] >= 12 * 52
    assert Activity.objects.exists() and MediationCase.objects.exists()
    # Some closed consultations are rated by the resident, after they closed, by the advisor who answered.
    rated = Rating.objects.select_related("consultation")
    assert built.counts["consultations.Rating"] == rated.count() > 0
    assert Rating.objects.count() < Consultation.objects.filter(status="closed").count()
    for rating in rated:
        c = rating.consultation
        assert c.status == "closed" and rating.target_id == c.pk and rating.community_id == c.community_id
        assert c.closed_at <= rating.created_at <= NOW and 1 <= rating.score <= 5
        assert rating.lawyer.user_id == c.owner_id
    # Spread over the city's districts, not the first street's communities.
    districts = {c.parent.parent_id for c in Region.objects.filter(assignments__in=posted)}
    assert len(districts) > 1
    # Nothing after the end date is asked; the clock's future is only scheduled duty.
    assert not Consultation.objects.filter(created_at__date__gt=UNTIL).exists()
    assert not DutyShift.objects.filter(date__gt=UNTIL).exclude(status="scheduled").exists()


class _Drawn(city.Builder):
    """A builder that keeps the records it draws instead of writing them."""

    def save(self, model, rows):
        for k, row in enumerate(rows, 1):
            row.pk = row.pk or k
        self.drawn = [*getattr(self, "drawn", []), *rows]
        return rows


def _draw(community: Region, seed: int) -> list[dict]:
    lawyers = [a.lawyer for a in Assignment.objects.filter(community=community).order_by("role", "id")]
    index = city.city_communities().index(community)
    refs = city.Refs(
        types=list(DisputeType.objects.order_by("code")),
        areas=list(ChecklistArea.objects.filter(district__isnull=True).order_by("order", "pk")),
    )
    builder = _Drawn(index=index, community=community, lawyers=lawyers, options=_options(seed), refs=refs)
    builder.build()
    # A Fernet token differs at every encryption: what is compared is the text it seals.
    return [
        {
            k: decrypt_text(v) if k.endswith("_encrypted") and v else v
            for k, v in vars(row).items()
            if k != "_state"
        }
        for row in builder.drawn
    ]


def test_same_seed_same_records_and_a_second_run_adds_nothing(built):
    first = _fingerprint()
    again = city.generate(_options())
    assert again.built == 0 and again.skipped == 12 and _fingerprint() == first
    community = Region.objects.filter(assignments__isnull=False).order_by("code").first()
    drawn = _draw(community, seed=7)
    assert drawn == _draw(community, seed=7) and drawn != _draw(community, seed=8)
    # What was drawn is what was written.
    written = sorted(
        (c.receipt_code, c.created_at, c.category_suggested)
        for c in Consultation.objects.filter(community=community)
    )
    assert written == sorted(
        (row["receipt_code"], row["created_at"], row["category_suggested"])
        for row in drawn
        if "receipt_code" in row
    )


def test_command_refuses_bad_options_in_chinese():
    for args, message in [
        (["--scale", "0"], "--scale 须在 0 与 10 之间"),
        (["--years", "9"], "--years 须在 1 与 5 之间"),
        (["--communities", "0"], "--communities 至少为 1"),
        (["--until", "2026-13-01"], "日期格式应为"),
        (["--workers", "0"], "--workers 须在 1 与 16 之间"),
    ]:
        with pytest.raises(CommandError, match=message):
            call_command("generate_city", *args, stdout=StringIO(), stderr=StringIO())
    assert not Region.objects.exists()


def test_dashboard_on_the_city_at_every_level(built):
    admin = make_user("city_admin", "sysadmin")
    client = verified_client(admin)
    community = (
        Region.objects.filter(level=Level.COMMUNITY, assignments__isnull=False).order_by("code").first()
    )
    period = default_period()
    start, end = period.moments()
    for region in (community, community.parent, community.parent.parent, community.parent.parent.parent):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/api/v1/reports/summary?region={region.code}")
        assert response.status_code == 200
        body = response.json()
        figures = {f["label"]: f["value"] for s in body["sections"] for f in s["figures"]}
        asked = Consultation.objects.filter(
            community__path__startswith=region.path, created_at__gte=start, created_at__lt=end
        ).count()
        assert figures["咨询总数"] == asked > 0
        months = next(c for s in body["sections"] for c in s["charts"] if c["key"] == "consultations_month")
        assert sum(months["series"][0]["data"]) == asked
        assert len(queries) < 40
    page = client.get(f"/reports/?region={community.parent.parent.code}")
    assert page.status_code == 200 and "分区域情况" in page.content.decode()


# --- what the city adds beyond each community's own work --------------------------------------


def _small(seed: int = 3) -> city.Options:
    return city.Options(scale=0.5, years=1, seed=seed, communities=3, until=UNTIL, divisions=None)


def _history() -> dict:
    """Key values of the city-wide history: settlement totals and statuses, appraisal scores."""
    return {
        "settlements": sorted(
            (s.lawyer.licence_number, s.month, s.status, s.total, s.lines.count())
            for s in Settlement.objects.select_related("lawyer")
        ),
        "appraisals": sorted(
            (a.lawyer.licence_number, a.year, a.status, a.score, a.grade)
            for a in Appraisal.objects.select_related("lawyer")
        ),
    }


@pytest.fixture
def small(time_machine):
    time_machine.move_to(NOW, tick=False)
    return city.generate(_small())


def test_held_shifts_have_the_check_in_and_out_records_the_taps_write(small):
    held = DutyShift.objects.filter(checked_in_at__isnull=False).select_related("lawyer")
    assert held.exists() and small.counts["duty.DutyCheck"] == DutyCheck.objects.count()
    for shift in held:
        checks = {c.kind: c for c in shift.checks.all()}
        assert checks["in"].at == shift.checked_in_at and checks["in"].by_id == shift.lawyer.user_id
        assert checks["out"].at == shift.checked_out_at and checks["out"].by_id == shift.lawyer.user_id
        assert 0 <= shift.held_minutes <= 180
    assert not DutyCheck.objects.filter(shift__checked_in_at__isnull=True).exists()


def test_cases_have_parties_sealed_as_at_intake_and_what_the_subsidy_reads(small):
    cases = MediationCase.objects.all()
    assert cases.exists()
    for case in cases.prefetch_related("parties"):
        parties = list(case.parties.all())
        assert len(parties) >= 2 and {p.role for p in parties} == {"applicant", "respondent"}
    people = Party.objects.filter(kind="person")
    for party in people:
        number, phone = decrypt_text(party.id_number_encrypted), decrypt_text(party.phone_encrypted)
        validate_id_number(number)
        assert party.id_number_hash == keyed_hash(number) and party.id_number_masked == mask_id_number(number)
        assert party.phone_hash == keyed_hash(phone) and party.phone_masked == mask_phone(phone)
    for party in Party.objects.filter(kind="organisation"):
        validate_credit_code(party.credit_code)
    # A few residents came back with another dispute: the same keyed hash on two cases.
    repeated = people.values("id_number_hash").annotate(n=Count("case", distinct=True)).filter(n__gt=1)
    assert repeated.exists()
    city_path = Region.objects.get(level=Level.CITY).path
    payable = payable_cases(region_path=city_path, start=date(2025, 7, 1), end=UNTIL)
    assert payable and all(len(c.party_hashes) >= 1 for c in payable)
    complete = [c for c in payable if c.file_complete and c.callback_done]
    assert 0.5 * len(payable) < len(complete) < len(payable)


def test_past_months_are_settled_by_the_service_and_older_ones_paid_along_the_chain(small):
    settlements = Settlement.objects.all()
    months = sorted(set(settlements.values_list("month", flat=True)))
    # The twelve months before the current one that fall in the period (it began in July 2025).
    assert months == [date(2025, m, 1) for m in range(7, 13)] + [date(2026, m, 1) for m in range(1, 6)]
    paid = settlements.filter(status="paid")
    assert set(paid.values_list("month", flat=True)) == set(months[:-2])
    assert set(settlements.exclude(status="paid").values_list("status", flat=True)) == {"draft"}
    assert small.counts["subsidy.Settlement (paid)"] == paid.count()
    assert paid.filter(total__gt=0).exists()
    for settlement in paid:
        assert settlement.finance_reference and settlement.paid_on <= UNTIL
        assert settlement.total == sum(settlement.lines.values_list("amount", flat=True), Decimal(0))
        actions = list(
            AuditEvent.objects.filter(object_type="subsidy.settlement", object_id=str(settlement.pk))
            .order_by("pk")
            .values_list("action", flat=True)
        )
        steps = ["submit", "confirm", "review", "approve", "pay"]
        assert actions == ["subsidy.settlement.compute"] + [f"subsidy.settlement.{s}" for s in steps]
        assert not settlement.flags.filter(status="open").exists()
    # A paid case line is a closed case with its file complete and its callback done.
    lines = SettlementLine.objects.filter(settlement__status="paid", kind="case", amount__gt=0)
    assert lines.exists()
    for line in lines:
        assert not case_file_missing(line.record_pk)
        assert Callback.objects.filter(case_id=line.record_pk).exists()


def test_every_advisor_is_appraised_each_year_past_years_reviewed(small):
    lawyers = {a.lawyer_id for a in Assignment.objects.filter(ends_on__isnull=True)}
    appraisals = Appraisal.objects.all()
    assert {(a.lawyer_id, a.year) for a in appraisals} == {(lw, y) for lw in lawyers for y in (2025, 2026)}
    for appraisal in appraisals.filter(year=2025):
        assert appraisal.status == "reviewed" and appraisal.scheme is not None and appraisal.indicators
        assert appraisal.score is not None and appraisal.grade
    assert set(appraisals.filter(year=2026).values_list("status", flat=True)) == {"draft"}
    # Surveys and the community's evaluation every quarter that ended in the period.
    for community in Region.objects.filter(assignments__isnull=False):
        quarters = set(SurveyResponse.objects.filter(community=community).values_list("year", "quarter"))
        assert quarters == {(2025, 3), (2025, 4), (2026, 1), (2026, 2)}
        evaluated = CommunityEvaluation.objects.filter(community=community)
        assert set(evaluated.values_list("year", "quarter")) == quarters


def test_city_history_is_the_same_again_and_a_second_run_skips_it(small):
    first = _history()
    again = city.generate(_small())
    assert again.built == 0 and again.counts["subsidy.Settlement"] == 0
    assert again.counts["evaluation.Appraisal"] == 0 and _history() == first
    # Computed again from the same records, the history comes out the same.
    Flag.objects.all().delete()
    SettlementLine.objects.all().delete()
    Settlement.objects.all().delete()
    Appraisal.objects.all().delete()
    redone = city.generate(_small())
    assert redone.counts["subsidy.Settlement"] == small.counts["subsidy.Settlement"]
    assert _history() == first
