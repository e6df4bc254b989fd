"""Login, lockout, session expiry, token authentication for partner systems."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from knox.models import AuthToken

pytestmark = pytest.mark.django_db

PASSWORD = "Test#Passw0rd"


def test_login_page_is_chinese(client):
    page = client.get(reverse("login")).content.decode()
    assert "登录" in page
    assert 'lang="zh-hans"' in page


def test_login_with_correct_password_shows_role_navigation(world, client):
    response = client.post(
        reverse("login"), {"username": "owner", "password": PASSWORD}, follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "工作台" in page
    assert "海勃湾区人民法院" in page


def test_wrong_password_shows_an_error_and_five_lock_the_account(world, client):
    for _attempt in range(4):
        response = client.post(reverse("login"), {"username": "owner", "password": "wrong"})
        assert response.status_code == 200
        assert 'data-testid="login-error"' in response.content.decode()
    response = client.post(reverse("login"), {"username": "owner", "password": "wrong"})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    # Even the right password is refused while locked.
    response = client.post(reverse("login"), {"username": "owner", "password": PASSWORD})
    assert response.status_code == 429


def test_sessions_expire_after_a_working_day_and_at_browser_close():
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_partner_system_authenticates_by_token(world, api_client):
    response = api_client.post("/api/auth/token/", {"username": "owner", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    assert response.json()["expiry"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api_client.get("/api/me/").json()
    assert me["username"] == "owner"
    assert me["memberships"][0]["organisation_name"] == "海勃湾区人民法院"


def test_api_token_is_stored_hashed_and_expires(world, api_client):
    token = api_client.post("/api/auth/token/", {"username": "owner", "password": PASSWORD}).json()[
        "token"
    ]
    stored = AuthToken.objects.get(user=world.owner)
    assert token not in (stored.digest, stored.token_key)
    assert len(stored.digest) == 128  # a SHA-512 hex digest, not the token
    assert stored.expiry is not None
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/me/").status_code == 200
    with time_machine.travel(stored.expiry + datetime.timedelta(seconds=1)):
        assert api_client.get("/api/me/").status_code == 401


def test_api_logout_ends_the_token(world, api_client):
    token = api_client.post("/api/auth/token/", {"username": "owner", "password": PASSWORD}).json()[
        "token"
    ]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.post("/api/auth/logout/").status_code == 204
    assert api_client.get("/api/me/").status_code == 401
    assert not AuthToken.objects.filter(user=world.owner).exists()


def test_wrong_password_for_a_token_is_a_field_error(world, api_client):
    response = api_client.post("/api/auth/token/", {"username": "owner", "password": "wrong"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert not AuthToken.objects.exists()


def test_admin_lists_no_api_tokens(world, client):
    from django.contrib import admin

    assert not admin.site.is_registered(AuthToken)
    world.owner.is_staff = world.owner.is_superuser = True
    world.owner.save()
    client.force_login(world.owner)
    assert client.get("/admin/knox/authtoken/").status_code == 404


def test_weak_password_is_refused(world):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("password1", world.owner)
