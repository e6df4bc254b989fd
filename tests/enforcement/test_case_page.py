"""The case page: header, parties (masked phones), basis, timeline, documents, actions and
the panels other parts register; 404 outside the court; queries that do not grow."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from audit.selectors import history_for, latest_history
from enforcement import panels
from enforcement.case_page import case_page
from enforcement.models import CaseParty, CaseStatus, EnforcementCase, EnforcementRole

from .conftest import add_party, make_case
from .funds_fixtures import receive
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
    for number in range(5):
        add_party(large, role=EnforcementRole.DEBTOR, name=f"被执{number}")
    client.force_login(eworld.officer)
    client.get(reverse("enforcement:detail", args=[small.pk]))  # warm caches
    # the parties, clocks, fund summary and notices read once for every section, and no
    # section reads records the case has none of (enforcement/case_data.py); the count
    # depends on which kinds of record a case has, never on how many (the debtors' persons,
    # for the notices' data, are one query of their own: not joined to 400 applicants)
    few = _queries_for(client, small, django_assert_max_num_queries, 28)
    many = _queries_for(client, large, django_assert_max_num_queries, few)
    assert many == few


def test_long_lists_are_cut_with_a_link_to_all(client, eworld):
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    pile_up(case, deadlines=60, entries=30, actor=eworld.clerk)  # 30 open, 30 met
    for number in range(30):
        add_party(case, role=EnforcementRole.APPLICANT, name=f"工人{number:02d}", share=None)
    client.force_login(eworld.officer)
    html = client.get(reverse("enforcement:detail", args=[case.pk])).content.decode()
    applicants = html.split('data-testid="applicants"')[1].split("</ul>")[0]
    assert applicants.count('data-testid="party"') == 20
    assert "另 11 名，查看全部当事人" in html  # 张申请 and 30 workers
    assert reverse("enforcement:case_parties", args=[case.pk]) in html
    timeline = html.split('data-testid="timeline"')[1].split("</section>")[0]
    # the 20 soonest open (of 30) and the latest 10 closed
    assert timeline.count('data-testid="deadline-') == 30
    assert timeline.count(">进行中</span>") == 20
    assert "另有 10 个未完结的期限" in html
    assert reverse("enforcement:case_deadlines", args=[case.pk]) in html
    # history: the latest 20 and the link to the full history
    assert html.count('data-testid="history-entry"') == 20


def test_parties_page_lists_every_party_in_pages(client, eworld):
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    for number in range(60):
        add_party(case, role=EnforcementRole.APPLICANT, name=f"工人{number:02d}",
                  phone="13900001234")  # fmt: skip
    client.force_login(eworld.officer)
    url = reverse("enforcement:case_parties", args=[case.pk])
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    names = [f"工人{number:02d}" for number in range(60)] + ["张申请", "王被执"]
    assert all((name in first) != (name in second) for name in names)  # each on one page
    assert first.count('data-testid="party"') == 50
    assert second.count('data-testid="party"') == 12
    assert "139****1234" in first and "13900001234" not in first


def test_deadlines_page_lists_open_then_closed(client, eworld):
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    pile_up(case, deadlines=60, entries=0, actor=eworld.clerk)
    client.force_login(eworld.officer)
    url = reverse("enforcement:case_deadlines", args=[case.pk])
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    assert first.count('data-testid="deadline-') == 50
    assert second.count('data-testid="deadline-') == 10
    # the 30 open first, then the 30 closed: page 2 holds the last 10 closed ones
    assert first.count('text-bg-primary">进行中') == 30
    assert first.count('text-bg-success">已完成') == 20
    assert second.count('text-bg-success">已完成') == 10
    assert "进行中" not in second


@pytest.mark.parametrize("name", ["enforcement:case_parties", "enforcement:case_deadlines"])
def test_show_all_pages_404_outside_the_court(client, eworld, page_case, name):
    client.force_login(eworld.outsider)
    assert client.get(reverse(name, args=[page_case.pk])).status_code == 404


def _contexts(rendered):
    # the clock's reading ("now") is the only thing two reads may differ in
    return [(panel.key, {k: v for k, v in data.items() if k != "now"}) for panel, data in rendered]


def _sections(case, user):
    """Every panel's context and the next steps as each part reads them on its own."""
    fresh = EnforcementCase.objects.get(pk=case.pk)
    return _contexts(panels.panels_for(fresh, user)), (
        panels.next_steps_for(EnforcementCase.objects.get(pk=case.pk))
    )


