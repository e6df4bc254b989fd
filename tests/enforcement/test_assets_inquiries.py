"""Inquiries: started by an officer, enqueued on commit through the outbox, run by the
worker's runner with progress per debtor × provider, findings stored once whatever is
re-run or killed, what is new marked against earlier inquiries."""

import datetime
import uuid

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from common.statemachine import TransitionNotAllowed
from enforcement.inquiry import runner
from enforcement.inquiry.providers import ProviderError, ProviderRefused
from enforcement.inquiry.simulated import SimulatedProvider, generated_findings
from enforcement.models import (
    AssetFinding,
    AssetInquiry,
    CaseStatus,
    EnforcementRole,
    InquiryStatus,
    InquiryTarget,
    TargetStatus,
)
from enforcement.services.inquiries import (
    TASK,
    inquiries_recover,
    inquiries_start_many,
    inquiry_start,
)
from jobs.models import OutboxMessage
from notifications.models import Notification

from .assets_fixtures import (
    debtor_of,
    findings_of,
    inquire_now,
    published,  # noqa: F401
    script_story5,
    story5_case,
)
from .conftest import ID_DEBTOR, add_party, id_number, make_case

pytestmark = pytest.mark.django_db


def test_start_enqueues_on_commit(eworld, case, published, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = inquiry_start(case=case, actor=eworld.officer)
    assert published == [(TASK, [[inquiry.pk]], {})]
    target = InquiryTarget.objects.get(inquiry=inquiry)
    assert (target.debtor, target.provider, target.status) == (
        debtor_of(case), "simulated", TargetStatus.PENDING,
    )  # fmt: skip
    assert AuditEntry.objects.filter(object_id=str(inquiry.pk), action="create").exists()


def test_nothing_published_when_the_transaction_rolls_back(eworld, case, published):  # noqa: F811
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        inquiry_start(case=case, actor=eworld.officer)
        raise RuntimeError
    assert published == [] and not AssetInquiry.objects.exists()


def test_run_stores_the_providers_findings_and_finishes(eworld, case):
    inquiry = inquire_now(case, eworld.officer)
    expected = generated_findings(ID_DEBTOR, "person", timezone.localdate())
    stored = findings_of(inquiry)
    assert len(stored) == len(expected) == inquiry.findings_count
    assert {(f.kind, f.institution, f.balance) for f in stored} == {
        (f.kind, f.institution, f.balance) for f in expected
    }
    assert inquiry.status == InquiryStatus.DONE and inquiry.finished_at
    target = inquiry.targets.get()
    assert (target.status, target.findings_count) == (TargetStatus.DONE, len(expected))
    # personal identifiers masked, kept encrypted
    for finding in stored:
        assert finding.identifier_encrypted
        if finding.kind == "bank_account":
            assert "*" in finding.identifier_masked
    assert AuditEntry.objects.filter(object_id=str(inquiry.pk), transition="finish").exists()
    # the officer who asked is told
    assert Notification.objects.filter(recipient=eworld.officer, kind="enforcement.inquiry_done")


def test_second_inquiry_marks_what_is_new(eworld):
    """Story 5: three accounts first (31,232.00); a later inquiry adds the Alipay account."""
    today = timezone.localdate()
    case = story5_case(eworld)
    script_story5(today, alipay_after_days=10)
    first = inquire_now(case, eworld.officer)
    banks = findings_of(first, "bank_account")
    assert len(banks) == 3 and sum(f.balance for f in banks) == 31232
    assert all(f.is_new for f in banks)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=12)):
        second = inquire_now(case, eworld.officer)
    found = {f.kind: f for f in findings_of(second)}
    assert second.findings_count == 4 and second.new_findings_count == 1
    assert found["alipay"].is_new and found["alipay"].balance == 543
    assert not any(f.is_new for f in findings_of(second, "bank_account"))


