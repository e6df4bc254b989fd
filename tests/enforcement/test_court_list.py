"""The court's list: filters, case numbers in any bracket form, party names within scope,
keyset pages, no COUNT over the table, bulk assignment through the assignment service."""

import datetime
import re
import types

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from common.statemachine import TransitionNotAllowed
from enforcement.models import CaseStatus, CaseType, EnforcementCase
from enforcement.selectors_lists import court_case_list, court_list_page

from .conftest import make_case
from .workbench_fixtures import start_clock


def numbers(queryset) -> set[str]:
    return {case.case_number for case in queryset}


@pytest.fixture
def docket(eworld):
    plain = make_case(eworld.court, eworld.clerk, officer=eworld.officer, applicant="孙国强")
    enterprise = make_case(eworld.court, eworld.clerk, officer=eworld.second_officer,
                           is_enterprise=True, applicant="乌海市某建材有限公司")  # fmt: skip
    late = make_case(eworld.court, eworld.clerk, application_late=True, status=CaseStatus.FILED)
    livelihood = make_case(eworld.court, eworld.clerk, is_livelihood=True,
                           officer=eworld.officer)  # fmt: skip
    small = make_case(eworld.court, eworld.clerk, is_small_claim=True, officer=eworld.officer)
    start_clock(small, "enforcement.notice_issue", actor=eworld.clerk, due_in_days=-1)
    old = make_case(eworld.court, eworld.clerk)
    EnforcementCase.objects.filter(pk=old.pk).update(
        number_year=2024, case_type=CaseType.RESUMED, status=CaseStatus.PERFORMED
    )
    elsewhere = make_case(eworld.other_court, eworld.outsider, applicant="孙国强")
    return types.SimpleNamespace(plain=plain, enterprise=enterprise, late=late,
                                 livelihood=livelihood, small=small, old=old,
                                 elsewhere=elsewhere)  # fmt: skip


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, {"plain", "enterprise", "late", "livelihood", "small", "old"}),
        ({"status": CaseStatus.FILED}, {"late"}),
        ({"case_type": CaseType.RESUMED}, {"old"}),
        ({"year": 2024}, {"old"}),
        ({"priority": "enterprise"}, {"enterprise"}),
        ({"priority": "livelihood"}, {"livelihood"}),
        ({"priority": "small_claim"}, {"small"}),
        ({"application_late": True}, {"late"}),
        ({"overdue": True}, {"small"}),
        ({"q": "孙国"}, {"plain"}),  # a party's name, within the court only
        ({"q": "乌海市某建材"}, {"enterprise"}),
    ],
)
def test_filters(eworld, docket, filters, expected):
    found = numbers(court_case_list(eworld.clerk, filters=filters))
    assert found == {getattr(docket, name).case_number for name in expected}


def test_officer_filter(eworld, docket):
    found = numbers(court_case_list(eworld.clerk, filters={"officer": eworld.second_officer}))
    assert found == {docket.enterprise.case_number}


@pytest.mark.parametrize(
    "typed",
    [
        lambda n: n,
        lambda n: n.replace("（", "(").replace("）", ")"),
        lambda n: n.replace("（", "〔").replace("）", "〕"),
        lambda n: " " + n.replace("（", "( ").replace("）", " )"),
        lambda n: n.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
        lambda n: n.removesuffix("号"),
    ],
)
def test_case_number_in_any_bracket_form(eworld, docket, typed):
    found = numbers(court_case_list(eworld.clerk, filters={"q": typed(docket.plain.case_number)}))
    assert docket.plain.case_number in found


def test_case_number_prefix(eworld, docket):
    year = timezone.localdate().year
    found = numbers(court_case_list(eworld.clerk, filters={"q": f"({year})蒙0302执"}))
    assert docket.plain.case_number in found and docket.elsewhere.case_number not in found


def test_other_courts_case_is_not_found_by_number(eworld, docket):
    assert not court_case_list(eworld.clerk, filters={"q": docket.elsewhere.case_number})


def test_higher_court_supervisor_sees_both_courts_below(eworld, docket):
    found = numbers(court_case_list(eworld.higher_supervisor, filters={"q": "孙国强"}))
    assert found == {docket.plain.case_number, docket.elsewhere.case_number}


def test_centre_supervisor_sees_nothing(eworld, docket):
    assert not court_case_list(eworld.centre_supervisor, filters={})


def test_keyset_pages(eworld):
    for _number in range(7):
        make_case(eworld.court, eworld.clerk)
    queryset = court_case_list(eworld.clerk, filters={})
    first = court_list_page(queryset, size=5)
    second = court_list_page(queryset, after=first.next_cursor, size=5)
    assert len(first.items) == 5 and len(second.items) == 2 and not second.has_more
    assert [c.pk for c in first.items + second.items] == [c.pk for c in queryset]


