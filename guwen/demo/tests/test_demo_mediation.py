"""The mediation demo has what the pages and reports need to show: every state, all four grades,
each outcome, callbacks, overdue cases, alerted leads; closed cases with complete files; and it
loads fast and only once."""

import time

import pytest

from guwen.demo import mediation, nanwan
from guwen.mediation import selectors
from guwen.mediation.models import CaseStatus, DisputeLead, MediationCase, OutcomeKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_a_year_of_mediation(django_capture_on_commit_callbacks):
    nanwan.load()
    started = time.monotonic()
    mediation.load()
    elapsed = time.monotonic() - started
    cases = MediationCase.objects.filter(is_demo=True)
    assert set(cases.values_list("status", flat=True)) == set(CaseStatus.values)
    assert set(cases.values_list("grade_suggested", flat=True)) == {"simple", "ordinary", "major", "special"}
    assert set(cases.exclude(outcome=None).values_list("outcome__kind", flat=True)) == set(OutcomeKind.values)
    closed = cases.filter(status=CaseStatus.CLOSED)
    assert set(closed.values_list("outcome__kind", flat=True)) == set(OutcomeKind.values)
    assert all(selectors.file_completeness(case).missing == [] for case in closed)
    assert all(case.grade for case in closed)
    assert cases.filter(callbacks__isnull=False).exists()
    assert selectors.overdue_cases(cases).count() >= 2
    assert cases.filter(source="lead", lead__isnull=False).exists()
    assert DisputeLead.objects.filter(warned_at__isnull=False).exists()
    assert elapsed < 30, f"the mediation demo took {elapsed:.1f}s"
    count = cases.count()
    mediation.load()
    assert MediationCase.objects.count() == count
