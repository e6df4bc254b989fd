"""The case page: header, parties (masked phones), basis, timeline, documents, actions and
the panels other parts register; 404 outside the court; queries that do not grow."""

import pytest
from django.urls import reverse

from enforcement import panels
from enforcement.models import CaseStatus, EnforcementRole

from .conftest import add_party, make_case
from .workbench_fixtures import pile_up, start_clock


@pytest.fixture
def page_case(eworld):
    case = make_case(
        eworld.court, eworld.clerk, officer=eworld.officer, is_livelihood=True,
        application_late=True,
    )  # fmt: skip
    add_party(case, role=EnforcementRole.DEBTOR, name="钱保证", phone="13912345678")
    return case


def test_case_page_shows_the_case(client, eworld, page_case):
    start_clock(page_case, "enforcement.time_limit", actor=eworld.clerk)
    client.force_login(eworld.officer)
    response = client.get(reverse("enforcement:detail", args=[page_case.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert page_case.case_number in html
    assert "海勃湾区人民法院" in html
    assert "李执行" in html
    assert 'data-testid="priority-livelihood"' in html
    assert 'data-testid="application-late"' in html
    assert "张申请" in html and "王被执" in html and "钱保证" in html
    assert "139****5678" in html
    assert "13912345678" not in html
    assert "（2026）蒙0302民初88号" in html
    assert "执行期限" in html  # the deadline in the timeline
    # the officer may suspend an open case; the button is there (disabled: no page yet)
    assert 'data-testid="action-suspend"' in html
    assert 'data-testid="action-assign"' not in html


def test_case_page_renders_registered_panels(client, eworld, page_case):
    # any template will do: the panel's context keys reach it
    panels.register_panel(
        panels.CasePanel(
            key="probe", order=50, template="partials/empty.html",
            context=lambda case, user: {"message": f"探针面板 {case.pk}", "icon": "box"},
        )
    )  # fmt: skip
    panels.register_panel(
        panels.CasePanel(key="hidden", order=51, template="partials/empty.html",
                         context=lambda case, user: None)
    )  # fmt: skip
    try:
        client.force_login(eworld.officer)
        html = client.get(reverse("enforcement:detail", args=[page_case.pk])).content.decode()
    finally:
        panels._panels.pop("probe")
        panels._panels.pop("hidden")
    assert 'data-testid="panel-probe"' in html
    assert f"探针面板 {page_case.pk}" in html
    assert 'data-testid="panel-hidden"' not in html


@pytest.mark.parametrize("who", ["outsider", "centre_supervisor"])
def test_case_page_404_outside_the_court(client, eworld, page_case, who):
    client.force_login(getattr(eworld, who))
    assert client.get(reverse("enforcement:detail", args=[page_case.pk])).status_code == 404


def test_higher_court_supervisor_reads_it(client, eworld, page_case):
    client.force_login(eworld.higher_supervisor)
    assert client.get(reverse("enforcement:detail", args=[page_case.pk])).status_code == 200


def test_clerk_sees_assign_on_a_filed_case(client, eworld):
    case = make_case(eworld.court, eworld.clerk, status=CaseStatus.FILED)
    client.force_login(eworld.clerk)
    html = client.get(reverse("enforcement:detail", args=[case.pk])).content.decode()
    assert 'data-testid="action-assign"' in html
    assert "未分配" in html


def _queries_for(client, case, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(reverse("enforcement:detail", args=[case.pk]))
    assert response.status_code == 200
    return len(captured)


def test_case_page_queries_do_not_grow_with_the_case(client, eworld, django_assert_max_num_queries):
    small = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    large = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    pile_up(small, deadlines=5, entries=5, actor=eworld.clerk)
    pile_up(large, deadlines=200, entries=200, actor=eworld.clerk)
    for number in range(30):
        add_party(large, role=EnforcementRole.APPLICANT, name=f"工人{number}", share=None)
    client.force_login(eworld.officer)
    client.get(reverse("enforcement:detail", args=[small.pk]))  # warm caches
    # every part's panel reads a fixed handful (notices, assets, funds, credit, filing …)
    few = _queries_for(client, small, django_assert_max_num_queries, 80)
    many = _queries_for(client, large, django_assert_max_num_queries, few)
    assert many <= few
