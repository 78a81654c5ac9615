"""The resident's pages: asking, bad input, status look-up without enumeration, rate limits, rating."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from guwen.consultations import services
from guwen.consultations.models import Consultation, Rating, Status
from guwen.consultations.tests.conftest import QUESTION
from guwen.testing import tiny_image

PNG = tiny_image("PNG")
JPEG = tiny_image("JPEG")
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
EXE = b"MZ\x90\x00\x03" + b"\x00" * 64


def ask_url(world) -> str:
    return f"/c/{world.community_a.code}/ask"


def status_url(world) -> str:
    return f"/c/{world.community_a.code}/status"


def form(**overrides) -> dict:
    return {"text": QUESTION, "phone": "13900001111", "consent": "on", "key": "k1", **overrides}


def test_the_ask_page_names_the_community_and_carries_a_client_key(world):
    response = Client().get(ask_url(world))
    assert response.status_code == 200
    assert "南龙社区" in response.content.decode()
    assert 'name="key"' in response.content.decode()


def test_asking_gives_a_receipt_code_and_shows_the_question(world):
    client = Client()
    response = client.post(ask_url(world), form(attachments=[SimpleUploadedFile("a.jpg", JPEG)]), follow=True)
    c = Consultation.objects.get()
    page = response.content.decode()
    assert c.receipt_code in page and QUESTION in page
    assert c.attachments.count() == 1 and c.channel == "web"


def test_a_double_submit_files_one_question(world):
    client = Client()
    client.post(ask_url(world), form())
    client.post(ask_url(world), form())
    assert Consultation.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"text": "太短"}, "text", "内容太短"),
        ({"text": "长" * 2001}, "text", "内容太长"),
        ({"text": ""}, "text", "此项为必填项"),
        ({"phone": "1234567"}, "phone", "手机号"),
        ({"phone": ""}, "phone", "此项为必填项"),
        ({"consent": ""}, "consent", "隐私说明"),
        (
            {"attachments": [SimpleUploadedFile("photo.jpg", EXE, content_type="image/jpeg")]},
            "attachments",
            "不是可接受的类型",
        ),
        (
            {"attachments": [SimpleUploadedFile("drawing.png", SVG, content_type="image/svg+xml")]},
            "attachments",
            "不是可接受的类型",
        ),
        (
            {"attachments": [SimpleUploadedFile(f"{i}.png", PNG) for i in range(6)]},
            "attachments",
            "最多上传 5 个文件",
        ),
    ],
)
def test_bad_input_is_shown_on_its_field_with_400_and_nothing_saved(world, overrides, field, message):
    data = form(**overrides)
    if data.get("consent") == "":
        del data["consent"]
    response = Client().post(ask_url(world), data)
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert Consultation.objects.count() == 0


def test_an_oversized_file_is_refused(world, settings):
    big = SimpleUploadedFile(
        "big.pdf", b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024), content_type="application/pdf"
    )
    response = Client().post(ask_url(world), form(attachments=[big]))
    assert response.status_code == 422
    assert "超过 10 MB" in " ".join(response.context["form"].errors["attachments"])
    assert Consultation.objects.count() == 0


@pytest.mark.parametrize("code", ["440307999999", "44030701200", "abcdefghijkl", "440307012000"])
def test_an_unknown_community_code_is_a_404(world, code):
    assert Client().get(f"/c/{code}/ask").status_code == 404
    assert Client().post(f"/c/{code}/ask", form()).status_code == 404


def test_repeated_submissions_from_one_address_get_429(world, settings):
    settings.GUWEN_RATE_LIMITS = {"intake": "3/9999d"}
    client = Client()
    codes = [client.post(ask_url(world), form(key=f"k{i}")).status_code for i in range(5)]
    assert codes == [302, 302, 302, 429, 429]
    assert Consultation.objects.count() == 3
    refused = client.post(ask_url(world), form(key="k9"))
    assert "过于频繁" in refused.content.decode() and int(refused["Retry-After"]) > 0
    # The count lives in the shared cache, so every web process sees it; no address in clear.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM guwen_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert keys and "127.0.0.1" not in str(keys)


def test_another_address_is_counted_separately(world, settings):
    settings.GUWEN_RATE_LIMITS = {"intake": "1/9999d"}
    assert Client(REMOTE_ADDR="10.0.0.1").post(ask_url(world), form(key="a")).status_code == 302
    assert Client(REMOTE_ADDR="10.0.0.2").post(ask_url(world), form(key="b")).status_code == 302


def test_status_lookup_shows_the_answer_and_a_rating_link(world, ask):
    c = ask()
    services.consultation_reply(
        consultation=c, body="建议先收集考勤记录和工资条。", by=world.user("advisor_a")
    )
    client = Client()
    response = client.post(
        status_url(world), {"phone": "139 0000 1111", "receipt_code": c.receipt_code.lower()}, follow=True
    )
    page = response.content.decode()
    assert "建议先收集考勤记录和工资条" in page and "/c/rate/" in page
    assert "甲律师" not in page  # the resident sees "法律顾问", not the lawyer's account


def test_a_wrong_phone_and_a_wrong_code_give_the_same_answer(world, ask):
    c = ask()
    client = Client()
    wrong_phone = client.post(status_url(world), {"phone": "13700000000", "receipt_code": c.receipt_code})
    wrong_code = client.post(status_url(world), {"phone": "13900001111", "receipt_code": "ABCDEFGH"})
    other_community = client.post(
        f"/c/{world.community_b.code}/status", {"phone": "13900001111", "receipt_code": c.receipt_code}
    )
    assert wrong_phone.status_code == wrong_code.status_code == other_community.status_code == 422
    errors = {
        tuple(r.context["lookup"].non_field_errors()) for r in (wrong_phone, wrong_code, other_community)
    }
    assert len(errors) == 1
    assert QUESTION not in wrong_phone.content.decode()


def test_status_lookups_are_rate_limited(world, settings):
    settings.GUWEN_RATE_LIMITS = {"status": "2/9999d"}
    client = Client()
    codes = [
        client.post(status_url(world), {"phone": "13900001111", "receipt_code": "ABCDEFGH"}).status_code
        for _ in range(3)
    ]
    assert codes == [422, 422, 429]


def test_a_follow_up_reopens_the_thread(world, ask):
    c = ask()
    services.consultation_reply(consultation=c, body="答复内容", by=world.user("advisor_a"))
    client = Client()
    client.post(status_url(world), {"phone": "13900001111", "receipt_code": c.receipt_code})
    response = client.post(f"{status_url(world)}/{c.pk}/message", {"text": "那如果对方一直不还钱怎么办？"})
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.status == Status.FOLLOWUP


def test_a_follow_up_too_short_is_refused_on_the_field(world, ask):
    c = ask()
    services.consultation_reply(consultation=c, body="答复内容", by=world.user("advisor_a"))
    client = Client()
    client.post(status_url(world), {"phone": "13900001111", "receipt_code": c.receipt_code})
    response = client.post(f"{status_url(world)}/{c.pk}/message", {"text": "好"})
    assert response.status_code == 400
    assert Consultation.objects.get(pk=c.pk).status == Status.ANSWERED


def test_nobody_writes_into_a_thread_they_did_not_prove(world, ask):
    c = ask()
    services.consultation_reply(consultation=c, body="答复内容", by=world.user("advisor_a"))
    assert (
        Client().post(f"{status_url(world)}/{c.pk}/message", {"text": "冒充的追问内容，试图写入"}).status_code
        == 404
    )


def test_the_rating_link_works_once_without_login(world, ask):
    c = ask()
    services.consultation_reply(consultation=c, body="答复内容", by=world.user("advisor_a"))
    url = services.rating_path(c)
    client = Client()
    assert client.get(url).status_code == 200
    bad = client.post(url, {"score": "9"})
    assert bad.status_code == 422 and "1 到 5 星" in bad.content.decode()
    assert client.post(url, {"score": "4", "comment": "很耐心"}).status_code == 200
    assert Rating.objects.get(consultation=c).score == 4
    assert client.post(url, {"score": "5"}).status_code == 409
    assert client.get(url[:-3] + "abc").status_code == 404


def test_rating_before_an_answer_is_not_offered(world, ask):
    c = ask()
    response = Client().get(services.rating_path(c))
    assert "答复后才能评价" in response.content.decode()
    assert Client().post(services.rating_path(c), {"score": "5"}).status_code == 422
