"""The mediation clocks and their extension rules (DOMAIN.md, Legal rules / Mediation)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from deadlines.models import Deadline
from deadlines.services import deadline_extension_request
from mediation import clocks
from mediation.models import Status
from mediation.services import (
    mediation_agree,
    mediation_case_entrust,
    mediation_case_request,
    mediation_extend_with_consent,
    mediation_receipt_sign,
    mediator_assign,
    session_log,
)

from .conftest import parties

SIGNED = datetime.datetime(2025, 3, 3, 10, 0, tzinfo=datetime.UTC)  # a Monday, 18:00 Beijing


@pytest.fixture
def at_signing():
    """The clock at SIGNED from before the case is delegated (list it first)."""
    with time_machine.travel(SIGNED, tick=False):
        yield


def _due(case):
    clock = clocks.period_clock(case)
    return clock, timezone.localtime(clock.due_at).date()


def test_pre_litigation_runs_30_days_from_the_signed_receipt(at_signing, mworld, delegated):
    assert clocks.period_clock(delegated) is None  # nothing runs before the receipt
    case = mediation_receipt_sign(case=delegated, actor=mworld.zhang)
    assert case.status == Status.ACCEPTED
    clock, due = _due(case)
    assert clock.kind == clocks.PRE_LITIGATION
    assert clock.unit == "calendar_days" and clock.amount == 30
    assert due == datetime.date(2025, 4, 2)
    assert clock.owner == mworld.zhang


def test_receipt_is_signed_by_the_assigned_mediator_only(at_signing, mworld, delegated):
    from common.statemachine import TransitionNotAllowed

    with pytest.raises(TransitionNotAllowed):
        mediation_receipt_sign(case=delegated, actor=mworld.bao)  # same committee, not assigned
    with pytest.raises(TransitionNotAllowed):
        mediation_receipt_sign(case=delegated, actor=mworld.committee_clerk)


def test_pre_litigation_extends_only_with_both_parties_recorded_consent(
    at_signing, mworld, delegated
):
    case = mediation_receipt_sign(case=delegated, actor=mworld.zhang)
    clock, _due_date = _due(case)
    # not by an approval request, whoever approves
    with pytest.raises(ValidationError):
        deadline_extension_request(
            clock, actor=mworld.zhang, approver=mworld.president, reason="双方要求", amount=10
        )
    applicant, respondent = list(case.case_parties.order_by("role"))
    # one side only: refused, nothing moves
    with pytest.raises(ValidationError) as refused:
        mediation_extend_with_consent(
            case=case, actor=mworld.zhang, days=7, manner="signed", consenting_parties=[applicant]
        )
    assert respondent.name in " ".join(refused.value.message_dict["consenting_parties"])
    assert _due(case)[1] == datetime.date(2025, 4, 2)
    # both: the clock moves 7 days, with the consent named in its explanation
    extension = mediation_extend_with_consent(
        case=case,
        actor=mworld.zhang,
        days=7,
        manner="signed",
        consenting_parties=[applicant, respondent],
    )
    assert set(extension.consenting_parties.all()) == {applicant, respondent}
    clock, due = _due(case)
    assert due == datetime.date(2025, 4, 9)
    recorded = clock.extensions.get()
    assert recorded.approved_by == mworld.zhang and "同意" in recorded.reason


def test_pre_litigation_clock_page_offers_no_approval_request(
    at_signing, mworld, delegated, client_for
):
    case = mediation_receipt_sign(case=delegated, actor=mworld.zhang)
    clock, _due_date = _due(case)
    page = client_for(mworld.zhang).get(f"/deadlines/{clock.pk}/").content.decode()
    assert 'data-testid="extend-form"' not in page
    assert case.reference in page and f"/mediation/{case.pk}/" in page  # links to the case


@pytest.mark.parametrize(
    ("simplified", "kind", "due"),
    [
        (False, clocks.ENTRUSTED, datetime.date(2025, 3, 18)),
        (True, clocks.ENTRUSTED_SIMPLIFIED, datetime.date(2025, 3, 10)),
    ],
)
@time_machine.travel(SIGNED, tick=False)
def test_entrusted_mediation_15_or_7_days_extended_by_the_court(mworld, simplified, kind, due):
    case = mediation_case_entrust(
        court=mworld.court,
        organisation=mworld.committee,
        actor=mworld.court_clerk,
        court_reference="（2025）蒙0302民初88号",
        category="neighbour",
        facts="相邻权纠纷，已立案。",
        parties=parties(),
        simplified_procedure=simplified,
    )
    mediator_assign(case=case, mediator=mworld.zhang_profile, actor=mworld.court_clerk)
    case = mediation_receipt_sign(case=case, actor=mworld.zhang)
    clock, due_date = _due(case)
    assert clock.kind == kind
    assert due_date == due
    # the parties' consent does not extend a filed case's mediation…
    with pytest.raises(ValidationError):
        mediation_extend_with_consent(
            case=case, actor=mworld.zhang, days=5, manner="signed",
            consenting_parties=list(case.case_parties.all()),
        )  # fmt: skip
    # …the entrusting court does: its president may be asked, the committee's clerk may not
    with pytest.raises(ValidationError):
        deadline_extension_request(
            clock, actor=mworld.zhang, approver=mworld.committee_clerk, reason="需要鉴定", amount=5
        )
    request = deadline_extension_request(
        clock, actor=mworld.zhang, approver=mworld.president, reason="需要鉴定", amount=5
    )
    assert request.approver == mworld.president


@time_machine.travel(SIGNED, tick=False)
def test_party_request_runs_a_month_and_the_clock_is_met_on_agreement(mworld):
    case = mediation_case_request(
        organisation=mworld.committee,
        actor=mworld.committee_clerk,
        category="neighbour",
        facts="噪音扰民",
        parties=parties(),
    )
    mediator_assign(case=case, mediator=mworld.zhang_profile, actor=mworld.committee_clerk)
    case = mediation_receipt_sign(case=case, actor=mworld.zhang)
    clock, due = _due(case)
    assert clock.kind == clocks.PEOPLE_MEDIATION and due == datetime.date(2025, 4, 3)
    session_log(case=case, actor=mworld.zhang, record="双方到场，达成谅解。", attendees=["party"])
    applicant, respondent = list(case.case_parties.order_by("role"))
    mediation_agree(
        case=case,
        actor=mworld.zhang,
        terms="赵某赔偿李某3000元",
        obligations=[
            {
                "obligor": respondent,
                "obligee": applicant,
                "kind": "money",
                "amount": "3000.00",
                "due_date": datetime.date(2025, 4, 30),
            }
        ],
    )
    clock.refresh_from_db()
    assert clock.state == Deadline.State.MET
