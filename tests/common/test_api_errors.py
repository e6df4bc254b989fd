"""One error format: 400 with field errors, 403, 404, 409 for an illegal transition; never 500."""

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.test import APIRequestFactory

from common.api import exception_handler
from common.statemachine import TransitionNotAllowed

pytestmark = pytest.mark.django_db


def _handle(exc):
    request = APIRequestFactory().get("/api/x/")
    return exception_handler(exc, {"request": request, "view": None})


def test_validation_error_has_field_errors():
    response = _handle(
        exceptions.ValidationError({"id_number": ["身份证号码校验位不正确，请核对。"]})
    )
    assert response.status_code == 400
    assert response.data["code"] == "invalid"
    assert response.data["fields"] == {"id_number": ["身份证号码校验位不正确，请核对。"]}


def test_django_validation_error_becomes_400():
    response = _handle(DjangoValidationError({"phone": ["请输入11位中国大陆手机号码。"]}))
    assert response.status_code == 400
    assert response.data["fields"]["phone"] == ["请输入11位中国大陆手机号码。"]


def test_illegal_transition_is_409_with_the_reason():
    response = _handle(TransitionNotAllowed("当前状态为“已办结”，不能执行“派单”。"))
    assert response.status_code == 409
    assert response.data["code"] == "transition_not_allowed"
    assert "已办结" in response.data["detail"]


def test_permission_denied_is_403():
    response = _handle(exceptions.PermissionDenied())
    assert response.status_code == 403
    assert response.data["fields"] == {}


def test_bad_filter_value_is_400_not_500(world, api_for):
    response = api_for(world.owner).get("/api/organisations/?region=not-a-number")
    assert response.status_code == 400
    assert "region" in response.json()["fields"]


def test_unknown_api_path_is_json_404(world, api_for):
    response = api_for(world.owner).get("/api/organisations/999999/")
    assert response.status_code == 404
    assert set(response.json()) == {"code", "detail", "fields"}


def test_openapi_schema_and_docs_are_served_without_a_cdn(world, client_for):
    client = client_for(world.owner)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/organisations/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "cdn" not in docs.lower()
    assert "/static/drf_spectacular_sidecar/" in docs
