"""A case moved to another court (交叉执行 / 指定执行) takes its open credit work along, in
the transfer's transaction: the removal waiting its 3 working days and the correction under
review go to the receiving court and officer with their clocks — the receiving court's
deadline lists show them and its staff act on them, the original court's no longer get
them — while the listing and the restriction keep the court that decided them, and another
case's credit work stays where it is. Every change is audited."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from audit.models import AuditEntry
from credit import services
from credit.models import CorrectionRequest, Removal, Restriction, Trigger
from deadlines.models import Deadline
from deadlines.selectors import deadlines_for
from deadlines.tasks import sweep_task
from enforcement.models import EnforcementCase
from enforcement.services.commission import case_transfer
from notifications.models import Notification
from tests.enforcement import commission_fixtures

from .conftest import impose

pytestmark = pytest.mark.django_db

cworld = commission_fixtures.cworld


def _open_clock(subject) -> Deadline:
    return deadlines_for(subject).get(state=Deadline.State.PENDING)


def _credit_work(world, case):
    """A listing and its restriction; the restriction to be lifted within 3 working days
    (信用修复 granted); a correction of the listing under review (15 days)."""
    listing = impose(world, case)
    restriction = Restriction.objects.get(listing=listing)
    services.restriction_approve(restriction=restriction, actor=world.president)
    (removal,) = services.removals_start(
        case=case, trigger=Trigger.RESTORATION, reason="被执行人提供担保，信用修复",
        actor=world.officer, sanctions=[restriction],
    )  # fmt: skip
    correction = services.correction_receive(
        sanction=listing, applicant_name="孙委托", grounds="情形认定有误", actor=world.clerk
    )
    return listing, restriction, removal, correction


@pytest.fixture
def moved(api_for, eworld, cworld):
    work = _credit_work(eworld, cworld.case)
    other = _credit_work(eworld, cworld.other_case)
    clocks = [_open_clock(work[2]).pk, _open_clock(work[3]).pk]
    response = api_for(eworld.higher_supervisor).post(
        f"/api/enforcement/commission/{cworld.case.pk}/transfer/",
        {"to_court": cworld.receiver.pk, "officer": cworld.recv_officer.pk, "kind": "cross",
         "reason": "交叉执行专项"}, format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    return work, other, clocks


def test_the_open_credit_work_and_its_clocks_follow_the_case_audited(eworld, cworld, moved):
    (listing, restriction, removal, correction), _other, clocks = moved
    for clock in Deadline.objects.filter(pk__in=clocks):
        assert clock.organisation_id == cworld.receiver.pk
        assert clock.owner_id == cworld.recv_officer.pk
        entry = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(clock),
                                          object_id=str(clock.pk), action="change").latest("pk")  # fmt: skip
        assert entry.actor == eworld.higher_supervisor
        assert entry.changes["organisation"] == {"before": eworld.court.pk,
                                                 "after": cworld.receiver.pk}  # fmt: skip
        assert "交叉执行" in entry.note and "海南区人民法院" in entry.note
    removal.refresh_from_db()
    correction.refresh_from_db()
    assert removal.court == cworld.receiver and removal.owner == cworld.recv_officer
    assert correction.court == cworld.receiver
    for record in (removal, correction):
        entry = AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=str(record.pk),
            action="change").latest("pk")  # fmt: skip
        assert entry.changes["court"] == {"before": eworld.court.pk, "after": cworld.receiver.pk}
        assert entry.actor == eworld.higher_supervisor and "交叉执行" in entry.note
    # the entries keep the court that decided them: the record of who listed
    listing.refresh_from_db()
    restriction.refresh_from_db()
    assert listing.court == eworld.court and restriction.court == eworld.court


def test_the_receiving_courts_deadline_views_show_them_the_original_courts_no_longer(
    api_for, client, eworld, cworld, moved
):
    _work, (*_entries, other_removal, other_correction), clocks = moved
    receiving = {row["id"] for row in api_for(cworld.recv_officer).get(
        "/api/deadlines/", {"state": "pending"}).json()["results"]}  # fmt: skip
    assert set(clocks) <= receiving
    original = {row["id"] for row in api_for(eworld.officer).get(
        "/api/deadlines/", {"state": "pending"}).json()["results"]}  # fmt: skip
    assert not set(clocks) & original
    # the other case's credit work stays with the original court
    others = {_open_clock(other_removal).pk, _open_clock(other_correction).pk}
    assert others <= original and not others & receiving
    for clock in clocks:
        client.force_login(eworld.officer)
        assert client.get(reverse("deadlines:detail", args=[clock])).status_code == 404
        link = reverse("deadlines:detail", args=[clock])
        assert link not in client.get(reverse("deadlines:list")).content.decode()
        client.force_login(cworld.recv_officer)
        assert client.get(reverse("deadlines:detail", args=[clock])).status_code == 200


def test_the_reminders_and_overdue_notices_go_to_the_receiving_court(eworld, cworld, moved):
    _work, _other, clocks = moved
    last_due = max(Deadline.objects.filter(pk__in=clocks).values_list("due_at", flat=True))
    with time_machine.travel(last_due + datetime.timedelta(hours=1), tick=False):
        sweep_task()
    assert set(Deadline.objects.filter(pk__in=clocks).values_list("state", flat=True)) == {
        Deadline.State.MISSED}  # fmt: skip
    told = set(
        Notification.objects.filter(
            content_type=ContentType.objects.get_for_model(Deadline), object_id__in=clocks
        ).values_list("recipient_id", flat=True)
    )
    assert cworld.recv_officer.pk in told
    assert not told & {eworld.officer.pk, eworld.clerk.pk, eworld.president.pk}


def test_the_receiving_court_does_the_work(api_for, eworld, cworld, moved):
    (listing, restriction, removal, correction), _other, clocks = moved
    refused = api_for(eworld.officer).post(f"/api/credit/removals/{removal.pk}/execute/")
    assert refused.status_code in (403, 404)
    done = api_for(cworld.recv_officer).post(f"/api/credit/removals/{removal.pk}/execute/")
    assert done.status_code == 200, done.content
    restriction.refresh_from_db()
    assert restriction.state == Restriction.State.LIFTED
    decided = api_for(cworld.recv_officer).post(
        f"/api/credit/corrections/{correction.pk}/decide/",
        {"justified": False, "reasons": "经核，认定无误"}, format="json",
    )  # fmt: skip
    assert decided.status_code == 200, decided.content
    assert Deadline.objects.get(pk=clocks[0]).state == Deadline.State.MET
    assert Deadline.objects.get(pk=clocks[1]).state == Deadline.State.MET
    correction.refresh_from_db()
    assert correction.state == CorrectionRequest.State.REJECTED


def test_the_move_is_one_transaction(eworld, cworld):
    removal = _credit_work(eworld, cworld.case)[2]
    with (
        mock.patch("credit.services.transfer.credit_follow_case",
                   side_effect=RuntimeError("credit failed")),
        pytest.raises(RuntimeError),
    ):  # fmt: skip
        case_transfer(case=cworld.case, actor=eworld.higher_supervisor, to_court=cworld.receiver,
                      officer=cworld.recv_officer, kind="cross", reason="交叉执行专项")  # fmt: skip
    assert EnforcementCase.objects.get(pk=cworld.case.pk).court == eworld.court
    assert not cworld.case.transfers.exists()
    assert _open_clock(removal).organisation == eworld.court
    assert Removal.objects.get(pk=removal.pk).court == eworld.court
