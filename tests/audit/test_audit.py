"""Audit entries: written in the same transaction, who/when/what/where, never editable."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import transaction

from audit.context import audit_context
from audit.models import AuditEntry
from audit.selectors import history_for
from audit.services import (
    audit_change,
    audit_create,
    audit_personal_view,
    audit_transition,
    audit_transition_entry,
    snapshot,
)
from cases.models import Party

pytestmark = pytest.mark.django_db


def test_create_and_change_are_recorded_with_before_and_after(world):
    organisation = world.tribunal
    with audit_context(channel="page", ip="10.0.0.8", path="/organisations/1/"):
        audit_create(organisation, actor=world.owner)
        before = snapshot(organisation)
        organisation.short_name = "新华法庭"
        organisation.save()
        audit_change(organisation, actor=world.owner, before=before)
    change, create = list(history_for(organisation))
    assert create.action == AuditEntry.Action.CREATE
    assert change.action == AuditEntry.Action.CHANGE
    assert change.changes == {"short_name": {"before": "", "after": "新华法庭"}}
    assert change.actor == world.owner
    assert change.ip == "10.0.0.8"
    assert change.channel == "page"
    assert change.organisation_id == organisation.pk


def test_no_entry_when_nothing_changed(world):
    before = snapshot(world.court)
    assert audit_change(world.court, actor=world.owner, before=before) is None


def test_entries_cannot_be_edited_or_deleted(world):
    entry = audit_create(world.court, actor=world.owner)
    entry.note = "tampered"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(note="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).delete()


def test_database_refuses_updates_on_postgres(world):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's")
    entry = audit_create(world.court, actor=world.owner)
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditentry SET note = 'x' WHERE id = %s", [entry.pk])


def test_entry_rolls_back_with_its_transaction(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_create(world.court, actor=world.owner)
        raise RuntimeError("the change failed")
    assert not AuditEntry.objects.exists()


def test_full_view_of_personal_data_is_logged(world):
    audit_personal_view(world.court, actor=world.owner, fields=["id_number"])
    entry = AuditEntry.objects.get()
    assert entry.action == AuditEntry.Action.VIEW_PERSONAL
    assert entry.changes == {"fields": ["id_number"]}


def test_history_page_and_csv_export(world, client_for):
    with audit_context(channel="page", ip="10.1.1.1", path="/x/"):
        before = snapshot(world.court)
        world.court.short_name = "海勃湾法院"
        world.court.save()
        audit_change(world.court, actor=world.owner, before=before, note="改简称")
    client = client_for(world.owner)
    page = client.get(f"/audit/organisations/organisation/{world.court.pk}/").content.decode()
    assert "海勃湾法院" in page
    response = client.get(f"/audit/organisations/organisation/{world.court.pk}/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["时间", "操作人", "动作"]
    # the field's label, not its column name; a blank value reads as a dash
    assert rows[1][4:8] == ["", "简称", "—", "海勃湾法院"]
    assert rows[1][8] == "改简称"


def test_admin_changes_are_audited(world, client):
    world.owner.is_staff = world.owner.is_superuser = True
    world.owner.save()
    client.force_login(world.owner)
    url = f"/admin/organisations/user/{world.colleague.pk}/change/"
    form = client.get(url)
    assert form.status_code == 200
    data = {
        "username": "colleague",
        "full_name": "新名字",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(object_id=str(world.colleague.pk), action="change")
    assert entry.changes["full_name"]["after"] == "新名字"
    assert entry.channel == "admin"


def test_snapshot_of_an_empty_file_field_is_none():
    from cases.models import Attachment

    assert snapshot(Attachment())["file"] is None


def test_transition_records_only_what_changed_masking_personal_fields(world):
    party = Party.objects.create(kind=Party.Kind.PERSON, name="张三")
    before = {"phone_index": "", "name": "张三", "address": "", "amount": Decimal("1.50")}
    after = {
        "phone_index": "abc123",
        "name": "张三",
        "address": "团结社区3号楼",
        "amount": Decimal("2.00"),
    }
    expected = {
        "phone_index": {"before": "***", "after": "***"},
        "address": {"before": "", "after": "团结社区3号楼"},
        "amount": {"before": "1.50", "after": "2.00"},
    }

    unsaved = audit_transition_entry(
        party, actor=world.owner, transition="fill", before=before, after=after
    )
    assert unsaved.pk is None and not AuditEntry.objects.exists()
    entry = audit_transition(
        party, actor=world.owner, transition="fill", before=before, after=after, note="补录"
    )

    stored = AuditEntry.objects.get()
    assert stored.pk == entry.pk
    assert unsaved.changes == stored.changes == expected
    assert (stored.action, stored.transition, stored.note) == (
        AuditEntry.Action.TRANSITION,
        "fill",
        "补录",
    )
    assert "abc123" not in str(stored.changes)


def test_csv_export_neutralises_formulas_and_keeps_numbers(world, client_for):
    """A note or value a spreadsheet would run as a formula is exported quoted."""
    before = snapshot(world.court)
    world.court.short_name = '=HYPERLINK("http://evil","点此")'
    world.court.save()
    audit_change(world.court, actor=world.owner, before=before, note="@SUM(1+1)")
    client = client_for(world.owner)
    response = client.get(f"/audit/organisations/organisation/{world.court.pk}/export.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][5:9] == ["简称", "—", '\'=HYPERLINK("http://evil","点此")', "'@SUM(1+1)"]


def test_system_words_are_shown_in_the_readers_language(world, client_for):
    """Entries keep the working language (系统, 答卷齐备); a reader who chose English reads
    them in English on the history page, in its CSV and in a record's history panel."""
    audit_transition(
        world.court,
        actor=None,
        transition="all_answered",
        transition_label="答卷齐备",
        before={"short_name": ""},
        after={"short_name": "海勃湾法院"},
    )
    client = client_for(world.owner)
    client.cookies["django_language"] = "en"
    history = f"/audit/organisations/organisation/{world.court.pk}/"
    for page in (
        client.get(history).content.decode(),
        client.get(f"{history}export.csv").content.decode("utf-8-sig"),
        client.get(f"/organisations/{world.court.pk}/").content.decode(),
    ):
        assert "System" in page and "All answers in" in page
        assert "系统" not in page and "答卷齐备" not in page
    assert AuditEntry.objects.get().actor_name == "系统", "the record itself is unchanged"
