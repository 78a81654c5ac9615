"""A party rates a mediation case through the one resident rating link, once the mediation ended."""

from __future__ import annotations

from django.test import Client

from guwen.consultations.models import Rating, RatingKind
from guwen.consultations.services import ratings
from guwen.mediation import ratings as case_ratings
from guwen.mediation.tests.helpers import accepted, agreed
from guwen.testing import verified_client


def test_a_case_still_open_offers_no_rating(world):
    case = accepted(world)
    target = case_ratings.case_target(case)
    assert target.not_ready
    response = Client().post(ratings.rating_link(target), {"score": "5"})
    assert response.status_code == 422 and "调解结束之后才能评价" in response.content.decode()
    assert not Rating.objects.exists()


def test_an_agreed_case_is_rated_once_through_the_link_shown_on_the_case_page(world):
    case = agreed(world)
    page = verified_client(world.user("advisor_a")).get(f"/mediation/cases/{case.pk}/")
    link = page.context["rating"]["link"]
    assert link.startswith("/c/rate/") and "当事人评价" in page.content.decode()
    assert Client().post(link, {"score": "2", "comment": "调解员偏向对方"}).status_code == 200
    rating = Rating.objects.get(kind=RatingKind.MEDIATION, target_id=case.pk)
    assert rating.community == world.community_a and rating.complaint.status == "open"
    assert Client().post(link, {"score": "5"}).status_code == 409
    again = verified_client(world.user("advisor_a")).get(f"/mediation/cases/{case.pk}/")
    assert again.context["rating"]["done"] == rating and again.context["rating"]["link"] == ""


def test_mediation_figures_count_the_primary_mediators_decided_agreed_and_called_back_cases(world):
    from datetime import timedelta

    from django.utils import timezone

    from guwen.mediation import selectors

    case = agreed(world)
    mediator = case.mediators.get(is_primary=True).user_id
    today = timezone.localdate()
    figures = selectors.mediation_figures(user_id=mediator, start=today - timedelta(days=90), end=today)
    assert figures == {"decided": 1, "agreed": 1, "called_back": 0}
    assert selectors.mediation_figures(user_id=None, start=today, end=today) == {
        "decided": 0,
        "agreed": 0,
        "called_back": 0,
    }
