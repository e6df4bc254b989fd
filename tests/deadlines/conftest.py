import pytest

from organisations.roles import Role
from tests.factories import member
from tests.jobs.conftest import published  # noqa: F401


@pytest.fixture
def court_head(world):
    """The court's own supervisor: a court's clock extensions are decided within the
    courts' line, never by the city's governance centre (world.supervisor)."""
    return member(world.court, Role.SUPERVISOR, username="court_head", full_name="郑庭长")
