"""Pages refuse bad input with a Chinese message on the field, a 422, and nothing saved."""

import pytest

from guwen.core.models import AuditEvent
from guwen.regions.models import Assignment, LawFirm, Lawyer
from guwen.testing import make_lawyer, valid_credit_code, valid_licence, valid_phone

pytestmark = pytest.mark.django_db


def test_office_sees_its_communities_and_coverage(client_for, world):
    response = client_for("office").get("/regions/")
    text = response.content.decode()
    assert "南龙社区" in text and "上李朗社区" in text
    assert "坂田社区" not in text and "松园社区" not in text
    assert response.context["coverage"] == {"total": 2, "covered": 2, "vacant": 0}


def test_advisor_cannot_see_other_community(client_for, world):
    assert client_for("advisor_a").get(f"/regions/{world.community_b.code}/").status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("credit_code", "91440300708461136X", "校验"),
        ("credit_code", "123", "18"),
        ("name", "", "必填"),
    ],
)
def test_firm_form_rejects_bad_values(client_for, world, field, value, message):
    data = {"name": "新律所", "credit_code": valid_credit_code()}
    data[field] = value
    before = LawFirm.objects.count()
    response = client_for("bureau").post("/firms/new/", data)
    assert response.status_code == 422
    assert message in " ".join(response.context["form"].errors.get(field, []))
    assert LawFirm.objects.count() == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("licence_number", "abc", "17"),
        ("phone", "02112345678", "手机号"),
        ("id_number", "440307199013011234", "出生日期"),
        ("firm", "999999", "律师事务所"),
    ],
)
def test_lawyer_form_rejects_bad_values(client_for, world, field, value, message):
    data = {
        "name": "新律师",
        "licence_number": valid_licence(),
        "phone": valid_phone(),
        "firm": world.firm_a.pk,
    }
    data[field] = value
    before = Lawyer.objects.count()
    response = client_for("firm_admin").post("/lawyers/new/", data)
    assert response.status_code == 422
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors, errors
    assert Lawyer.objects.count() == before


def test_firm_admin_cannot_register_lawyer_for_another_firm(client_for, world):
    data = {
        "name": "越权",
        "licence_number": valid_licence(),
        "phone": valid_phone(),
        "firm": world.firm_b.pk,
    }
    response = client_for("firm_admin").post("/lawyers/new/", data)
    assert response.status_code == 422
    assert not Lawyer.objects.filter(name="越权").exists()


def test_overlapping_primary_is_refused_on_the_form(client_for, world):
    other = make_lawyer(world.firm_b, "重叠")
    before = Assignment.objects.count()
    response = client_for("office").post(
        f"/regions/{world.community_a.code}/assignments/new/",
        {"licence_number": other.licence_number, "role": "primary", "starts_on": "2026-01-01"},
    )
    assert response.status_code == 409  # a clash with an existing assignment
    assert "已有主顾问" in " ".join(response.context["form"].errors["starts_on"])
    assert Assignment.objects.count() == before


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {"licence_number": "00000000000000000", "role": "primary", "starts_on": "2026-01-01"},
            "licence_number",
        ),
        ({"licence_number": "x", "role": "primary", "starts_on": "2026-13-01"}, "starts_on"),
        ({"licence_number": "x", "role": "chief", "starts_on": "2026-01-01"}, "role"),
    ],
)
def test_assignment_form_rejects_bad_values(client_for, world, data, field):
    before = Assignment.objects.count()
    response = client_for("office").post(f"/regions/{world.community_b.code}/assignments/new/", data)
    assert response.status_code == 422
    assert response.context["form"].errors[field]
    assert Assignment.objects.count() == before


def test_office_hands_over_a_community(client_for, world):
    client = client_for("office")
    response = client.post(
        f"/assignments/{world.assignment_a.pk}/end/", {"ends_on": "2026-06-30", "reason": "合同到期"}
    )
    assert response.status_code == 302
    successor = make_lawyer(world.firm_b, "接任律师")
    response = client.post(
        f"/regions/{world.community_a.code}/assignments/new/",
        {"licence_number": successor.licence_number, "role": "primary", "starts_on": "2026-07-01"},
    )
    assert response.status_code == 302
    page = client.get(f"/regions/{world.community_a.code}/").content.decode()
    assert "接任律师" in page and "甲律师" in page  # the history stays
    assert AuditEvent.objects.filter(action="assignment.end", actor=world.user("office")).exists()


def test_end_date_before_start_is_refused(client_for, world):
    response = client_for("office").post(
        f"/assignments/{world.assignment_a.pk}/end/", {"ends_on": "2020-01-01"}
    )
    assert response.status_code == 422
    world.assignment_a.refresh_from_db()
    assert world.assignment_a.ends_on is None


def test_office_sees_masked_id_number_only(client_for, world):
    page = client_for("office").get(f"/lawyers/{world.lawyer_a.pk}/").content.decode()
    assert world.lawyer_a.id_number_masked in page
    assert "查看完整号码" not in page