def test_one_debtor_or_all(eworld):
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    second = add_party(
        case, role=EnforcementRole.DEBTOR, name="陈二", id_number_value=id_number("19900101", "033")
    )
    inquiry = inquiry_start(case=case, actor=eworld.officer, debtor=second)
    assert list(inquiry.targets.values_list("debtor", flat=True)) == [second.pk]
    runner.run(inquiry_ids=[inquiry.pk])
    every = inquiry_start(case=case, actor=eworld.officer)
    assert every.targets.count() == 2


def test_refusals(eworld, case):
    other = make_case(eworld.court, eworld.clerk)
    with pytest.raises(ValidationError) as exc:
        inquiry_start(case=case, actor=eworld.officer, debtor=debtor_of(other))
    assert "debtor" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        inquiry_start(case=case, actor=eworld.centre_supervisor)
    inquiry_start(case=case, actor=eworld.officer)
    with pytest.raises(TransitionNotAllowed, match="正在进行"):
        inquiry_start(case=case, actor=eworld.officer)
    suspended = make_case(eworld.court, eworld.clerk, status=CaseStatus.SUSPENDED)
    with pytest.raises(TransitionNotAllowed, match="中止执行"):
        inquiry_start(case=suspended, actor=eworld.officer)


def test_debtor_without_identity_is_refused_or_skipped(eworld):
    case = make_case(eworld.court, eworld.clerk)
    nameless = add_party(case, role=EnforcementRole.DEBTOR, name="无证件")
    with pytest.raises(ValidationError):
        inquiry_start(case=case, actor=eworld.officer, debtor=nameless)
    inquiry = inquiry_start(case=case, actor=eworld.officer)
    assert inquiry.targets.count() == 1 and "无证件" in inquiry.note


def test_no_provider_configured_is_refused_not_faked(eworld, case, settings):
    settings.ENFORCEMENT_INQUIRY_PROVIDERS = {}
    with pytest.raises(TransitionNotAllowed, match="未配置"):
        inquiry_start(case=case, actor=eworld.officer)
    assert not AssetInquiry.objects.exists()


def test_rerun_stores_nothing_twice(eworld, case):
    inquiry = inquire_now(case, eworld.officer)
    count = AssetFinding.objects.count()
    result = runner.run(inquiry_ids=[inquiry.pk])
    assert result.done == 0 and AssetFinding.objects.count() == count


def test_worker_killed_after_the_claim_then_the_lease_ends(eworld, case, settings):
    """A worker claims, then dies before storing: nothing was written; while its lease
    holds nobody takes the target; once it ends, a re-run stores the findings once."""
    inquiry = inquiry_start(case=case, actor=eworld.officer)
    token, claimed = runner.claim(inquiry_ids=[inquiry.pk], limit=10)
    assert len(claimed) == 1  # ... and the worker is killed here
    assert runner.run(inquiry_ids=[inquiry.pk]).waiting == 1  # leased to the dead worker
    assert not AssetFinding.objects.exists()
    later = timezone.now() + datetime.timedelta(
        seconds=settings.ENFORCEMENT_INQUIRY_CLAIM_SECONDS + 1
    )
    with time_machine.travel(later):
        result = runner.run(inquiry_ids=[inquiry.pk])
    assert result.done == 1 and result.waiting == 0
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.DONE
    assert AssetFinding.objects.count() == inquiry.findings_count > 0
    # the dead worker's answer, arriving late, is not stored
    late = runner.store(token=token, answers=[runner.ask(claimed[0])])
    assert late.done == 0 and AssetFinding.objects.count() == inquiry.findings_count
    assert inquiry.targets.get().attempts == 2


