"""The administrator issues a partner token in the admin (shown once) and revokes it."""

import pytest

from credit.feed import services
from credit.models import FeedScope, PartnerAgency, PartnerToken
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client, admin


def test_an_agency_then_a_token_shown_once_then_revoked(admin_client):
    client, admin = admin_client
    response = client.post(
        "/admin/credit/partneragency/add/",
        {
            "name": "甲银行",
            "code": "bank-a",
            "kind": "bank",
            "scopes": ["listings", "restrictions"],
            "agreement": "联合惩戒合作备忘录",
            "contact": "",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    agency = PartnerAgency.objects.get(code="bank-a")
    assert agency.scopes == ["listings", "restrictions"]

    beyond = client.post(
        "/admin/credit/partnertoken/add/",
        {"agency": agency.pk, "label": "同步", "scopes": ["voluntary"]},
    )
    assert beyond.status_code == 200 and not PartnerToken.objects.exists()  # form error

    response = client.post(
        "/admin/credit/partnertoken/add/",
        {"agency": agency.pk, "label": "同步服务器", "scopes": ["listings"]},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    token = PartnerToken.objects.get()
    plain = body.split('data-testid="partner-token-plain">')[1].split("<")[0]
    assert plain.startswith(f"fqp_{token.key_prefix}_")
    assert token.digest == services.token_digest(plain)
    assert token.issued_by == admin and token.scopes == [FeedScope.LISTINGS]
    # the list shows the prefix, never the token
    assert plain not in client.get("/admin/credit/partnertoken/").content.decode()

    client.post(
        "/admin/credit/partnertoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == admin
    assert services.partner_token_authenticate(plain) is None
