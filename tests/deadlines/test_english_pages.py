"""The deadline page and extension requests in English: the labels the engine and the
extension workflow added are in the catalogue (only the records' own data stays Chinese)."""

import pytest
from django.urls import reverse

from .factories import local, make_deadline

pytestmark = pytest.mark.django_db


def _in_english(client):
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    return client


@pytest.fixture
def asked(world, api_for, court_head):
    """A pending extension request by the owner, for the supervisor to decide."""
    deadline = make_deadline(world, kind="credit.correction_fix", start=local(2025, 1, 27))
    response = api_for(world.owner).post(
        f"/api/deadlines/{deadline.pk}/extend/",
        {"approver": court_head.pk, "reason": "x", "amount": 1},
        format="json",
    )
    assert response.status_code == 201
    return deadline, response.json()["id"]


def test_deadline_page_offers_the_extension_in_english(client_for, world, asked):
    deadline, _ = asked
    html = (
        _in_english(client_for(world.owner))
        .get(reverse("deadlines:detail", args=[deadline.pk]))
        .content.decode()
    )
    assert "Request an extension (decided by the approver personally)" in html
    assert "Extension request" in html
    for chinese in ("申请延长期限", "延长申请", "审批人"):
        assert chinese not in html, chinese


def test_extension_requests_list_and_decision_page_in_english(client_for, world, asked, court_head):
    _, request_id = asked
    supervisor = _in_english(client_for(court_head))
    listing = supervisor.get(reverse("deadlines:extension_requests")).content.decode()
    assert "Extension requests awaiting my decision" in listing
    assert "Pending approval" in listing
    for chinese in ("待我审批的延长申请", "待审批", "延长审批"):
        assert chinese not in listing, chinese

    page = supervisor.get(
        reverse("deadlines:extension_request", args=[request_id])
    ).content.decode()
    for english in ("Extension requested", "Approver", "Approve extension", "Not approved"):
        assert english in page, english
    assert 'placeholder="Reason for not approving"' in page
    assert 'placeholder="Decision note"' in page
    for chinese in ("批准延长", "不予批准", "审批意见", "审批人"):
        assert chinese not in page, chinese
