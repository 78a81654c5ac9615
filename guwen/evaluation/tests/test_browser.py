"""One journey on a 390 px phone in Debian's Chromium: a resident gives a low rating through the
signed link, the office resolves the complaint it opened and reviews the advisor's appraisal."""

from __future__ import annotations

from unittest import mock

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from guwen.consultations import services as consultations
from guwen.consultations.models import Channel, Complaint
from guwen.evaluation import services
from guwen.evaluation.models import Appraisal
from guwen.testing import build_world

pytest_plugins = ["guwen.tests.browser"]

PASSWORD = "correct horse battery"


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
def test_resident_rates_low_and_the_office_resolves_and_reviews(
    live_server, transactional_db, chromium, phone, log_in, settings
):
    settings.GUWEN_WAIVE_STAFF_TOTP = True
    world = build_world()
    services.default_tables_ensure()
    with (
        mock.patch("guwen.consultations.notices.notify"),
        mock.patch("guwen.consultations.notices.notify_phone"),
    ):
        asked = consultations.consultation_submit(
            community=world.community_a,
            channel=Channel.WEB,
            text="房东不退押金怎么办？已经搬走一个月了。",
            phone="13900001111",
        ).consultation
        consultations.consultation_reply(
            consultation=asked, body="可以先书面催告，再向法院起诉。", by=world.user("advisor_a")
        )
    appraisal = services.appraisal_open(
        lawyer=world.lawyer_a, year=timezone.localdate().year, by=world.user("office")
    )

    # 1. The resident opens the rating link on a phone and gives one star.
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN")
    page = context.new_page()
    page.goto(live_server.url + consultations.rating_path(asked))
    expect(page.get_by_role("heading", level=1)).to_contain_text("评价法律顾问服务")
    assert fits_the_screen(page)
    page.get_by_label("1 星").check()
    page.get_by_label("意见建议").fill("回答太简单，没有解决问题")
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_role("status")).to_contain_text("感谢您的评价")
    context.close()

    # 2. The office sees the complaint the low rating opened, and resolves it.
    log_in("office", PASSWORD)
    phone.goto(f"{live_server.url}/evaluation/")
    phone.get_by_role("link", name="1 件差评投诉待处理").click()
    phone.get_by_role("link", name=f"法律咨询 {asked.receipt_code}").click()
    expect(phone.locator("main")).to_contain_text("回答太简单")
    assert fits_the_screen(phone)
    phone.get_by_label("处理结果").fill("已约谈律师，律师电话回访居民并补充解答。")
    phone.get_by_role("button", name="办结").click()
    expect(phone.get_by_role("status")).to_contain_text("投诉已处理")

    # 3. The office opens the advisor's appraisal, follows the evidence, and reviews it.
    phone.goto(f"{live_server.url}/evaluation/")
    phone.get_by_role("link", name="甲律师").click()
    expect(phone.locator(".indicators")).to_contain_text("居民评价")
    assert fits_the_screen(phone), "the appraisal scrolls sideways on a phone"
    phone.get_by_label("加减分").fill("-2")
    phone.get_by_label("理由").fill("公示牌信息未及时更新")
    phone.get_by_role("button", name="记录").click()
    expect(phone.get_by_role("status")).to_contain_text("已记录加减分")
    phone.get_by_label("审核意见").fill("全年工作基本到位，注意答复质量。")
    phone.get_by_role("button", name="审核通过").click()
    expect(phone.get_by_role("status")).to_contain_text("考核已审核")
    expect(phone.locator("main")).to_contain_text("全年工作基本到位")

    assert Complaint.objects.get(rating__consultation=asked).status == "resolved"
    reviewed = Appraisal.objects.get(pk=appraisal.pk)
    assert reviewed.status == "reviewed" and reviewed.grade and reviewed.score is not None