def test_page_renders_filters_and_rows(client, eworld, docket):
    client.force_login(eworld.clerk)
    response = client.get(reverse("enforcement:list"), {"priority": "enterprise"})
    assert response.status_code == 200
    html = response.content.decode()
    assert docket.enterprise.case_number in html
    assert docket.plain.case_number not in html
    assert 'data-testid="total"' in html
    assert 'data-testid="bulk-assign"' in html  # a clerk assigns


def test_rows_escape_what_people_typed(client, eworld, docket):
    """The rows are written in Python (presenters_lists): a name with markup in it shows
    as text in the table and the cards, on both lists."""
    eworld.officer.full_name = '<img src=x onerror="alert(1)">李&承办'
    eworld.officer.save(update_fields=["full_name"])
    client.force_login(eworld.clerk)
    html = client.get(reverse("enforcement:list")).content.decode()
    assert "<img src=x" not in html
    shown = "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;李&amp;承办"
    table = html.split('data-testid="case-table"')[1].split("</table>")[0]
    cards = html.split('data-testid="case-cards"')[1]
    assert shown in table and shown in cards


def test_bad_filters_show_errors_not_everything(client, eworld, docket):
    client.force_login(eworld.clerk)
    response = client.get(
        reverse("enforcement:list"), {"year": "二〇二六", "status": "nonsense", "officer": "x"}
    )
    assert response.status_code == 200
    assert not response.context["page"].items
    errors = response.context["form"].errors
    assert {"year", "status", "officer"} <= set(errors)


def test_outsider_cannot_filter_by_another_courts_officer(client, eworld, docket):
    client.force_login(eworld.outsider)
    response = client.get(reverse("enforcement:list"), {"officer": eworld.officer.pk})
    assert "officer" in response.context["form"].errors


def test_officer_sees_the_list_but_may_not_assign(client, eworld, docket):
    client.force_login(eworld.officer)
    html = client.get(reverse("enforcement:list")).content.decode()
    assert docket.plain.case_number in html
    assert 'data-testid="bulk-assign"' not in html


def test_no_count_over_the_whole_table(client, eworld, django_assert_max_num_queries):
    from enforcement import views

    for _number in range(4):
        make_case(eworld.court, eworld.clerk)
    client.force_login(eworld.clerk)
    original = views.PAGE_SIZE
    views.PAGE_SIZE = 2
    try:
        with django_assert_max_num_queries(40) as captured:
            response = client.get(reverse("enforcement:list"))
    finally:
        views.PAGE_SIZE = original
    counts = [
        q["sql"]
        for q in captured.captured_queries
        if "COUNT(" in q["sql"] and "enforcement_enforcementcase" in q["sql"]
    ]
    assert counts, "the first page says how many"
    assert all(re.search(r"LIMIT \d+", sql) for sql in counts), counts
    assert response.context["exact_total"] == 4


# --- bulk assignment ---------------------------------------------------------------


@pytest.fixture
def assign_calls(monkeypatch):
    """enforcement.services.assignment.case_assign, recorded (the real one is tested with
    it below; here the page's part: which cases, whom, by whom)."""
    calls = []

    def case_assign(*, case, officer, actor, note=""):
        if case.status != CaseStatus.FILED:
            raise TransitionNotAllowed("当前状态不能分配")
        if note == "invalid":
            raise ValidationError({"officer": ["该执行员已停用"]})
        calls.append((case.pk, officer.pk, actor.pk, note))
        EnforcementCase.objects.filter(pk=case.pk).update(
            officer=officer, status=CaseStatus.IN_PROGRESS
        )

    from enforcement import views

    monkeypatch.setattr(views, "case_assign", case_assign)
    return calls


def test_bulk_assign_calls_the_service_per_case(client, eworld, assign_calls):
    first = make_case(eworld.court, eworld.clerk, status=CaseStatus.FILED)
    second = make_case(eworld.court, eworld.clerk, status=CaseStatus.FILED)
    running = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    foreign = make_case(eworld.other_court, eworld.outsider, status=CaseStatus.FILED)
    client.force_login(eworld.clerk)
    response = client.post(
        reverse("enforcement:bulk_assign"),
        {"ids": [first.pk, second.pk, running.pk, foreign.pk], "officer": eworld.second_officer.pk,
         "note": "按承办量分配", "next": reverse("enforcement:list") + "?status=filed"},
        follow=True,
    )  # fmt: skip
    assert response.redirect_chain[-1][0] == reverse("enforcement:list") + "?status=filed"
    assert [call[0] for call in assign_calls] == [first.pk, second.pk]
    assert {call[1:] for call in assign_calls} == {
        (eworld.second_officer.pk, eworld.clerk.pk, "按承办量分配")
    }
    said = [str(m) for m in response.context["messages"]]
    assert any("已将2件案件分配给赵执行" in m for m in said)
    assert any(running.case_number in m and "当前状态不能分配" in m for m in said)
    assert any("1件所选案件不存在或不在您的范围内" in m for m in said)
    foreign.refresh_from_db()
    assert foreign.officer is None


