import pytest
from django.core.management import call_command
from django.test import Client

from guwen.accounts.models import User
from guwen.accounts.scope import regions_visible_to
from guwen.demo import nanwan
from guwen.regions.models import Assignment, LawFirm, Lawyer, Region
from guwen.regions.selectors import coverage, primary_assignment

pytestmark = pytest.mark.django_db


def test_demo_loads_nanwan_and_is_rerunnable():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = (
        Region.objects.count(),
        LawFirm.objects.count(),
        Lawyer.objects.count(),
        Assignment.objects.count(),
    )
    evaluation = _evaluation_counts()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (
        Region.objects.count(),
        LawFirm.objects.count(),
        Lawyer.objects.count(),
        Assignment.objects.count(),
    ) == counts
    street = Region.objects.get(code=nanwan.STREET)
    communities = Region.objects.filter(parent=street)
    assert communities.count() == 14
    assert communities.filter(is_village_converted=True).count() == 8
    assert set(LawFirm.objects.values_list("name", flat=True)) == set(nanwan.FIRMS)
    assert all(primary_assignment(community=c) is not None for c in communities)
    assert all(lawyer.is_demo and lawyer.name.startswith("演示") for lawyer in Lawyer.objects.all())
    check_evaluation_demo(street, evaluation)


def test_every_demo_login_works_and_sees_its_scope(settings):
    settings.GUWEN_WAIVE_STAFF_TOTP = True
    nanwan.load()
    expected_regions = {
        "admin": 17,
        "bureau": 16,
        "office": 15,
        "staff": 1,
        "advisor": 1,
        "advisor2": 1,
        "firm": 3,
        "association": 0,
    }
    for username, count in expected_regions.items():
        client = Client()
        response = client.post("/accounts/login/", {"username": username, "password": nanwan.DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert client.get("/").status_code == 200
        user = User.objects.get(username=username)
        assert regions_visible_to(user).count() == count, username
    office = User.objects.get(username="office")
    assert coverage(regions_visible_to(office)) == {"total": 14, "covered": 14, "vacant": 0}


def _evaluation_counts() -> tuple[int, ...]:
    from guwen.consultations.models import Complaint
    from guwen.evaluation.models import Appraisal, CommunityEvaluation, SurveyResponse

    return (
        Appraisal.objects.count(),
        CommunityEvaluation.objects.count(),
        SurveyResponse.objects.count(),
        Complaint.objects.filter(status="resolved").count(),
    )


def check_evaluation_demo(street: Region, counts_after_first_run: tuple[int, ...]) -> None:
    """Each Nanwan advisor's appraisal scored with evidence links; a resolved and an open complaint;
    community evaluations and survey responses; a second run added nothing."""
    from guwen.consultations.models import Complaint
    from guwen.evaluation import services
    from guwen.evaluation.models import Appraisal
    from guwen.regions.selectors import current_assignments

    assert _evaluation_counts() == counts_after_first_run
    lawyers = set(current_assignments().filter(community__parent=street).values_list("lawyer_id", flat=True))
    appraisals = Appraisal.objects.filter(lawyer_id__in=lawyers)
    assert set(appraisals.values_list("lawyer_id", flat=True)) == lawyers
    previews = [services.appraisal_preview(a) for a in appraisals]
    assert sum(p.score is not None and p.grade != "" for p in previews) >= len(lawyers) - 1
    assert all(r.link.startswith("/") for p in previews for r in p.indicators)
    assert (
        Complaint.objects.filter(status="resolved").exists()
        and Complaint.objects.filter(status="open").exists()
    )
    assert counts_after_first_run[1] >= 14 and counts_after_first_run[2] >= 14 * 9
