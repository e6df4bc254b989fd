"""Searching by ID number or phone: by POST, behind an opaque session reference — never in a
URL (access logs, history, Referer) nor in a saved filter."""

from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

from cases.models import SavedFilter

from .conftest import ID_ZHANG, PHONE_ZHANG


def _assert_clean(text: str) -> None:
    assert ID_ZHANG not in text and PHONE_ZHANG not in text
    assert ID_ZHANG.lower() not in text


def test_list_search_by_id_number_posts_and_redirects_to_an_opaque_reference(
    loop, register, client_for
):
    ours = register()
    other = register(parties=[{"name": "李四"}], facts="另一件事")
    client = client_for(loop.clerk)
    page = client.get(reverse("cases:list")).content.decode()
    assert 'method="post" action="/cases/"' in page and 'data-testid="filters"' in page

    response = client.post(reverse("cases:list"), {"q": ID_ZHANG, "status": "registered"})
    assert response.status_code == 302
    _assert_clean(response.url)
    params = parse_qs(urlsplit(response.url).query)
    assert params["status"] == ["registered"] and "q" not in params and params["person"]

    page = client.get(response.url).content.decode()
    assert ours.reference in page and other.reference not in page
    assert "110***********002X" in page  # what is being searched, masked
    _assert_clean(page)  # not echoed in the search box, the paging links or the save form


def test_list_search_by_phone_uses_the_phone_the_dispute_recorded(loop, register, client_for):
    ours = register()
    client = client_for(loop.clerk)
    response = client.post(reverse("cases:list"), {"q": "138 0013 8000"})
    _assert_clean(response.url)
    assert ours.reference in client.get(response.url).content.decode()
    # a phone only another organisation recorded for the same person finds nothing here
    outsider = client_for(loop.outsider)
    response = outsider.post(reverse("cases:list"), {"q": PHONE_ZHANG})
    assert ours.reference not in outsider.get(response.url).content.decode()


def test_a_get_with_a_number_is_moved_out_of_the_url(loop, register, client_for):
    ours = register()
    client = client_for(loop.clerk)
    response = client.get(reverse("cases:list"), {"q": ID_ZHANG})
    assert response.status_code == 302
    _assert_clean(response.url)
    assert ours.reference in client.get(response.url).content.decode()


def test_reference_from_another_session_finds_nothing(loop, register, client_for, client):
    register()
    clerk = client_for(loop.clerk)
    url = clerk.post(reverse("cases:list"), {"q": ID_ZHANG}).url
    client.logout()
    client.cookies.clear()
    client.force_login(loop.clerk)  # a new session: the reference means nothing there
    page = client.get(url).content.decode()
    assert "已失效" in page


def test_saved_filters_never_keep_a_number_or_its_reference(loop, register, client_for):
    register()
    client = client_for(loop.clerk)
    url = client.post(reverse("cases:list"), {"q": ID_ZHANG, "status": "registered"}).url
    page = client.get(url).content.decode()
    assert 'name="query" value="status=registered"' in page  # the save form: no reference
    saved = client.post(
        reverse("cases:filter_save"),
        {"name": "身份证", "query": f"q={ID_ZHANG}&status=registered&person=abc&after=x"},
    )
    # nor does the page it goes back to carry the number in its address
    assert saved.url == f"{reverse('cases:list')}?status=registered"
    client.post(reverse("cases:filter_save"), {"name": "电话", "query": f"q={PHONE_ZHANG}"})
    assert dict(SavedFilter.objects.values_list("name", "query")) == {
        "身份证": "status=registered",
        "电话": "",
    }


def test_api_refuses_a_number_in_the_query_string_and_searches_by_post(loop, register, api_for):
    ours = register()
    register(parties=[{"name": "李四"}], facts="另一件事")
    api = api_for(loop.clerk)
    refused = api.get("/api/cases/disputes/", {"q": ID_ZHANG})
    assert refused.status_code == 400 and "search" in refused.json()["fields"]["q"][0]
    for value in (ID_ZHANG, PHONE_ZHANG):
        found = api.post("/api/cases/disputes/search/", {"q": value}, format="json")
        assert found.status_code == 200
        assert [d["id"] for d in found.json()["results"]] == [ours.pk]
    bad = api.post("/api/cases/disputes/search/", {"q": "张三"}, format="json")
    assert bad.status_code == 400 and "q" in bad.json()["fields"]
    outsider = api_for(loop.outsider).post(
        "/api/cases/disputes/search/", {"q": ID_ZHANG}, format="json"
    )
    assert outsider.json()["results"] == []