def test_bulk_assign_service_field_errors_are_said(client, eworld, assign_calls):
    case = make_case(eworld.court, eworld.clerk, status=CaseStatus.FILED)
    client.force_login(eworld.clerk)
    response = client.post(
        reverse("enforcement:bulk_assign"),
        {"ids": [case.pk], "officer": eworld.officer.pk, "note": "invalid"},
        follow=True,
    )
    assert any("该执行员已停用" in str(m) for m in response.context["messages"])


def test_bulk_assign_needs_cases_and_an_officer_of_the_court(client, eworld, assign_calls):
    case = make_case(eworld.court, eworld.clerk, status=CaseStatus.FILED)
    client.force_login(eworld.clerk)
    response = client.post(reverse("enforcement:bulk_assign"), {"officer": eworld.officer.pk},
                           follow=True)  # fmt: skip
    assert any("请先勾选案件" in str(m) for m in response.context["messages"])
    outsider_officer = eworld.outsider  # a clerk of another court, not an officer here
    response = client.post(
        reverse("enforcement:bulk_assign"), {"ids": [case.pk], "officer": outsider_officer.pk},
        follow=True,
    )  # fmt: skip
    assert not assign_calls
    assert response.status_code == 200


def test_officer_may_not_bulk_assign(client, eworld, assign_calls):
    case = make_case(eworld.court, eworld.clerk, status=CaseStatus.FILED)
    client.force_login(eworld.officer)
    response = client.post(
        reverse("enforcement:bulk_assign"), {"ids": [case.pk], "officer": eworld.officer.pk}
    )
    assert response.status_code == 403
    assert not assign_calls


def test_bulk_assign_get_not_allowed(client, eworld):
    client.force_login(eworld.clerk)
    assert client.get(reverse("enforcement:bulk_assign")).status_code == 405


def test_bulk_assign_with_the_real_service(client, eworld):
    """The real service assigns from the list (its 7-day clock met, the case in progress)."""
    cases = [make_case(eworld.court, eworld.clerk, status=CaseStatus.FILED, officer=None)
             for _number in range(2)]  # fmt: skip
    client.force_login(eworld.clerk)
    client.post(
        reverse("enforcement:bulk_assign"),
        {"ids": [c.pk for c in cases], "officer": eworld.officer.pk},
    )
    for case in cases:
        case.refresh_from_db()
        assert case.officer == eworld.officer
        assert case.status == CaseStatus.IN_PROGRESS


