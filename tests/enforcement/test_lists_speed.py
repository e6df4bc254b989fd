"""What keeps the officer's workbench and the court's list quick (bench/enforcement_lists.py)
without changing what they say: a fixed number of queries whatever the page's length, the
parts' next steps read for a page only where a case has rows, the rows' values computed in
Python the same as the templates' filters, the widgets' HTML the same as Django's, the API
list's shortcut the same answer as its declared fields."""

import datetime

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers

from common.widgets import QuickCheckboxInput, QuickNumberInput, QuickSelect, QuickTextInput
from enforcement import selectors_lists as lists
from enforcement.api.serializers_lists import (
    CasePageNextDeadlineSerializer,
    EnforcementCaseListSerializer,
)
from enforcement.models import CaseStatus, EnforcementCase, TargetKind
from enforcement.panels import next_steps_for, next_steps_for_many
from enforcement.presenters_lists import case_rows
from enforcement.services import measures as measure_services
from enforcement.templatetags import enforcement_tags

from .conftest import make_case
from .measures_fixtures import debtor
from .workbench_fixtures import start_clock

pytestmark = pytest.mark.django_db


def _more_cases(eworld, count, **fields):
    for number in range(count):
        case = make_case(eworld.court, eworld.clerk, officer=eworld.officer, **fields)
        start_clock(case, "enforcement.notice_issue", actor=eworld.clerk, due_in_days=number - 3)


def test_court_list_queries_do_not_grow_with_its_rows(
    client, eworld, django_assert_max_num_queries
):
    _more_cases(eworld, 2)
    client.force_login(eworld.clerk)
    client.get(reverse("enforcement:list"))
    with django_assert_max_num_queries(40) as few:
        first = client.get(reverse("enforcement:list"))
    _more_cases(eworld, 20, is_livelihood=True)
    _more_cases(eworld, 5, status=CaseStatus.FILED)
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("enforcement:list"))
    assert len(first.context["rows"]) == 2 and len(response.context["rows"]) == 27


def test_workbench_and_court_list_api_queries_do_not_grow(
    api_for, eworld, django_assert_max_num_queries
):
    _more_cases(eworld, 2)
    for who, url in ((eworld.officer, "/api/enforcement/workbench/"),
                     (eworld.clerk, "/api/enforcement/cases/")):  # fmt: skip
        api = api_for(who)
        api.get(url)
        with django_assert_max_num_queries(20) as few:
            api.get(url)
        counts = len(few)
        _more_cases(eworld, 10)
        with django_assert_max_num_queries(counts):
            assert api.get(url).status_code == 200


def test_a_page_of_next_steps_says_what_each_case_alone_says(eworld, django_assert_max_num_queries):
    """One case of the page has a measure waiting (a part that reads rows only for the
    cases having some), one is performed (credit's certificate, from what is missing),
    the rest have nothing: the page's batch answers as each case asked alone."""
    cases = [make_case(eworld.court, eworld.clerk, officer=eworld.officer) for _ in range(4)]
    measured = cases[1]
    measure_services.measure_request(
        case=measured, kind="search", subject=debtor(measured), actor=eworld.officer,
        approver=eworld.president, reason="隐匿财产", place="住所",
    )  # fmt: skip
    cases.append(make_case(eworld.court, eworld.clerk, status=CaseStatus.PERFORMED))
    cases.append(make_case(eworld.court, eworld.clerk, target_kind=TargetKind.ACT))
    ids = [case.pk for case in cases]

    def fresh():
        by_pk = EnforcementCase.objects.in_bulk(ids)
        return [by_pk[pk] for pk in ids]

    alone = [next_steps_for(case) for case in fresh()]
    assert any("搜查待" in step for step in alone[1])
    assert not any("搜查" in step for row in alone[:1] + alone[2:] for step in row)
    assert next_steps_for_many(fresh()) == alone
    # and a longer page asks no more
    with django_assert_max_num_queries(30) as few:
        next_steps_for_many(fresh())
    ids += [make_case(eworld.court, eworld.clerk, officer=eworld.officer).pk for _ in range(6)]
    with django_assert_max_num_queries(len(few)):
        next_steps_for_many(fresh())


def test_rows_say_what_the_template_filters_say(eworld):
    overdue = make_case(eworld.court, eworld.clerk, officer=eworld.officer, is_small_claim=True,
                        application_late=True)  # fmt: skip
    start_clock(overdue, "enforcement.notice_issue", actor=eworld.clerk, due_in_days=-2)
    EnforcementCase.objects.filter(pk=overdue.pk).update(
        filed_at=timezone.now() - datetime.timedelta(days=40)
    )
    unfiled = make_case(eworld.court, eworld.clerk, status=CaseStatus.FILED,
                        target_kind=TargetKind.ACT, is_enterprise=True)  # fmt: skip
    EnforcementCase.objects.filter(pk=unfiled.pk).update(filed_at=None)
    cases = lists.attach_next_deadlines(
        list(EnforcementCase.objects.filter(pk__in=[overdue.pk, unfiled.pk]).order_by("pk"))
    )
    for case in cases:
        case.next_steps = ["送达执行通知书", "核查财产报告"]
    late, act = case_rows(cases)

    case = cases[0]
    assert late.url == reverse("enforcement:detail", args=[case.pk])
    assert late.number == str(case)
    assert late.status_badge == enforcement_tags.status_badge(case)
    assert late.priority_badges == enforcement_tags.priority_badges(case)
    assert 'data-testid="priority-small"' in late.priority_badges
    assert late.overdue and enforcement_tags.is_past(case.next_due_at)
    assert late.next_deadline == enforcement_tags.kind_words(
        case.next_deadline_kind, case.next_deadline_label
    )
    assert late.due_on == timezone.localtime(case.next_due_at).strftime("%Y-%m-%d")
    assert late.filed_days == 40 == enforcement_tags.days_since(case.filed_at)
    assert late.filed_days_text == enforcement_tags.filed_days(case.filed_at) == "立案 40 天"
    assert late.officer == str(eworld.officer)
    assert late.amount == late.target == late.amount_ordered == "¥51,770.00"
    assert late.next_steps == "送达执行通知书；核查财产报告"

    assert not act.overdue and not act.has_deadline and act.due_on == ""
    assert act.filed_on == "" and act.filed_days is None and act.filed_days_text == ""
    assert act.officer == "" and act.amount == ""
    assert act.target == str(TargetKind.ACT.label)
    assert 'data-testid="priority-enterprise"' in act.priority_badges


