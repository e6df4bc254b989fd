"""The endings page and the case page's panel (enf-endings): the conditions shown, a step
posted, bad input re-rendered with the message, another court's user 404 without a name."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from enforcement.models import CaseStatus

from .conftest import make_case


@pytest.fixture
def case(eworld):
    return make_case(eworld.court, eworld.clerk, officer=eworld.officer, debtor="钱某")


def test_case_page_shows_the_endings_panel(eworld, case, client):
    client.force_login(eworld.officer)
    response = client.get(reverse("enforcement:detail", args=[case.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="endings-panel"' in body
    assert 'data-testid="endings-conditions-link"' in body
    page = client.get(reverse("enforcement:endings", args=[case.pk])).content.decode()
    assert "自立案之日起已超过三个月" in page


def test_endings_page_settle_and_bad_input(eworld, case, client):
    client.force_login(eworld.officer)
    page = reverse("enforcement:endings", args=[case.pk])
    assert client.get(page).status_code == 200
    step = reverse("enforcement:endings_step", args=[case.pk, "settle"])
    today = timezone.localdate().isoformat()
    bad = client.post(step, {"signed_on": today, "terms": "分期", "total": "abc",
                             "due_on": [today], "amount": ["100.00"]})  # fmt: skip
    assert bad.status_code == 400
    body = bad.content.decode()
    assert 'data-testid="error-total"' in body
    assert re.search(r'<input[^>]*name="total"[^>]*value="abc"', body)  # as typed
    assert re.search(r'<input[^>]*name="amount"[^>]*value="100.00"', body)
    good = client.post(step, {"signed_on": today, "terms": "分期", "total": "100.00",
                              "due_on": [today], "amount": ["100.00"]})  # fmt: skip
    assert good.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SETTLEMENT


def test_final_request_refusal_is_shown(eworld, case, client):
    client.force_login(eworld.officer)
    step = reverse("enforcement:endings_step", args=[case.pk, "final_request"])
    response = client.post(step, {"approver": eworld.president.pk, "work_done": ""}, follow=True)
    assert "不符合终结本次执行程序的条件" in response.content.decode()


@pytest.mark.parametrize("step", ["settle", "final_request", "terminate", "performed", "resume"])
def test_outsider_gets_404(eworld, case, client, step):
    client.force_login(eworld.outsider)
    assert client.get(reverse("enforcement:endings", args=[case.pk])).status_code == 404
    response = client.post(reverse("enforcement:endings_step", args=[case.pk, step]), {})
    assert response.status_code == 404
    assert "钱某" not in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
