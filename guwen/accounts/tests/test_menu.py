"""The work layout's menu: each role's items, every item opens for that role, and the page marks
where the user is. The browser test (guwen/tests/test_browser_menu.py) checks the same at three
screen widths; this one runs without a browser."""

from __future__ import annotations

import pytest

from guwen.accounts.context_processors import menu_items
from guwen.testing import verified_client

FIRM_WORK = ["驻点值班", "普法与体检", "区域与律师", "知识库", "评价考核", "法律法规"]
OFFICE_WORK = ["驻点值班", "人民调解", "普法与体检", "以案定补", *FIRM_WORK[2:]]
# Those who run the service in a region also read its reports (统计报表), after 以案定补.
REGION_WORK = ["驻点值班", "人民调解", "普法与体检", "以案定补", "统计报表", *FIRM_WORK[2:]]
OWN = ["我的账号"]
EXPECTED = {
    "advisor_a": ["工作台", "法律咨询", *OFFICE_WORK, *OWN],
    "staff_a": ["工作台", *REGION_WORK, *OWN],
    "office": ["工作台", "法律咨询", *REGION_WORK, "账号管理", *OWN],
    "bureau": ["工作台", "法律咨询", "咨询设置", *REGION_WORK, "账号管理", *OWN],
    "firm_admin": ["工作台", *FIRM_WORK, "账号管理", *OWN],
    "association": ["工作台", "评价考核", "法律法规", *OWN],
    "sysadmin": ["工作台", "法律咨询", "咨询设置", *REGION_WORK, "账号管理", "系统管理", *OWN],
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_gets_its_menu_and_every_item_opens(world, role):
    user = world.user(role)
    items = menu_items(user)
    assert [label for label, _url in items] == EXPECTED[role]
    client = verified_client(user)
    for label, url in items:
        response = client.get(url)
        assert response.status_code == 200, f"{role} {label} {url}: {response.status_code}"
        if label != "系统管理":
            html = response.content.decode()
            assert "退出登录" in html, f"{label}: the page has the menu"
            assert f'<a href="{url}" aria-current="page">{label}</a>' in html, f"{label} is marked"


def test_the_longest_matching_item_is_the_current_one(world):
    html = verified_client(world.user("bureau")).get("/consultations/settings/").content.decode()
    assert '<a href="/consultations/settings/" aria-current="page">' in html
    assert '<a href="/consultations/" aria-current="page">' not in html


def test_the_menu_is_not_hidden_inside_a_closed_disclosure(world):
    """A closed <details> hides its content whatever the stylesheet says: the menu must not sit in one."""
    html = verified_client(world.user("office")).get("/").content.decode()
    assert "<details" not in html.split("</header>")[0]
    assert '<nav id="site-nav"' in html


@pytest.mark.parametrize(
    ("path", "marked"),
    [("/lawyers/", "/regions/"), ("/firms/", "/regions/"), ("/accounts/password/", "/accounts/me/")],
)
def test_a_page_of_a_section_marks_its_menu_item(world, path, marked):
    """The directory's lawyer and firm lists belong to 区域与律师, the password page to 我的账号."""
    html = verified_client(world.user("office")).get(path).content.decode()
    header = html.split("</header>")[0]
    assert f'<a href="{marked}" aria-current="page">' in header
    assert header.count('aria-current="page"') == 1


def test_the_directory_lists_link_to_each_other_and_the_profile_to_the_password_page(world):
    client = verified_client(world.user("office"))
    for path in ("/regions/", "/lawyers/", "/firms/"):
        main = client.get(path).content.decode().split("</header>")[1]
        for href in ("/regions/", "/lawyers/", "/firms/"):
            assert f'href="{href}"' in main, f"{path} links to {href}"
        assert f'<a href="{path}" class="on" aria-current="page">' in main
    profile = client.get("/accounts/me/").content.decode().split("</header>")[1]
    assert 'href="/accounts/password/"' in profile
