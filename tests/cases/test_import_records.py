"""Bulk import leaves what `dispute_register` leaves: an audit entry per record it creates and
the triage clock in the deadline engine, written in bulk in the import's transaction."""

import datetime

import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.context import audit_context
from audit.models import AuditEntry
from cases import timelimits
from cases.imports import import_batch_confirm
from cases.models import Dispute, Party, SourceChannel
from cases.selectors import overdue_disputes
from cases.services import dispute_register, party_find_or_create
from deadlines.models import Deadline
from deadlines.sweep import deadlines_sweep
from notifications.models import Notification
from tests.cases.reports_world import area  # noqa: F401
from tests.cases.test_import import ID_A, ID_B, csv_file, row, upload

# What differs between two create entries of equal records.
PER_RECORD = {"id", "reference", "source_reference", "created_at", "updated_at"}


def _creates(instance_or_model):
    return AuditEntry.objects.filter(
        action=AuditEntry.Action.CREATE,
        content_type=ContentType.objects.get_for_model(instance_or_model),
    )


def _import(area, rows, **kwargs):  # noqa: F811
    batch = upload(area, csv_file(rows, **kwargs))
    return import_batch_confirm(batch=batch, actor=area.clerk)


def test_each_dispute_and_new_party_has_its_create_entry(area):  # noqa: F811
    with audit_context(channel="page", ip="10.0.0.7", path="/cases/imports/1/confirm/"):
        batch = _import(
            area,
            [
                row("GD001"),
                row("GD002", name="李四", id_number=ID_B, phone="13900139000"),
                row("GD003"),  # 张三 again: found, not created
                row("GD004", id_number="", name="王五", phone="13700137000"),
            ],
            name="十一月工单.csv",
        )

    assert batch.created_count == 4
    for dispute in Dispute.objects.all():
        entry = _creates(dispute).get(object_id=str(dispute.pk))
        assert entry.actor == area.clerk and entry.actor_name == str(area.clerk)
        assert entry.object_repr == dispute.reference
        assert entry.organisation_id == dispute.organisation_id
        assert entry.note == "批量导入 十一月工单.csv"
        assert (entry.channel, entry.ip, entry.path) == (
            "page",
            "10.0.0.7",
            "/cases/imports/1/confirm/",
        )
        assert entry.changes["reference"] == {"before": None, "after": dispute.reference}
        assert entry.changes["registered_by"] == {"before": None, "after": area.clerk.pk}
    assert _creates(Party).count() == Party.objects.count() == 3
    for entry in _creates(Party):
        # Personal fields masked, as audit_create masks them.
        assert entry.changes["id_number_encrypted"]["after"] in ("***", "")
        assert entry.changes["phone_index"]["after"] == "***"
        assert entry.changes["phone_masked"]["after"].count("*") == 4
        for secret in (ID_A, ID_B, "13800138000", "13900139000", "13700137000"):
            assert secret not in str(entry.changes)
    # The batch's own summary is still there.
    summary = AuditEntry.objects.get(transition="import_apply")
    assert summary.object_id == str(batch.pk) and "新增纠纷 4 件" in summary.note


def test_entries_have_the_shape_of_the_services_entries(area):  # noqa: F811
    _import(area, [row("GD001", id_number="", phone="13800138000")])
    by_hand = dispute_register(
        organisation=area.tuanjie,
        actor=area.clerk,
        source_channel=SourceChannel.VISIT,
        category="neighbour",
        facts="楼上漏水",
        parties=[{"name": "赵六", "phone": "13600136000"}],
        region=area.tuanjie.region,
        place="团结小区3号楼",
    )
    imported = Dispute.objects.get(source_reference="GD001")

    def shape(entry):
        return {
            key: value
            for key, value in entry.changes.items()
            if key not in PER_RECORD | {"source_channel", "registered_at", "triage_due_at"}
        }

    imported_entry = _creates(imported).get(object_id=str(imported.pk))
    by_hand_entry = _creates(by_hand).get(object_id=str(by_hand.pk))
    assert set(imported_entry.changes) == set(by_hand_entry.changes)
    assert shape(imported_entry) == shape(by_hand_entry)
    party_entries = {e.object_repr: e for e in _creates(Party)}
    assert set(party_entries["张三"].changes) == set(party_entries["赵六"].changes)


