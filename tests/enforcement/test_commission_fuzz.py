"""Schemathesis over the commission API only (/api/enforcement/commission/, enf-commission),
per court role (the sending officer, the higher court's supervisor, the receiving court's
clerk, a third court's clerk), with generated ids and a real commissioned case's id: no 5xx,
every status and body as the schema says, bad input refused."""

import pytest

from enforcement.services import commission as service
from tests.cases.test_api_fuzz import (  # noqa: F401 - fixtures
    _fuzz,
    raw_schema,
    wsgi_app,
)

from . import commission_fixtures

pytestmark = pytest.mark.fuzz

PREFIX = "/api/enforcement/commission/"
cworld = commission_fixtures.cworld


@pytest.fixture
def commission_schema(raw_schema):  # noqa: F811
    paths = {path: ops for path, ops in raw_schema["paths"].items() if path.startswith(PREFIX)}
    assert len(paths) >= 8, sorted(paths)
    return {**raw_schema, "paths": paths}


@pytest.mark.parametrize("role", ["officer", "higher_supervisor", "recv_clerk", "third_clerk"])
def test_commission_operations_for_role(role, eworld, cworld, commission_schema, wsgi_app):  # noqa: F811
    service.commission_request(case=cworld.case, actor=eworld.officer,
                               receiving_court=cworld.receiver, matters="扣押车辆")  # fmt: skip
    user = getattr(cworld, role, None) or getattr(eworld, role)

    def ids(path, user, records):
        return {"id": cworld.case.pk} if "{id}" in path else {}

    _fuzz(commission_schema, wsgi_app, user, {}, path_ids=ids)
