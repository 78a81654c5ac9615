"""Legal-aid referral: to the district's centre, from a consultation or on its own, tracked to
accepted / refused / closed; refused in Chinese when the district has no centre configured."""

from __future__ import annotations

import pytest

from guwen.core.errors import DomainError, refusal_status
from guwen.outreach import services
from guwen.outreach.models import LegalAidCentre, Referral, ReferralStatus

pytestmark = pytest.mark.django_db


def centre(world):
    return LegalAidCentre.objects.create(
        district=world.district, name="龙岗区法律援助处", phone="0755-28900000"
    )


def refer(world, **changes):
    values = {
        "community": world.community_a,
        "applicant": "王某",
        "category": "wages",
        "hardship": True,
        "situation": "被拖欠三个月工资，家庭经济困难",
        "by": world.user("advisor_a"),
    }
    values.update(changes)
    return services.referral_create(**values)


def test_no_centre_configured_is_refused_and_nothing_saved(world):
    with pytest.raises(DomainError) as refused:
        refer(world)
    assert "尚未配置法律援助中心" in str(refused.value) and refusal_status(refused.value) == 422
    assert not Referral.objects.exists()


def test_sent_accepted_closed_and_refusal_needs_a_reason(world):
    centre(world)
    referral = refer(world)
    assert referral.status == ReferralStatus.SENT and referral.centre.name == "龙岗区法律援助处"
    with pytest.raises(DomainError) as refused:
        services.referral_move(referral=referral, action="accept", by=world.user("staff_a"))
    assert refusal_status(refused.value) == 403
    with pytest.raises(DomainError):
        services.referral_move(referral=referral, action="refuse", note="", by=world.user("advisor_a"))
    referral = services.referral_move(referral=referral, action="accept", by=world.user("advisor_a"))
    referral = services.referral_move(
        referral=referral, action="close", note="已调解结案", by=world.user("office")
    )
    assert referral.status == ReferralStatus.CLOSED and referral.closed_on is not None


def test_page_refers_and_records_the_answer(world, client_for):
    centre(world)
    advisor = client_for("advisor_a")
    body = {"community": world.community_a.pk, "applicant": "", "category": "family", "situation": "赡养纠纷"}
    bad = advisor.post("/outreach/referrals/new/", body)
    assert bad.status_code == 422 and "此项为必填项" in bad.content.decode()
    assert not Referral.objects.exists()
    assert advisor.post("/outreach/referrals/new/", {**body, "applicant": "李某"}).status_code == 302
    referral = Referral.objects.get()
    assert advisor.post(f"/outreach/referrals/{referral.pk}/accept/").status_code == 302
    page = advisor.get(f"/outreach/referrals/{referral.pk}/").content.decode()
    assert "已受理" in page and "援助结案" in page


def test_the_consultation_page_links_to_its_referral_within_scope(world, client_for):
    from guwen.consultations.services import consultation_submit

    centre(world)
    consultation = consultation_submit(
        community=world.community_a,
        channel="web",
        text="被拖欠工资三个月，请求法律援助。",
        phone="13800138010",
    ).consultation
    referral = refer(world, consultation=consultation)
    page = client_for("advisor_a").get(f"/consultations/{consultation.pk}/").content.decode()
    assert "关联记录" in page and f"/outreach/referrals/{referral.pk}/" in page and "法律援助转介" in page
