"""The homes of the firm admin, the association and the bureau: every figure against hand-computed
data, the scope (a firm admin sees only its own firm, the bureau only its district), no residents'
text, small groups hidden from the association, and a fixed number of queries."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guwen.consultations import overview, services
from guwen.consultations.models import Consultation, Rating
from guwen.core.workcalendar import CHINA_TZ
from guwen.duty.models import DutyShift, ShiftStatus
from guwen.regions import services as regions
from guwen.regions.models import Lawyer
from guwen.testing import make_lawyer, verified_client

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=CHINA_TZ)  # a Friday; the period is 02-19 to 03-20
SECRET = "我的邻居在楼道堆放杂物，物业不管，我可以起诉吗？"


def t(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=CHINA_TZ)


def shift(world, lawyer, community, when: datetime, status: str, held: int = 0) -> DutyShift:
    return DutyShift.objects.create(
        community=community,
        lawyer=lawyer,
        date=when.date(),
        starts_at=when,
        ends_at=when + timedelta(hours=3),
        place="社区党群服务中心",
        confirm_due=when.date() + timedelta(days=3),
        status=status,
        held_minutes=held,
    )


@pytest.fixture
def service(world, ask, time_machine):
    """Firm A's lawyer A (community A, primary) and a second firm-A lawyer posted as backup to B;
    lawyer B (firm B) serves community B. Hand-computed in the tests below."""
    time_machine.move_to(NOW, tick=False)
    a = world.user("advisor_a")
    lawyer_x = make_lawyer(world.firm_a, "戊律师")
    regions.assignment_create(
        lawyer=lawyer_x, community=world.community_b, role="backup", starts_on=t(1, 1, 0).date(), by=None
    )
    retired = make_lawyer(world.firm_a, "己律师")
    Lawyer.objects.filter(pk=retired.pk).update(is_active=False)
    # Questions: answered in time, late, escalated and answered after the first deadline, outside.
    c1 = ask(SECRET, at=t(3, 16, 10))
    services.consultation_reply(consultation=c1, body="答复一", by=a, at=t(3, 16, 11))
    c2 = ask(at=t(3, 16, 10))
    services.consultation_reply(consultation=c2, body="答复二", by=a, at=t(3, 16, 13))
    c3 = ask(at=t(3, 17, 10))
    services.consultation_escalate(consultation=c3, reason="需要协调", by=a, now=t(3, 17, 11))
    c3.refresh_from_db()
    services.consultation_claim(consultation=c3, by=a, at=t(3, 17, 12, 10))
    c3.refresh_from_db()
    services.consultation_reply(consultation=c3, body="答复三", by=a, at=t(3, 17, 12, 30))
    c4 = ask(at=t(1, 10, 10))
    services.consultation_reply(consultation=c4, body="答复四", by=a, at=t(1, 10, 10, 30))
    c5 = ask(community=world.community_b, at=t(3, 19, 10), text="公司不给交社保，我能要求补缴吗？")
    c6 = ask(community=world.community_c, at=t(3, 20, 11, 30), text="租房押金房东不退，应该怎么办？")
    ask(community=world.community_e, at=t(3, 18, 10), text="罗湖区的一个问题，关于工伤认定程序。")
    Rating.objects.create(
        consultation=c1, community=c1.community, target_id=c1.pk, score=5, created_at=t(3, 16, 12)
    )
    Rating.objects.create(
        consultation=c2, community=c2.community, target_id=c2.pk, score=3, created_at=t(3, 16, 14)
    )
    Rating.objects.create(
        consultation=c4, community=c4.community, target_id=c4.pk, score=1, created_at=t(1, 11, 9)
    )  # outside the period
    # Duty: lawyer A 3 held + 1 missed in the period, one to come, one held in January.
    for day in (2, 9, 16):
        shift(world, world.lawyer_a, world.community_a, t(3, day, 9), ShiftStatus.CONFIRMED, 180)
    shift(world, world.lawyer_a, world.community_a, t(3, 13, 9), ShiftStatus.MISSED)
    shift(world, world.lawyer_a, world.community_a, t(3, 23, 9), ShiftStatus.SCHEDULED)
    shift(world, world.lawyer_a, world.community_a, t(1, 12, 9), ShiftStatus.CONFIRMED, 180)
    for day in (3, 10):
        shift(world, world.lawyer_b, world.community_b, t(3, day, 14), ShiftStatus.COMPLETED, 150)
    shift(world, world.lawyer_e, world.community_e, t(3, 4, 9), ShiftStatus.CONFIRMED, 180)
    return {"c3": c3, "c5": c5, "c6": c6, "lawyer_x": lawyer_x}


def test_escalation_does_not_make_a_late_answer_in_time(service):
    c3 = Consultation.objects.get(pk=service["c3"].pk)
    assert (c3.first_due_at, c3.first_response_at) == (t(3, 17, 12), t(3, 17, 12, 30))


def test_firm_figures_per_lawyer(world, service, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        figures = overview.firm_figures(world.firm_a)
    assert (figures.period.start, figures.period.end) == (t(2, 19, 0).date(), t(3, 20, 0).date())
    rows = {row.lawyer.name: row for row in figures.rows}
    assert set(rows) == {"甲律师", "戊律师"}  # the inactive lawyer and firm B's lawyers are not listed
    a = rows["甲律师"]
    assert [p.community.name for p in a.postings] == ["南龙社区"]
    assert (a.shifts_due, a.shifts_held, a.shifts_missed, a.held_hours) == (4, 3, 1, Decimal("9.0"))
    assert a.attendance_rate == Decimal("75.0")
    assert (a.answered, a.answered_in_time, a.in_time_rate) == (3, 1, Decimal("33.3"))
    assert (a.rating_count, a.rating_average) == (2, Decimal("4.00"))
    x = rows["戊律师"]
    assert [(p.community.name, p.role) for p in x.postings] == [("上李朗社区", "backup")]
    assert (x.shifts_due, x.answered, x.rating_count, x.attendance_rate) == (0, 0, 0, None)
    totals = figures.totals
    assert figures.communities == 2
    assert (totals["attendance_rate"], totals["in_time_rate"], totals["rating_average"]) == (
        Decimal("75.0"),
        Decimal("33.3"),
        Decimal("4.00"),
    )


def test_the_firm_home_shows_figures_of_its_own_firm_only(world, service, django_assert_max_num_queries):
    client = verified_client(world.user("firm_admin"))
    with django_assert_max_num_queries(25):
        page = client.get("/").content.decode()
    assert "甲律师事务所：本所律师服务情况" in page
    assert "75.0%" in page and "3/4 班，9.0 小时" in page and "缺勤 1" in page
    assert "33.3%" in page and "1/3 条" in page and "4.0★" in page
    assert "戊律师" in page and "上李朗社区" in page
    assert "乙律师" not in page and "己律师" not in page  # another firm's, an inactive one
    assert SECRET not in page and "139****" not in page and "答复一" not in page


def test_district_figures_by_street(world, service, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        figures = overview.district_figures(world.district)
    rows = {row.street.name: row for row in figures.rows}
    assert list(rows) == ["南湾街道", "坂田街道"]  # by code; 罗湖区's street is not the bureau's
    s = rows["南湾街道"]
    assert (s.communities, s.covered, s.vacant) == (2, 2, 0)
    assert (s.asked, s.open_now, s.overdue) == (4, 1, 1)  # c1, c2, c3 answered; c5 open since 03-19
    assert (s.answered, s.answered_in_time, s.in_time_rate) == (3, 1, Decimal("33.3"))
    assert (s.rating_count, s.rating_average) == (2, Decimal("4.00"))
    assert (s.shifts_due, s.shifts_held, s.held_hours) == (6, 5, Decimal("14.0"))
    assert s.attendance_rate == Decimal("83.3")
    s2 = rows["坂田街道"]
    assert (s2.communities, s2.covered, s2.asked, s2.open_now, s2.overdue, s2.answered) == (1, 1, 1, 1, 0, 0)
    assert s2.in_time_rate is None and s2.shifts_due == 0


def test_the_bureau_home_is_by_street_not_by_community(world, service, django_assert_max_num_queries):
    client = verified_client(world.user("bureau"))
    with django_assert_max_num_queries(40):
        response = client.get("/")
    page = response.content.decode()
    assert "龙岗区：各街道概况" in page
    assert "南湾街道" in page and "坂田街道" in page and "桂园街道" not in page
    assert "83.3%" in page and "5/6 班，14.0 小时" in page and "超时 1" in page
    assert "社区与顾问" not in page  # the office's community-by-community table


def test_the_office_keeps_its_community_view(world, service):
    page = verified_client(world.user("office")).get("/").content.decode()
    assert "社区与顾问" in page and "各街道概况" not in page and "本所律师服务情况" not in page


@pytest.mark.parametrize("role", ["advisor_a", "staff_a", "office", "association", "outsider"])
def test_other_roles_get_no_firm_or_bureau_panel(world, service, role):
    page = verified_client(world.user(role)).get("/").content.decode()
    assert "本所律师服务情况" not in page and "各街道概况" not in page


@pytest.mark.parametrize("role", ["advisor_a", "staff_a", "office", "bureau", "firm_admin", "outsider"])
def test_only_the_association_gets_the_anonymised_figures(world, role):
    page = verified_client(world.user(role)).get("/").content.decode()
    assert "社区法律顾问服务：匿名汇总" not in page


@given(count=st.integers(min_value=0, max_value=10_000))
def test_a_group_is_hidden_exactly_when_it_has_1_to_4_members(count):
    cell = overview.Cell(count)
    assert cell.hidden == (1 <= count <= 4)
    assert str(cell) == ("<5" if cell.hidden else str(count))


# --- the association ------------------------------------------------------------------------


@pytest.fixture
def city(world, ask, time_machine):
    """January: five open questions in community A (traffic). February: two in community E (罗湖区,
    family), one answered and rated. March: six in community A (labour), five answered (four in
    time), five rated (5, 5, 4, 4, 3). Duty: three shifts held in March."""
    time_machine.move_to(NOW, tick=False)
    a = world.user("advisor_a")
    jan = [ask(at=t(1, 5 + i, 10), text="电动车被撞了，对方全责，医药费谁出？") for i in range(5)]
    Consultation.objects.filter(pk__in=[c.pk for c in jan]).update(category="交通事故")
    march = [ask(at=t(3, 2 + i, 10)) for i in range(6)]
    for i, c in enumerate(march[:5]):
        services.consultation_reply(consultation=c, body="答复", by=a, at=t(3, 2 + i, 11 if i < 4 else 15))
        Rating.objects.create(
            consultation=c,
            community=c.community,
            target_id=c.pk,
            score=[5, 5, 4, 4, 3][i],
            created_at=t(3, 2 + i, 16),
        )
    Consultation.objects.filter(pk__in=[c.pk for c in march]).update(category="劳动争议")
    family = "离婚后孩子的抚养权怎么判？"
    feb = [ask(community=world.community_e, at=t(2, 10 + i, 10), text=family) for i in range(2)]
    Consultation.objects.filter(pk__in=[c.pk for c in feb]).update(category="婚姻家庭")
    Consultation.objects.filter(pk=feb[0].pk).update(first_response_at=t(2, 10, 11))
    Rating.objects.create(
        consultation=feb[0], community=feb[0].community, target_id=feb[0].pk, score=1, created_at=t(2, 11, 9)
    )
    for day in (2, 9, 16):
        shift(world, world.lawyer_a, world.community_a, t(3, day, 9), ShiftStatus.CONFIRMED, 180)
    return jan, march, feb


def test_association_figures_by_month_category_and_district(world, city, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        figures = overview.association_figures()
    assert (figures.start, figures.end) == (t(4, 1, 0).date().replace(year=2025), NOW.date())
    months = {row.label: row for row in figures.by_month}
    assert list(months) == ["2026-01", "2026-02", "2026-03"]
    jan, feb, mar = months["2026-01"], months["2026-02"], months["2026-03"]
    assert (str(feb.asked), feb.in_time_rate, feb.rating) == ("<5", None, None)
    # February alone hidden would be the total less the others: the smallest other month goes too.
    assert (str(jan.asked), jan.in_time_rate) == ("已隐藏", None)
    assert (str(mar.asked), mar.answered, mar.answered_in_time) == ("6", 5, 4)
    assert (mar.in_time_rate, mar.rating, str(mar.ratings)) == (Decimal("80.0"), Decimal("4.20"), "5")
    assert (str(mar.shifts), mar.held_hours) == ("<5", None)  # three shifts could point at one advisor
    categories = {row.label: row for row in figures.by_category}
    assert list(categories) == ["劳动争议", "交通事故", "婚姻家庭"]
    assert (str(categories["劳动争议"].asked), categories["劳动争议"].in_time_rate) == ("6", Decimal("80.0"))
    assert str(categories["交通事故"].asked) == "已隐藏"
    assert str(categories["婚姻家庭"].asked) == "<5"
    districts = {row.label: row for row in figures.by_district}
    assert (str(districts["罗湖区"].asked), districts["罗湖区"].rating) == ("<5", None)
    assert (str(districts["龙岗区"].asked), districts["龙岗区"].rating) == ("已隐藏", None)


@given(counts=st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=12))
def test_no_table_leaves_a_lone_small_group_to_be_worked_out(counts):
    rows = [overview.GroupRow(label=f"g{i:02d}", asked=overview.Cell(n)) for i, n in enumerate(counts)]
    overview.withhold_complement(rows)
    hidden = [row for row in rows if row.asked.hidden]
    small = [row for row in rows if row.asked.small]
    assert all(row.asked.hidden for row in small)
    if len(small) == 1 and any(n >= 5 for n in counts):
        assert len(hidden) == 2
    if len(small) != 1:
        assert len(hidden) == len(small)  # nothing withheld needlessly


def test_the_association_home_hides_small_groups_and_names(world, city, django_assert_max_num_queries):
    client = verified_client(world.user("association"))
    with django_assert_max_num_queries(25):
        page = client.get("/").content.decode()
    assert "社区法律顾问服务：匿名汇总" in page
    assert "&lt;5" in page and "已隐藏" in page and "80.0%" in page and "4.2★" in page
    assert "离婚后孩子" not in page and "甲律师" not in page and "南龙社区" not in page
    assert "139****" not in page
