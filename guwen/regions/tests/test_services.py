from datetime import date

import pytest

from guwen.core.errors import Conflict, DomainError
from guwen.core.models import AuditEvent
from guwen.regions import services
from guwen.regions.models import Assignment, LawFirm, Lawyer
from guwen.testing import make_lawyer, valid_credit_code, valid_id_number, valid_licence, valid_phone

pytestmark = pytest.mark.django_db


def test_firm_create_records_audit(world):
    firm = services.lawfirm_create(name="新律所", credit_code=valid_credit_code(), by=world.user("bureau"))
    event = AuditEvent.objects.get(action="lawfirm.create", object_id=str(firm.pk))
    assert event.actor == world.user("bureau")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91440300708461136X", "校验"),  # wrong check character
        ("9144030070846113", "18"),  # too short
        ("91440300708461136I", ""),  # I is not in the code's alphabet
        ("", ""),
    ],
)
def test_rejects_bad_credit_code(world, code, message):
    before = LawFirm.objects.count()
    with pytest.raises(DomainError) as exc:
        services.lawfirm_create(name="坏代码律所", credit_code=code, by=None)
    assert exc.value.field == "credit_code"
    assert message in str(exc.value.message)
    assert LawFirm.objects.count() == before


def test_rejects_duplicate_credit_code(world):
    with pytest.raises(Conflict):
        services.lawfirm_create(name="重复", credit_code=world.firm_a.credit_code, by=None)


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("licence_number", {"licence_number": "1234"}),
        ("licence_number", {"licence_number": "1440318990000001"}),  # 16 digits
        ("licence_number", {"licence_number": "14403189900000012"}),  # year 1899
        ("phone", {"phone": "12345678901"}),
        ("phone", {"phone": "1380013800"}),
        ("id_number", {"id_number": "440307199001011235"}),  # wrong check digit
        ("id_number", {"id_number": "440307199002301234"}),  # 30 February
        ("name", {"name": "  "}),
    ],
)
def test_rejects_bad_lawyer_fields(world, field, overrides):
    data = {
        "name": "新律师",
        "licence_number": valid_licence(),
        "phone": valid_phone(),
        "id_number": valid_id_number(),
    }
    data.update(overrides)
    before = Lawyer.objects.count()
    with pytest.raises(DomainError) as exc:
        services.lawyer_create(firm=world.firm_a, by=None, **data)
    assert exc.value.field == field
    assert exc.value.message
    assert Lawyer.objects.count() == before


def test_id_number_is_encrypted_hashed_and_masked(world):
    number = valid_id_number("19851231")
    lawyer = services.lawyer_create(
        name="加密",
        licence_number=valid_licence(),
        firm=world.firm_a,
        phone=valid_phone(),
        id_number=number,
        by=None,
    )
    lawyer.refresh_from_db()
    assert number not in lawyer.id_number_encrypted
    assert lawyer.id_number_masked == number[:6] + "*" * 8 + number[-4:]
    assert len(lawyer.id_number_hash) == 64


def test_full_id_number_read_is_audited(world):
    reader = world.user("bureau")
    value = services.lawyer_read_id_number(lawyer=world.lawyer_a, by=reader)
    assert len(value) == 18
    assert AuditEvent.objects.filter(action="lawyer.id_number.read", actor=reader).count() == 1


def test_rejects_duplicate_id_number(world):
    number = valid_id_number()
    make = dict(firm=world.firm_a, phone=valid_phone(), by=None, id_number=number)
    services.lawyer_create(name="一", licence_number=valid_licence(), **make)
    with pytest.raises(Conflict) as exc:
        services.lawyer_create(name="二", licence_number=valid_licence(), **make)
    assert exc.value.field == "id_number"


def test_refuses_second_primary_for_overlapping_period(world):
    other = make_lawyer(world.firm_b, "后来者")
    before = Assignment.objects.count()
    with pytest.raises(Conflict) as exc:
        services.assignment_create(
            lawyer=other, community=world.community_a, starts_on=date(2025, 3, 1), by=None
        )
    assert "主顾问" in str(exc.value.message)
    assert Assignment.objects.count() == before


def test_refuses_dated_primary_overlapping_a_closed_period(world):
    """Two dated periods that overlap are refused, not only open-ended ones."""
    services.assignment_end(assignment=world.assignment_a, ends_on=date(2025, 6, 30), by=None)
    other = make_lawyer(world.firm_b, "接任")
    with pytest.raises(Conflict):
        services.assignment_create(
            lawyer=other,
            community=world.community_a,
            starts_on=date(2025, 6, 1),
            ends_on=date(2025, 12, 31),
            by=None,
        )


def test_handover_keeps_history(world):
    services.assignment_end(assignment=world.assignment_a, ends_on=date(2025, 6, 30), by=world.user("office"))
    other = make_lawyer(world.firm_b, "接任")
    services.assignment_create(lawyer=other, community=world.community_a, starts_on=date(2025, 7, 1), by=None)
    rows = list(Assignment.objects.filter(community=world.community_a).order_by("starts_on"))
    assert [r.lawyer for r in rows] == [world.lawyer_a, other]
    assert rows[0].ends_on == date(2025, 6, 30)


def test_backup_may_overlap_primary(world):
    other = make_lawyer(world.firm_b, "备岗")
    services.assignment_create(
        lawyer=other, community=world.community_a, starts_on=date(2025, 1, 1), role="backup", by=None
    )


def test_rejects_assignment_to_a_street(world):
    with pytest.raises(DomainError) as exc:
        services.assignment_create(
            lawyer=world.lawyer_c, community=world.street, starts_on=date(2025, 1, 1), by=None
        )
    assert exc.value.field == "community"


def test_rejects_end_before_start(world):
    other = make_lawyer(world.firm_b, "倒序")
    with pytest.raises(DomainError) as exc:
        services.assignment_create(
            lawyer=other,
            community=world.community_b,
            role="backup",
            starts_on=date(2025, 5, 1),
            ends_on=date(2025, 4, 1),
            by=None,
        )
    assert exc.value.field == "ends_on"


def test_database_refuses_two_open_primaries(world):
    """The partial unique index holds even if a caller skips the service."""
    from django.db import IntegrityError, transaction

    other = make_lawyer(world.firm_b, "绕过")
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            lawyer=other,
            community=world.community_a,
            firm=world.firm_b,
            role="primary",
            starts_on=date(2026, 1, 1),
        )


@pytest.mark.django_db(transaction=True)
def test_postgres_exclusion_refuses_overlapping_dated_primaries(world):
    from django.db import IntegrityError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("exclusion constraints exist on PostgreSQL only")
    services.assignment_end(assignment=world.assignment_a, ends_on=date(2025, 6, 30), by=None)
    other = make_lawyer(world.firm_b, "绕过")
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            lawyer=other,
            community=world.community_a,
            firm=world.firm_b,
            role="primary",
            starts_on=date(2025, 6, 1),
            ends_on=date(2025, 7, 31),
        )


def test_display_name_strips_committee_suffix():
    assert services.display_name("坂田社区居委会") == "坂田社区"
    assert services.display_name("白坭坑社区居民委员会") == "白坭坑社区"
    assert services.display_name("南岭村社区居委会") == "南岭村社区"
    assert services.display_name("南湾街道") == "南湾街道"
