"""Schemathesis over the endings API only (/api/enforcement/endings/, enf-endings), per court
role, with generated ids and a real case's id: no 5xx, every status and body as the schema
says, bad input refused. The lead's enforcement fuzz covers it too once merged."""

import pytest

from tests.cases.test_api_fuzz import (  # noqa: F401 - fixtures
    _fuzz,
    raw_schema,
    wsgi_app,
)

from . import notices_fixtures
from .conftest import make_case

pytestmark = pytest.mark.fuzz

PREFIX = "/api/enforcement/endings/"
fast_pdf = notices_fixtures.fast_pdf


@pytest.fixture
def endings_schema(raw_schema):  # noqa: F811
    paths = {path: ops for path, ops in raw_schema["paths"].items() if path.startswith(PREFIX)}
    assert len(paths) >= 10, sorted(paths)
    return {**raw_schema, "paths": paths}


@pytest.mark.parametrize("role", ["officer", "president", "outsider"])
def test_endings_operations_for_role(role, eworld, endings_schema, wsgi_app, fast_pdf):  # noqa: F811
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer)

    def ids(path, user, records):
        return {"id": case.pk} if "{id}" in path else {}

    _fuzz(endings_schema, wsgi_app, getattr(eworld, role), {}, path_ids=ids)