def test_each_dispute_has_the_triage_clock_register_would_start(area):  # noqa: F811
    # The clock starts at import time (not at 来电时间): the same clock `dispute_register`
    # starts for a dispute registered at the moment of the import.
    import_moment = timezone.make_aware(datetime.datetime(2026, 11, 20, 10, 0))
    with time_machine.travel(import_moment, tick=False):
        _import(
            area,
            [
                row("GD001", when="2026-11-16 09:30"),
                row("GD002", when="2026-11-13 23:50"),  # a Friday night
                row("GD003", when="2026-10-01 00:10", community="新华西社区"),
            ],
        )
    for imported in Dispute.objects.filter(source_channel=SourceChannel.HOTLINE_12345):
        deadline = Deadline.objects.get(
            content_type=ContentType.objects.get_for_model(Dispute),
            object_id=imported.pk,
            kind=timelimits.TRIAGE,
        )
        by_hand = dispute_register(
            organisation=imported.organisation,
            actor=area.clerk,
            source_channel=SourceChannel.VISIT,
            category=imported.category,
            facts=imported.facts,
            parties=[{"name": "赵六"}],
            region=imported.region,
            registered_at=import_moment,
        )
        expected = Deadline.objects.get(object_id=by_hand.pk, kind=timelimits.TRIAGE)
        for field in ("due_at", "start_at", "unit", "amount", "rule_source", "label",
                      "lead_times", "fixed_due_at", "state", "next_action_at", "organisation_id"):  # fmt: skip
            assert getattr(deadline, field) == getattr(expected, field), field
        assert deadline.due_at == imported.triage_due_at
        assert deadline.start_at == import_moment != imported.registered_at
        assert deadline.explanation["subject"] == imported.reference
        assert deadline.explanation["steps"] == expected.explanation["steps"]
        entry = _creates(Deadline).get(object_id=str(deadline.pk))
        assert entry.note == _creates(Deadline).get(object_id=str(expected.pk)).note
        assert entry.actor == area.clerk


def test_old_tickets_do_not_arrive_overdue_nor_escalate_at_once(area):  # noqa: F811
    """A ticket called in weeks before the import is not overdue on arrival: its triage clock
    runs from the import, and the sweep right after the import sends nothing."""
    import_moment = timezone.make_aware(datetime.datetime(2026, 11, 20, 10, 0))
    with time_machine.travel(import_moment, tick=False):
        _import(area, [row("GD001", when="2026-10-01 09:30"), row("GD002", when="2026-11-01")])
    later = import_moment + datetime.timedelta(minutes=5)
    for dispute in Dispute.objects.all():
        assert dispute.registered_at < import_moment - datetime.timedelta(days=10)
        assert dispute.triage_due_at > later
    with time_machine.travel(later, tick=False):
        assert not overdue_disputes(area.supervisor).exists()
    result = deadlines_sweep(now=later)
    assert result.missed == 0
    assert not Notification.objects.filter(kind="deadline.escalation").exists()
    assert set(Deadline.objects.values_list("state", flat=True)) == {Deadline.State.PENDING}


def test_a_phone_filled_into_a_known_party_is_audited_as_a_change(area):  # noqa: F811
    known, _created = party_find_or_create(
        data={"name": "张三", "id_number": ID_A}, actor=area.clerk
    )
    _import(area, [row("GD001", phone="13800138000")])

    known.refresh_from_db()
    assert known.phone_masked == "138****8000"
    change = AuditEntry.objects.get(
        action=AuditEntry.Action.CHANGE, object_id=str(known.pk), content_type__model="party"
    )
    assert set(change.changes) == {"phone_encrypted", "phone_index", "phone_masked", "updated_at"}
    assert change.changes["phone_index"] == {"before": "", "after": "***"}
    assert "13800138000" not in str(change.changes)


def test_queries_do_not_grow_with_the_rows(area):  # noqa: F811
    def queries_for(count, prefix):
        batch = upload(
            area,
            csv_file(
                [
                    row(f"{prefix}{i:03d}", id_number="", phone=f"1380013{i:04d}")
                    for i in range(count)
                ],
                name=f"{prefix}.csv",
            ),
        )
        with CaptureQueriesContext(connection) as context:
            import_batch_confirm(batch=batch, actor=area.clerk)
        return len(context)

    queries_for(1, "W")  # content types and the like are cached from here on
    assert queries_for(3, "A") == queries_for(30, "B")
