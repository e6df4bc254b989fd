"""Sessions slide without a write per page (common/sessions.py): reading pages within five
minutes of the last save writes nothing; after that one save pushes the 8-hour idle limit
back; an idle session still ends; a changed session is saved at once."""

import datetime

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import PASSWORD

START = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


def writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].startswith(("UPDATE", "INSERT")) and "session" in q["sql"]
    ]


@pytest.fixture
def signed_in(world, client):
    world.owner.set_password(PASSWORD)
    world.owner.save()
    with time_machine.travel(START, tick=False):
        assert (
            client.post("/accounts/login/", {"username": "owner", "password": PASSWORD}).status_code
            == 302
        )
    return client


def expiry() -> datetime.datetime:
    return Session.objects.get().expire_date


def test_pages_read_within_five_minutes_write_no_session(signed_in):
    first = expiry()
    assert first == START + datetime.timedelta(hours=8)
    with time_machine.travel(START + datetime.timedelta(minutes=1), tick=False):
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get("/").status_code == 200
    assert writes(queries.captured_queries) == []
    assert expiry() == first


def test_after_five_minutes_one_save_pushes_the_idle_limit_back(signed_in):
    later = START + datetime.timedelta(minutes=6)
    with time_machine.travel(later, tick=False):
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get("/").status_code == 200
        assert len(writes(queries.captured_queries)) == 1
        assert expiry() == later + datetime.timedelta(hours=8)
        with CaptureQueriesContext(connection) as again:
            signed_in.get("/")
        assert writes(again.captured_queries) == []


def test_an_idle_session_still_ends_after_eight_hours(signed_in):
    with time_machine.travel(START + datetime.timedelta(minutes=4), tick=False):
        assert signed_in.get("/").status_code == 200  # within the window: not saved
    with time_machine.travel(START + datetime.timedelta(hours=8, minutes=1), tick=False):
        response = signed_in.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_changed_session_is_saved_at_once(signed_in, rf):
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpResponse

    from common.sessions import SessionMiddleware

    key = Session.objects.get().session_key

    def view(request):
        request.session["remember"] = "this"
        return HttpResponse("ok")

    with time_machine.travel(START + datetime.timedelta(minutes=1), tick=False):
        request = rf.get("/")
        request.COOKIES["sessionid"] = key
        SessionMiddleware(view)(request)
    assert SessionStore(session_key=key)["remember"] == "this"
    assert expiry() == START + datetime.timedelta(minutes=1, hours=8)
