"""Schemathesis over the enforcement API, per court role (as tests/cases/test_api_fuzz.py
does for the whole schema with the street centre's people): every operation under
/api/enforcement/, schema-valid and schema-violating requests, first with generated ids
and then with a real case's id the role may or may not see. No 5xx, every status and body
as the schema says, bad input refused. Other parts' endpoints under /api/enforcement/ are
fuzzed here too once merged; `enforcement_fuzz_ids` is where their real records go."""

import os

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
    records = enforcement_write_ids(eworld)  # every part's records (enf-finish)
    _fuzz(enforcement_schema, wsgi_app, getattr(eworld, role), records, path_ids=_ids_for)


# --- junk on every write (enf-finish) -----------------------------------------------------
# Schemathesis above sends what the schema describes, and its negation. Users' clients send
# worse: floats and exponents for money, NUL characters, 2**70 for an id, dates that do not
# exist, a list where an object belongs, half a JSON document, a form body. Every POST/PATCH/
# PUT under /api/enforcement/ gets such junk shaped by its request schema, with ids of real
# records of every part in the path, and must answer a non-5xx status (400/404/409 …).

JUNK_STRINGS = [
    "", " ", "\x00", "a\x00b", "０", "１２３.４５", "1e309", "-0.001", "0.001", "NaN", "Infinity",
    "99999999999999999999999.99", "-1", "1,000.00", "¥100", "2026-02-30", "0000-00-00",
    "2026-13-01", "9999-12-31T25:61:00", "null", "[]", "{}", "<script>", "'; DROP TABLE x;--",
    "执" * 600, "\ud7ff", "𠮷", "true", "12345678901234567890",
]  # fmt: skip
# FQ_JUNK_EXAMPLES=200 for a longer hunt; the default keeps the run under a minute a role.
JUNK_EXAMPLES = int(os.environ.get("FQ_JUNK_EXAMPLES", "12"))
JUNK_NUMBERS = [0, -1, 1, 2**31, 2**63, 2**70, -(2**63), 0.1, 1e309, -1e-7, 31775.5]


def _resolve(schema: dict, components: dict) -> dict:
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema and seen < 10:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
        seen += 1
    for key in ("allOf", "oneOf", "anyOf"):
        if isinstance(schema, dict) and schema.get(key):
            return _resolve(schema[key][0], components)
    return schema if isinstance(schema, dict) else {}


def _junk(schema: dict, components: dict, depth: int = 0):
    """A strategy of wrong-ish values for `schema`: often the right shape with bad leaves,
    sometimes anything at all."""
    from hypothesis import strategies as st

    scalars = st.one_of(
        st.sampled_from(JUNK_STRINGS),
        st.sampled_from(JUNK_NUMBERS),
        st.none(),
        st.booleans(),
        st.text(max_size=20),
        st.integers(),
    )
    anything = st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=6,
    )
    schema = _resolve(schema, components)
    if depth > 3:
        return anything
    if schema.get("type") == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        shaped = st.fixed_dictionaries(
            {},
            optional={
                name: _junk(sub, components, depth + 1)
                for name, sub in properties.items()
                if not sub.get("readOnly")
            },
        )
        return st.one_of(shaped, shaped, shaped, anything)
    if schema.get("type") == "array":
        items = _junk(schema.get("items", {}), components, depth + 1)
        return st.one_of(st.lists(items, max_size=4), anything)
    return st.one_of(scalars, anything)


def _write_operations(schema: dict):
    components = schema.get("components", {}).get("schemas", {})
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method not in ("post", "put", "patch"):
                continue
            content = (operation.get("requestBody") or {}).get("content", {})
            body = next(iter(content.values()), {}).get("schema", {})
            yield method, path, _resolve(body, components), components