def test_the_pages_show_the_rows(client, eworld):
    _more_cases(eworld, 5)  # due 3, 2 and 1 days ago and just now (overdue), tomorrow
    client.force_login(eworld.clerk)
    html = client.get(reverse("enforcement:list")).content.decode()
    for case in EnforcementCase.objects.all():
        assert f'href="{reverse("enforcement:detail", args=[case.pk])}"' in html
        assert f'data-testid="select-{case.pk}"' in html  # a clerk's checkbox
    assert html.count('data-testid="case-card"') == 5
    assert html.count('data-testid="overdue-badge"') == 4
    assert html.count('class="fq-row-overdue"') == 4
    client.force_login(eworld.officer)
    html = client.get(reverse("enforcement:workbench")).content.decode()
    assert html.count('data-testid="workbench-row"') == 5
    assert html.count('data-testid="case-card"') == 5
    assert 'data-testid="select-' not in html


class _Django(forms.Form):
    status = forms.ChoiceField(choices=[("", "全部"), ("a", "甲 & <乙>"), ("b", "丙")],
                               required=False)  # fmt: skip
    grouped = forms.ChoiceField(choices=[("组一", [("1", "一")]), ("2", "二")], required=False)
    q = forms.CharField(required=False)
    year = forms.IntegerField(required=False)
    flag = forms.BooleanField(required=False)


class _Quick(forms.Form):
    status = forms.ChoiceField(choices=[("", "全部"), ("a", "甲 & <乙>"), ("b", "丙")],
                               required=False, widget=QuickSelect)  # fmt: skip
    grouped = forms.ChoiceField(
        choices=[("组一", [("1", "一")]), ("2", "二")], required=False, widget=QuickSelect
    )
    q = forms.CharField(required=False, widget=QuickTextInput)
    year = forms.IntegerField(required=False, widget=QuickNumberInput)
    flag = forms.BooleanField(required=False, widget=QuickCheckboxInput)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"status": "a", "grouped": "1", "q": '"><script>', "year": "2026", "flag": "on"},
        {"status": "nonsense", "year": "x"},
    ],
)
def test_quick_widgets_write_what_django_writes(data):
    django_form, quick_form = _Django(data), _Quick(data)
    for form in (django_form, quick_form):
        for field in form.fields.values():
            field.widget.attrs.update({"class": "form-select", "aria-describedby": "x&y"})
    for name in _Django.base_fields:
        assert str(quick_form[name]) == str(django_form[name]), name


def test_the_api_list_shortcut_answers_as_its_fields(api_for, eworld):
    _more_cases(eworld, 2, is_livelihood=True)
    make_case(eworld.court, eworld.clerk, status=CaseStatus.FILED, target_kind=TargetKind.ACT,
              is_enterprise=True, is_small_claim=True)  # fmt: skip
    cases = lists.attach_next_deadlines(
        list(lists.court_scope(eworld.clerk).select_related(*lists.LIST_RELATED).order_by("pk"))
    )
    assert any(c.next_deadline_id for c in cases) and any(not c.officer_id for c in cases)
    for case in cases:
        serializer = EnforcementCaseListSerializer(case)
        walked = serializers.ModelSerializer.to_representation(serializer, case)
        assert serializer.data == walked
        if case.next_deadline_id:
            assert serializer.data["next_deadline"] == CasePageNextDeadlineSerializer(case).data


def test_a_page_says_start_an_inquiry_exactly_where_a_case_alone_does(eworld):
    """A money case in progress with no inquiry, one with an inquiry done and one whose only
    inquiry failed: the page's batch (which skips reading inquiries for the cases having
    none) says 发起网络查控 where each case asked alone does."""
    from enforcement.models import AssetInquiry, InquiryStatus

    none, done, failed = (make_case(eworld.court, eworld.clerk, officer=eworld.officer)
                          for _ in range(3))  # fmt: skip
    AssetInquiry.objects.create(case=done, status=InquiryStatus.DONE)
    AssetInquiry.objects.create(case=failed, status=InquiryStatus.FAILED)
    ids = [none.pk, done.pk, failed.pk]

    def fresh():
        by_pk = EnforcementCase.objects.in_bulk(ids)
        return [by_pk[pk] for pk in ids]

    alone = [next_steps_for(case) for case in fresh()]
    started = ["发起网络查控" in steps for steps in alone]
    assert started == [True, False, True]
    assert next_steps_for_many(fresh()) == alone
