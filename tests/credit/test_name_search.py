"""Staff search of the credit records by a 2-character name (or an ID number): page and API,
the bigram index actually used on PostgreSQL, scope (own court in full, other courts only
published, outsiders of the courts 404), bad input re-rendered / 400."""

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from credit.models import Listing, Publication, Restriction
from credit.search import bigrams, name_filter
from tests.credit import conftest as credit_fixtures
from tests.credit.publicworld import make_debtor_case, make_listing, make_restriction
from tests.enforcement.conftest import id_number

eworld = credit_fixtures.eworld

ID_ZW = id_number("19810203", "071")
ID_ZWH = id_number("19820304", "081")


@pytest.fixture
def people(eworld):
    """张伟 (listing + restriction), 张伟华, 李张伟 and 王芳 of the court; 张伟强 of the other
    court published, 张伟明 of the other court pending (not public)."""

    def listing(name, id_value, **kwargs):
        return make_listing(
            eworld, make_debtor_case(eworld, name=name, id_value=id_value), **kwargs
        )

    made = {
        "张伟": listing("张伟", ID_ZW),
        "张伟华": listing("张伟华", ID_ZWH),
        "李张伟": listing("李张伟", id_number("19830101", "091")),
        "王芳": listing("王芳", id_number("19840101", "101")),
        "张伟强": listing("张伟强", id_number("19850101", "111")),
        "张伟明": listing("张伟明", id_number("19860101", "121"), publication=Publication.PENDING),
    }
    made["张伟 restriction"] = make_restriction(eworld, made["张伟"].case)
    Listing.objects.filter(pk__in=[made["张伟强"].pk, made["张伟明"].pk]).update(
        court=eworld.other_court
    )
    return made


def test_bigrams():
    assert bigrams("张伟华") == ["伟华", "张伟"]
    assert bigrams("张伟") == ["张伟"]
    assert bigrams("阿卜杜·热合曼")[:1] == ["·热"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the index is PostgreSQL's")
def test_database_function_agrees_and_the_gin_index_is_used(people):
    with connection.cursor() as cursor:
        cursor.execute("SELECT credit_name_bigrams('张伟华'), credit_name_bigrams('张')")
        three, one = cursor.fetchone()
        assert sorted(three) == bigrams("张伟华") and one == []
        cursor.execute("SET enable_seqscan = off")  # a handful of rows: force the choice
        try:
            sql, params = name_filter(Listing.objects.all(), "张伟").query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("SET enable_seqscan = on")
    assert "credit_listing_name_bigram_idx" in plan


def test_two_character_name_finds_every_name_containing_it_exact_first(people, client, eworld):
    client.force_login(eworld.officer)
    response = client.get(reverse("credit:search"), {"q": " 张 伟 "})
    assert response.status_code == 200
    hits = response.context["result"].hits
    names = [(h.record.debtor_name, h.kind) for h in hits]
    assert names == [
        ("张伟", "listing"),
        ("张伟", "restriction"),
        ("张伟华", "listing"),
        ("张伟强", "listing"),  # another court's, published
        ("李张伟", "listing"),
    ]
    assert "张伟明" not in response.content.decode()  # another court's, not published
    assert "王芳" not in response.content.decode()
    other = next(h for h in hits if h.record.debtor_name == "张伟强")
    assert not other.in_scope
    body = response.content.decode()
    assert reverse("credit:listing", args=[people["张伟"].pk]) in body
    assert reverse("credit:listing", args=[other.record.pk]) not in body  # not theirs to open
    assert ID_ZW not in body and people["张伟"].debtor_id_masked in body


def test_three_characters_and_given_name(people, client, eworld):
    client.force_login(eworld.officer)
    result = client.get(reverse("credit:search"), {"q": "张伟华"}).context["result"]
    assert [h.record.debtor_name for h in result.hits] == ["张伟华"]
    result = client.get(reverse("credit:search"), {"q": "伟华"}).context["result"]
    assert [h.record.debtor_name for h in result.hits] == ["张伟华"]


def test_id_number_search(people, client, eworld):
    client.force_login(eworld.officer)
    result = client.get(reverse("credit:search"), {"q": ID_ZWH}).context["result"]
    assert [h.record.debtor_name for h in result.hits] == ["张伟华"]


def test_one_character_or_bad_id_rerenders_with_the_message(people, client, eworld):
    client.force_login(eworld.officer)
    response = client.get(reverse("credit:search"), {"q": "张"})
    assert response.status_code == 400
    assert "请至少输入两个字" in response.content.decode()
    assert 'data-testid="search-error"' in response.content.decode()
    response = client.get(
        reverse("credit:search"), {"q": ID_ZW[:-1] + ("0" if ID_ZW[-1] != "0" else "1")}
    )
    assert response.status_code == 400
    assert "校验位" in response.content.decode()


def test_more_than_the_limit_says_so(eworld, client, monkeypatch, people):
    monkeypatch.setattr("credit.search.LIMIT", 2)
    from credit import search

    result = search.credit_search(eworld.officer, "张伟", limit=2)
    assert len(result.hits) == 2 and result.more


def test_outsider_of_the_courts_gets_404_and_other_court_sees_only_published(
    people, client, eworld
):
    client.force_login(eworld.centre_supervisor)
    assert client.get(reverse("credit:search"), {"q": "张伟"}).status_code == 404
    assert client.get(reverse("credit:search")).status_code == 404
    client.force_login(eworld.outsider)  # the other court: its own two, ours only published
    result = client.get(reverse("credit:search"), {"q": "张伟"}).context["result"]
    seen = {(h.record.debtor_name, h.kind, h.in_scope) for h in result.hits}
    assert ("张伟明", "listing", True) in seen  # its own pending entry
    assert ("张伟", "listing", False) in seen


def test_removed_entries_of_another_court_are_not_found(people, client, eworld):
    Listing.objects.filter(pk=people["张伟"].pk).update(publication=Publication.REMOVED)
    Restriction.objects.filter(pk=people["张伟 restriction"].pk).update(
        publication=Publication.REMOVED
    )
    client.force_login(eworld.outsider)
    result = client.get(reverse("credit:search"), {"q": "张伟"}).context["result"]
    assert "张伟" not in [h.record.debtor_name for h in result.hits]
    client.force_login(eworld.officer)  # its own court still finds them, marked removed
    response = client.get(reverse("credit:search"), {"q": "张伟"})
    assert "已删除" in response.content.decode()


def test_api(people, eworld):
    api = APIClient()
    api.force_authenticate(eworld.officer)
    response = api.get("/api/credit/search/", {"q": "张伟"})
    assert response.status_code == 200
    body = response.json()
    assert body["more"] is False
    assert [(r["debtor_name"], r["kind"]) for r in body["results"]][:2] == [
        ("张伟", "listing"),
        ("张伟", "restriction"),
    ]
    first = body["results"][0]
    assert first["debtor_id_masked"] == people["张伟"].debtor_id_masked
    assert first["in_scope"] is True and first["debtor"] == people["张伟"].debtor_id
    assert ID_ZW not in response.content.decode()
    response = api.get("/api/credit/search/", {"q": "张"})
    assert response.status_code == 400
    assert "两个字" in response.json()["fields"]["q"][0]
    api.force_authenticate(eworld.centre_supervisor)
    assert api.get("/api/credit/search/", {"q": "张伟"}).status_code == 404
    api.force_authenticate(None)
    assert api.get("/api/credit/search/", {"q": "张伟"}).status_code in (401, 403)