def test_bureau_reveals_full_id_number_and_it_is_audited(client_for, world):
    from guwen.core.crypto import decrypt_text

    response = client_for("bureau").post(f"/lawyers/{world.lawyer_a.pk}/id-number/")
    assert response.content.decode() == decrypt_text(world.lawyer_a.id_number_encrypted)
    assert AuditEvent.objects.filter(action="lawyer.id_number.read", actor=world.user("bureau")).count() == 1


def test_lists_paginate_and_search(client_for, world):
    response = client_for("sysadmin").get("/lawyers/?q=甲")
    assert [lawyer.name for lawyer in response.context["page"]] == ["甲律师"]
    assert client_for("sysadmin").get("/regions/?page=999").status_code == 200


# --- editing a lawyer's record ---------------------------------------------------------------


def test_firm_admin_changes_a_lawyers_phone_specialties_and_id_number(client_for, world):
    from guwen.core.crypto import decrypt_text
    from guwen.testing import valid_id_number

    lawyer = world.lawyer_a
    old_phone, new_phone, id_number = lawyer.phone, valid_phone(), valid_id_number()
    page = client_for("firm_admin").get(f"/lawyers/{lawyer.pk}/edit/")
    assert page.status_code == 200 and old_phone in page.content.decode()

    response = client_for("firm_admin").post(
        f"/lawyers/{lawyer.pk}/edit/",
        {"phone": new_phone, "specialties": "劳动争议、婚姻家庭", "id_number": id_number, "is_active": "on"},
    )

    assert response.status_code == 302 and response["Location"] == f"/lawyers/{lawyer.pk}/"
    lawyer.refresh_from_db()
    assert (lawyer.phone, lawyer.is_active) == (new_phone, True)
    assert lawyer.specialty_list == ["劳动争议", "婚姻家庭"]
    assert decrypt_text(lawyer.id_number_encrypted) == id_number
    event = AuditEvent.objects.filter(action="lawyer.update", object_id=str(lawyer.pk)).get()
    # The trail keeps masked numbers and no 身份证号 at all.
    assert event.old["phone"] == f"{old_phone[:3]}****{old_phone[-4:]}"
    assert event.new["phone"] == f"{new_phone[:3]}****{new_phone[-4:]}"
    assert event.new["id_number"] == "changed"
    trail = f"{event.old} {event.new}"
    assert new_phone not in trail and old_phone not in trail and id_number not in trail


def test_a_blank_id_number_keeps_the_stored_one(client_for, world):
    from guwen.regions import services
    from guwen.testing import valid_id_number

    lawyer = world.lawyer_a
    services.lawyer_update(lawyer=lawyer, by=None, phone=lawyer.phone, id_number=valid_id_number())
    lawyer.refresh_from_db()
    sealed = lawyer.id_number_encrypted

    client_for("bureau").post(f"/lawyers/{lawyer.pk}/edit/", {"phone": lawyer.phone, "is_active": "on"})

    lawyer.refresh_from_db()
    assert lawyer.id_number_encrypted == sealed


def test_a_lawyer_leaving_post_stops_getting_questions_and_the_office_is_warned(client_for, world):
    lawyer = world.lawyer_a
    response = client_for("firm_admin").post(
        f"/lawyers/{lawyer.pk}/edit/", {"phone": lawyer.phone}, follow=True
    )

    lawyer.refresh_from_db()
    assert not lawyer.is_active
    text = response.content.decode()
    assert "已离职" in text
    assert "仍派驻在" in text and world.community_a.name in text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "02112345678", "手机号"),
        ("phone", "", "必填"),
        ("id_number", "440307199013011234", "出生日期"),
        ("specialties", "劳" * 201, "200"),
    ],
)
def test_lawyer_edit_rejects_bad_values(client_for, world, field, value, message):
    lawyer = world.lawyer_a
    before = Lawyer.objects.values().get(pk=lawyer.pk)
    data = {"phone": valid_phone(), "specialties": "劳动争议", "is_active": "on", field: value}

    response = client_for("firm_admin").post(f"/lawyers/{lawyer.pk}/edit/", data)

    assert response.status_code == 422
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors, errors
    assert Lawyer.objects.values().get(pk=lawyer.pk) == before
    assert not AuditEvent.objects.filter(action="lawyer.update").exists()


def test_an_id_number_already_on_another_lawyer_is_refused(client_for, world):
    from guwen.regions import services
    from guwen.testing import valid_id_number

    taken = valid_id_number()
    services.lawyer_update(lawyer=world.lawyer_b, by=None, phone=world.lawyer_b.phone, id_number=taken)
    before = Lawyer.objects.values().get(pk=world.lawyer_a.pk)

    response = client_for("firm_admin").post(
        f"/lawyers/{world.lawyer_a.pk}/edit/", {"phone": valid_phone(), "id_number": taken, "is_active": "on"}
    )

    assert response.status_code == 409  # a clash with another lawyer's record
    assert "已登记" in " ".join(response.context["form"].errors["id_number"])
    assert Lawyer.objects.values().get(pk=world.lawyer_a.pk) == before


def test_only_those_who_manage_the_firm_see_the_edit_link(client_for, world):
    path = f"/lawyers/{world.lawyer_a.pk}/"
    assert f"/lawyers/{world.lawyer_a.pk}/edit/" in client_for("firm_admin").get(path).content.decode()
    assert "/edit/" not in client_for("advisor_a").get(path).content.decode()
