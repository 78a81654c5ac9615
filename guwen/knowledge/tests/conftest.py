import pytest

from guwen.knowledge.services import laws_import

CORE_LAWS = ["labor_contract_law.md", "labor_law.md", "civil_code.md", "road_traffic_safety_law.md"]


@pytest.fixture
def statutes(db):
    """The most-cited laws, imported from the shipped copy."""
    laws_import(files=CORE_LAWS, by=None)
