from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured

from guwen.core.errors import Conflict, DomainError, NotFound
from guwen.core.workflow import Category, TransitionNotAllowed, Workflow

ADVISOR, OFFICE, RESIDENT = "advisor", "office", "resident"

CONSULTATION = Workflow(
    name="consultation",
    transitions={
        ("new", "claim"): ("assigned", {ADVISOR, OFFICE}),
        ("new", "withdraw"): ("closed", {RESIDENT}),
        ("assigned", "ask_resident"): ("waiting_resident", {ADVISOR}),
        ("waiting_resident", "reply"): ("assigned", {RESIDENT}),
        ("assigned", "answer"): ("answered", {ADVISOR, OFFICE}),
        ("answered", "close"): ("closed", {OFFICE}),
    },
    categories={
        "new": Category.OPEN,
        "assigned": Category.OPEN,
        "waiting_resident": Category.WAITING,
        "answered": Category.RESOLVED,
        "closed": Category.CLOSED,
    },
    action_labels={"claim": "认领", "answer": "答复"},
)


def consultation(status):
    return SimpleNamespace(status=status)


def test_target():
    assert CONSULTATION.target("new", "claim") == "assigned"
    with pytest.raises(TransitionNotAllowed):
        CONSULTATION.target("closed", "claim")


def test_allowed_actions_follow_status_and_roles_in_table_order():
    assert CONSULTATION.allowed_actions(consultation("new"), [ADVISOR]) == ["claim"]
    assert CONSULTATION.allowed_actions(consultation("new"), [RESIDENT]) == ["withdraw"]
    assert CONSULTATION.allowed_actions(consultation("new"), [ADVISOR, RESIDENT]) == ["claim", "withdraw"]
    assert CONSULTATION.allowed_actions(consultation("assigned"), {ADVISOR}) == ["ask_resident", "answer"]
    assert CONSULTATION.allowed_actions(consultation("closed"), [ADVISOR, OFFICE, RESIDENT]) == []
    assert CONSULTATION.allowed_actions(consultation("new"), []) == []


def test_require_returns_new_status():
    assert CONSULTATION.require(consultation("assigned"), "answer", [OFFICE]) == "answered"
    assert CONSULTATION.require(consultation("new"), "claim", ADVISOR) == "assigned"  # one role as a string


def test_require_refuses_wrong_status():
    with pytest.raises(TransitionNotAllowed) as info:
        CONSULTATION.require(consultation("closed"), "claim", [ADVISOR])
    assert str(info.value) == "当前状态不允许此操作"
    assert info.value.code == "invalid_state"
    assert isinstance(info.value, DomainError)


def test_require_refuses_wrong_role():
    with pytest.raises(TransitionNotAllowed) as info:
        CONSULTATION.require(consultation("answered"), "close", [ADVISOR])
    assert info.value.message == "您的角色无权执行此操作"
    assert info.value.code == "forbidden_role"


def test_single_role_string_is_not_split_into_letters():
    # A bare string counts as one role, not as the set of its letters.
    assert CONSULTATION.allowed_actions(consultation("answered"), "office") == ["close"]


def test_categories():
    assert CONSULTATION.category("waiting_resident") == Category.WAITING
    assert CONSULTATION.statuses_in(Category.OPEN) == ["new", "assigned"]
    assert CONSULTATION.statuses_in(Category.CLOSED) == ["closed"]
    with pytest.raises(ImproperlyConfigured):
        CONSULTATION.category("nonsense")


def test_action_labels_fall_back_to_the_action():
    assert CONSULTATION.action_label("claim") == "认领"
    assert CONSULTATION.action_label("close") == "close"


def test_custom_status_field():
    flow = Workflow(
        name="shift",
        transitions={("planned", "check_in"): ("on_duty", frozenset({ADVISOR}))},
        categories={"planned": Category.OPEN, "on_duty": Category.OPEN},
        status_field="state",
    )
    assert flow.require(SimpleNamespace(state="planned"), "check_in", [ADVISOR]) == "on_duty"


@pytest.mark.parametrize("missing", ["new", "answered"])
def test_every_status_needs_a_category(missing):
    categories = {"new": Category.OPEN, "answered": Category.RESOLVED}
    del categories[missing]
    with pytest.raises(ImproperlyConfigured, match=missing):
        Workflow(
            name="broken", transitions={("new", "answer"): ("answered", {ADVISOR})}, categories=categories
        )


def test_table_cannot_be_changed_after_construction():
    with pytest.raises(TypeError):
        CONSULTATION.transitions[("closed", "reopen")] = ("new", frozenset({OFFICE}))


def test_domain_errors_carry_message_field_and_code():
    error = DomainError("金额不正确", field="amount", code="bad_amount")
    assert (str(error), error.field, error.code) == ("金额不正确", "amount", "bad_amount")
    assert str(NotFound()) == "未找到该记录"
    assert isinstance(Conflict(), DomainError)
