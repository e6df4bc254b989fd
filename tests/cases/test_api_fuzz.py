"""Schemathesis against the Django WSGI app: every operation of the schema, once per role.

For each operation, schema-valid and schema-violating requests are generated (a few each:
the whole run stays within a few minutes on two cores), first with generated ids and then
with ids of real records the role may or may not see. Every response must be a non-5xx
status the schema documents, with a body that matches the schema; a request that breaks the
schema must be refused. A schema-valid request refused by a business rule (404 out of scope,
409 for an illegal step, 410 for a spent rating link) is expected.
"""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from cases.models import SavedFilter
from cases.services import (
    bundle_create,
    dispatch_accept,
    dispatch_answer,
    dispute_dispatch,
    dispute_review_close,
    dispute_triage,
)
from deadlines.models import Deadline
from notifications.models import Notification
from tests.cases.test_attachments import PNG
from tests.mediation.fuzz_records import mediation_records

pytestmark = pytest.mark.fuzz

MAX_EXAMPLES = 3
# Login with made-up credentials is refused by design (400), and every try counts towards
# django-axes' lockout; the token endpoint has its own tests.
NOT_FUZZED = {"/api/auth/token/"}

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    unsupported_method,  # other methods answer 405 with an Allow header
]

CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {
            # Schema-valid input a business rule refuses: a field error (an id that names
            # no record, a reason the step requires), out of scope, illegal step, spent link.
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "400", "401", "403", "404", "409", "410", "429"]
            },
        }
    }
)


def api_credentials_for(user) -> dict[str, str]:
    """Request headers that authenticate as `user` (the one place that knows how)."""
    _instance, token = AuthToken.objects.create(user=user)  # knox keeps only its hash
    return {"Authorization": f"Token {token}"}


@pytest.fixture
def wsgi_app():
    """Django's WSGI app, minus closing the database connection at the end of each request
    (the test's transaction lives on it), as Django's own test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def raw_schema(django_db_blocker):
    with django_db_blocker.unblock():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema, renderer_context={}))


@pytest.fixture
def records(loop, register):
    """Real records of every kind, in the centre's scope, for the id-bound pass."""
    cache.clear()  # the rating link's throttle counts in the cache
    photo = SimpleUploadedFile("scene.png", PNG, content_type="image/png")
    dispute = register(amount_in_dispute="1200.00", attachments=[photo])
    dispute_triage(dispute=dispute, actor=loop.clerk, difficulty="simple")
    (dispatch,) = dispute_dispatch(
        dispute=dispute, actor=loop.clerk, targets=[{"responder": loop.police}]
    )
    resolved = register(facts="暖气不热")
    dispute_triage(dispute=resolved, actor=loop.clerk, difficulty="simple")
    (answered,) = dispute_dispatch(
        dispute=resolved, actor=loop.clerk, targets=[{"responder": loop.heating}]
    )
    dispatch_accept(dispatch=answered, actor=loop.heating_user)
    dispatch_answer(dispatch=answered, actor=loop.heating_user, answer="已修复")
    resolved.refresh_from_db()
    _resolved, token = dispute_review_close(dispute=resolved, actor=loop.clerk)
    bundle = bundle_create(
        organisation=loop.centre, actor=loop.clerk, title="供暖", disputes=[register()]
    )
    return {
        "dispute": dispute,
        "dispatch": dispatch,
        "bundle": bundle,
        "token": token,
        "mediation": mediation_records(loop),
    }


def _path_ids(path: str, user, records) -> dict:
    """Ids of real records for an operation's path parameters."""
    dispute = records["dispute"]
    if "/attachments/" in path:
        attachment = dispute.attachments.first()
        return {"dispute_pk": dispute.pk, **({"id": attachment.pk} if attachment else {})}
    if "{token}" in path:
        return {"token": records["token"]}
    if "{id}" not in path:
        return {}
    candidates = {
        "/api/cases/disputes/": dispute.pk,
        "/api/cases/dispatches/": records["dispatch"].pk,
        "/api/cases/bundles/": records["bundle"].pk,
        "/api/cases/saved-filters/": SavedFilter.objects.get_or_create(
            user=user, name="常用", defaults={"query": "status=registered"}
        )[0].pk,
        "/api/deadlines/": Deadline.objects.order_by("pk").values_list("pk", flat=True).first(),
        "/api/notifications/": Notification.objects.filter(recipient=user)
        .values_list("pk", flat=True)
        .first(),
        "/api/organisations/": user.primary_organisation.pk,
        "/api/regions/": user.primary_organisation.region_id,
        **records["mediation"],
    }
    for prefix, pk in candidates.items():
        if path.startswith(prefix) and pk is not None:
            return {"id": pk}
    return {}


