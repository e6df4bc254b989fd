"""终本 → 执恢 carries what is still in force (issue #12): the freeze and the seal imposed
before 终本 follow the resumed case — same period, same clock, renewal reminders and renewal
working from the new case's assets page, a deduction received in the new case's ledger — and
the consumption restriction decided in the 终本 case binds the debtor in the 执恢 case: its
case page shows it (with the original number), 终本 again counts it, and 执行完毕 of the new
case lifts the controls and starts the restriction's removal."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from credit.models import Removal, Restriction
from credit.services.removal import live_sanctions
from deadlines.models import Deadline
from enforcement.clocks_assets import open_clock
from enforcement.inquiry.simulated import simulated_script
from enforcement.models import (
    AssetControl,
    AssetFinding,
    CaseStatus,
    ControlActionKind,
    ControlStatus,
    FundReceipt,
)
from enforcement.services import controls
from enforcement.services.endings import case_performed
from enforcement.services.final import final_approve, final_conditions, final_request
from enforcement.services.final_checks import case_resume
from enforcement.services.funds import case_fund_summary

from . import notices_fixtures
from .conftest import ID_DEBTOR, make_case
from .endings_fixtures import (
    FINAL_STATEMENTS,
    debtor_of,
    file_months_ago,
    inquire,
    restrict,
    serve_and_report,
)
from .funds_fixtures import pay_out, receive

pytestmark = pytest.mark.django_db

fast_pdf = notices_fixtures.fast_pdf

DEPOSIT = {"kind": "bank_account", "institution": "中国农业银行乌海分行",
           "identifier": "6228480012345678901", "balance": "3200.00", "description": "活期"}  # fmt: skip
HOUSE = {"kind": "real_estate", "institution": "乌海市不动产登记中心",
         "identifier": "蒙(2019)乌海市不动产权第0012345号", "estimated_value": "180000.00",
         "description": "海勃湾区某小区住宅（有抵押，首封在他院）"}  # fmt: skip


def _final(case, eworld):
    request = final_request(case=case, actor=eworld.officer, approver=eworld.president,
                            applicant_heard_on=timezone.localdate(), **FINAL_STATEMENTS)  # fmt: skip
    final_approve(request=request, actor=eworld.president)
    case.refresh_from_db()
    assert case.status == CaseStatus.TERMINATED_ROUND


def test_resumed_case_carries_the_controls_and_the_restriction(eworld, api_for, client, fast_pdf):
    simulated_script(identity=ID_DEBTOR, findings=[DEPOSIT, HOUSE],
                     available_from=timezone.localdate())  # fmt: skip
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer,
                     principal=Decimal("51770.00"), applicant="刘某", debtor="陈某")  # fmt: skip
    serve_and_report(case, eworld)
    inquiry = inquire(case, eworld)
    deposit = AssetFinding.objects.get(inquiry=inquiry, kind="bank_account")
    house = AssetFinding.objects.get(inquiry=inquiry, kind="real_estate")
    freeze = controls.control_freeze(case=case, actor=eworld.officer, finding=deposit,
                                     amount="3200.00")  # fmt: skip
    seal = controls.control_seal(case=case, actor=eworld.officer, finding=house)
    restriction = restrict(case, eworld)
    file_months_ago(case, days=100)
    _final(case, eworld)
    freeze.refresh_from_db()
    assert freeze.status == ControlStatus.ACTIVE  # 终本 leaves them in force
    freeze_clock, seal_clock = (open_clock(c, c.period_kind) for c in (freeze, seal))
    expiries = (freeze.expires_on, seal.expires_on)

    # the applicant asks to resume (a clue of a new income): 执恢 through the API
    response = api_for(eworld.officer).post(
        f"/api/enforcement/endings/{case.pk}/resume/",
        {"reason": "申请执行人提供被执行人新的收入线索，申请恢复执行", "applicant_asked": True},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    resumed = case.resumptions.get()
    assert response.json()["case_number"] == resumed.case_number and "执恢" in resumed.case_number
    new_debtor = debtor_of(resumed)

    # the controls follow: the new case, its debtor row, the same period and clock
    carried = list(AssetControl.objects.filter(case=resumed).order_by("pk"))
    assert [c.pk for c in carried] == [freeze.pk, seal.pk]
    assert not AssetControl.objects.filter(case=case).exists()
    assert {c.debtor_id for c in carried} == {new_debtor.pk}
    assert tuple(c.expires_on for c in carried) == expiries
    assert [c.amount for c in carried] == [Decimal("3200.00"), None]
    for control, clock in zip(carried, (freeze_clock, seal_clock), strict=True):
        assert open_clock(control, control.period_kind).pk == clock.pk
        assert control.actions.order_by("-pk").first().action == ControlActionKind.CARRY
        assert case.case_number in control.actions.order_by("-pk").first().note

    # the new case's page shows them and the restriction decided in the original case
    client.force_login(eworld.officer)
    page = client.get(f"/enforcement/cases/{resumed.pk}/").content.decode()
    assert deposit.identifier_masked in page and house.identifier_masked in page
    assert f"原案 {case.case_number} 决定" in page
    assert live_sanctions(resumed) == [restriction]
    assert live_sanctions(resumed, case_party=new_debtor) == [restriction]

    # the seal's renewal reminder comes from its clock, and the renewal is done in the new case
    reminder_day = seal.expires_on - datetime.timedelta(days=20)
    with time_machine.travel(timezone.make_aware(datetime.datetime.combine(
            reminder_day, datetime.time(10)))):  # fmt: skip
        client.force_login(eworld.officer)  # three years on: a new session
        response = client.post(f"/enforcement/cases/{resumed.pk}/assets/controls/{seal.pk}/renew/",
                               {"months": "36", "note": "续封"})  # fmt: skip
        assert response.status_code == 302
        assert response["Location"].startswith(f"/enforcement/cases/{resumed.pk}/assets/")
    seal.refresh_from_db()
    assert seal.renewals == 1 and seal.expires_on > expiries[1]
    assert seal.actions.order_by("-pk").first().action == ControlActionKind.RENEW
    seal_clock.refresh_from_db()
    assert seal_clock.state in Deadline.OPEN_STATES

    # the frozen deposit deducted: received in the 执恢 case's ledger
    freeze.refresh_from_db()
    with time_machine.travel(timezone.make_aware(datetime.datetime.combine(
            freeze.deductible_on, datetime.time(10)))):  # fmt: skip
        controls.control_deduct(control=freeze, actor=eworld.officer, amount="3200.00")
    receipt = FundReceipt.objects.get(control_id=freeze.pk)
    assert receipt.case_id == resumed.pk and receipt.amount == Decimal("3200.00")
    assert case_fund_summary(resumed).received == Decimal("3200.00")
    assert case_fund_summary(case).received == Decimal("0.00")

    # 终本 again on the 执恢 case counts the restriction as ordered (only the listing is open)
    credit = next(c for c in final_conditions(resumed) if c.key == "credit")
    assert "未对陈某限制消费" not in credit.detail
    assert "陈某未纳入失信被执行人名单" in credit.detail


def test_performed_resumed_case_lifts_carried_controls_and_removes_the_restriction(
    eworld, fast_pdf
):
    simulated_script(identity=ID_DEBTOR, findings=[HOUSE], available_from=timezone.localdate())
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer,
                     principal=Decimal("10000.00"), debtor="陈某")  # fmt: skip
    serve_and_report(case, eworld)
    house = AssetFinding.objects.get(inquiry=inquire(case, eworld), kind="real_estate")
    seal = controls.control_seal(case=case, actor=eworld.officer, finding=house)
    restriction = restrict(case, eworld)
    # before 终本 4,000.00 was recovered and paid out
    first = receive(case, Decimal("4000.00"), eworld.clerk, payer="陈某")
    pay_out(first, requester=eworld.clerk, approver=eworld.president)
    file_months_ago(case, days=100)
    _final(case, eworld)

    resumed = case_resume(case=case, actor=eworld.officer, reason="被执行人愿意履行")
    # the 执恢 case orders what is left: 6,000.00, and 执行完毕 once that is paid out
    assert resumed.amount_ordered == Decimal("6000.00")
    assert debtor_of(resumed).name == "陈某"
    assert resumed.case_parties.get(role="applicant").share == Decimal("6000.00")
    receipt = receive(resumed, Decimal("6000.00"), eworld.clerk, payer="陈某")
    pay_out(receipt, requester=eworld.clerk, approver=eworld.president)
    case_performed(case=resumed, actor=eworld.officer, note="全部履行")

    seal.refresh_from_db()
    assert seal.status == ControlStatus.LIFTED and seal.case_id == resumed.pk
    assert open_clock(seal, seal.period_kind) is None
    removal = Removal.objects.get(restriction=restriction)
    assert removal.case_id == resumed.pk and removal.trigger == "full_performance"
    restriction.refresh_from_db()
    assert restriction.state == Restriction.State.IN_FORCE  # removed within 3 working days
    assert resumed.endings.get().controls_lifted == 1
