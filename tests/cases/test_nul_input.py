"""A NUL character (%00) in a query or a posted field: cleaned or refused, never a 500."""

import pytest
from django.urls import reverse

from cases.models import Dispute

from .conftest import ID_ZHANG
from .test_views import _intake_data

# Every page and API list that reads free text or filters from the query string.
QUERY_URLS = [
    "/cases/?q=漏%00水",
    "/cases/?status=%00&category=%00&organisation=%00&after=%00",
    "/cases/inbox/?q=%00",
    "/cases/bundles/?status=%00",
    "/cases/supervision/?q=%00",
    "/api/cases/disputes/?q=a%00&status=%00",
    "/api/cases/dispatches/?status=%00",
    "/api/organisations/?q=%00",
    "/api/deadlines/?state=%00",
    "/organisations/?q=%00&kind=%00",
    "/deadlines/?state=%00",
    "/jobs/?job=%00",
    "/notifications/?unread=%00",
    "/cases/ledger/?start=%00",
    "/cases/weekly/?week=%00",
]


@pytest.mark.parametrize("url", QUERY_URLS)
def test_nul_in_query_parameters_is_not_a_server_error(loop, client, url):
    loop.supervisor.is_superuser = True  # sees every page, the jobs page too
    loop.supervisor.save()
    client.force_login(loop.supervisor)
    assert client.get(url).status_code == 200


def test_search_with_a_nul_finds_what_it_finds_without(loop, register, client_for, api_for):
    dispute = register(facts="楼上漏水，多次协商未果。")
    page = client_for(loop.clerk).get("/cases/", {"q": "漏\x00水"}).content.decode()
    assert dispute.reference in page
    body = api_for(loop.clerk).get("/api/cases/disputes/", {"q": "漏\x00水"}).json()
    assert [row["id"] for row in body["results"]] == [dispute.pk]


def test_posted_nul_is_a_field_error_on_forms_and_api(loop, client_for, api_for):
    response = client_for(loop.clerk).post(
        reverse("cases:create"),
        _intake_data(region=loop.community_region.pk, facts="漏水\x00", place="3号楼\x00"),
    )
    assert response.status_code == 200
    assert 'data-testid="error-facts"' in response.content.decode()
    response = api_for(loop.clerk).post(
        "/api/cases/disputes/",
        {"source_channel": "visit", "category": "neighbour", "facts": "漏水\x00",
         "region": loop.community_region.pk, "parties": [{"name": "张\x00三", "id_number": ID_ZHANG}]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert {"facts", "parties"} <= set(response.json()["fields"])
    assert not Dispute.objects.exists()


def test_posted_nul_read_by_hand_is_a_400_with_a_message(loop, register, client_for):
    dispute = register()
    client = client_for(loop.clerk)
    response = client.post(
        reverse("cases:bulk"), {"ids": [dispute.pk], "action": "bundle", "title": "飞线\x00充电"}
    )
    assert response.status_code == 400
    assert "空字符（NUL）" in response.content.decode()
    response = client.post(reverse("cases:filter_save"), {"name": "我的\x00", "query": "q=x"})
    assert response.status_code == 400
