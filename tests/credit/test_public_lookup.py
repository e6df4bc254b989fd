"""The public lookup /gs/: exact identity, published only, masked, challenge, rate limits."""

import re

import pytest
from django.urls import reverse

from cases.models import Party
from common import pii
from common.challenge import challenge_issue
from credit.models import BoundRole, CreditChange, Publication
from credit.public.forms import PURPOSE
from tests.credit.publicworld import (
    ID_HU,
    ID_OTHER,
    credit_code,
    make_debtor_case,
    make_listing,
    make_org_case,
    make_restriction,
    set_publication,
)

pytestmark = pytest.mark.django_db
URL = "/gs/"


def _search(client, name, identity, *, answer_delta=0, challenge=None, **extra):
    challenge = challenge or challenge_issue(purpose=PURPOSE)
    return client.post(
        URL,
        {
            "name": name,
            "identity": identity,
            "challenge_token": challenge.token,
            "challenge_answer": str(challenge.answer + answer_delta),
        },
        **extra,
    )


@pytest.fixture
def hu_listed(eworld):
    case = make_debtor_case(eworld)
    return make_listing(eworld, case)


def test_the_page_needs_no_login_and_routes_by_reverse(client):
    assert reverse("credit_public:lookup") == URL
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="challenge-image"' in body and "data:image/png;base64," in body
    assert "<script>" not in body  # CSP: scripts from static files only
    assert "no-store" in response["Cache-Control"]


def test_a_published_listing_shows_masked_with_the_published_facts(client, hu_listed):
    response = _search(client, "胡某某", ID_HU)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="lookup-entry-listing"' in body
    assert "胡**" in body and "胡某某</strong>" not in body
    assert hu_listed.debtor_id_masked in body
    assert ID_HU not in body  # never the full number, not even in the re-rendered form
    for fact in ("（2026）蒙0302民初88号", hu_listed.case.case_number, "支付修理费12000元", "男"):
        assert fact in body
    assert f"<dd>{hu_listed.age_on(hu_listed.published_at.date())}</dd>" in body


def test_pending_shielded_and_removed_entries_are_not_shown(client, eworld, hu_listed):
    other = make_debtor_case(eworld, name="李某", id_value=ID_OTHER)
    make_listing(eworld, other, publication=Publication.PENDING)
    assert "lookup-none" in _search(client, "李某", ID_OTHER).content.decode()
    set_publication(hu_listed, Publication.SHIELDED, CreditChange.Action.SHIELDED)
    assert "lookup-none" in _search(client, "胡某某", ID_HU).content.decode()


def test_a_removed_entry_disappears_at_once(client, hu_listed):
    assert "lookup-entry-listing" in _search(client, "胡某某", ID_HU).content.decode()
    set_publication(hu_listed, Publication.REMOVED, CreditChange.Action.REMOVED)
    body = _search(client, "胡某某", ID_HU).content.decode()
    assert "lookup-entry-listing" not in body and "lookup-none" in body


def test_a_right_number_with_a_wrong_name_answers_like_an_unknown_number(client, hu_listed):
    wrong_name = _search(client, "胡某", ID_HU).content.decode()
    unknown = _search(client, "胡某", ID_OTHER).content.decode()
    assert "lookup-none" in wrong_name and "lookup-none" in unknown
    strip = re.compile(r'value="[^"]*"|data:image/png;base64,[^"]+|"X-CSRFToken": "[^"]+"')
    assert strip.sub("", wrong_name) == strip.sub("", unknown)


def test_a_name_alone_is_refused(client, hu_listed):
    response = _search(client, "胡某某", "")
    assert response.status_code == 400
    assert "lookup-entry" not in response.content.decode()


def test_an_organisation_by_credit_code_with_its_legal_representative(client, eworld):
    code = credit_code()
    case = make_org_case(eworld, code=code)
    make_restriction(eworld, case)
    body = _search(client, "乙商贸有限公司", code.lower()).content.decode()
    assert 'data-testid="lookup-entry-restriction"' in body
    assert "乙商贸有限公司" in body and code in body and "钱某" in body


