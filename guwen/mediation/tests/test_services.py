"""The case from intake to filing, and every refusal the issue lists: a clear Chinese message,
nothing saved."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from guwen.core.audit import AuditEvent
from guwen.core.crypto import decrypt_text, keyed_hash
from guwen.core.errors import DomainError, refusal_status
from guwen.core.workflow import TransitionNotAllowed
from guwen.mediation import services
from guwen.mediation.models import (
    CaseCounter,
    CaseStatus,
    FileItemKind,
    MediationCase,
    OutcomeKind,
    Party,
)
from guwen.mediation.selectors import file_completeness
from guwen.mediation.services.cases import allocate_serial, format_number
from guwen.mediation.tests import helpers
from guwen.testing import valid_credit_code, valid_id_number

pytestmark = pytest.mark.django_db


def test_intake_numbers_cases_per_committee_and_year(world):
    first = helpers.intake(world)
    second = helpers.intake(world)
    other = helpers.intake(world, community=world.community_b, by=world.user("advisor_b"))
    year = first.intake_on.year
    assert first.number == f"（{year}）南龙人调字第0001号"
    assert second.number == f"（{year}）南龙人调字第0002号"
    assert other.number == f"（{year}）上李朗人调字第0001号"
    assert first.status == CaseStatus.REGISTERED
    assert first.due_on >= first.intake_on + timedelta(days=30)
    assert AuditEvent.objects.filter(action="mediation_case.intake").count() == 3


def test_refused_case_number_is_never_given_again(world):
    case = helpers.intake(world)
    services.case_refuse(case=case, by=world.user("staff_a"), reason="被申请人明确表示不同意调解")
    assert MediationCase.objects.get(pk=case.pk).status == CaseStatus.REFUSED
    later = helpers.intake(world)
    assert later.serial == case.serial + 1


def test_number_collision_is_refused_by_the_constraint(world):
    case = helpers.intake(world)
    # The counter was reset by hand (a restore, a bad edit): the unique constraint still holds.
    CaseCounter.objects.filter(community=world.community_a).update(last=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        helpers.intake(world)
    assert MediationCase.objects.count() == 1
    assert MediationCase.objects.get().number == case.number


def test_serial_allocation_counts_up_in_one_transaction(world):
    with transaction.atomic():
        serials = [allocate_serial(world.community_a, 2026) for _n in range(5)]
    assert serials == [1, 2, 3, 4, 5]
    assert format_number(world.community_a, 2026, 12) == "（2026）南龙人调字第0012号"


def test_concurrent_intakes_get_different_numbers(concurrent_db):
    from django.db import connections

    from guwen.mediation import reference
    from guwen.testing import build_world

    reference.ensure()  # an earlier transactional test's flush emptied the seeded rows
    world = build_world()
    start = threading.Barrier(4)
    numbers, errors = [], []

    def take(n: int) -> None:
        try:
            start.wait()
            numbers.append(helpers.intake(world, title=f"纠纷{n}").number)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(numbers)) == 4
    assert MediationCase.objects.count() == 4
    assert CaseCounter.objects.get(community=world.community_a).last == 4


def test_written_agreement_path_closes_with_a_complete_file(world):
    case = helpers.agreed(world, "written")
    advisor, staff, office = world.user("advisor_a"), world.user("staff_a"), world.user("office")
    today = timezone.localdate()
    assert case.outcome.confirmation_deadline == case.outcome.decided_on + timedelta(days=30)
    services.confirmation_record(case=case, by=advisor, applied_on=today, note="已向龙岗区人民法院申请")
    services.performance_record(
        case=case, by=advisor, checked_on=today, item="赔偿维修费2000元", due_on=today, done=True
    )
    assert case.status == CaseStatus.PERFORMING
    services.callback_record(
        case=case,
        by=advisor,
        called_on=today,
        method="phone",
        interviewee="王小明",
        performed="yes",
        satisfaction="satisfied",
    )
    assert case.status == CaseStatus.CALLBACK_DONE
    with pytest.raises(DomainError) as refused:
        services.case_close(case=case, by=office)
    assert "卷宗缺少必须材料" in str(refused.value) and "封底" in str(refused.value)
    assert MediationCase.objects.get(pk=case.pk).status == CaseStatus.CALLBACK_DONE
    helpers.file_required(case, staff)
    assert file_completeness(case).missing == []
    services.case_close(case=case, by=office)
    assert case.status == CaseStatus.CLOSED and case.closed_at is not None


def test_oral_agreement_goes_to_callback_and_closes(world):
    case = helpers.agreed(world, "oral")
    assert case.outcome.kind == OutcomeKind.ORAL and case.outcome.confirmation_deadline is None
    services.callback_record(
        case=case,
        by=world.user("advisor_a"),
        called_on=timezone.localdate(),
        method="visit",
        interviewee="李大华",
        performed="na",
        satisfaction="basic",
    )
    helpers.file_required(case, world.user("staff_a"))
    services.case_close(case=case, by=world.user("staff_a"))
    assert case.status == CaseStatus.CLOSED


def test_terminated_case_closes(world):
    case = helpers.mediated(world)
    services.outcome_terminate(
        case=case,
        by=world.user("advisor_a"),
        decided_on=timezone.localdate(),
        reason="双方分歧较大，调解不成",
        routes_told="已告知可向人民法院起诉",
    )
    assert case.status == CaseStatus.TERMINATED
    helpers.file_required(case, world.user("staff_a"))
    services.case_close(case=case, by=world.user("office"))
    assert case.status == CaseStatus.CLOSED


def test_callback_before_agreement_is_refused(world):
    case = helpers.mediated(world)
    with pytest.raises(DomainError) as refused:
        services.callback_record(
            case=case,
            by=world.user("advisor_a"),
            called_on=timezone.localdate(),
            method="phone",
            interviewee="王小明",
            performed="yes",
            satisfaction="satisfied",
        )
    assert "尚未达成调解协议" in str(refused.value)
    assert refusal_status(refused.value) == 409
    assert case.callbacks.count() == 0


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("terms", "请填写协议内容"),
        ("performance_deadline", "请填写履行期限"),
        ("performance_method", "履行方式"),
    ],
)
def test_written_agreement_needs_terms_method_and_deadline(world, missing, message):
    case = helpers.mediated(world)
    data = {
        "kind": "written",
        "decided_on": timezone.localdate(),
        "facts": "事实",
        "terms": "赔偿2000元",
        "performance_method": "转账",
        "performance_deadline": timezone.localdate() + timedelta(days=5),
    }
    data[missing] = None if missing == "performance_deadline" else ""
    with pytest.raises(DomainError) as refused:
        services.outcome_agree(case=case, by=world.user("advisor_a"), **data)
    assert message in str(refused.value) and refused.value.field == missing
    assert MediationCase.objects.get(pk=case.pk).status == CaseStatus.MEDIATING
    assert not MediationCase.objects.filter(pk=case.pk, outcome__isnull=False).exists()


def test_bad_id_number_is_refused_and_nothing_saved(world):
    case = helpers.intake(world)
    bad = valid_id_number()[:-1] + ("0" if valid_id_number()[-1] != "0" else "1")
    with pytest.raises(DomainError) as refused:
        services.party_add(
            case=case, by=world.user("staff_a"), role="applicant", kind="person", name="张三", id_number=bad
        )
    assert refused.value.field == "id_number" and "身份证号" in str(refused.value)
    assert Party.objects.count() == 0


def test_bad_credit_code_is_refused_and_nothing_saved(world):
    case = helpers.intake(world)
    code = valid_credit_code()
    bad = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(DomainError) as refused:
        services.party_add(
            case=case,
            by=world.user("staff_a"),
            role="respondent",
            kind="organisation",
            name="某公司",
            credit_code=bad,
        )
    assert refused.value.field == "credit_code" and "统一社会信用代码" in str(refused.value)
    assert Party.objects.count() == 0
    party = services.party_add(
        case=case,
        by=world.user("staff_a"),
        role="respondent",
        kind="organisation",
        name="某公司",
        credit_code=code,
    )
    assert party.credit_code == code


def test_id_number_is_sealed_and_matched_by_keyed_hash(world):
    number = valid_id_number()
    first = helpers.intake(world)
    second = helpers.intake(world)
    for case in (first, second):
        services.party_add(
            case=case,
            by=world.user("staff_a"),
            role="applicant",
            kind="person",
            name="王小明",
            id_number=number,
        )
    party = Party.objects.filter(case=first).get()
    assert number not in party.id_number_encrypted and decrypt_text(party.id_number_encrypted) == number
    assert party.id_number_masked == number[:6] + "********" + number[-4:]
    assert Party.objects.filter(id_number_hash=keyed_hash(number)).count() == 2
    assert services.party_read_id_number(party=party, by=world.user("office")) == number
    assert AuditEvent.objects.filter(action="mediation_party.id_number.read").count() == 1


def test_rotation_finds_the_party_columns():
    from guwen.core.management.commands.rotate_data_key import sealed_columns

    labels = {(c.label, c.hash) for c in sealed_columns()}
    assert ("mediation.Party.id_number_encrypted", "id_number_hash") in labels
    assert ("mediation.Party.phone_encrypted", "phone_hash") in labels


def test_transitions_refused_for_state_and_role(world):
    case = helpers.intake(world)
    with pytest.raises(TransitionNotAllowed) as state:
        services.case_close(case=case, by=world.user("office"))
    assert refusal_status(state.value) == 409
    with pytest.raises(TransitionNotAllowed) as role:
        services.case_accept(case=case, by=world.user("bureau"))
    assert refusal_status(role.value) == 403
    assert MediationCase.objects.get(pk=case.pk).status == CaseStatus.REGISTERED


def test_only_the_cases_mediators_act_as_advisor(world):
    case = helpers.accepted(world)
    from guwen.mediation.workflow import case_roles

    assert "advisor" in case_roles(world.user("advisor_a"), case)
    assert "advisor" not in case_roles(world.user("advisor_b"), case)


def test_one_primary_mediator(world):
    case = helpers.intake(world)
    with pytest.raises(DomainError):
        services.mediators_assign(
            case=case,
            by=world.user("staff_a"),
            users=[world.user("advisor_a")],
            primary=world.user("staff_a"),
        )
    rows = services.mediators_assign(
        case=case,
        by=world.user("staff_a"),
        users=[world.user("advisor_a"), world.user("staff_a")],
        primary=world.user("advisor_a"),
    )
    assert [r.is_primary for r in rows] == [True, False]
    with pytest.raises(DomainError):
        services.mediators_assign(
            case=case,
            by=world.user("staff_a"),
            users=[world.user("advisor_b")],
            primary=world.user("advisor_b"),
        )


def test_extension_needs_consent_and_office_approval(world):
    case = helpers.accepted(world)
    due = case.due_on
    with pytest.raises(DomainError):
        services.extension_request(
            case=case, by=world.user("advisor_a"), days=15, reason="需补充证据", consent=""
        )
    ext = services.extension_request(
        case=case, by=world.user("advisor_a"), days=15, reason="需补充证据", consent="双方当事人书面同意延期"
    )
    with pytest.raises(TransitionNotAllowed):
        services.extension_decide(extension=ext, by=world.user("staff_a"), approve=True)
    services.extension_decide(extension=ext, by=world.user("office"), approve=True)
    case.refresh_from_db()
    assert case.due_on == due + timedelta(days=15)


def test_grade_suggested_by_rules_and_confirmed_with_reason(world):
    small = helpers.intake(world, amount=Decimal("500"))
    assert small.grade_suggested == "simple"
    big = helpers.intake(world, amount=Decimal("250000"))
    assert big.grade_suggested == "major"
    wage = helpers.intake(
        world, dispute_type=helpers.dispute_type("wage"), amount=Decimal("80000"), people_affected=40
    )
    assert wage.grade_suggested == "special"
    services.case_accept(case=big, by=world.user("staff_a"))
    with pytest.raises(DomainError):
        services.grade_confirm(case=big, by=world.user("office"), grade="major", reason="")
    with pytest.raises(TransitionNotAllowed):
        services.grade_confirm(case=big, by=world.user("staff_a"), grade="major", reason="金额大")
    services.grade_confirm(case=big, by=world.user("office"), grade="ordinary", reason="实际争议金额较小")
    assert big.grade == "ordinary" and big.grade_reason == "实际争议金额较小"


def test_upload_refuses_files_that_are_not_scans(world):
    import io

    case = helpers.intake(world)
    fake = io.BytesIO(b"<html>not a scan</html>")
    fake.name = "a.png"
    with pytest.raises(DomainError) as refused:
        services.file_item_upload(
            case=case, by=world.user("staff_a"), kind=FileItemKind.objects.get(number=1), upload=fake
        )
    assert refused.value.field == "file"
    assert case.file_items.count() == 0


def test_file_completeness_names_what_is_missing(world):
    case = helpers.intake(world)
    result = file_completeness(case)
    assert (result.present, result.required) == (0, 6)
    services.file_item_upload(
        case=case, by=world.user("staff_a"), kind=FileItemKind.objects.get(number=13), upload=helpers.scan()
    )
    result = file_completeness(case)
    assert (result.present, result.required) == (1, 6)
    assert "封底" not in result.missing and "人民调解协议书" in result.missing


def test_overdue_cases_are_notified_once(world, django_capture_on_commit_callbacks):
    from guwen.mediation.services.records import cases_warn_overdue
    from guwen.notifications.models import Notification

    late = helpers.accepted(world, days_ago=45)
    helpers.accepted(world, days_ago=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert cases_warn_overdue() == 1
    notes = Notification.objects.filter(event="mediation.case_overdue")
    assert {n.recipient.username for n in notes} == {"advisor_a", "office"}
    assert late.number in notes.first().title
    with django_capture_on_commit_callbacks(execute=True):
        assert cases_warn_overdue() == 0
    assert notes.count() == 2


def test_the_overdue_sweep_is_registered():
    from guwen.core import sweeps

    assert "mediation.warn_overdue" in {s.name for s in sweeps.registered()}
