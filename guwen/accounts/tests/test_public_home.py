"""``/`` for a visitor: find a community by street and name, the status look-up, booking and the
statutes; a signed-in user still gets their 工作台. Bad search input is a 422 with the message."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from guwen.accounts.forms import CommunityFinderForm
from guwen.regions import selectors
from guwen.regions.models import Region
from guwen.testing import build_world

pytestmark = pytest.mark.django_db


def test_a_visitor_gets_the_four_doors_and_every_community(world):
    response = Client().get("/")
    page = response.content.decode()
    assert response.status_code == 200
    for door in ("找社区顾问", "查询答复", "预约现场咨询", "法律法规", "工作人员登录"):
        assert door in page
    for community in (world.community_a, world.community_b, world.community_e):
        assert f'href="/c/{community.code}/"' in page
        assert f'href="/c/{community.code}/book/"' in page
        assert f'href="/c/{community.code}/ask"' in page
    assert 'action="/status/"' in page and 'href="/laws/"' in page
    assert "<script>" not in page  # CSP: script only from static files


def test_searching_by_name_narrows_the_list(world):
    page = Client().get("/", {"q": "南龙"}).content.decode()
    assert f"/c/{world.community_a.code}/" in page
    assert f"/c/{world.community_b.code}/" not in page
    assert "找到 1 个社区" in page


def test_searching_by_street_lists_that_streets_communities(world):
    page = Client().get("/", {"street": world.street2.code}).content.decode()
    assert f"/c/{world.community_c.code}/" in page
    assert f"/c/{world.community_a.code}/" not in page


def test_a_street_name_finds_its_communities(world):
    found = list(selectors.public_communities(query="南湾"))
    assert found == [world.community_a, world.community_b]


def test_nothing_found_says_what_to_try(world):
    response = Client().get("/", {"q": "不存在的社区"})
    assert response.status_code == 200
    assert "没有找到这个社区" in response.content.decode()


def test_inactive_communities_are_not_offered(world):
    Region.objects.filter(pk=world.community_b.pk).update(is_active=False)
    page = Client().get("/").content.decode()
    assert f"/c/{world.community_b.code}/" not in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "南" * 31}, "社区名称最多 30 个字"),
        ({"street": "999999999999"}, "请从列表中选择街道"),
        ({"q": "南\x01龙"}, "不可见的控制字符"),
    ],
)
def test_bad_search_input_is_a_422_with_the_message(world, params, message):
    response = Client().get("/", params)
    assert response.status_code == 422
    page = response.content.decode()
    assert message in page
    assert f"/c/{world.community_a.code}/book/" not in page


def test_a_signed_in_user_still_gets_their_workbench(world, client_for):
    response = client_for("office").get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "找到您的社区" not in page
    assert 'id="site-nav"' in page


class FinderInputTests(TestCase):
    """Whatever a visitor types, the finder answers 200 or 422, never an error."""

    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    @settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
    @given(q=st.text(max_size=40), street=st.one_of(st.just(""), st.text(max_size=14)))
    def test_any_query_is_answered(self, q, street):
        streets = list(selectors.public_streets())
        form = CommunityFinderForm({"q": q, "street": street}, streets=streets)
        if form.is_valid():
            found = selectors.public_communities(
                query=form.cleaned_data["q"], street_code=form.cleaned_data["street"]
            )
            assert all(c.level == "community" and c.is_active for c in found)
        else:
            assert all(message for errors in form.errors.values() for message in errors)
