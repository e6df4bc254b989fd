"""The API does what the pages do: bundles, imports, attachments, supervision lists, saved
filters and the resident's rating link — through the same services, in the same scope."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEntry
from cases.models import Attachment, Bundle, Dispute, DisputeStatus, ImportBatch, SavedFilter
from cases.services import (
    dispatch_accept,
    dispatch_answer,
    dispute_dispatch,
    dispute_review_close,
    dispute_triage,
)
from tests.cases.reports_world import area  # noqa: F401
from tests.cases.test_attachments import PNG
from tests.cases.test_import import ID_B, csv_file, row

BUNDLES = "/api/cases/bundles/"
IMPORTS = "/api/cases/imports/"
FILTERS = "/api/cases/saved-filters/"


# --- bundles ---------------------------------------------------------------------------------


def test_bundle_create_escalate_close_through_api(loop, api_for, register):
    first, second = register(), register(facts="同一小区暖气不热")
    clerk = api_for(loop.clerk)
    response = clerk.post(
        BUNDLES,
        {"title": "小区供暖不足", "disputes": [first.pk, second.pk]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert sorted(body["disputes"]) == sorted([first.pk, second.pk])
    assert body["status"] == Bundle.Status.OPEN
    pk = body["id"]
    assert [b["id"] for b in clerk.get(BUNDLES).json()["results"]] == [pk]

    response = clerk.post(
        f"{BUNDLES}{pk}/escalate/", {"escalated_to": loop.heating.pk}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["escalated_to_name"] == loop.heating.name
    # Escalating twice is an illegal step: 409 in the error format.
    again = clerk.post(f"{BUNDLES}{pk}/escalate/", {"escalated_to": loop.heating.pk}, format="json")
    assert again.status_code == 409 and set(again.json()) == {"code", "detail", "fields"}

    assert clerk.post(f"{BUNDLES}{pk}/close/", {}, format="json").status_code == 400
    response = clerk.post(f"{BUNDLES}{pk}/close/", {"result": "已统一更换管网"}, format="json")
    assert response.status_code == 200
    assert set(
        Dispute.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)
    ) == {DisputeStatus.CLOSED}
    assert AuditEntry.objects.filter(object_id=str(pk)).exists()


def test_bundle_of_disputes_out_of_scope_is_refused_and_bundles_are_scoped(loop, api_for, register):
    dispute = register()
    outsider = api_for(loop.outsider)
    response = outsider.post(BUNDLES, {"title": "x", "disputes": [dispute.pk]}, format="json")
    assert response.status_code == 400 and "disputes" in response.json()["fields"]
    bundle_pk = (
        api_for(loop.clerk)
        .post(BUNDLES, {"title": "共性", "disputes": [dispute.pk]}, format="json")
        .json()["id"]
    )
    assert outsider.get(f"{BUNDLES}{bundle_pk}/").status_code == 404
    assert (
        outsider.post(f"{BUNDLES}{bundle_pk}/close/", {"result": "x"}, format="json").status_code
        == 404
    )


# --- imports ---------------------------------------------------------------------------------


def test_import_upload_preview_confirm_through_api(area, api_for):  # noqa: F811
    clerk = api_for(area.clerk)
    upload = csv_file(
        [row("GD001"), row("GD002", name="李四", id_number=ID_B, phone="13900139000")]
    )
    response = clerk.post(IMPORTS, {"file": upload}, format="multipart")
    assert response.status_code == 201, response.json()
    batch = response.json()
    assert batch["status"] == ImportBatch.Status.VALID and batch["valid_rows"] == 2
    assert batch["preview"][0]["applicant"] != "张三"  # masked
    assert clerk.get(f"{IMPORTS}{batch['id']}/error-report/").status_code == 404

    response = clerk.post(f"{IMPORTS}{batch['id']}/confirm/")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == ImportBatch.Status.DONE
    assert response.json()["created_count"] == 2
    assert clerk.post(f"{IMPORTS}{batch['id']}/confirm/").status_code == 409
    assert [b["id"] for b in clerk.get(IMPORTS).json()["results"]] == [batch["id"]]
    assert api_for(area.outsider).get(f"{IMPORTS}{batch['id']}/").status_code == 404


def test_import_error_report_downloads_and_bad_file_is_a_field_error(area, api_for):  # noqa: F811
    clerk = api_for(area.clerk)
    batch = clerk.post(
        IMPORTS, {"file": csv_file([row("GD001", phone="12345")])}, format="multipart"
    ).json()
    assert batch["status"] == ImportBatch.Status.INVALID and batch["has_error_report"]
    response = clerk.get(f"{IMPORTS}{batch['id']}/error-report/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        b"".join(response.streaming_content if response.streaming else [response.content])[:2]
        == b"PK"
    )

    not_a_sheet = SimpleUploadedFile("notes.txt", b"hello")
    response = clerk.post(IMPORTS, {"file": not_a_sheet}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()["fields"]


# --- attachments -----------------------------------------------------------------------------


def test_attachments_upload_list_download_scoped(loop, api_for, register):
    dispute = register()
    base = f"/api/cases/disputes/{dispute.pk}/attachments/"
    clerk = api_for(loop.clerk)
    photo = SimpleUploadedFile("scene.png", PNG, content_type="image/png")
    response = clerk.post(base, {"file": photo, "kind": "photo"}, format="multipart")
    assert response.status_code == 201, response.json()
    attachment = response.json()
    assert attachment["kind"] == "photo" and attachment["size"] == len(PNG)
    assert [a["id"] for a in clerk.get(base).json()] == [attachment["id"]]
    download = clerk.get(f"{base}{attachment['id']}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert download["Content-Type"] == "image/png"

    fake = SimpleUploadedFile("scene.jpg", b"just text", content_type="image/jpeg")
    response = clerk.post(base, {"file": fake}, format="multipart")
    # the error is beside the field the client sent (the service names the page's field)
    assert response.status_code == 400 and list(response.json()["fields"]) == ["file"]

    outsider = api_for(loop.outsider)
    assert outsider.get(base).status_code == 404
    assert outsider.get(f"{base}{attachment['id']}/download/").status_code == 404
    # A responder with no open dispatch of this dispute may look at nothing, upload nothing.
    assert (
        api_for(loop.responder).post(base, {"file": photo}, format="multipart").status_code == 404
    )


def test_responder_uploads_to_their_open_dispatch(loop, api_for, register):
    dispute = register()
    dispute_triage(dispute=dispute, actor=loop.clerk, difficulty="simple")
    (dispatch,) = dispute_dispatch(
        dispute=dispute, actor=loop.clerk, targets=[{"responder": loop.police}]
    )
    photo = SimpleUploadedFile("scene.png", PNG, content_type="image/png")
    response = api_for(loop.responder).post(
        f"/api/cases/disputes/{dispute.pk}/attachments/", {"file": photo}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["dispatch"] == dispatch.pk
    assert Attachment.objects.get().kind == Attachment.Kind.ANSWER


# --- supervision -----------------------------------------------------------------------------


def test_supervisor_flags_unflags_and_lists_flagged(loop, api_for, register):
    dispute = register()
    supervisor = api_for(loop.supervisor)
    flag = f"/api/cases/disputes/{dispute.pk}/flag/"
    assert (
        supervisor.post(flag, {"flagged": True, "note": "请加快"}, format="json").status_code == 200
    )
    flagged = supervisor.get("/api/cases/supervision/flagged/").json()["results"]
    assert [d["id"] for d in flagged] == [dispute.pk]
    assert supervisor.post(flag, {"flagged": False}, format="json").status_code == 200
    assert supervisor.get("/api/cases/supervision/flagged/").json()["results"] == []
    # Not a supervisor: 403 in the error format; flag note over 200 characters: 400.
    assert api_for(loop.clerk).post(flag, {"flagged": True}, format="json").status_code == 403
    response = supervisor.post(flag, {"flagged": True, "note": "督" * 201}, format="json")
    assert response.status_code == 400 and "note" in response.json()["fields"]
    for path in ("overdue-disputes", "overdue-dispatches"):
        assert supervisor.get(f"/api/cases/supervision/{path}/").status_code == 200


def test_a_closed_dispute_leaves_the_flagged_list(loop, api_for, register):
    dispute = register()
    supervisor = api_for(loop.supervisor)
    supervisor.post(f"/api/cases/disputes/{dispute.pk}/flag/", {"flagged": True}, format="json")
    assert [d["id"] for d in supervisor.get("/api/cases/supervision/flagged/").json()["results"]]
    Dispute.objects.filter(pk=dispute.pk).update(status=DisputeStatus.CLOSED)
    assert supervisor.get("/api/cases/supervision/flagged/").json()["results"] == []


# --- saved filters ---------------------------------------------------------------------------


def test_saved_filters_crud_own_only(loop, api_for):
    clerk = api_for(loop.clerk)
    response = clerk.post(FILTERS, {"name": "待研判", "query": "status=registered"}, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    response = clerk.patch(f"{FILTERS}{pk}/", {"name": "新登记"}, format="json")
    assert response.status_code == 200
    assert response.json() == {**response.json(), "name": "新登记", "query": "status=registered"}
    assert [f["name"] for f in clerk.get(FILTERS).json()["results"]] == ["新登记"]
    assert clerk.patch(f"{FILTERS}{pk}/", {}, format="json").status_code == 400

    other = api_for(loop.grid)
    assert other.get(FILTERS).json()["results"] == []
    assert other.get(f"{FILTERS}{pk}/").status_code == 404
    assert other.patch(f"{FILTERS}{pk}/", {"name": "x"}, format="json").status_code == 404
    assert other.delete(f"{FILTERS}{pk}/").status_code == 404
    assert SavedFilter.objects.filter(pk=pk).exists()
    assert clerk.delete(f"{FILTERS}{pk}/").status_code == 204
    assert not SavedFilter.objects.filter(pk=pk).exists()


# --- rating link -----------------------------------------------------------------------------


@pytest.fixture
def rating_token(loop, register):
    cache.clear()  # the throttle counts requests per client address in the cache
    dispute = register()
    dispute_triage(dispute=dispute, actor=loop.clerk, difficulty="simple")
    (dispatch,) = dispute_dispatch(
        dispute=dispute, actor=loop.clerk, targets=[{"responder": loop.police}]
    )
    dispatch_accept(dispatch=dispatch, actor=loop.responder)
    dispatch_answer(dispatch=dispatch, actor=loop.responder, answer="已调解")
    dispute.refresh_from_db()
    _dispute, token = dispute_review_close(dispute=dispute, actor=loop.clerk)
    return dispute, token


def test_rating_link_api_shows_then_rates_once_without_login(rating_token, api_client):
    dispute, token = rating_token
    url = f"/api/rating/{token}/"
    response = api_client.get(url)
    assert response.status_code == 200, response.json()
    assert response.json()["dispute"]["reference"] == dispute.reference
    assert "张三" not in response.content.decode()
    assert api_client.post(url, {"score": 2}, format="json").status_code == 400
    response = api_client.post(url, {"score": 5, "comment": "满意"}, format="json")
    assert response.status_code == 200 and response.json() == {"satisfied": True}
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.CLOSED
    again = api_client.post(url, {"score": 1}, format="json")
    assert again.status_code == 410 and again.json()["code"] == "rating_link_invalid"
    assert api_client.get("/api/rating/not-a-token/").status_code == 410


def test_rating_link_api_is_throttled(rating_token, api_client, settings):
    from rest_framework.settings import api_settings

    from cases.api.views_rating import RatingLinkThrottle

    _dispute, token = rating_token
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "rating_link": "3/hour"}
    original = RatingLinkThrottle.THROTTLE_RATES
    RatingLinkThrottle.THROTTLE_RATES = rates
    try:
        codes = [api_client.get(f"/api/rating/{token}/").status_code for _ in range(4)]
    finally:
        RatingLinkThrottle.THROTTLE_RATES = original
    assert codes == [200, 200, 200, 429]


def test_bundle_title_over_the_limit_is_refused_on_the_page_and_the_api(
    loop, client_for, api_for, register
):
    from django.urls import reverse

    dispute = register()
    too_long = "题" * 121
    response = client_for(loop.clerk).post(
        reverse("cases:bulk"),
        {"ids": [dispute.pk], "action": "bundle", "title": too_long},
        follow=True,
    )
    assert response.status_code == 200
    assert "不能超过120个字" in response.content.decode()
    assert not Bundle.objects.exists()
    response = api_for(loop.clerk).post(
        BUNDLES, {"title": too_long, "disputes": [dispute.pk]}, format="json"
    )
    assert response.status_code == 400 and "title" in response.json()["fields"]
