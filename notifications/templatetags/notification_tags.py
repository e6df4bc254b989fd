from typing import NamedTuple

from django import template
from django.db import connection

from common import prepared

from ..models import Notification

register = template.Library()

BELL_SHOWN = 5
# The badge counts unread notifications up to here and then says "99+": a count over
# thousands of forgotten reminders on every page would tell the user nothing more.
BELL_COUNT_CAP = 99


class BellItem(NamedTuple):
    pk: int
    title: str
    created_at: object


_TABLE = Notification._meta.db_table
# Every page's navbar asks this: prepared once per database session (common.prepared), the
# count bounded (the user's unread index, at most CAP + 1 rows), the latest five beside it.
_BELL_SQL = (
    "SELECT capped.unread, latest.id, latest.title, latest.created_at FROM "  # noqa: S608
    f"(SELECT count(*) AS unread FROM (SELECT 1 FROM {_TABLE} "
    f"WHERE recipient_id = $1 AND read_at IS NULL LIMIT {BELL_COUNT_CAP + 1}) AS unread_rows"
    ") AS capped LEFT JOIN LATERAL "
    f"(SELECT id, title, created_at FROM {_TABLE} WHERE recipient_id = $1 AND read_at IS NULL "
    f"ORDER BY created_at DESC, id DESC LIMIT {BELL_SHOWN}) AS latest ON true"
)


def _bell_rows(user) -> tuple[int, list[BellItem]]:
    if connection.vendor == "postgresql":
        rows = prepared.fetchall(_BELL_SQL, ("bigint",), [user.pk])
        unread = rows[0][0] if rows else 0
        return unread, [BellItem(pk, title, at) for _u, pk, title, at in rows if pk is not None]
    unread_rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    latest = [
        BellItem(*row)
        for row in unread_rows.order_by("-created_at", "-pk").values_list(
            "pk", "title", "created_at"
        )[:BELL_SHOWN]
    ]
    return len(unread_rows.values_list("pk")[: BELL_COUNT_CAP + 1]), latest


@register.simple_tag(takes_context=True)
def bell_data(context) -> dict:
    """The unread count ("99+" past the cap) and the latest five unread, for the navbar bell
    on every page: one query, only the columns the bell prints."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread": 0, "latest": []}
    unread, latest = _bell_rows(user)
    shown = f"{BELL_COUNT_CAP}+" if unread > BELL_COUNT_CAP else unread
    return {"unread": shown, "latest": latest}
