"""Reconciliation finds what raw SQL plants behind the services' back."""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from enforcement.funds_reconciliation import reconcile
from enforcement.models import EnforcementCase, FundDisbursement, FundReceipt
from tests.enforcement.conftest import make_case
from tests.enforcement.funds_fixtures import pay_out, receive

pytestmark = pytest.mark.django_db


def checks(found):
    return sorted({(m.case_number, m.check, m.severity) for m in found})


def test_clean_books_reconcile(eworld, case):
    receipt = receive(case, "31775.00", eworld.officer)
    pay_out(receipt, requester=eworld.officer, approver=eworld.president)
    receive(case, "19995.00", eworld.officer)
    assert reconcile(EnforcementCase.objects.all()) == []
    out = StringIO()
    call_command("enforcement_funds_reconcile", stdout=out)
    assert "0 mismatch(es)." in out.getvalue()


def test_a_balance_changed_by_raw_sql_is_found(eworld, case):
    receive(case, "100.00", eworld.officer)
    clean = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    receive(clean, "5.00", eworld.officer)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE enforcement_fundaccount SET balance = balance + 0.01 WHERE case_id = %s",
            [case.pk],
        )
    found = reconcile(EnforcementCase.objects.all())
    assert checks(found) == [(case.case_number, "balance", "error")]
    assert any("差额 ¥0.01" in m.message for m in found)
    with pytest.raises(CommandError, match="2 error"):
        call_command("enforcement_funds_reconcile", stdout=StringIO())
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("enforcement_funds_reconcile", "--json", "--court", "蒙0302", stdout=out)
    assert {row["case"] for row in json.loads(out.getvalue())} == {case.pk}


def test_a_stray_entry_and_an_overdrawn_receipt_are_found(eworld, case):
    receipt = receive(case, "100.00", eworld.officer)
    [paid] = pay_out(receipt, requester=eworld.officer, approver=eworld.president)
    with connection.cursor() as cursor:
        # a second payout entry for the same disbursement, written behind the ledger's back
        cursor.execute(
            """INSERT INTO enforcement_fundentry (case_id, number, kind, amount, balance_after,
                   occurred_on, receipt_id, disbursement_id, fee_kind, reason, created_by_id,
                   created_at)
               VALUES (%s, 3, 'payout', -100.00, 0, %s, %s, %s, '', 'planted', %s, now())""",
            [case.pk, timezone.localdate(), receipt.pk, paid.pk, eworld.officer.pk],
        )
    found = reconcile(EnforcementCase.objects.filter(pk=case.pk))
    kinds = {m.check for m in found}
    assert {"balance", "numbering", "receipt", "disbursement"} <= kinds
    assert any("已支出超过到账金额 ¥100.00" in m.message for m in found)


def test_shares_and_clocks_are_checked(eworld, case):
    case.case_parties.filter(role="applicant").update(share=Decimal("50000.00"))
    receipt = receive(case, "10.00", eworld.officer,
                      received_on=timezone.localdate() - datetime.timedelta(days=1))  # fmt: skip
    found = reconcile(EnforcementCase.objects.all())
    assert checks(found) == [(case.case_number, "share", "warning")]
    with time_machine.travel(timezone.now() + datetime.timedelta(days=40)):
        found = reconcile(EnforcementCase.objects.all())
    assert ("clock", "warning") in {(m.check, m.severity) for m in found}
    assert any("已过，尚有 ¥10.00 未发放" in m.message for m in found)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM deadlines_deadline WHERE object_id = %s", [receipt.pk])
    assert any(
        m.message.endswith("没有发放期限。") for m in reconcile(EnforcementCase.objects.all())
    )


def test_disbursement_marked_paid_without_entry_is_found(eworld, case):
    receipt = receive(case, "100.00", eworld.officer)
    [paid] = pay_out(receipt, requester=eworld.officer, approver=eworld.president)
    other = receive(case, "7.00", eworld.officer)
    FundDisbursement.objects.filter(pk=paid.pk).update(receipt=other)
    found = reconcile(EnforcementCase.objects.all())
    assert any("已支付的发放 ¥100.00 超过到账金额" in m.message for m in found)
    assert FundReceipt.objects.count() == 2