def test_days_ago_is_not_a_future(eworld):
    # created_at orders the list; a case registered earlier comes later
    earlier = make_case(eworld.court, eworld.clerk)
    EnforcementCase.objects.filter(pk=earlier.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    later = make_case(eworld.court, eworld.clerk)
    assert [c.pk for c in court_case_list(eworld.clerk, filters={})][:2] == [later.pk, earlier.pk]


@pytest.mark.parametrize("cap", [0, 20_000])
def test_overdue_and_name_filters_past_the_id_cap(eworld, docket, monkeypatch, cap):
    """Few matches are handed over as ids; many stay a subquery: the same cases either way."""
    from enforcement import selectors_lists

    monkeypatch.setattr(selectors_lists, "IDS_CAP", cap)
    assert numbers(court_case_list(eworld.clerk, filters={"overdue": True})) == {
        docket.small.case_number
    }
    assert numbers(court_case_list(eworld.clerk, filters={"q": "孙国"})) == {
        docket.plain.case_number
    }


def test_the_filters_written_quickly_are_what_the_field_include_writes(eworld):
    """The list writes its filters with {% quick_field %}: the same markup as the include
    the other forms use, errors and all."""
    from enforcement.forms_lists import CourtListForm
    from enforcement.selectors_lists import assignable_officers
    from tests.common.test_quick_field import render_both

    form = CourtListForm(
        {"year": "abc", "overdue": "on"}, officers=assignable_officers(eworld.clerk)
    )
    assert not form.is_valid()
    for name in form.fields:
        include, quick = render_both(form, name)
        assert quick == include, name
    assert 'data-testid="error-year"' in render_both(form, "year")[1]


def test_officer_options_are_the_active_officers_of_the_courts_in_scope(eworld, client_for):
    from enforcement.forms_lists import officer_options
    from enforcement.selectors_lists import assignable_officer_options, assignable_officers
    from organisations.models import Membership
    from organisations.roles import Role
    from tests.factories import member

    gone = member(eworld.court, Role.ENFORCEMENT_OFFICER, full_name="钱离职")
    gone.is_active = False
    gone.save()
    left = member(eworld.court, Role.ENFORCEMENT_OFFICER, full_name="孙调离")
    Membership.objects.filter(user=left).update(is_active=False)
    twice = member(eworld.court, Role.ENFORCEMENT_OFFICER, full_name="周两院", username="zhou")
    Membership.objects.create(user=twice, organisation=eworld.other_court,
                              role=Role.ENFORCEMENT_OFFICER)  # fmt: skip
    member(eworld.other_court, Role.ENFORCEMENT_OFFICER, full_name="吴外院")
    nameless = member(eworld.court, Role.ENFORCEMENT_OFFICER, full_name="", username="zheng")

    options = assignable_officer_options(eworld.clerk)
    assert options == officer_options(assignable_officers(eworld.clerk))
    assert sorted(name for _pk, name in options) == sorted(["zheng", "周两院", "李执行", "赵执行"])
    assert nameless.pk in {pk for pk, _name in options}
    page = client_for(eworld.clerk).get(reverse("enforcement:list")).content.decode()
    assert "周两院" in page and "吴外院" not in page and "钱离职" not in page


def test_court_ids_for_follow_the_scope_rule_for_each_kind_of_member(eworld, world):
    from enforcement.selectors import courts_visible_to
    from enforcement.selectors_lists import court_ids_for
    from organisations.models import Membership, Organisation, User
    from organisations.roles import Role
    from tests.factories import OrganisationFactory, member

    both = member(eworld.other_court, Role.CLERK)
    Membership.objects.create(user=both, organisation=eworld.court, role=Role.SUPERVISOR)
    committee = OrganisationFactory(name="某人民调解委员会", region=world.district,
                                    kind=Organisation.Kind.MEDIATION_COMMITTEE)  # fmt: skip
    nobody = member(committee, Role.MEDIATOR)
    for user in (eworld.clerk, eworld.officer, eworld.outsider, world.supervisor, both, nobody):
        fresh = User.objects.get(pk=user.pk)  # no ids kept from an earlier call
        expected = set(courts_visible_to(fresh).values_list("pk", flat=True))
        assert set(court_ids_for(fresh)) == expected, user
    assert set(court_ids_for(User.objects.get(pk=eworld.clerk.pk))) >= {eworld.court.pk}
    assert eworld.other_court.pk not in court_ids_for(User.objects.get(pk=eworld.clerk.pk))


@pytest.mark.parametrize("cap", [0, 20_000])
def test_a_list_narrowed_to_ids_pages_like_any_other(eworld, monkeypatch, cap):
    """Past the cap the filter is a subquery and the keyset pages it; under it the page
    orders the matches itself: the same pages in the same order either way, and the total
    only where every match was read."""
    from enforcement import selectors_lists

    monkeypatch.setattr(selectors_lists, "IDS_CAP", cap)
    overdue = []
    for days in range(7):
        case = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
        start_clock(case, "enforcement.notice_issue", actor=eworld.clerk, due_in_days=-1)
        EnforcementCase.objects.filter(pk=case.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=days % 3)
        )  # ties on the moment: the id breaks them
        overdue.append(case.pk)
    make_case(eworld.court, eworld.clerk)  # not overdue
    queryset = court_case_list(eworld.clerk, filters={"overdue": True})
    expected = [c.pk for c in EnforcementCase.objects.filter(pk__in=overdue).order_by(
        "-created_at", "-pk")]  # fmt: skip
    pages, after = [], ""
    while True:
        page = court_list_page(queryset, after=after, size=3)
        pages.append([c.pk for c in page.items])
        if not page.has_more:
            break
        after = page.next_cursor
    assert pages == [expected[:3], expected[3:6], expected[6:]]
    first = court_list_page(queryset, size=3)
    assert first.total == (7 if cap else None)


def test_the_overdue_list_says_exactly_how_many_without_counting(
    client, eworld, django_assert_max_num_queries
):
    from enforcement import views

    for _number in range(5):
        case = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
        start_clock(case, "enforcement.notice_issue", actor=eworld.clerk, due_in_days=-2)
    client.force_login(eworld.clerk)
    original = views.PAGE_SIZE
    views.PAGE_SIZE = 2
    try:
        with django_assert_max_num_queries(40) as captured:
            response = client.get(reverse("enforcement:list"), {"overdue": "on"})
        second = client.get(reverse("enforcement:list") + response.context["next_url"])
    finally:
        views.PAGE_SIZE = original
    assert response.context["exact_total"] == 5
    assert "共 5 件" in response.content.decode()
    assert not [q for q in captured.captured_queries if "COUNT(" in q["sql"]
                and "enforcement_enforcementcase" in q["sql"]]  # fmt: skip
    shown = [row.pk for row in response.context["rows"] + second.context["rows"]]
    assert len(shown) == len(set(shown)) == 4
