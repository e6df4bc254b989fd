import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from notifications.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def note(world, published):
    return notify(
        recipient=world.owner,
        kind="deadline.due",
        title="【今日届满】删除失信信息",
        body="b",
        link="/deadlines/",
    )


def test_bell_shows_unread_count_and_mark_read_follows_the_link(client_for, world, note):
    client = client_for(world.owner)
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="bell-count">1<' in html
    response = client.post(reverse("notifications:read", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == "/deadlines/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert (
        'data-testid="bell-count"' not in client.get(reverse("notifications:bell")).content.decode()
    )


def test_list_and_read_all(client_for, world, note):
    client = client_for(world.owner)
    assert "今日届满" in client.get(reverse("notifications:list")).content.decode()
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_others_cannot_read_my_notifications(client_for, api_for, world, note):
    assert (
        client_for(world.colleague).post(reverse("notifications:read", args=[note.pk])).status_code
        == 404
    )
    assert api_for(world.colleague).get(f"/api/notifications/{note.pk}/").status_code == 404
    assert api_for(world.outsider).get("/api/notifications/").json()["results"] == []


def test_api(api_for, world, note):
    api = api_for(world.owner)
    assert api.get("/api/notifications/unread/").json() == {"unread": 1}
    body = api.post(f"/api/notifications/{note.pk}/read/").json()
    assert body["is_read"] and body["deliveries"][0]["channel"] == "in_app"


def test_preferences_page(client_for, world):
    client = client_for(world.owner)
    assert client.get(reverse("notifications:preferences")).status_code == 200
    response = client.post(
        reverse("notifications:preferences"),
        {
            "email_enabled": "on",
            "digest": "on",
            "quiet_hours": "on",
            "quiet_start": "21:00",
            "quiet_end": "07:30",
            "muted_kinds": ["deadline.reminder"],
        },
    )
    assert response.status_code == 302
    pref = world.owner.notification_preference
    assert (
        pref.digest
        and pref.muted_kinds == ["deadline.reminder"]
        and str(pref.quiet_start) == "21:00:00"
    )


def test_list_pagination_keeps_unread_filter_and_queries_are_bounded(
    client_for, world, published, django_assert_max_num_queries
):
    for i in range(31):
        notify(recipient=world.owner, kind="deadline.due", title=f"第{i}条", body="")
    client = client_for(world.owner)
    client.get(reverse("notifications:list"))  # warm the session and content types
    with django_assert_max_num_queries(15):  # not one query per notification
        html = client.get(reverse("notifications:list"), {"unread": "1"}).content.decode()
    assert 'href="?unread=1&page=2"' in html


def test_bell_counts_up_to_its_cap_and_lists_the_newest_five_unread(client_for, world):
    now = timezone.now()
    notes = Notification.objects.bulk_create(
        Notification(recipient=world.owner, title=f"提醒{n:03d}", body="b", link="/",
                     created_at=now - datetime.timedelta(minutes=n))
        for n in range(101)
    )  # fmt: skip
    client = client_for(world.owner)
    bell = client.get(reverse("notifications:bell")).content.decode()
    assert 'data-testid="bell-count">99+<' in bell
    shown = sorted((bell.index(title), title) for title in (f"提醒{n:03d}" for n in range(101))
                   if title in bell)  # fmt: skip
    assert [title for _at, title in shown] == [
        "提醒000",
        "提醒001",
        "提醒002",
        "提醒003",
        "提醒004",
    ]

    Notification.objects.filter(pk__in=[note.pk for note in notes[3:]]).update(read_at=now)
    bell = client.get(reverse("notifications:bell")).content.decode()
    assert 'data-testid="bell-count">3<' in bell
    assert "提醒003" not in bell
