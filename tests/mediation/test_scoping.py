"""Who sees a mediation case: its mediator, their committee, the delegating court; an
outsider (another court, another committee's mediator) gets 404 — page, API and files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mediation.services import mediation_file_add
from tests.factories import image_bytes


@pytest.fixture
def stored_photo(mworld, delegated):
    upload = SimpleUploadedFile("现场.png", image_bytes("PNG"), content_type="image/png")
    return mediation_file_add(case=delegated, actor=mworld.zhang, upload=upload)


@pytest.mark.parametrize("who", ["zhang", "bao", "committee_clerk", "court_clerk", "president"])
def test_mediator_committee_and_delegating_court_see_it(
    mworld, delegated, stored_photo, client_for, api_for, who
):
    user = getattr(mworld, who)
    page = client_for(user).get(f"/mediation/{delegated.pk}/")
    assert page.status_code == 200
    assert delegated.reference in page.content.decode()
    assert delegated.reference in client_for(user).get("/mediation/").content.decode()
    api = api_for(user)
    assert api.get(f"/api/mediation/cases/{delegated.pk}/").status_code == 200
    assert delegated.pk in [row["id"] for row in api.get("/api/mediation/cases/").json()["results"]]
    assert (
        client_for(user).get(f"/audit/mediation/mediationcase/{delegated.pk}/").status_code == 200
    )
    download = client_for(user).get(f"/mediation/files/{stored_photo.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("who", ["outsider", "far_mediator"])
def test_outsider_gets_404(mworld, delegated, stored_photo, client_for, api_for, who):
    user = getattr(mworld, who)
    client = client_for(user)
    assert client.get(f"/mediation/{delegated.pk}/").status_code == 404
    assert client.get(f"/mediation/{delegated.pk}/sessions/new/").status_code == 404
    assert client.post(f"/mediation/{delegated.pk}/fail/", {"reason": "x"}).status_code == 404
    assert client.get(f"/mediation/files/{stored_photo.pk}/download/").status_code == 404
    assert delegated.reference not in client.get("/mediation/").content.decode()
    assert client.get(f"/audit/mediation/mediationcase/{delegated.pk}/").status_code == 404
    api = api_for(user)
    assert api.get(f"/api/mediation/cases/{delegated.pk}/").status_code == 404
    assert (
        api.post(f"/api/mediation/cases/{delegated.pk}/fail/", {"reason": "x"}).status_code == 404
    )
    assert api.get("/api/mediation/cases/").json()["results"] == []
    delegated.refresh_from_db()
    assert delegated.status == "received"


def test_court_sees_the_result_without_asking(mworld, delegated, client_for):
    """The delegating court is told of the outcome and reads it on the case page."""
    from mediation.services import mediation_fail, mediation_receipt_sign
    from notifications.models import Notification

    mediation_receipt_sign(case=delegated, actor=mworld.zhang)
    mediation_fail(case=delegated, actor=mworld.zhang, reason="被申请人拒绝调解")
    notice = Notification.objects.get(
        recipient=mworld.court_clerk, kind="mediation.outcome", title__contains="终止"
    )
    assert "拒绝调解" in notice.body
    page = client_for(mworld.court_clerk).get(notice.link).content.decode()
    assert "被申请人拒绝调解" in page and "终止调解" in page
    assert not Notification.objects.filter(recipient=mworld.outsider).exists()


def test_roster_is_searchable_inside_the_portal_and_scoped(mworld, client_for, api_for):
    page = client_for(mworld.court_clerk).get(
        f"/mediation/mediators/?court={mworld.court.pk}&language=mn"
    )
    body = page.content.decode()
    assert "包调解" in body and "张调解" not in body
    names = [
        m["name"]
        for m in api_for(mworld.court_clerk)
        .get("/api/mediation/mediators/?specialty=family")
        .json()["results"]
    ]
    assert names == ["包调解"]
    assert api_for(mworld.outsider).get("/api/mediation/mediators/").json()["results"] == []


def test_lists_cost_the_same_whatever_their_length(
    mworld, delegated, client_for, api_for, django_assert_max_num_queries
):
    from mediation.services import mediation_case_request

    from .conftest import parties

    for number in range(8):
        mediation_case_request(
            organisation=mworld.committee, actor=mworld.committee_clerk, category="neighbour",
            facts=f"纠纷{number}", parties=parties(),
        )  # fmt: skip
    client = client_for(mworld.committee_clerk)
    with django_assert_max_num_queries(12):
        assert client.get("/mediation/").status_code == 200
    api = api_for(mworld.committee_clerk)
    with django_assert_max_num_queries(12):
        assert len(api.get("/api/mediation/cases/").json()["results"]) == 9
