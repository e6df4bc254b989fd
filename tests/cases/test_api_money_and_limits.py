"""Money in JSON is a decimal string; free text has length limits; oversize bodies, unknown
paths and the schema's login all answer in the API's JSON error format."""

from decimal import Decimal

import pytest
from django.test import override_settings

from cases.forms import AnswerForm, RatingForm, ResultForm
from cases.limits import ANSWER_MAX_LENGTH, FACTS_MAX_LENGTH
from cases.models import Dispute
from common.api import MoneyField

BASE = "/api/cases/disputes/"


def _dispute_body(loop, **overrides):
    return {
        "source_channel": "visit",
        "category": "neighbour",
        "facts": "楼上漏水",
        "region": loop.community_region.pk,
        "parties": [{"name": "张三"}],
        **overrides,
    }


@pytest.mark.parametrize("amount", [1234.56, 1234, 0])
def test_money_as_a_json_number_is_a_field_error(loop, api_for, amount):
    response = api_for(loop.clerk).post(
        BASE, _dispute_body(loop, amount_in_dispute=amount), format="json"
    )
    assert response.status_code == 400
    assert "amount_in_dispute" in response.json()["fields"]
    assert not Dispute.objects.exists()


def test_money_as_a_decimal_string_is_stored_exactly_and_read_back_as_a_string(loop, api_for):
    response = api_for(loop.clerk).post(
        BASE, _dispute_body(loop, amount_in_dispute="1234.56"), format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["amount_in_dispute"] == "1234.56"
    assert Dispute.objects.get().amount_in_dispute == Decimal("1234.56")


@pytest.mark.parametrize("amount", ["-1.00", "12.345", "abc", "NaN"])
def test_bad_money_strings_are_field_errors(loop, api_for, amount):
    response = api_for(loop.clerk).post(
        BASE, _dispute_body(loop, amount_in_dispute=amount), format="json"
    )
    assert response.status_code == 400
    assert "amount_in_dispute" in response.json()["fields"]


def test_money_field_refuses_booleans_too():
    field = MoneyField()
    with pytest.raises(Exception, match="字符串"):
        field.run_validation(True)


def test_facts_over_the_limit_is_a_field_error(loop, api_for):
    response = api_for(loop.clerk).post(
        BASE, _dispute_body(loop, facts="事" * (FACTS_MAX_LENGTH + 1)), format="json"
    )
    assert response.status_code == 400
    assert "facts" in response.json()["fields"]


def test_a_megabyte_of_facts_is_a_json_field_error(loop, api_for):
    response = api_for(loop.clerk).post(
        BASE, _dispute_body(loop, facts="x" * 1024 * 1024), format="json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "facts" in response.json()["fields"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=64 * 1024)
@pytest.mark.parametrize("fmt", ["json", "multipart"])
def test_a_body_over_the_upload_limit_is_413_json(loop, api_for, fmt):
    response = api_for(loop.clerk).post(
        BASE, _dispute_body(loop, facts="x" * 100 * 1024), format=fmt
    )
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert set(response.json()) == {"code", "detail", "fields"}


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=64 * 1024)
def test_a_form_encoded_body_over_the_limit_is_413_json(loop, api_for):
    response = api_for(loop.clerk).post(
        f"{BASE}1/close/",
        f"note={'x' * 100 * 1024}",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


def test_page_forms_have_the_same_limits():
    assert "answer" in AnswerForm({"answer": "答" * (ANSWER_MAX_LENGTH + 1)}).errors
    assert "comment" in RatingForm({"score": "5", "comment": "好" * 1001}).errors
    assert "result" in ResultForm({"result": "结" * 2001}).errors


def test_unknown_api_path_answers_json_not_html(world, api_for):
    response = api_for(world.owner).get("/api/no-such-thing/")
    assert response.status_code == 404
    assert set(response.json()) == {"code", "detail", "fields"}


def test_schema_and_docs_need_a_login(world, client, client_for):
    assert client.get("/api/schema/").status_code in (401, 403)
    docs = client.get("/api/docs/")
    assert docs.status_code == 302 and "/accounts/login/" in docs["Location"]
    assert client_for(world.owner).get("/api/schema/").status_code == 200


def test_schema_documents_money_as_a_string_and_errors_on_every_operation(world, client_for):
    schema = client_for(world.owner).get("/api/schema/?format=json").json()
    amount = schema["components"]["schemas"]["DisputeCreateRequest"]["properties"][
        "amount_in_dispute"
    ]
    assert amount["type"] == "string"
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            codes = set(operation["responses"])
            assert "400" in codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if method == "post":
                assert {"409", "413"} <= codes, (method, path)
    timeline = schema["paths"]["/api/cases/disputes/{id}/timeline/"]["get"]["responses"]["200"]
    ref = timeline["content"]["application/json"]["schema"]["items"]["$ref"]
    event = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert event["properties"]["data"]["type"] == "object"
    assert event["properties"]["organisation"]["nullable"] is True


# --- what the schemathesis run found (each answered 200 or broke the schema before) -----------


@pytest.mark.parametrize("page_size", ["abc", "0", "201", "-3", ""])
def test_bad_page_size_is_a_field_error_not_ignored(loop, api_for, page_size):
    response = api_for(loop.clerk).get(BASE, {"page_size": page_size})
    assert response.status_code == 400
    assert "page_size" in response.json()["fields"]


def test_malformed_cursor_is_400_not_404(loop, api_for):
    response = api_for(loop.clerk).get(BASE, {"cursor": "Ç"})
    assert response.status_code == 400
    assert "cursor" in response.json()["fields"]


def test_boolean_filter_with_a_non_boolean_is_a_field_error(loop, api_for, register):
    register()
    response = api_for(loop.clerk).get(BASE, {"is_flagged": "280"})
    assert response.status_code == 400
    assert "is_flagged" in response.json()["fields"]
    assert api_for(loop.clerk).get(BASE, {"is_flagged": "false"}).json()["results"]


def test_nested_field_errors_fit_the_documented_error_schema(loop, api_for, register):
    dispute = register()
    response = api_for(loop.clerk).post(
        f"{BASE}{dispute.pk}/dispatch/", {"targets": [{"responder": 987654}]}, format="json"
    )
    assert response.status_code == 400
    assert isinstance(response.json()["fields"]["targets"], list)


def test_pending_dispatch_reads_seconds_to_accept_as_null_and_schema_allows_it(
    loop, api_for, register, client_for
):
    from cases.services import dispute_dispatch, dispute_triage

    dispute = register()
    dispute_triage(dispute=dispute, actor=loop.clerk, difficulty="simple")
    dispute_dispatch(dispute=dispute, actor=loop.clerk, targets=[{"responder": loop.police}])
    (row,) = api_for(loop.clerk).get("/api/cases/dispatches/").json()["results"]
    assert row["seconds_to_accept"] is None
    schema = client_for(loop.clerk).get("/api/schema/?format=json").json()
    dispatch = schema["components"]["schemas"]["Dispatch"]["properties"]
    assert dispatch["seconds_to_accept"]["nullable"] is True
    dispute_schema = schema["components"]["schemas"]["Dispute"]["properties"]
    assert any(
        "BlankEnum" in option.get("$ref", "") for option in dispute_schema["difficulty"]["oneOf"]
    )
