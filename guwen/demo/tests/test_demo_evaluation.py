"""The evaluation demo after the whole load: each Nanwan advisor's appraisal has a score, a grade
and its evidence links; a low rating's complaint resolved and some still open; community
evaluations and a survey with responses. Runs the demo once (the one demo test of evaluation)."""

import pytest
from django.core.management import call_command

from guwen.consultations.models import Complaint
from guwen.evaluation import services
from guwen.evaluation.models import Appraisal, CommunityEvaluation, SurveyResponse
from guwen.regions.models import Region
from guwen.regions.selectors import current_assignments

pytestmark = pytest.mark.django_db


def test_each_nanwan_advisor_has_a_scored_appraisal_with_evidence():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    street = Region.objects.get(code="440307012000")
    lawyers = set(current_assignments().filter(community__parent=street).values_list("lawyer_id", flat=True))
    appraisals = Appraisal.objects.filter(lawyer_id__in=lawyers)
    assert set(appraisals.values_list("lawyer_id", flat=True)) == lawyers
    scored = [services.appraisal_preview(a) for a in appraisals]
    assert sum(p.score is not None and p.grade != "" for p in scored) >= len(lawyers) - 1
    assert all(r.link.startswith("/") for p in scored for r in p.indicators)
    assert (
        Complaint.objects.filter(status="resolved").exists()
        and Complaint.objects.filter(status="open").exists()
    )
    assert CommunityEvaluation.objects.filter(community__parent=street).count() >= 14
    assert SurveyResponse.objects.filter(community__parent=street).count() >= 14 * 9