@pytest.mark.parametrize("with_money", [False, True])
def test_shared_reads_give_what_each_part_reads_itself(eworld, with_money):
    """The case page's one read (case_data) and its probe of which records exist change
    no panel and no next step, with records and without."""
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    pile_up(case, deadlines=3, entries=3, actor=eworld.clerk)
    if with_money:
        receive(case, Decimal("1200.00"), eworld.officer)
    expected_panels, expected_steps = _sections(case, eworld.officer)
    page = case_page(EnforcementCase.objects.get(pk=case.pk), eworld.officer)
    assert _contexts(page.panels) == expected_panels
    assert page.next_steps == expected_steps
    funds = dict(expected_panels)["funds"]
    assert bool(funds["receipts"]) == with_money


def test_latest_history_is_the_head_of_the_full_history(eworld):
    """The page's newest entries (own and related records' read apart, then merged) are
    the first of the full history, interleaved by time."""
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    pile_up(case, deadlines=0, entries=30, actor=eworld.clerk)  # a minute apart, to now
    worker = add_party(case, role=EnforcementRole.APPLICANT, name="工人甲")
    now = timezone.now()
    AuditEntry.objects.bulk_create(
        AuditEntry(at=now - datetime.timedelta(seconds=90 * n), actor=eworld.clerk,
                   actor_name=str(eworld.clerk), action=AuditEntry.Action.CHANGE,
                   content_type=ContentType.objects.get_for_model(CaseParty),
                   object_id=str(worker.pk), object_repr=str(worker), changes={})
        for n in range(10)
    )  # fmt: skip
    full = [e.pk for e in history_for(case).order_by("-at", "-pk")[:21]]
    latest = [e.pk for e in latest_history(case, 21)]
    assert latest == full
    assert {e.content_type.model for e in AuditEntry.objects.filter(pk__in=latest)} >= {
        "enforcementcase",
        "caseparty",
    }


def test_parties_and_clocks_written_in_python_say_what_the_case_recorded(client, eworld):
    """The parties and clocks sections are written by presenters_case: a representative
    and the workers he represents with their shares, a phone masked, markup shown as text,
    an overdue clock in red with its owner, a met one muted."""
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    head = add_party(case, role=EnforcementRole.APPLICANT, name="王<b>代表</b>",
                     share=Decimal("1200.50"), is_representative=True, phone="13912345678")  # fmt: skip
    add_party(case, role=EnforcementRole.APPLICANT, name="李工人", share=Decimal("800.00"),
              represented_by=head)  # fmt: skip
    late = start_clock(case, "enforcement.notice_issue", actor=eworld.clerk, due_in_days=-2)
    client.force_login(eworld.officer)
    html = client.get(reverse("enforcement:detail", args=[case.pk])).content.decode()
    applicants = html.split('data-testid="applicants"')[1].split("</ul>")[0]
    assert "<b>代表</b>" not in html and "王&lt;b&gt;代表&lt;/b&gt;" in applicants
    assert "代表人" in applicants and "份额 ¥1,200.50" in applicants
    assert "李工人 · 份额 ¥800.00 · 由王&lt;b&gt;代表&lt;/b&gt;代表" in applicants
    assert "139****5678" in applicants and "13912345678" not in html
    row = html.split(f'data-testid="deadline-{late.pk}"')[1].split("</li>")[0]
    assert (
        'class="border-top pt-1 mt-1 text-danger"'
        in html.split(f'data-testid="deadline-{late.pk}"')[0].rsplit("<li", 1)[1]
    )
    assert reverse("deadlines:detail", args=[late.pk]) in row and "超期" in row
    assert timezone.localtime(late.due_at).strftime("%Y-%m-%d") in row
