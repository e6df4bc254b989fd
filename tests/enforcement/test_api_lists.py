"""The enforcement read API: /api/enforcement/cases/ (the court's list and the case) and
/api/enforcement/workbench/ (the officer's own open cases, soonest due first)."""

import pytest

from enforcement.models import CaseStatus, EnforcementRole

from .conftest import add_party, make_case
from .workbench_fixtures import pile_up, start_clock

LIST = "/api/enforcement/cases/"
WORKBENCH = "/api/enforcement/workbench/"


@pytest.fixture
def cases(eworld):
    mine = make_case(eworld.court, eworld.clerk, officer=eworld.officer, is_enterprise=True)
    add_party(mine, role=EnforcementRole.DEBTOR, name="钱保证", phone="13912345678")
    start_clock(mine, "enforcement.notice_issue", actor=eworld.clerk, due_in_days=-1)
    filed = make_case(eworld.court, eworld.clerk, status=CaseStatus.FILED)
    elsewhere = make_case(eworld.other_court, eworld.outsider)
    return {"mine": mine, "filed": filed, "elsewhere": elsewhere}


def test_list_in_scope_newest_first(api_for, eworld, cases):
    body = api_for(eworld.clerk).get(LIST).json()
    assert [row["id"] for row in body["results"]] == [cases["filed"].pk, cases["mine"].pk]
    row = body["results"][1]
    assert row["amount_ordered"] == "51770.00"  # money is a string
    assert row["priorities"] == ["enterprise"]
    assert row["next_deadline"]["kind"] == "enforcement.notice_issue"
    assert row["officer"]["name"] == "李执行"
    assert "count" not in body


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "filed"}, ["filed"]),
        ({"priority": "enterprise"}, ["mine"]),
        ({"overdue": "true"}, ["mine"]),
        ({"overdue": "false"}, ["filed"]),
        ({"application_late": "false"}, ["filed", "mine"]),
        ({"q": "钱保"}, ["mine"]),
    ],
)
def test_list_filters(api_for, eworld, cases, params, expected):
    body = api_for(eworld.clerk).get(LIST, params).json()
    assert [row["id"] for row in body["results"]] == [cases[name].pk for name in expected]


def test_officer_and_mine_filters(api_for, eworld, cases):
    api = api_for(eworld.officer)
    by_officer = api.get(LIST, {"officer": eworld.officer.pk}).json()["results"]
    assert [row["id"] for row in by_officer] == [cases["mine"].pk]
    mine = api.get(LIST, {"mine": "true"}).json()["results"]
    assert [row["id"] for row in mine] == [cases["mine"].pk]


def test_search_by_case_number_in_ascii_brackets(api_for, eworld, cases):
    typed = cases["mine"].case_number.replace("（", "(").replace("）", ")")
    body = api_for(eworld.clerk).get(LIST, {"q": typed}).json()
    assert [row["id"] for row in body["results"]] == [cases["mine"].pk]


@pytest.mark.parametrize(
    "params",
    [
        {"status": "nonsense"},
        {"year": "abc"},
        {"officer": "x"},
        {"priority": "vip"},
        {"overdue": "maybe"},
        {"page_size": "0"},
        {"cursor": "garbage"},
    ],
)
def test_bad_filters_are_400(api_for, eworld, cases, params):
    response = api_for(eworld.clerk).get(LIST, params)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_another_courts_officer_is_not_a_filter(api_for, eworld, cases):
    assert api_for(eworld.outsider).get(LIST, {"officer": eworld.officer.pk}).status_code == 400


def test_cursor_pages(api_for, eworld):
    for _number in range(5):
        make_case(eworld.court, eworld.clerk)
    api = api_for(eworld.clerk)
    first = api.get(LIST, {"page_size": 3}).json()
    second = api.get(first["next"]).json()
    ids = [row["id"] for row in first["results"] + second["results"]]
    assert len(ids) == 5 == len(set(ids))
    assert second["next"] is None


def test_detail_masks_phones_and_has_the_case_page(api_for, eworld, cases):
    response = api_for(eworld.officer).get(f"{LIST}{cases['mine'].pk}/")
    assert response.status_code == 200
    body = response.json()
    text = response.content.decode()
    assert "13912345678" not in text
    debtor = next(p for p in body["parties"] if p["name"] == "钱保证")
    assert debtor["phone_masked"] == "139****5678"
    assert "id_number" not in text
    assert body["basis"]["document_number"] == "（2026）蒙0302民初88号"
    assert body["principal"] == "51770.00"
    assert body["deadlines"][0]["kind"] == "enforcement.notice_issue"
    assert {a["name"] for a in body["actions"]} >= {"suspend"}


@pytest.mark.parametrize("who", ["outsider", "centre_supervisor"])
def test_detail_outside_is_404(api_for, eworld, cases, who):
    api = api_for(getattr(eworld, who))
    assert api.get(f"{LIST}{cases['mine'].pk}/").status_code == 404
    assert cases["mine"].pk not in [row["id"] for row in api.get(LIST).json()["results"]]


def test_anonymous_is_401(client, cases):
    assert client.get(LIST).status_code == 401
    assert client.get(WORKBENCH).status_code == 401


def test_workbench_soonest_first(api_for, eworld, cases):
    later = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    start_clock(later, "enforcement.notice_issue", actor=eworld.clerk, due_in_days=3)
    idle = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    api = api_for(eworld.officer)
    first = api.get(WORKBENCH, {"page_size": 2}).json()
    second = api.get(first["next"]).json()
    ids = [row["id"] for row in first["results"] + second["results"]]
    assert ids == [cases["mine"].pk, later.pk, idle.pk]
    assert first["results"][0]["next_deadline"]["due_at"]


def test_detail_queries_do_not_grow(api_for, eworld, django_assert_max_num_queries):
    small = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    large = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    pile_up(small, deadlines=5, entries=5, actor=eworld.clerk)
    pile_up(large, deadlines=200, entries=200, actor=eworld.clerk)
    api = api_for(eworld.officer)
    api.get(f"{LIST}{small.pk}/")
    with django_assert_max_num_queries(30) as few:
        api.get(f"{LIST}{small.pk}/")
    with django_assert_max_num_queries(len(few)):
        api.get(f"{LIST}{large.pk}/")