def test_worker_killed_while_storing_leaves_nothing(eworld, case, monkeypatch):
    inquiry = inquiry_start(case=case, actor=eworld.officer)

    def die(*args, **kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr(runner, "finish_inquiries", die)
    with pytest.raises(SystemExit):
        runner.run(inquiry_ids=[inquiry.pk])
    monkeypatch.undo()
    assert not AssetFinding.objects.exists()  # the transaction rolled back
    InquiryTarget.objects.update(claimed_until=timezone.now() - datetime.timedelta(seconds=1))
    runner.run(inquiry_ids=[inquiry.pk])
    inquiry.refresh_from_db()
    assert AssetFinding.objects.count() == inquiry.findings_count > 0


def test_transient_errors_retried_then_given_up(eworld, case, monkeypatch, settings):
    settings.ENFORCEMENT_INQUIRY_MAX_ATTEMPTS = 2
    calls = []

    def flaky(self, debtor, *, on):
        calls.append(on)
        raise ProviderError(f"timeout for {ID_DEBTOR}")

    monkeypatch.setattr(SimulatedProvider, "inquire", flaky)
    inquiry = inquiry_start(case=case, actor=eworld.officer)
    first = runner.run(inquiry_ids=[inquiry.pk])
    assert (first.retried, first.waiting) == (1, 1)
    target = inquiry.targets.get()
    assert target.status == TargetStatus.PENDING and target.claimed_until > timezone.now()
    assert ID_DEBTOR not in target.error  # scrubbed
    with time_machine.travel(target.claimed_until + datetime.timedelta(seconds=1)):
        second = runner.run(inquiry_ids=[inquiry.pk])
    assert second.failed == 1 and second.waiting == 0
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.FAILED and len(calls) == 2


def test_refused_by_the_provider_fails_at_once(eworld, case, monkeypatch):
    def refuse(self, debtor, *, on):
        raise ProviderRefused("unknown identity")

    monkeypatch.setattr(SimulatedProvider, "inquire", refuse)
    inquiry = inquiry_start(case=case, actor=eworld.officer)
    assert runner.run(inquiry_ids=[inquiry.pk]).failed == 1
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.FAILED


def test_partial_when_one_debtor_fails(eworld, monkeypatch):
    case = make_case(eworld.court, eworld.clerk)
    add_party(case, role=EnforcementRole.DEBTOR, name="陈二",
              id_number_value=id_number("19900101", "033"))  # fmt: skip
    real = SimulatedProvider.inquire

    def half(self, debtor, *, on):
        if debtor.name == "陈二":
            raise ProviderRefused("x")
        return real(self, debtor, on=on)

    monkeypatch.setattr(SimulatedProvider, "inquire", half)
    inquiry = inquire_now(case, eworld.officer)
    assert inquiry.status == InquiryStatus.PARTIAL and inquiry.findings_count > 0


def test_bulk_start_and_run(eworld, published, django_capture_on_commit_callbacks, settings):  # noqa: F811
    settings.ENFORCEMENT_INQUIRY_TASK_CHUNK = 2
    cases = [make_case(eworld.court, eworld.clerk, debtor=f"债务人{n}") for n in range(5)]
    for n, c in enumerate(cases):  # each its own debtor identity
        party = debtor_of(c).party
        from common import pii

        pii.seal_into(party, "id_number", pii.seal_id_number(id_number("19700101", f"{n + 100}")))
        party.save()
    busy = cases[0]
    inquiry_start(case=busy, actor=eworld.officer)  # already running: skipped
    with django_capture_on_commit_callbacks(execute=True):
        ids = inquiries_start_many(case_ids=[c.pk for c in cases], actor=eworld.officer)
    assert len(ids) == 4
    assert [args for _name, args, _kw in published] == [[ids[0:2]], [ids[2:4]]]
    runner.run(inquiry_ids=ids, batch_size=3)
    assert AssetInquiry.objects.filter(pk__in=ids, status=InquiryStatus.DONE).count() == 4
    assert (
        AuditEntry.objects.filter(object_id__in=[str(i) for i in ids], action="create").count() == 4
    )
    with pytest.raises(PermissionDenied):
        inquiries_start_many(case_ids=[cases[1].pk], actor=eworld.outsider)


def test_recover_requeues_a_lost_message_and_closes_finished(eworld, case, published):  # noqa: F811
    inquiry = inquiry_start(case=case, actor=eworld.officer)
    OutboxMessage.objects.update(published_at=timezone.now())  # published, then lost
    assert inquiries_recover() == 0  # too recent
    later = timezone.now() + datetime.timedelta(minutes=10)
    assert inquiries_recover(now=later) == 1
    assert OutboxMessage.objects.filter(published_at__isnull=True, args=[[inquiry.pk]]).exists()
    # all targets done but the inquiry left open (e.g. a crash between two steps)
    InquiryTarget.objects.update(status=TargetStatus.DONE)
    inquiries_recover(now=later)
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.DONE


def test_claims_do_not_overlap(eworld, case):
    inquiry = inquiry_start(case=case, actor=eworld.officer)
    token_a, a = runner.claim(inquiry_ids=[inquiry.pk], limit=5)
    token_b, b = runner.claim(inquiry_ids=[inquiry.pk], limit=5)
    assert len(a) == 1 and b == [] and token_a != token_b
    assert isinstance(token_a, uuid.UUID)


def test_run_task_retries_while_targets_are_held(eworld, case, monkeypatch):
    """The task works through what it can claim; targets another worker holds make it ask
    to run again when their lease ends."""
    from celery.exceptions import Retry

    from enforcement.tasks import inquiries_recover_task, inquiry_run_task

    inquiry = inquiry_start(case=case, actor=eworld.officer)
    runner.claim(inquiry_ids=[inquiry.pk], limit=10)  # held by a (dead) worker
    with pytest.raises(Retry):
        inquiry_run_task.apply(args=[[inquiry.pk]], throw=True)
    InquiryTarget.objects.update(claimed_until=timezone.now() - datetime.timedelta(seconds=1))
    assert inquiry_run_task.apply(args=[[inquiry.pk]], throw=True).get() == 1
    assert inquiries_recover_task() == 0


def test_bulk_start_writes_what_one_by_one_writes(eworld):
    """The fan-out's rows and audit entries, decided by the database in one statement, are
    those the per-record services write: a target per debtor with an identity and provider,
    an entry like `audit_create_entry`'s; a case not open to inquiry, one with an inquiry
    running or without a debtor to ask is left out."""
    from audit.services import audit_create_entry

    plain = make_case(eworld.court, eworld.clerk, debtor="甲某")
    add_party(plain, role=EnforcementRole.DEBTOR, name="乙某",
              id_number_value=id_number("19810101", "333"))  # fmt: skip
    add_party(plain, role=EnforcementRole.DEBTOR, name="无证某")  # no identity: not asked
    concluded = make_case(eworld.court, eworld.clerk, status=CaseStatus.PERFORMED)
    busy = make_case(eworld.court, eworld.clerk)
    inquiry_start(case=busy, actor=eworld.officer)
    nobody = make_case(eworld.court, eworld.clerk)
    nobody.case_parties.filter(role=EnforcementRole.DEBTOR).delete()
    ids = inquiries_start_many(case_ids=[plain.pk, concluded.pk, busy.pk, nobody.pk],
                               actor=eworld.officer)  # fmt: skip
    (inquiry,) = AssetInquiry.objects.filter(pk__in=ids)
    assert inquiry.case == plain and inquiry.requested_by == eworld.officer
    assert sorted(InquiryTarget.objects.filter(inquiry=inquiry).values_list("debtor__name",
                                                                            "provider")) == [
        ("乙某", "simulated"), ("甲某", "simulated")]  # fmt: skip
    written = AuditEntry.objects.get(object_id=str(inquiry.pk), action="create",
                                     content_type__model="assetinquiry")  # fmt: skip
    expected = audit_create_entry(inquiry, actor=eworld.officer, note="批量查控")
    for field in ("actor_id", "actor_name", "content_type_id", "object_repr", "organisation_id",
                  "changes", "note", "channel"):  # fmt: skip
        assert getattr(written, field) == getattr(expected, field), field
