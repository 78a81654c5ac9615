"""Correcting a party after intake: the intake's rules, the 身份证号 sealed again, an audit event,
refused once the case is filed; and the links between a case and the consultation it came from."""

from __future__ import annotations

import pytest

from guwen.core.audit import AuditEvent
from guwen.core.crypto import decrypt_text, keyed_hash
from guwen.core.errors import DomainError, refusal_status
from guwen.mediation import services
from guwen.mediation.models import Party
from guwen.mediation.tests import helpers
from guwen.testing import valid_credit_code, valid_id_number

pytestmark = pytest.mark.django_db

BASE = {"role": "applicant", "kind": "person", "name": "王小明", "sex": "male", "age": 40}


def _applicant(case) -> Party:
    return case.parties.get(role="applicant")


def test_a_corrected_id_number_is_sealed_again_and_audited(world):
    case = helpers.accepted(world)
    party = _applicant(case)
    old_hash = party.id_number_hash
    number = valid_id_number(serial=7)
    services.party_update(
        party=party, by=world.user("advisor_a"), **BASE, id_number=number, occupation="教师"
    )
    party.refresh_from_db()
    assert decrypt_text(party.id_number_encrypted) == number and number not in party.id_number_encrypted
    assert party.id_number_hash == keyed_hash(number) != old_hash
    assert party.id_number_masked == number[:6] + "********" + number[-4:]
    assert party.occupation == "教师"
    event = AuditEvent.objects.get(action="mediation_party.update")
    assert event.context["changed"] == ["id_number", "occupation"]
    assert number not in str(event.old) + str(event.new) + str(event.context)  # masked only
    assert event.new["id_number_masked"] == party.id_number_masked


def test_blank_numbers_keep_what_is_stored_and_the_boxes_remove_them(world):
    case = helpers.accepted(world)
    party = _applicant(case)
    sealed = (party.id_number_encrypted, party.phone_hash)
    services.party_update(party=party, by=world.user("staff_a"), **{**BASE, "name": "王晓明"})
    party.refresh_from_db()
    assert (party.id_number_encrypted, party.phone_hash) == sealed and party.name == "王晓明"
    services.party_update(
        party=party, by=world.user("staff_a"), **BASE, clear_id_number=True, clear_phone=True
    )
    party.refresh_from_db()
    assert party.id_number_hash == party.id_number_masked == party.phone_masked == ""


def test_an_unchanged_party_writes_no_event(world):
    case = helpers.accepted(world)
    party = _applicant(case)
    services.party_update(party=party, by=world.user("staff_a"), **BASE)
    assert not AuditEvent.objects.filter(action="mediation_party.update").exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"id_number": "110101199003071234"}, "id_number", "校验"),
        ({"name": "  "}, "name", "请填写姓名或名称"),
        ({"age": 200}, "age", "年龄应在0至130之间"),
        ({"role": "judge"}, "role", "请选择当事人身份"),
        ({"agent_name": "赵律师"}, "agent_authorisation", "授权范围"),
        ({"kind": "organisation", "credit_code": "91440300ABCDEFGHIJ"}, "credit_code", ""),
        ({"kind": "organisation"}, "credit_code", "请填写统一社会信用代码"),
    ],
)
def test_bad_values_are_refused_and_nothing_saved(world, change, field, message):
    case = helpers.accepted(world)
    party = _applicant(case)
    before = Party.objects.filter(pk=party.pk).values().get()
    with pytest.raises(DomainError) as refused:
        services.party_update(party=party, by=world.user("staff_a"), **{**BASE, **change})
    assert refused.value.field == field and message in str(refused.value)
    assert refusal_status(refused.value) == 422
    assert Party.objects.filter(pk=party.pk).values().get() == before
    assert not AuditEvent.objects.filter(action="mediation_party.update").exists()


def test_a_person_may_become_an_organisation_with_a_valid_code(world):
    case = helpers.accepted(world)
    party = _applicant(case)
    code = valid_credit_code()
    services.party_update(
        party=party,
        by=world.user("staff_a"),
        **{**BASE, "kind": "organisation", "name": "南湾某物业公司", "credit_code": code},
        representative="陈某",
    )
    party.refresh_from_db()
    assert party.credit_code == code and party.id_number_hash == "" and party.sex == "" and party.age is None


def test_editing_is_refused_once_the_case_is_closed_and_to_the_bureau(world):
    case = helpers.accepted(world)
    party = _applicant(case)
    with pytest.raises(DomainError) as refused:
        services.party_update(party=party, by=world.user("bureau"), **BASE, occupation="x")
    assert refusal_status(refused.value) == 403
    case.status = "closed"
    case.save(update_fields=["status"])
    party = Party.objects.select_related("case").get(pk=party.pk)
    with pytest.raises(DomainError) as refused:
        services.party_update(party=party, by=world.user("office"), **BASE, occupation="x")
    assert refusal_status(refused.value) == 409 and "closed" not in str(refused.value)
    assert Party.objects.get(pk=party.pk).occupation == ""


def test_the_edit_page_saves_and_shows_refusals(world, client_for):
    case = helpers.accepted(world)
    party = _applicant(case)
    client = client_for("staff_a")
    url = f"/mediation/cases/{case.pk}/parties/{party.pk}/edit/"
    page = client.get(url)
    assert page.status_code == 200
    assert party.id_number_masked in page.content.decode() and "不修改请留空" in page.content.decode()
    bad = client.post(url, {**BASE, "id_number": "123"})
    assert bad.status_code == 422 and "身份证号" in bad.content.decode()
    assert client.post(url, {**BASE, "occupation": "退休"}).status_code == 302
    assert Party.objects.get(pk=party.pk).occupation == "退休"
    detail = client.get(f"/mediation/cases/{case.pk}/").content.decode()
    assert url in detail and "修改当事人信息" in detail
    case.status = "closed"
    case.save(update_fields=["status"])
    assert client.get(url).status_code == 409
    assert client.post(url, {**BASE, "occupation": "x"}).status_code == 409
    assert url not in client.get(f"/mediation/cases/{case.pk}/").content.decode()
    other = helpers.accepted(world)
    assert client.get(f"/mediation/cases/{case.pk}/parties/{_applicant(other).pk}/edit/").status_code == 404


def test_a_case_and_its_consultation_link_to_each_other_within_scope(world, client_for):
    from guwen.consultations.services import consultation_submit

    consultation = consultation_submit(
        community=world.community_a,
        channel="web",
        text="邻居家漏水，协商不成，想申请调解。",
        phone="13800138009",
    ).consultation
    case = helpers.intake(world, source="consultation", consultation=consultation)
    office = client_for("office")
    page = office.get(f"/consultations/{consultation.pk}/").content.decode()
    assert "关联记录" in page and case.number in page and f"/mediation/cases/{case.pk}/" in page
    case_page = office.get(f"/mediation/cases/{case.pk}/").content.decode()
    assert f"/consultations/{consultation.pk}/" in case_page
