import pytest

from guwen.knowledge import embedding
from guwen.knowledge.services import laws_import

CORE_LAWS = ["labor_contract_law.md", "labor_law.md", "civil_code.md", "road_traffic_safety_law.md"]


@pytest.fixture
def statutes(db):
    """The most-cited laws, imported from the shipped copy."""
    laws_import(files=CORE_LAWS, by=None)


def _switched(settings, on: bool):
    settings.GUWEN_TRIAGE_EMBEDDINGS = on
    embedding.forget()
    yield
    embedding.forget()


@pytest.fixture
def embeddings_on(settings):
    """The sentence embedding switched on (the tests' settings keep it off), forgotten after."""
    yield from _switched(settings, True)


@pytest.fixture
def embeddings_off(settings):
    yield from _switched(settings, False)
