"""Receipts into the case's account: entry, balance, payout clock, refusals."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from audit.models import AuditEntry
from deadlines.models import Deadline
from enforcement.models import CaseStatus, EntryKind, FundAccount, FundEntry, ReceiptSource
from enforcement.services.funds import PAYOUT_CLOCK, FundsRefused, fund_receipt_record
from tests.enforcement.conftest import make_case

pytestmark = pytest.mark.django_db


def test_receipt_posts_entry_balance_and_payout_clock(eworld, case):
    today = timezone.localdate()
    receipt = fund_receipt_record(
        case=case, amount="31775.00", source=ReceiptSource.DEDUCTION, received_on=today,
        actor=eworld.officer, note="扣划工商银行账户", control=17, control_kind="assets.control",
    )  # fmt: skip
    assert receipt.amount == Decimal("31775.00")
    assert (receipt.control_kind, receipt.control_id) == ("assets.control", 17)
    account = FundAccount.objects.get(case=case)
    assert account.balance == Decimal("31775.00")
    entry = FundEntry.objects.get(case=case)
    assert (entry.number, entry.kind, entry.amount, entry.balance_after) == (
        1, EntryKind.RECEIPT, Decimal("31775.00"), Decimal("31775.00"),
    )  # fmt: skip
    clock = Deadline.objects.get(kind=PAYOUT_CLOCK, object_id=receipt.pk)
    assert clock.organisation == eworld.court
    assert clock.owner == eworld.officer
    assert timezone.localtime(clock.due_at).date() == today + datetime.timedelta(days=30)
    assert AuditEntry.objects.filter(object_id=str(entry.pk), action="create").exists()
    assert AuditEntry.objects.filter(object_id=str(receipt.pk), action="create").exists()


def test_receipt_keeps_a_model_instance_as_control(eworld, case):
    receipt = fund_receipt_record(
        case=case, amount=Decimal("10.00"), source=ReceiptSource.DEDUCTION,
        received_on=timezone.localdate(), actor=eworld.officer, control=eworld.court,
    )  # fmt: skip
    assert receipt.control_kind == "organisations.organisation"
    assert receipt.control_id == eworld.court.pk


@pytest.mark.parametrize(
    ("amount", "field"),
    [(12.5, "amount"), ("0.00", "amount"), ("-3.00", "amount"), ("1.005", "amount"),
     ("abc", "amount")],
)  # fmt: skip
def test_bad_amounts_are_refused(eworld, case, amount, field):
    with pytest.raises(ValidationError) as info:
        fund_receipt_record(
            case=case, amount=amount, source=ReceiptSource.VOLUNTARY,
            received_on=timezone.localdate(), actor=eworld.officer,
        )  # fmt: skip
    assert field in info.value.message_dict
    assert not FundEntry.objects.exists()


def test_control_id_needs_its_kind_and_future_dates_are_refused(eworld, case):
    with pytest.raises(ValidationError):
        fund_receipt_record(
            case=case, amount="1.00", source=ReceiptSource.DEDUCTION,
            received_on=timezone.localdate(), actor=eworld.officer, control=5,
        )  # fmt: skip
    with pytest.raises(ValidationError):
        fund_receipt_record(
            case=case, amount="1.00", source=ReceiptSource.DEDUCTION,
            received_on=timezone.localdate() + datetime.timedelta(days=1), actor=eworld.officer,
        )  # fmt: skip


def test_outsider_and_pre_filing_are_refused(eworld, case):
    with pytest.raises(PermissionDenied):
        fund_receipt_record(
            case=case, amount="1.00", source=ReceiptSource.OTHER,
            received_on=timezone.localdate(), actor=eworld.outsider,
        )  # fmt: skip
    urging = make_case(eworld.court, eworld.clerk, status=CaseStatus.URGING)
    with pytest.raises(FundsRefused):
        fund_receipt_record(
            case=urging, amount="1.00", source=ReceiptSource.OTHER,
            received_on=timezone.localdate(), actor=eworld.clerk,
        )  # fmt: skip


def test_entries_are_append_only_and_balance_cannot_go_negative_in_the_database(eworld, case):
    fund_receipt_record(
        case=case, amount="5.00", source=ReceiptSource.OTHER,
        received_on=timezone.localdate(), actor=eworld.officer,
    )  # fmt: skip
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE enforcement_fundentry SET amount = 6")
    with pytest.raises(IntegrityError), transaction.atomic():
        FundAccount.objects.filter(case=case).update(balance=Decimal("-0.01"))
