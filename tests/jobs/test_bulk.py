"""jobs.bulk.bulk_insert: the same rows as bulk_create, ids in row order."""

import datetime

import pytest
from django.utils import timezone

from jobs.bulk import bulk_insert
from jobs.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_bulk_insert_returns_ids_in_row_order_and_fills_defaults(
    django_assert_max_num_queries,
):
    OutboxMessage.objects.create(task_name="before")  # ids do not start at 1
    moment = timezone.now() - datetime.timedelta(days=1)
    rows = [
        (f"task.{i}", [[i, i + 1]], {"note": "引号 ' \" , {} 逗号"} if i % 2 else {}, moment)
        for i in range(30)
    ]
    rows.append(("task.none", [], {}, None))  # NULL in a nullable column
    with django_assert_max_num_queries(2):
        ids = bulk_insert(
            OutboxMessage, ("task_name", "args", "kwargs", "published_at"), rows,
            returning_ids=True,
        )  # fmt: skip
    assert len(set(ids)) == len(rows)
    saved = OutboxMessage.objects.in_bulk(ids)
    for pk, (name, args, kwargs, published_at) in zip(ids, rows, strict=True):
        message = saved[pk]
        assert (message.task_name, message.args, message.kwargs) == (name, args, kwargs)
        assert message.published_at == published_at
        # Columns not named take the field's default.
        assert (message.attempts, message.last_error, message.locked_until) == (0, "", None)
        assert message.created_at is not None


def test_bulk_insert_without_ids_and_nothing_to_insert(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert bulk_insert(OutboxMessage, ("task_name",), []) == []
    assert bulk_insert(OutboxMessage, ("task_name",), [("a",), ("b",)]) == []
    assert sorted(OutboxMessage.objects.values_list("task_name", flat=True)) == ["a", "b"]
