"""The transition table: every status has a category the clocks read, and buttons follow roles."""

from __future__ import annotations

from guwen.consultations import services, workflow
from guwen.consultations.models import Status
from guwen.core.workflow import Category


def test_every_status_has_a_category_and_only_open_ones_run_the_clock():
    assert set(workflow.CONSULTATION.categories) == set(Status.values)
    assert set(workflow.OPEN_STATUSES) == {Status.NEW, Status.FOLLOWUP}
    assert workflow.CONSULTATION.category(Status.WAITING_RESIDENT) == Category.WAITING


def test_buttons_follow_the_record_roles(world, ask):
    c = ask()
    assert set(workflow.allowed_actions(c, world.user("advisor_a"))) == {"reply", "ask_info", "escalate"}
    assert set(workflow.allowed_actions(c, world.user("office"))) == {"escalate", "reassign"}
    assert workflow.allowed_actions(c, world.user("advisor_b")) == []
    services.consultation_escalate(consultation=c, reason="超出能力", by=world.user("advisor_a"))
    assert "claim" in workflow.allowed_actions(c, world.user("advisor_b"))
    assert "claim" in workflow.allowed_actions(c, world.user("office"))
    assert "claim" not in workflow.allowed_actions(c, world.user("bureau"))


def test_residents_act_only_through_their_own_transitions(world, ask):
    c = ask()
    assert workflow.CONSULTATION.allowed_actions(c, {workflow.RESIDENT}) == []
    services.consultation_reply(consultation=c, body="答复内容", by=world.user("advisor_a"))
    assert workflow.CONSULTATION.allowed_actions(c, {workflow.RESIDENT}) == ["resident_followup"]
