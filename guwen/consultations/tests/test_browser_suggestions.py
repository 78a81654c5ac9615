"""The answer box's statute suggestions in Debian's Chromium, on a phone and on a desktop: an
advisor opens a question about unpaid wages without a written contract and is offered the articles
a lawyer would cite (劳动合同法 82 for the missing contract, 30 and 85 for the wages), and inserts one
into the answer with one click."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from guwen.consultations.models import Channel
from guwen.consultations.services import consultation_submit
from guwen.knowledge.services import laws_import
from guwen.testing import build_world

pytest_plugins = ["guwen.tests.browser"]

PASSWORD = "correct horse battery"
QUESTION = "我在工地干了半年，老板一直拖欠工资不发，也没有签劳动合同，我该怎么办？"
LAWS = ["labor_contract_law.md", "labor_law.md", "civil_code.md", "migrant_worker_wage_payment_regulation.md"]


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
def test_advisor_is_offered_the_articles_a_lawyer_would_cite(
    live_server, transactional_db, chromium, phone, log_in, tmp_path
):
    world = build_world()
    laws_import(files=LAWS, by=None)
    with (
        mock.patch("guwen.consultations.notices.notify"),
        mock.patch("guwen.consultations.notices.notify_phone"),
    ):
        consultation = consultation_submit(
            community=world.community_a, channel=Channel.WEB, text=QUESTION, phone="13900001111"
        ).consultation
        log_in("advisor_a", PASSWORD)
        phone.goto(f"{live_server.url}{reverse('consultations:detail', args=[consultation.pk])}")
        panel = phone.locator(".knowledge-suggest")
        expect(panel).to_contain_text("可能适用的法条")
        items = panel.locator(".article-item strong")
        expect(items).to_have_count(5)
        shown = items.all_inner_texts()
        wanted = ("《劳动合同法》第八十二条", "《劳动合同法》第三十条", "《保障农民工工资支付条例》第十六条")
        assert set(wanted) <= set(shown)
        assert fits_the_screen(phone), "the answer box scrolls sideways on a phone"
        phone.screenshot(path=str(tmp_path / "suggest-390.png"), full_page=True)
        panel.locator('[data-insert-citation="《劳动合同法》第八十二条"]').click()
        expect(phone.get_by_label("答复内容")).to_have_value(re.compile("《劳动合同法》第八十二条"))
        phone.set_viewport_size({"width": 1280, "height": 900})
        assert fits_the_screen(phone)
        phone.screenshot(path=str(tmp_path / "suggest-1280.png"), full_page=True)
