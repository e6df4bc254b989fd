"""Bulk assignment: every dispute audited before/after, out-of-scope refused whole, no N+1."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEntry
from cases.models import Dispute, DisputeEvent
from cases.services import dispute_assign_bulk

pytestmark = pytest.mark.django_db


def _changes_of(dispute):
    return AuditEntry.objects.filter(
        action=AuditEntry.Action.CHANGE, object_id=str(dispute.pk), changes__has_key="assignee"
    )


def test_assigns_each_dispute_with_audit_and_timeline(loop, register):
    first, second = register(), register()

    count = dispute_assign_bulk(disputes=[first, second], actor=loop.clerk, assignee=loop.clerk)

    assert count == 2
    for dispute in (first, second):
        dispute.refresh_from_db()
        assert dispute.assignee == loop.clerk
        (entry,) = _changes_of(dispute)
        assert entry.changes["assignee"] == {"before": None, "after": loop.clerk.pk}
        assert dispute.events.filter(kind=DisputeEvent.Kind.ASSIGNED).count() == 1


def test_one_dispute_out_of_scope_refuses_the_whole_batch(loop, register):
    mine = register()
    theirs = register(
        organisation=loop.outsider_org, actor=loop.outsider, region=loop.other_district
    )

    with pytest.raises(PermissionDenied):
        dispute_assign_bulk(disputes=[mine, theirs], actor=loop.clerk, assignee=loop.clerk)

    assert not Dispute.objects.filter(assignee__isnull=False).exists()
    assert not _changes_of(mine).exists() and not _changes_of(theirs).exists()
    assert not DisputeEvent.objects.filter(kind=DisputeEvent.Kind.ASSIGNED).exists()


def test_queries_do_not_grow_with_the_disputes(loop, register):
    loop.clerk.active_memberships  # noqa: B018 - cached per request
    one, three = [register()], [register() for _ in range(3)]
    with CaptureQueriesContext(connection) as small:
        dispute_assign_bulk(disputes=one, actor=loop.clerk, assignee=loop.clerk)
    with CaptureQueriesContext(connection) as large:
        dispute_assign_bulk(disputes=three, actor=loop.clerk, assignee=loop.clerk)
    per_dispute = (len(large) - len(small)) / 2
    assert per_dispute == 3  # save, audit entry, timeline event: the scope check is free
