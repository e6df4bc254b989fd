"""Helpers for the case-fund tests: receive money, pay it out through the four-eyes flow,
and the migrant-wage case of story 7 (400 workers, 4 representatives, shares to the fen)."""

from decimal import Decimal

from django.utils import timezone

from enforcement.models import CaseParty, EnforcementRole, ReceiptSource
from enforcement.services.funds import (
    VIA_INDIVIDUAL,
    disbursements_approve,
    disbursements_pay,
    disbursements_propose,
    fund_receipt_record,
)
from tests.enforcement.conftest import add_party, make_case

WAGES_TOTAL = Decimal("278300.00")


def receive(case, amount, actor, *, source=ReceiptSource.DEDUCTION, received_on=None, **extra):
    return fund_receipt_record(
        case=case,
        amount=amount,
        source=source,
        received_on=received_on or timezone.localdate(),
        actor=actor,
        **extra,
    )


def pay_out(receipt, *, requester, approver, reference="BANK-1", via=VIA_INDIVIDUAL):
    """Propose by shares, approve (someone else), pay: the whole four-eyes flow."""
    proposed = disbursements_propose(receipt=receipt, actor=requester, via=via)
    approved = disbursements_approve(disbursements=proposed, actor=approver)
    return disbursements_pay(
        disbursements=approved,
        actor=requester,
        paid_on=timezone.localdate(),
        bank_reference=reference,
    )


def wage_shares(count: int = 400, total: Decimal = WAGES_TOTAL) -> list[Decimal]:
    """Uneven shares, many with odd fen, adding up to `total` exactly."""
    fen = [49_000 + (i * 7_919) % 40_000 + (i % 3) for i in range(count - 1)]
    last = int(total * 100) - sum(fen)
    assert last > 0
    return [Decimal(f) / 100 for f in (*fen, last)]


def make_wage_case(eworld, *, count: int = 400, representatives: int = 4):
    """Story 7: 400 villagers, 4 of them representatives, shares to the fen."""
    case = make_case(
        eworld.court,
        eworld.clerk,
        officer=eworld.officer,
        principal=WAGES_TOTAL,
        applicant="工人000",
        debtor="某建筑公司",
        is_livelihood=True,
    )
    shares = wage_shares(count)
    first = CaseParty.objects.get(case=case, role=EnforcementRole.APPLICANT)
    first.share, first.is_representative = shares[0], True
    first.save(update_fields=["share", "is_representative"])
    workers = [first]
    for i in range(1, count):
        workers.append(
            add_party(
                case,
                role=EnforcementRole.APPLICANT,
                name=f"工人{i:03d}",
                share=shares[i],
                position=i,
                is_representative=i < representatives,
            )
        )
    reps = workers[:representatives]
    for i, worker in enumerate(workers[representatives:], start=representatives):
        worker.represented_by = reps[i % representatives]
    CaseParty.objects.bulk_update(workers[representatives:], ["represented_by"])
    return case, workers
