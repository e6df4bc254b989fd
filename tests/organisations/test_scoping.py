"""Scoping from the outside: pages and API answer 404 outside a user's organisations, lists never leak."""

import pytest
from django.urls import reverse

from organisations.roles import Role
from organisations.selectors import organisations_visible_to, roles_in_scope_of

pytestmark = pytest.mark.django_db


def test_member_sees_own_organisation_and_its_subtree_only(world):
    visible = set(organisations_visible_to(world.owner))
    assert world.court in visible
    assert world.tribunal in visible
    assert world.other_court not in visible


def test_supervisor_sees_the_whole_region_subtree(world):
    visible = set(organisations_visible_to(world.supervisor))
    assert {world.court, world.tribunal, world.other_court} <= visible


def test_subtree_is_one_query(world, django_assert_num_queries):
    assert world.owner.active_memberships  # loaded once per request, before the query
    with django_assert_num_queries(1):
        list(organisations_visible_to(world.owner))


def test_roles_reach_only_the_scope(world):
    assert roles_in_scope_of(world.owner, world.tribunal) == {Role.CLERK}
    assert roles_in_scope_of(world.owner, world.other_court) == set()
    assert roles_in_scope_of(world.supervisor, world.other_court) == {Role.SUPERVISOR}


def test_outsider_cannot_read_organisation_page(world, client_for):
    client = client_for(world.outsider)
    response = client.get(reverse("organisations:detail", args=[world.court.pk]))
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_owner_can_read_own_organisation_page(world, client_for):
    client = client_for(world.owner)
    response = client.get(reverse("organisations:detail", args=[world.tribunal.pk]))
    assert response.status_code == 200
    assert "新华人民法庭" in response.content.decode()


def test_organisation_list_never_leaks(world, client_for):
    page = client_for(world.outsider).get(reverse("organisations:list")).content.decode()
    assert "海南区人民法院" in page
    assert "海勃湾区人民法院" not in page


def test_outsider_cannot_read_by_api_or_by_guessing_an_id(world, api_for):
    api = api_for(world.outsider)
    response = api.get(f"/api/organisations/{world.court.pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    listing = api.get("/api/organisations/").json()
    assert [row["name"] for row in listing["results"]] == ["海南区人民法院"]


def test_outsider_cannot_read_history_of_another_courts_record(world, client_for):
    client = client_for(world.outsider)
    assert client.get(f"/audit/organisations/organisation/{world.court.pk}/").status_code == 404
    url = f"/audit/organisations/organisation/{world.court.pk}/export.csv"
    assert client.get(url).status_code == 404


def test_anonymous_is_sent_to_login_and_api_refuses(world, client, api_client):
    response = client.get(reverse("organisations:list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert api_client.get("/api/organisations/").status_code in (401, 403)
