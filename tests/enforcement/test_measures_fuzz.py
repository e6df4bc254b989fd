"""Schemathesis over the measures, objections and campaigns API (the paths of this part
only, with real records for the id-bound pass), for the officer, the president and another
court's clerk: no 5xx, every status and body as the schema says, bad input refused. The
lead may fold `measures_fuzz_ids` into test_api_fuzz.py's `enforcement_fuzz_ids` at merge."""

from decimal import Decimal

import pytest

from tests.cases.test_api_fuzz import (  # noqa: F401 - fixtures
    _fuzz,
    raw_schema,
    wsgi_app,
)

from . import measures_fixtures
from .conftest import make_case

pytestmark = pytest.mark.fuzz

PREFIXES = ("/api/enforcement/measures/", "/api/enforcement/objections/",
            "/api/enforcement/campaigns/")  # fmt: skip
fast_pdf = measures_fixtures.fast_pdf


def measures_fuzz_ids(eworld) -> dict:
    """A case with a requested fine, an objection and a campaign it is tagged into."""
    from django.utils import timezone

    from enforcement.services.campaigns import campaign_create, campaign_tag_cases
    from enforcement.services.measures import measure_request
    from enforcement.services.objections import objection_receive

    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    debtor = case.case_parties.filter(role="debtor").first()
    measure = measure_request(case=case, kind="fine", subject=debtor, actor=eworld.officer,
                              approver=eworld.president, reason="拒不报告财产",
                              amount=Decimal("1000.00"))  # fmt: skip
    objection = objection_receive(case=case, kind="objection", applicant_name="案外人",
                                  matter="x", received_on=timezone.localdate(),
                                  actor=eworld.officer)  # fmt: skip
    campaign = campaign_create(organiser=eworld.court, name="飓风行动",
                               starts_on=timezone.localdate(), ends_on=timezone.localdate(),
                               courts=[eworld.court], actor=eworld.president)  # fmt: skip
    campaign_tag_cases(campaign=campaign, cases=[case], actor=eworld.officer)
    return {
        "/api/enforcement/measures/": measure.pk,
        "/api/enforcement/objections/": objection.pk,
        "/api/enforcement/campaigns/": campaign.pk,
    }


@pytest.fixture
def measures_schema(raw_schema):  # noqa: F811
    paths = {p: ops for p, ops in raw_schema["paths"].items() if p.startswith(PREFIXES)}
    assert len(paths) >= 20, sorted(paths)
    return {**raw_schema, "paths": paths}


def _ids_for(path: str, user, records) -> dict:
    if "{id}" not in path:
        return {}
    for prefix, pk in records.items():
        if path.startswith(prefix):
            return {"id": pk}
    return {}


@pytest.mark.parametrize("role", ["officer", "president", "outsider"])
def test_measures_operations_for_role(role, eworld, measures_schema, wsgi_app, fast_pdf):  # noqa: F811
    records = measures_fuzz_ids(eworld)
    _fuzz(measures_schema, wsgi_app, getattr(eworld, role), records, path_ids=_ids_for)
