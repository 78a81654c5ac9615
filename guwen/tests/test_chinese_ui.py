"""What a person sees is Chinese: error pages (with the status each means), form labels, the admin's
third-party sections, page titles; and the site has its own icon."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.shortcuts import render
from django.template.loader import render_to_string
from django.test import Client
from django.urls import include, path
from django.utils import translation

from guwen.duty.tests.helpers import make_shift
from guwen.testing import verified_client


def _denied(request):
    raise PermissionDenied("no")


def _broken(request):
    raise RuntimeError("boom")


def _suspicious(request):
    raise SuspiciousOperation("bad")


def _throttled(request):
    return render(request, "429.html", status=429)


# The project's routes plus views that fail on purpose, so each error goes through Django's own
# handlers exactly as it would in production (DEBUG is off under pytest).
urlpatterns = [
    path("test-errors/403/", _denied),
    path("test-errors/500/", _broken),
    path("test-errors/400/", _suspicious),
    path("test-errors/429/", _throttled),
    path("", include("guwen.urls")),
]

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


class _Text(HTMLParser):
    """The text a reader sees: everything outside <script>, <style> and <head>; and every <label>."""

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self.labels: list[str] = []
        self.hidden_inputs: list[str] = []
        self._skip = 0
        self._label: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "head"}:
            self._skip += 1
        if tag == "label":
            self._label = []
        if tag == "input" and dict(attrs).get("type") == "hidden":
            self.hidden_inputs.append(dict(attrs).get("name") or "")

    def handle_endtag(self, tag):
        if tag in {"script", "style", "head"}:
            self._skip -= 1
        if tag == "label" and self._label is not None:
            self.labels.append("".join(self._label).strip())
            self._label = None

    def handle_data(self, data):
        if self._skip:
            return
        self.chunks.append(data)
        if self._label is not None:
            self._label.append(data)


def read(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    return parser


def title_of(html: str) -> str:
    match = re.search(r"<title>(.*?)</title>", html, re.S)
    assert match, "the page has no <title>"
    return match.group(1).strip()


def assert_plain_chinese_error(response, status: int, heading: str, home_label: str) -> None:
    html = response.content.decode()
    assert response.status_code == status
    card = re.search(r'<div class="card error-page".*?</div>', html, re.S)
    assert card, "the error card is on the page"
    text = " ".join(" ".join(read(card.group(0)).chunks).split())
    assert heading in text
    assert home_label in text
    assert 'href="/"' in html, "an error page links home"
    assert 'class="brand"' in html, "an error page keeps the site's layout"
    assert not LATIN_WORD.search(text), f"English on the {status} page: {text}"
    assert heading in title_of(html)


# --- error pages ------------------------------------------------------------------------------


def test_unknown_address_is_a_chinese_404_page(db):
    response = Client().get("/no-such-page/")
    assert_plain_chinese_error(response, 404, "页面不存在", "返回首页")
    assert "12348" in response.content.decode(), "a resident is told where else to ask"


def test_signed_in_404_keeps_the_menu_and_leads_back_to_the_workbench(world):
    response = verified_client(world.user("office")).get("/no-such-page/")
    assert_plain_chinese_error(response, 404, "页面不存在", "返回工作台")
    assert "退出登录" in response.content.decode()


def test_out_of_scope_record_is_the_same_chinese_404(world):
    response = verified_client(world.user("advisor_a")).get(f"/regions/{world.community_e.code}/")
    assert_plain_chinese_error(response, 404, "页面不存在", "返回工作台")


@pytest.mark.urls(__name__)
def test_permission_denied_is_a_chinese_403_page(world):
    response = verified_client(world.user("staff_a")).get("/test-errors/403/")
    assert_plain_chinese_error(response, 403, "无权操作", "返回工作台")


@pytest.mark.urls(__name__)
def test_server_error_is_a_chinese_500_page(db):
    response = Client(raise_request_exception=False).get("/test-errors/500/")
    assert_plain_chinese_error(response, 500, "系统暂时出错", "返回首页")
    assert "boom" not in response.content.decode()


@pytest.mark.urls(__name__)
def test_bad_request_is_a_chinese_400_page(db):
    assert_plain_chinese_error(Client().get("/test-errors/400/"), 400, "请求无法处理", "返回首页")


@pytest.mark.urls(__name__)
def test_throttled_page_is_a_chinese_429_page(db):
    assert_plain_chinese_error(Client().get("/test-errors/429/"), 429, "操作过于频繁", "返回首页")


def test_expired_form_is_a_chinese_403_page(db):
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x", "password": "y"})
    assert_plain_chinese_error(response, 403, "页面已过期", "返回首页")


def test_the_500_page_renders_without_a_request():
    """Django renders 500.html with no context at all: it must not need any."""
    html = render_to_string("500.html")
    assert "系统暂时出错" in html and 'href="/"' in html


# --- forms ------------------------------------------------------------------------------------


def _assert_labels_are_chinese(html: str, hidden: str) -> None:
    page = read(html)
    assert page.labels, "the form has labelled fields"
    for label in page.labels:
        assert CJK.search(label), f"label without Chinese: {label!r}"
    assert hidden in page.hidden_inputs, f"the client key {hidden!r} is a hidden input"
    assert f'for="id_{hidden}"' not in html, "a hidden input has no visible label"


def test_ask_form_has_no_english_labels(world):
    response = Client().get(f"/c/{world.community_a.code}/ask")
    assert response.status_code == 200
    _assert_labels_are_chinese(response.content.decode(), "key")


def test_booking_form_has_no_english_labels(world):
    from datetime import timedelta

    make_shift(world, starts_in=timedelta(days=2))
    response = Client().get(f"/c/{world.community_a.code}/book/")
    assert response.status_code == 200
    assert "提交预约" in response.content.decode(), "the booking form is shown"
    _assert_labels_are_chinese(response.content.decode(), "client_key")


# --- admin, titles, icon, translations --------------------------------------------------------


def test_admin_sections_are_named_in_chinese(world):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", password="x")
    html = verified_client(admin).get("/admin/").content.decode()
    sections = re.findall(r"<caption>\s*<a [^>]*>(.*?)</a>", html, re.S)
    assert len(sections) > 5
    for name in sections:
        assert CJK.search(name), f"admin section not in Chinese: {name!r}"
    models = re.findall(r'<th scope="row" id="[^"]*">\s*<a [^>]*>(.*?)</a>', html, re.S)
    assert models
    for name in models:
        assert CJK.search(name), f"admin model not in Chinese: {name!r}"


def test_page_titles_name_the_page_not_the_host(world):
    for client, url in [
        (Client(), "/accounts/login/"),
        (Client(), "/"),
        (verified_client(world.user("office")), "/"),
        (verified_client(world.user("office")), "/regions/"),
        (verified_client(world.user("office")), "/accounts/me/"),
    ]:
        title = title_of(client.get(url).content.decode())
        assert CJK.search(title), f"{url}: {title!r}"
        assert "testserver" not in title, f"{url}: the title names the host: {title!r}"


def test_favicon_is_served_locally_and_linked_from_every_page(db):
    html = Client().get("/").content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)"', html)
    assert icon and icon.group(1).startswith("/static/")
    response = Client().get(icon.group(1))
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content])[:4] == (
        b"\x00\x00\x01\x00"
    ), "an ICO file"
    assert Client().get("/favicon.ico").headers["Location"] == icon.group(1)


def test_every_project_translation_is_compiled():
    """guwen/locale's .mo must match its .po: a string added without recompiling stays English."""
    po = Path(__file__).resolve().parents[1] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    entries = re.findall(
        r'^(?:msgctxt "(.*)"\n)?msgid "(.+)"\nmsgstr "(.+)"$', po.read_text(encoding="utf-8"), re.M
    )
    assert len(entries) > 10
    with translation.override("zh-hans"):
        for context, msgid, msgstr in entries:
            found = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
            assert found == msgstr, f"{msgid!r}: run compilemessages"
