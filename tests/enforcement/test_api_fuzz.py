"""Schemathesis over the enforcement API, per court role (as tests/cases/test_api_fuzz.py
does for the whole schema with the street centre's people): every operation under
/api/enforcement/, schema-valid and schema-violating requests, first with generated ids
and then with a real case's id the role may or may not see. No 5xx, every status and body
as the schema says, bad input refused. Other parts' endpoints under /api/enforcement/ are
fuzzed here too once merged; `enforcement_fuzz_ids` is where their real records go."""

import pytest

from tests.cases.test_api_fuzz import (  # noqa: F401 - fixtures
    _fuzz,
    raw_schema,
    wsgi_app,
)

from . import notices_fixtures
from .conftest import add_party, make_case
from .workbench_fixtures import start_clock

pytestmark = pytest.mark.fuzz

PREFIX = "/api/enforcement/"
fast_pdf = notices_fixtures.fast_pdf


def enforcement_fuzz_ids(eworld) -> dict:
    """Real records by path prefix (for the id-bound pass): the lead adds the other
    parts' records (bases, controls, fund entries …) here at merge."""
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer, is_livelihood=True)
    add_party(case, role="debtor", name="钱保证", phone="13912345678")
    start_clock(case, "enforcement.notice_issue", actor=eworld.clerk, due_in_days=2)
    return {"/api/enforcement/cases/": case.pk, **notices_fuzz_ids(eworld)}


def notices_fuzz_ids(eworld) -> dict:
    """enf-notices: a case of its own with a notice and an order issued, one service record,
    one report."""
    from django.utils import timezone

    from enforcement.services.asset_reports import asset_report_receive
    from enforcement.services.notice_service import service_record
    from enforcement.services.notices import notices_issue

    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    notice, order = notices_issue(
        case=case, kinds=["execution_notice", "asset_report_order"], actor=eworld.officer
    )
    debtor = case.case_parties.filter(role="debtor").first()
    record = service_record(notice=notice, recipient=debtor, actor=eworld.officer,
                            method="direct", receipt_name=debtor.name,
                            served_on=timezone.localdate())  # fmt: skip
    report = asset_report_receive(order=order, debtor=debtor, actor=eworld.officer,
                                  received_on=timezone.localdate(), summary="无")  # fmt: skip
    return {
        "/api/enforcement/case-notices/": case.pk,
        "/api/enforcement/notices/": order.pk,
        "/api/enforcement/service-records/": record.pk,
        "/api/enforcement/asset-reports/": report.pk,
    }


@pytest.fixture
def enforcement_schema(raw_schema):  # noqa: F811
    paths = {path: ops for path, ops in raw_schema["paths"].items() if path.startswith(PREFIX)}
    assert paths, "the enforcement API is in the schema"
    return {**raw_schema, "paths": paths}


def _ids_for(path: str, user, records) -> dict:
    if "{id}" not in path:
        return {}
    for prefix, pk in records.items():
        if path.startswith(prefix):
            return {"id": pk}
    return {}


@pytest.mark.parametrize("role", ["clerk", "officer", "president", "outsider"])
def test_enforcement_operations_for_role(role, eworld, enforcement_schema, wsgi_app, fast_pdf):  # noqa: F811
    records = enforcement_fuzz_ids(eworld)
    _fuzz(enforcement_schema, wsgi_app, getattr(eworld, role), records, path_ids=_ids_for)