def test_a_legal_representative_finds_the_restriction_binding_them(client, eworld):
    person = Party(kind=Party.Kind.PERSON, name="钱某")
    pii.seal_into(person, "id_number", pii.seal_id_number(ID_OTHER))
    person.save()
    case = make_org_case(eworld)
    make_restriction(eworld, case, bound=[(BoundRole.LEGAL_REPRESENTATIVE, person)])
    body = _search(client, "钱某", ID_OTHER).content.decode()
    assert "lookup-entry-restriction" in body and "法定代表人" in body


@pytest.mark.parametrize(
    "case",
    ["missing", "wrong", "replayed", "forged"],
)
def test_the_search_is_refused_without_a_solved_challenge(client, hu_listed, case):
    challenge = challenge_issue(purpose=PURPOSE)
    data = {"name": "胡某某", "identity": ID_HU, "challenge_token": challenge.token}
    if case == "missing":
        data["challenge_answer"] = ""
    elif case == "wrong":
        data["challenge_answer"] = str(challenge.answer + 3)
    elif case == "replayed":
        data["challenge_answer"] = str(challenge.answer)
        assert "lookup-entry-listing" in client.post(URL, data).content.decode()
    else:
        data["challenge_token"] = challenge_issue(purpose="documents.other").token
        data["challenge_answer"] = str(challenge.answer)
    response = client.post(URL, data)
    body = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="challenge-error"' in body
    assert "lookup-entry" not in body and "lookup-result" not in body
    # a fresh challenge is drawn, not the spent token rendered again
    assert challenge.token not in body


def test_searches_are_rate_limited_per_client_address_also_behind_the_proxy(
    client, settings, hu_listed
):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "credit_lookup": "3/min"}
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    via = {"REMOTE_ADDR": "10.0.0.5"}
    for _attempt in range(3):
        # wrong answers count too: a scraper cannot probe the challenge for free
        _search(client, "胡某某", ID_HU, answer_delta=1, HTTP_X_FORWARDED_FOR="198.51.100.7", **via)
    refused = _search(client, "胡某某", ID_HU, HTTP_X_FORWARDED_FOR="198.51.100.7", **via)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert 'data-testid="lookup-limited"' in refused.content.decode()
    # another client behind the same proxy keeps its own budget
    other = _search(client, "胡某某", ID_HU, HTTP_X_FORWARDED_FOR="198.51.100.8", **via)
    assert other.status_code == 200


def test_a_daily_budget_stops_a_slow_scraper(client, settings, hu_listed):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "credit_lookup_day": "2/day"}
    assert _search(client, "胡某某", ID_HU).status_code == 200
    assert _search(client, "胡某某", ID_HU).status_code == 200
    assert _search(client, "胡某某", ID_HU).status_code == 429


def test_a_fresh_challenge_by_json_for_the_refresh_button(client, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "challenge": "2/min"}
    url = reverse("credit_public:challenge")
    data = client.get(url).json()
    assert set(data) == {"token", "image"} and data["image"].startswith("data:image/png")
    client.get(url)
    assert client.get(url).status_code == 429


def test_the_lookup_reads_few_queries(client, hu_listed, django_assert_max_num_queries):
    # listings, restrictions, entries binding the person (the party found by index in each)
    with django_assert_max_num_queries(3):
        _search(client, "胡某某", ID_HU)


def test_through_the_services_a_debtor_who_pays_is_gone_from_the_lookup_and_the_feed(
    client, eworld, case
):
    """The officer lists 王被执 (published at once, no grace); he pays in full; the removal
    runs; the next public search and the next partner sync no longer have him."""
    from credit.models import Trigger
    from credit.services import removal_execute, removals_start
    from tests.credit.conftest import impose
    from tests.enforcement.conftest import ID_DEBTOR

    listing = impose(eworld, case)
    listing.refresh_from_db()
    assert listing.publication == Publication.PUBLISHED
    assert "lookup-entry-listing" in _search(client, "王被执", ID_DEBTOR).content.decode()

    for removal in removals_start(
        case=case,
        trigger=Trigger.FULL_PERFORMANCE,
        reason="被执行人已全部履行",
        actor=eworld.officer,
    ):
        removal_execute(removal=removal, actor=eworld.officer)
    body = _search(client, "王被执", ID_DEBTOR).content.decode()
    assert "lookup-entry" not in body and "lookup-none" in body
    actions = list(CreditChange.objects.filter(listing=listing).values_list("action", flat=True))
    assert actions[-1] == CreditChange.Action.REMOVED
