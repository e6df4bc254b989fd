"""Keyset pages for lists ordered newest first by (a moment, id): no OFFSET and no COUNT, so
page 1000 costs what page 1 does. The cursor is the last row's (moment, id), opaque to users."""

import base64
import json
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.dateparse import parse_datetime


@dataclass
class ListPage:
    items: list
    next_cursor: str
    has_more: bool
    total: int | None = None  # the whole list's length, when the page read it anyway


def encode_cursor(at: datetime, pk: int) -> str:
    raw = json.dumps([at.isoformat(), pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int] | None:
    """(moment, id), or None for a cursor that is not one of ours."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        at, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        parsed = parse_datetime(at)
        return (parsed, int(pk)) if parsed else None
    except (ValueError, TypeError, json.JSONDecodeError):
        return None


def keyset_page(
    queryset: QuerySet, *, field: str, after: str = "", size: int = 50, descending: bool = True
) -> ListPage:
    """One page of `queryset` (ordered by `-field, -id`, or `field, id` when not
    `descending`) after the cursor."""
    position = decode_cursor(after) if after else None
    if position:
        at, pk = position
        # the plain `<=` bound lets PostgreSQL start the index scan at the cursor; the OR
        # breaks ties on id
        if descending:
            queryset = queryset.filter(**{f"{field}__lte": at}).filter(
                Q(**{f"{field}__lt": at}) | Q(**{field: at, "id__lt": pk})
            )
        else:
            queryset = queryset.filter(**{f"{field}__gte": at}).filter(
                Q(**{f"{field}__gt": at}) | Q(**{field: at, "id__gt": pk})
            )
    items = list(queryset[: size + 1])
    has_more = len(items) > size
    items = items[:size]
    last = items[-1] if has_more else None
    return ListPage(
        items=items,
        next_cursor=encode_cursor(getattr(last, field), last.pk) if last else "",
        has_more=has_more,
    )


def page_links(query: QueryDict, page: ListPage, *, fragment: str = "") -> dict:
    """The keyset pager's links (templates/components/keyset_pager.html), keeping the list's
    filters: `next_url` (the next page, "" on the last), `first_url` (back to page 1, "" on
    page 1) and `query_string` (the filters without the cursor)."""
    params = query.copy()
    after = params.pop("after", None)
    filters = params.urlencode()
    next_url = ""
    if page.has_more:
        params["after"] = page.next_cursor
        next_url = f"?{params.urlencode()}{fragment}"
    return {
        "next_url": next_url,
        "first_url": f"?{filters}{fragment}" if after else "",
        "query_string": filters,
    }
