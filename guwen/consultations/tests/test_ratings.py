"""The one resident rating mechanism: consultations and on-site bookings through the same signed
one-time link, abusive text hidden but kept, the advisor's reply, low ratings opening complaints."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from guwen.consultations import rating_targets, services
from guwen.consultations.models import Complaint, ComplaintStatus, Rating, RatingKind
from guwen.consultations.services import ratings
from guwen.core import workcalendar
from guwen.core.errors import Conflict, DomainError, NotFound
from guwen.duty.models import Booking, BookingStatus
from guwen.duty.services import booking_create
from guwen.duty.tests.helpers import make_shift

PHONE = "13900002222"


@pytest.fixture
def answered(world, ask):
    c = ask()
    services.consultation_reply(consultation=c, body="答复内容", by=world.user("advisor_a"))
    return c


@pytest.fixture
def booking(world):
    shift = make_shift(world, starts_in=timedelta(days=1))
    made = booking_create(shift=shift, name="王女士", phone=PHONE, by=None, topic="劳动合同")
    Booking.objects.filter(pk=made.pk).update(status=BookingStatus.ATTENDED)
    made.refresh_from_db()
    return made


def test_a_consultation_rating_names_its_item_community_and_advisor(world, answered):
    rating = services.consultation_rate(consultation=answered, score=5, comment="很耐心")
    assert (rating.kind, rating.target_id, rating.consultation_id) == (
        "consultation",
        answered.pk,
        answered.pk,
    )
    assert rating.community == world.community_a and rating.lawyer == world.lawyer_a
    assert not Complaint.objects.exists()


def test_links_issued_before_the_generalisation_still_rate_the_consultation(answered):
    old = signing.dumps(
        {"c": answered.pk, "r": answered.receipt_code}, salt=ratings.RATING_SALT, compress=True
    )
    assert Client().post(f"/c/rate/{old}", {"score": "4"}).status_code == 200
    assert Rating.objects.get(consultation=answered).score == 4


def test_a_forged_or_altered_link_rates_nothing(answered, booking):
    forged = signing.dumps({"k": "booking", "t": booking.pk, "r": booking.receipt_code}, salt="other")
    wrong_check = signing.dumps({"k": "booking", "t": booking.pk, "r": "XXXX"}, salt=ratings.RATING_SALT)
    unknown_kind = signing.dumps({"k": "nothing", "t": booking.pk, "r": "x"}, salt=ratings.RATING_SALT)
    for token in (forged, wrong_check, unknown_kind, "abc"):
        assert Client().post(f"/c/rate/{token}", {"score": "5"}).status_code == 404
        with pytest.raises(NotFound):
            ratings.target_from_token(token)
    assert not Rating.objects.exists()


def test_an_attended_booking_is_rated_once_from_the_lookup_page(world, booking):
    client = Client()
    found = client.post("/status/", {"phone": PHONE, "receipt_code": booking.receipt_code})
    assert found.status_code == 302
    page = client.get(found["Location"])
    assert page.status_code == 200 and booking.receipt_code in page.content.decode()
    assert client.post(found["Location"], {"score": "5", "comment": "准时"}).status_code == 200
    rating = Rating.objects.get(kind=RatingKind.BOOKING, target_id=booking.pk)
    assert (rating.score, rating.lawyer, rating.community) == (5, world.lawyer_a, world.community_a)
    again = client.post(found["Location"], {"score": "1"})
    assert again.status_code == 409 and Rating.objects.count() == 1


def test_a_booking_not_attended_cannot_be_rated_yet(booking):
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.BOOKED)
    response = Client().post("/status/", {"phone": PHONE, "receipt_code": booking.receipt_code})
    assert response.status_code == 422 and "到场咨询之后才能评价" in response.content.decode()
    target = rating_targets.find(RatingKind.BOOKING, booking.pk)
    with pytest.raises(DomainError):
        ratings.rating_submit(target=target, score=5)
    assert not Rating.objects.exists()


def test_a_wrong_phone_finds_no_booking(booking):
    response = Client().post("/status/", {"phone": "13900009999", "receipt_code": booking.receipt_code})
    assert response.status_code == 422 and "手机号或回执码不正确" in response.content.decode()


@pytest.mark.parametrize("score", [0, 6, -1, True, "5"])
def test_scores_outside_the_scale_are_refused(answered, score):
    target = rating_targets.consultation_target(answered)
    with pytest.raises(DomainError, match="1 到 5 星"):
        ratings.rating_submit(target=target, score=score)
    assert not Rating.objects.exists()


@pytest.mark.parametrize("score", ["0", "6", "x", ""])
def test_the_rating_page_refuses_bad_scores_in_chinese(answered, score):
    response = Client().post(services.rating_path(answered), {"score": score})
    assert response.status_code == 422
    assert "1 到 5 星" in response.content.decode() or "必填" in response.content.decode()
    assert not Rating.objects.exists()


def test_an_overlong_comment_is_refused(answered):
    response = Client().post(services.rating_path(answered), {"score": "3", "comment": "长" * 501})
    assert response.status_code == 422 and not Rating.objects.exists()


def test_abusive_text_is_kept_but_hidden_from_public_display(answered):
    rating = services.consultation_rate(consultation=answered, score=3, comment="这个律师就是个废物")
    assert rating.comment_hidden and rating.comment == "这个律师就是个废物" and rating.public_comment == ""


def test_a_district_adds_its_own_word(world, answered):
    from guwen.consultations.models import BlockedWord

    BlockedWord.objects.create(word="骗子", district=world.district)
    rating = services.consultation_rate(consultation=answered, score=3, comment="骗子一个")
    assert rating.comment_hidden


def test_a_low_rating_opens_a_complaint_due_in_five_working_days(world, answered):
    rating = services.consultation_rate(consultation=answered, score=2, comment="答非所问")
    complaint = rating.complaint
    assert complaint.status == ComplaintStatus.OPEN and complaint.lawyer == world.lawyer_a
    today = timezone.localdate()
    days = [today + timedelta(days=n) for n in range(1, (complaint.due_on - today).days + 1)]
    assert sum(workcalendar.is_workday(d) for d in days) == 5 and workcalendar.is_workday(complaint.due_on)
    assert not complaint.is_overdue(today) and complaint.is_overdue(complaint.due_on + timedelta(days=1))


def test_working_days_skip_the_national_day_holiday(db):
    assert ratings.add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)


def test_the_office_resolves_a_complaint_once_with_an_outcome(world, answered):
    complaint = services.consultation_rate(consultation=answered, score=1).complaint
    with pytest.raises(DomainError, match="处理结果"):
        services.complaint_resolve(complaint=complaint, by=world.user("office"), outcome="  ")
    with pytest.raises(DomainError) as refused:
        services.complaint_resolve(complaint=complaint, by=world.user("advisor_a"), outcome="已处理")
    assert refused.value.code == "forbidden_role"
    done = services.complaint_resolve(
        complaint=complaint, by=world.user("office"), outcome="已约谈律师并回访居民"
    )
    assert done.status == ComplaintStatus.RESOLVED and done.resolved_by == world.user("office")
    with pytest.raises(Conflict):
        services.complaint_resolve(complaint=complaint, by=world.user("office"), outcome="再次处理")


def test_the_rated_advisor_replies_once_and_nobody_else_may(world, answered):
    rating = services.consultation_rate(consultation=answered, score=4)
    with pytest.raises(DomainError) as refused:
        services.rating_reply(rating=rating, by=world.user("advisor_b"), text="谢谢")
    assert refused.value.code == "forbidden_role"
    with pytest.raises(DomainError, match="回复内容"):
        services.rating_reply(rating=rating, by=world.user("advisor_a"), text="")
    services.rating_reply(rating=rating, by=world.user("advisor_a"), text="谢谢您的反馈")
    assert Rating.objects.get(pk=rating.pk).reply == "谢谢您的反馈"
    with pytest.raises(Conflict):
        services.rating_reply(rating=rating, by=world.user("advisor_a"), text="再回复")


def test_appraisal_counts_read_answers_in_time_escalations_and_ratings(world, answered, ask):
    from guwen.consultations import selectors

    now = timezone.now()
    since, until = now - timedelta(days=1), now + timedelta(days=1)
    user = world.user("advisor_a")
    assert selectors.answered_in_time_counts(user_id=user.pk, start=since, end=until) == (1, 1)
    assert selectors.answered_in_time_counts(user_id=None, start=since, end=until) == (0, 0)
    ask()
    received, escalated = selectors.escalation_counts(
        community_ids=[world.community_a.pk], start=since, end=until
    )
    assert (received, escalated) == (2, 0)
    services.consultation_rate(consultation=answered, score=4)
    assert selectors.rating_figures(lawyer_id=world.lawyer_a.pk, start=since, end=until) == (
        1,
        Decimal("4.00"),
    )
    assert selectors.rating_figures(lawyer_id=world.lawyer_b.pk, start=since, end=until) == (0, None)


def test_ratings_and_complaints_follow_the_advisors_slice(world, answered):
    from guwen.consultations import selectors

    services.consultation_rate(consultation=answered, score=1)
    for role, sees in [
        ("advisor_a", 1),
        ("advisor_b", 0),
        ("staff_a", 1),
        ("office", 1),
        ("bureau", 1),
        ("firm_admin", 1),
        ("association", 0),
        ("outsider", 0),
        ("sysadmin", 1),
    ]:
        user = world.user(role)
        assert selectors.ratings_visible_to(user).count() == sees, role
        assert selectors.complaints_visible_to(user).count() == sees, role
    # The firm admin of firm B does not see firm A's lawyer's rating, though both serve the street.
    from guwen.testing import make_user

    firm_b_admin = make_user("firm_b_admin", "firm_admin", firm=world.firm_b)
    assert not selectors.ratings_visible_to(firm_b_admin).exists()
