"""Links between apps that may not import each other (mediation and outreach share a layer): a
legal-aid referral made from a mediation case, found and shown through guwen.core.links, each side
through its own scope."""

from __future__ import annotations

import pytest

from guwen.core import links
from guwen.mediation.tests import helpers
from guwen.outreach.models import LegalAidCentre, Referral

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _centre(world):
    LegalAidCentre.objects.create(district=world.district, name="龙岗区法律援助处", phone="0755-28900000")


BODY = {"category": "wages", "situation": "被拖欠工资，家庭经济困难", "hardship": "on"}


def test_a_referral_from_a_case_links_both_ways(world, client_for):
    _centre(world)
    case = helpers.accepted(world)
    advisor = client_for("advisor_a")
    page = advisor.get(f"/mediation/cases/{case.pk}/").content.decode()
    assert f"/outreach/referrals/new/?case={case.pk}" in page and "暂无关联的法律援助转介或补贴结算" in page
    form = advisor.get(f"/outreach/referrals/new/?case={case.pk}").content.decode()
    assert 'value="王小明"' in form  # the case's applicant
    done = advisor.post(
        f"/outreach/referrals/new/?case={case.pk}",
        {**BODY, "community": world.community_a.pk, "applicant": "王小明"},
    )
    assert done.status_code == 302
    referral = Referral.objects.get()
    assert referral.mediation_case_id == case.pk
    page = advisor.get(f"/mediation/cases/{case.pk}/").content.decode()
    assert f"/outreach/referrals/{referral.pk}/" in page and "法律援助转介" in page
    detail = advisor.get(f"/outreach/referrals/{referral.pk}/").content.decode()
    assert case.number in detail and f"/mediation/cases/{case.pk}/" in detail
    # Each side through its own scope: the outsider finds neither.
    outsider = world.user("outsider")
    assert links.lookup("mediation.case", outsider, case.pk) is None
    assert links.linked("mediation.case", case, outsider) == []


def test_a_case_out_of_scope_or_of_another_community_is_refused_and_nothing_saved(world, client_for):
    _centre(world)
    case = helpers.accepted(world)
    other = helpers.intake(world, community=world.community_e, by=world.user("sysadmin"))
    advisor = client_for("advisor_a")
    assert advisor.get(f"/outreach/referrals/new/?case={other.pk}").status_code == 404
    office = client_for("office")
    refused = office.post(
        f"/outreach/referrals/new/?case={case.pk}",
        {**BODY, "community": world.community_b.pk, "applicant": "王小明"},
    )
    assert refused.status_code == 422 and "来源调解案件不属于该社区" in refused.content.decode()
    assert not Referral.objects.exists()
