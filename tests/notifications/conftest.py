from tests.jobs.conftest import published  # noqa: F401
