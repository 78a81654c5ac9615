"""The committee's address and phone (kept by staff and the office, printed on the documents), and
the reminder before an agreement's court-confirmation (司法确认) window closes."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from docx import Document

from guwen.core import sweeps
from guwen.core.audit import AuditEvent
from guwen.core.errors import DomainError, refusal_status
from guwen.mediation import services
from guwen.mediation.models import Committee, Outcome
from guwen.mediation.services.committee import confirmation_reminder_due, working_days_left
from guwen.mediation.tests import helpers

pytestmark = pytest.mark.django_db


def test_staff_keep_the_committees_address_and_phone_with_an_audit_event(world):
    committee = services.committee_update(
        community=world.community_a,
        by=world.user("staff_a"),
        address="南湾街道某社区党群服务中心二楼",
        phone="0755 2870 1234",
    )
    assert committee.phone == "0755-28701234"
    services.committee_update(
        community=world.community_a, by=world.user("office"), address="新址", phone="13800138000"
    )
    assert Committee.objects.get(community=world.community_a).address == "新址"
    events = AuditEvent.objects.filter(action="mediation_committee.update").order_by("pk")
    assert [e.new["phone"] for e in events] == ["0755-28701234", "13800138000"]
    assert events.last().old["address"] == "南湾街道某社区党群服务中心二楼"


@pytest.mark.parametrize(
    ("phone", "address", "field"),
    [
        ("12345", "", "phone"),
        ("0755-12", "", "phone"),
        ("电话号码", "", "phone"),
        ("", "地" * 121, "address"),
    ],
)
def test_bad_values_are_refused_and_nothing_saved(world, phone, address, field):
    with pytest.raises(DomainError) as refused:
        services.committee_update(
            community=world.community_a, by=world.user("staff_a"), address=address, phone=phone
        )
    assert refused.value.field == field and refusal_status(refused.value) == 422
    assert not Committee.objects.exists()


def test_an_advisor_or_another_communitys_staff_may_not(world):
    for role, community in (
        ("advisor_a", world.community_a),
        ("staff_a", world.community_b),
        ("bureau", world.community_a),
    ):
        with pytest.raises(DomainError) as refused:
            services.committee_update(community=community, by=world.user(role), phone="0755-28701234")
        assert refusal_status(refused.value) == 403
    assert not Committee.objects.exists()


def _footer(data: bytes) -> str:
    return Document(io.BytesIO(data)).sections[0].footer.paragraphs[0].text


def test_the_documents_print_the_address_and_phone_once_kept(world):
    case = helpers.accepted(world)
    advisor = world.user("advisor_a")
    _doc, stored = services.case_document_docx(case=case, name="rights_notice", by=advisor)
    from django.core.files.storage import default_storage

    with default_storage.open(stored.docx_name, "rb") as handle:
        assert _footer(handle.read()) == ""  # nothing kept yet: an empty footer, no "地址："
    services.committee_update(
        community=case.community,
        by=world.user("staff_a"),
        address="社区党群服务中心二楼",
        phone="0755-28701234",
    )
    _doc, changed = services.case_document_docx(case=case, name="rights_notice", by=advisor)
    assert changed.version != stored.version  # a new document version, not the cached one
    with default_storage.open(changed.docx_name, "rb") as handle:
        assert _footer(handle.read()) == "调委会地址：社区党群服务中心二楼　电话：0755-28701234"


def test_the_committee_page_saves_and_refuses(world, client_for):
    case = helpers.accepted(world)
    staff = client_for("staff_a")
    url = f"/mediation/committees/{world.community_a.pk}/"
    assert "填写调委会地址和电话" in staff.get(f"/mediation/cases/{case.pk}/").content.decode()
    assert staff.get(url).status_code == 200
    bad = staff.post(url, {"address": "二楼", "phone": "123"})
    assert bad.status_code == 422 and "联系电话格式不正确" in bad.content.decode()
    done = staff.post(f"{url}?case={case.pk}", {"address": "二楼", "phone": "0755-28701234"})
    assert done.status_code == 302 and done["Location"] == f"/mediation/cases/{case.pk}/"
    assert "0755-28701234" in staff.get(f"/mediation/cases/{case.pk}/").content.decode()
    assert client_for("advisor_a").get(url).status_code == 403
    assert staff.get(f"/mediation/committees/{world.community_e.pk}/").status_code == 404


# --- the court-confirmation window ---------------------------------------------------------------


def test_working_days_left_counts_both_ends_and_skips_the_weekend():
    friday, monday = date(2026, 12, 11), date(2026, 12, 14)
    assert working_days_left(friday, monday) == 2
    assert working_days_left(monday, monday) == 1
    assert working_days_left(monday + timedelta(days=1), monday) == 0


def _agreement_decided(world, decided_on: date) -> Outcome:
    case = helpers.agreed(world)
    Outcome.objects.filter(case=case).update(decided_on=decided_on)
    return Outcome.objects.select_related("case").get(case=case)


def _first_due_day(outcome: Outcome) -> date:
    day = outcome.decided_on
    while not confirmation_reminder_due(outcome, day):
        day += timedelta(days=1)
    return day


def test_reminds_once_a_few_working_days_before_the_window_closes(
    world, client_for, django_capture_on_commit_callbacks
):
    from guwen.notifications.models import Notification

    today = timezone.localdate()
    outcome = _agreement_decided(world, today - timedelta(days=40))  # placed in the past, then moved
    due_day = _first_due_day(outcome)
    deadline = outcome.confirmation_deadline
    assert (
        working_days_left(due_day, deadline) == 3
        and working_days_left(due_day - timedelta(days=1), deadline) > 3
    )
    # Move the agreement so that today is its first reminder day.
    shift = today - due_day
    Outcome.objects.filter(pk=outcome.pk).update(decided_on=outcome.decided_on + shift)
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            services.agreements_remind_confirmation(today=today - timedelta(days=1)) == 0
        )  # more than 3 working days left
        assert services.agreements_remind_confirmation(today=today) == 1
    notes = Notification.objects.filter(event="mediation.confirmation_window")
    assert {n.recipient.username for n in notes} == {"advisor_a"}
    assert outcome.case.number in notes.get().title and "司法确认" in notes.get().body
    with django_capture_on_commit_callbacks(execute=True):
        assert services.agreements_remind_confirmation(today=today) == 0  # once
    assert AuditEvent.objects.filter(action="mediation_case.confirmation_reminder").count() == 1
    page = client_for("advisor_a").get(f"/mediation/cases/{outcome.case_id}/").content.decode()
    assert "期限将届满，已于" in page
    assert "mediation.remind_confirmation" in {s.name for s in sweeps.registered()}


def test_no_reminder_when_applied_closed_window_or_oral(world):
    today = timezone.localdate()
    applied = _agreement_decided(world, today - timedelta(days=28))
    Outcome.objects.filter(pk=applied.pk).update(confirmation_applied_on=today - timedelta(days=2))
    _agreement_decided(world, today - timedelta(days=31))  # the window closed yesterday
    oral = helpers.agreed(world, kind="oral")
    Outcome.objects.filter(case=oral).update(decided_on=today - timedelta(days=28))
    assert services.agreements_remind_confirmation(today=today) == 0
    assert not Outcome.objects.filter(confirmation_reminded_at__isnull=False).exists()


def test_a_case_renders_with_its_districts_own_template(world):
    from django.core.files.storage import default_storage

    from guwen.core import documents

    out = io.BytesIO()
    custom = Document()
    custom.add_paragraph("区定制受理登记表 {{ case.number }}")
    custom.save(out)
    documents.document_template_upload(
        kind="mediation.registration", data=out.getvalue(), district_code=world.district.code, by=None
    )
    case = helpers.accepted(world)
    _doc, stored = services.case_document_docx(case=case, name="registration", by=world.user("office"))
    with default_storage.open(stored.docx_name, "rb") as handle:
        text = "\n".join(p.text for p in Document(io.BytesIO(handle.read())).paragraphs)
    assert f"区定制受理登记表 {case.number}" in text
    other = helpers.intake(world, community=world.community_e, by=world.user("sysadmin"))
    _doc, shipped = services.case_document_docx(case=other, name="registration", by=world.user("sysadmin"))
    with default_storage.open(shipped.docx_name, "rb") as handle:
        assert "区定制" not in "\n".join(p.text for p in Document(io.BytesIO(handle.read())).paragraphs)