def enforcement_write_ids(eworld) -> dict:
    """Real records of each part for the junk pass's paths (the case-fund endpoints take
    the case's id): a basis, a case with a frozen finding and money received, a clue."""
    from django.utils import timezone

    from enforcement.services.clues import clue_record
    from enforcement.services.controls import control_freeze

    from .assets_fixtures import findings_of, inquire_now, script_story5, story5_case
    from .funds_fixtures import receive

    script_story5(timezone.localdate())
    case = story5_case(eworld)
    inquiry = inquire_now(case, eworld.officer)
    finding = findings_of(inquiry)[0]
    control = control_freeze(case=case, actor=eworld.officer, amount="100.00", finding=finding)
    clue = clue_record(case=case, actor=eworld.officer, kind="vehicle", description="蒙C轿车")
    receive(case, "100.00", eworld.officer)
    return {
        **enforcement_fuzz_ids(eworld),
        "/api/enforcement/bases/": case.basis_id,
        "/api/enforcement/controls/": control.pk,
        "/api/enforcement/clues/": clue.pk,
        "/api/enforcement/inquiries/": inquiry.pk,
        "/api/enforcement/findings/": finding.pk,
        "/api/enforcement/funds/": case.pk,
        "/api/enforcement/confirmations/": case.pk,  # not a confirmation: must be a 404
    }


@pytest.mark.parametrize("role", ["officer", "president"])
def test_enforcement_writes_survive_junk(role, eworld, enforcement_schema, fast_pdf, client):
    from tests.cases.test_api_fuzz import api_credentials_for

    records = enforcement_write_ids(eworld)
    headers = api_credentials_for(getattr(eworld, role))
    failures: list[str] = []
    statuses: dict[int, int] = {}
    operations = list(_write_operations(enforcement_schema))
    assert len(operations) >= 30, "every part's writes are in the schema"
    for method, path, body_schema, components in operations:
        url = path.replace("{id}", str(_ids_for(path, None, records).get("id", 2**31 - 1)))
        _junk_sender(client, method, url, headers, _junk(body_schema, components), failures,
                     statuses)()  # fmt: skip
    assert not failures, "\n".join(dict.fromkeys(failures))
    # the junk reached the views as the role (not refused at the door) and was refused there
    assert 401 not in statuses and statuses.get(400, 0) > 100, statuses
    assert statuses.get(404, 0) > 0 and statuses.get(409, 0) + statuses.get(403, 0) > 0, statuses


def _encode(body, encoding):
    import json
    from urllib.parse import urlencode

    if encoding == "json":
        return json.dumps(body, ensure_ascii=False), "application/json"
    if encoding == "form" and isinstance(body, dict):
        fields = {
            key: json.dumps(value) if isinstance(value, list | dict) else
            ("" if value is None else str(value))
            for key, value in body.items()
        }  # fmt: skip
        return urlencode(fields), "application/x-www-form-urlencoded"
    return '{"amount": "1.00", ', "application/json"  # a document cut short


def _junk_sender(client, method, url, headers, bodies, failures, statuses):
    from hypothesis import HealthCheck, Phase, given
    from hypothesis import settings as hypothesis_settings
    from hypothesis import strategies as st

    @given(body=bodies, encoding=st.sampled_from(["json", "json", "json", "form", "raw"]))
    @hypothesis_settings(
        max_examples=JUNK_EXAMPLES, deadline=None, database=None, derandomize=True,
        phases=[Phase.generate], suppress_health_check=list(HealthCheck),
    )  # fmt: skip
    def send(body, encoding):
        data, content_type = _encode(body, encoding)
        try:
            response = getattr(client, method)(url, data, content_type=content_type,
                                               headers=headers)  # fmt: skip
            status = response.status_code
        except Exception as exc:  # noqa: BLE001 - the test client re-raises what was a 500
            status = f"{type(exc).__name__}: {str(exc)[:200]}"
        if isinstance(status, int):
            statuses[status] = statuses.get(status, 0) + 1
        if not isinstance(status, int) or status >= 500:
            failures.append(f"{method.upper()} {url} {encoding} {body!r:.300} → {status}")

    return send
