"""Behind the reverse proxy: X-Forwarded-For only from our proxies; lockout and rate limits."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from audit.models import AuditEntry
from common.network import client_ip

pytestmark = pytest.mark.django_db

PASSWORD = "Test#Passw0rd"
PROXY = "10.0.0.5"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]


def _meta(rf, remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/", **extra)


def test_client_address_believes_x_forwarded_for_only_from_a_trusted_proxy(rf, behind_proxy):
    # A client talking to us directly cannot choose its address.
    assert client_ip(_meta(rf, "203.0.113.9", "198.51.100.1")) == "203.0.113.9"
    # Through our proxy: the address the proxy saw (the rightmost one not our own proxy).
    assert client_ip(_meta(rf, PROXY, "198.51.100.7")) == "198.51.100.7"
    # A client's own forged entry sits left of what our proxy appended.
    assert client_ip(_meta(rf, PROXY, "1.2.3.4, 198.51.100.7")) == "198.51.100.7"
    assert client_ip(_meta(rf, PROXY, "198.51.100.7, 10.0.0.6")) == "198.51.100.7"
    assert client_ip(_meta(rf, PROXY)) == PROXY


def test_without_trusted_proxies_x_forwarded_for_is_ignored(rf, settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_meta(rf, "127.0.0.1", "198.51.100.1")) == "127.0.0.1"


def _save_preferences(client, **headers):
    return client.post(
        reverse("notifications:preferences"),
        {"email_enabled": "on", "quiet_start": "22:00", "quiet_end": "08:00"},
        **headers,
    )


def test_spoofed_forwarded_for_is_not_written_to_the_audit_trail(world, client, behind_proxy):
    client.force_login(world.owner)
    response = _save_preferences(
        client, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.66"
    )
    assert response.status_code == 302
    assert AuditEntry.objects.get().ip == "203.0.113.9"


def test_audit_trail_records_the_client_behind_our_proxy(world, client, behind_proxy):
    client.force_login(world.owner)
    _save_preferences(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
    assert AuditEntry.objects.get().ip == "198.51.100.7"


def test_spoofed_forwarded_for_is_ignored_by_the_lockout(world, client, behind_proxy):
    for _attempt in range(3):
        client.post(
            reverse("login"),
            {"username": "owner", "password": "wrong"},
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR="198.51.100.66",
        )
    addresses = set(AccessAttempt.objects.values_list("ip_address", flat=True))
    assert addresses == {"203.0.113.9"}


def test_lockout_uses_the_client_address_from_a_trusted_proxy(world, client, behind_proxy):
    client.post(
        reverse("login"),
        {"username": "owner", "password": "wrong"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["198.51.100.7"]


def _fail(client, username, address, times):
    for _attempt in range(times):
        response = client.post(
            reverse("login"), {"username": username, "password": "wrong"}, REMOTE_ADDR=address
        )
    return response


def test_five_failures_from_one_address_do_not_lock_the_clerk_elsewhere(world, client):
    assert _fail(client, "owner", "198.51.100.1", 5).status_code == 429
    response = client.post(
        reverse("login"), {"username": "owner", "password": PASSWORD}, REMOTE_ADDR="198.51.100.2"
    )
    assert response.status_code == 302  # logged in from the clerk's own desk


def test_spraying_many_user_names_from_one_address_is_locked(world, client, settings):
    # Four failures each for five names: no name reaches five, the address reaches twenty.
    for number in range(4):
        assert _fail(client, f"guess{number}", "198.51.100.9", 4).status_code == 200
    assert _fail(client, "guess4", "198.51.100.9", 3).status_code == 200
    assert _fail(client, "guess4", "198.51.100.9", 1).status_code == 429
    # The right password from that address is refused too; from another it works.
    response = client.post(
        reverse("login"), {"username": "owner", "password": PASSWORD}, REMOTE_ADDR="198.51.100.9"
    )
    assert response.status_code == 429
    response = client.post(
        reverse("login"), {"username": "owner", "password": PASSWORD}, REMOTE_ADDR="198.51.100.3"
    )
    assert response.status_code == 302


def test_locked_out_token_request_answers_429_in_the_json_error_format(world, api_client):
    for _attempt in range(4):
        response = api_client.post(
            "/api/auth/token/",
            {"username": "owner", "password": "wrong"},
            REMOTE_ADDR="198.51.100.4",
        )
        assert response.status_code == 400
    response = api_client.post(
        "/api/auth/token/", {"username": "owner", "password": "wrong"}, REMOTE_ADDR="198.51.100.4"
    )
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out" and response.json()["fields"] == {}
    response = api_client.post(
        "/api/auth/token/", {"username": "owner", "password": PASSWORD}, REMOTE_ADDR="198.51.100.4"
    )
    assert response.status_code == 429


def test_token_endpoint_is_rate_limited_per_address(world, api_client, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "token": "3/min"}
    for _attempt in range(3):
        response = api_client.post(
            "/api/auth/token/",
            {"username": "owner", "password": PASSWORD},
            REMOTE_ADDR="198.51.100.5",
        )
        assert response.status_code == 200
    response = api_client.post(
        "/api/auth/token/", {"username": "owner", "password": PASSWORD}, REMOTE_ADDR="198.51.100.5"
    )
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "throttled" and body["fields"] == {}
    assert response["Retry-After"]
    # Another address has its own allowance.
    response = api_client.post(
        "/api/auth/token/", {"username": "owner", "password": PASSWORD}, REMOTE_ADDR="198.51.100.6"
    )
    assert response.status_code == 200


def test_rating_page_is_rate_limited(client, settings, db):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "rating": "2/min"}
    for _attempt in range(2):
        assert client.get("/r/not-a-token/", REMOTE_ADDR="198.51.100.8").status_code == 410
    response = client.get("/r/not-a-token/", REMOTE_ADDR="198.51.100.8")
    assert response.status_code == 429
    assert "no-store" in response["Cache-Control"]
    assert 'data-testid="error-429"' in response.content.decode()


def test_a_malformed_trusted_proxy_is_refused_at_startup():
    from django.core.exceptions import ImproperlyConfigured

    from config.settings.base import check_proxies

    assert check_proxies(["10.0.0.0/24", "192.0.2.1"]) == ["10.0.0.0/24", "192.0.2.1"]
    with pytest.raises(ImproperlyConfigured, match="DJANGO_TRUSTED_PROXIES"):
        check_proxies(["10.0.0.0/33"])