def raw_schema_operations(raw_schema) -> list[tuple[str, str]]:
    return [
        (method, path)
        for path, operations in raw_schema["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    ]


def _fuzz(raw_schema, app, user, records, path_ids=None):
    """`path_ids(path, user, records)` gives real ids for the second pass (default: the
    street centre's records, `_path_ids`)."""
    path_ids = path_ids or _path_ids
    schema = schemathesis.openapi.from_dict(raw_schema, config=CONFIG)
    schema.app = app  # checks that send requests of their own go to the same app
    schema.config.update(base_url="http://testserver")
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path in NOT_FUZZED:
            continue
        # A fresh token per operation: fuzzing /api/auth/logout/ ends the token it is sent
        # with, and every later operation would then only ever see 401.
        headers = api_credentials_for(user)
        # Generated ids (mostly 404s), then real records' ids when the path has any.
        path_passes = [{}]
        if operation.path_parameters:
            path_passes.append(path_ids(operation.path, user, records))
        for path_parameters in path_passes:
            modes = [schemathesis.GenerationMode.POSITIVE]
            generated_path = operation.path_parameters and not path_parameters
            if len(operation.body) or len(operation.query) or generated_path:
                # Something to break; otherwise a negative run only fails to find anything.
                modes.append(schemathesis.GenerationMode.NEGATIVE)
            for mode in modes:
                strategy = operation.as_strategy(
                    generation_mode=mode,
                    path_parameters=path_parameters or None,
                    headers=headers,
                )

                @given(case=strategy)
                @hypothesis_settings(
                    max_examples=MAX_EXAMPLES,
                    deadline=None,
                    database=None,
                    derandomize=True,
                    phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=list(HealthCheck),
                )
                def run(case):
                    response = case.call(app=app)
                    case.validate_response(response, checks=CHECKS, transport_kwargs={"app": app})

                try:
                    run()
                except Unsatisfiable:
                    # Every negation turned out schema-valid on the wire (e.g. a free string).
                    continue
                except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collect them all
                    failures.append(  # the message carries schemathesis' reproduction
                        f"{operation.method.upper()} {operation.path} ({mode.value}): {exc}"
                    )
    assert not failures, "\n\n".join(failures)


# Fuzzed by their own part, with its roles (clerk, officer, president) and an outsider, on
# real records of theirs (tests/enforcement/test_api_fuzz.py and the measures', endings' and
# commission's): the dispute loop's users are outsiders there, which that run covers.
FUZZED_BY_THEIR_PART = ("/api/enforcement/",)


@pytest.fixture(scope="module")
def loop_schema(raw_schema):
    paths = {
        path: operations
        for path, operations in raw_schema["paths"].items()
        if not path.startswith(FUZZED_BY_THEIR_PART)
    }
    return {**raw_schema, "paths": paths}


@pytest.mark.parametrize("role", ["clerk", "grid", "responder", "supervisor"])
def test_every_operation_for_role(role, loop, records, loop_schema, wsgi_app):
    _fuzz(loop_schema, wsgi_app, getattr(loop, role), records)
    # A later role's run must not find the link already throttled by this one.
    cache.clear()


def test_anonymous_caller_gets_only_documented_refusals(loop, records, raw_schema, wsgi_app):
    """Without credentials every operation answers 401/403, except the public ones: the
    rating link, the token login and the documents' verification (no login by design)."""
    schema = schemathesis.openapi.from_dict(raw_schema, config=CONFIG)
    app = wsgi_app
    checked = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        # Refused before any lookup, so any id will do where there is no real record.
        path_parameters = {
            parameter.name: 1 for parameter in operation.path_parameters
        } | _path_ids(operation.path, loop.clerk, records)
        case = operation.Case(path_parameters=path_parameters or None)
        response = case.call(app=app)
        checked += 1
        if operation.path.startswith(("/api/rating/", "/api/documents/verify/")) or (
            operation.path == "/api/auth/token/"
        ):
            assert response.status_code < 500
        else:
            assert response.status_code in (401, 403), (operation.path, response.status_code)
    assert checked == len(raw_schema_operations(raw_schema))


def test_api_credentials_for_authenticates(loop, client):
    response = client.get("/api/me/", headers=api_credentials_for(loop.clerk))
    assert response.status_code == 200
    assert response.json()["username"] == loop.clerk.username
