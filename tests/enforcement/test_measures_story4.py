"""Story 4 (seed 000, 修理部 v. 胡某) as far as the coercive measures reach: the notices
served and ignored (no asset report by the order's deadline), the bank account frozen, a
consumption restriction signed by the president, the exit restriction and a fine for not
reporting approved by the president as himself; 胡某 cannot fly (the restriction is public),
pays in full, the applicant is paid through the ledger, the case is performed — and every
measure binding him is lifted: the exit restriction ended, the pending detention request
cancelled, credit's removal clock started; the decided fine stands."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from credit.models import Restriction
from credit.services.imposing import restriction_approve, restriction_request
from deadlines.models import Deadline
from enforcement.models import AssetKind, MeasureKind, MeasureStatus, NoticeKind, ReceiptSource
from enforcement.selectors_campaigns import measures_for_case
from enforcement.selectors_notices import asset_report_state
from enforcement.services import measures as services
from enforcement.services.clues import clue_check, clue_record
from enforcement.services.controls import control_freeze, control_lift
from enforcement.services.notice_service import service_record
from enforcement.services.notices import notices_issue
from enforcement.states import case_machine

from . import measures_fixtures
from .conftest import make_case
from .funds_fixtures import pay_out, receive
from .measures_fixtures import debtor

pytestmark = pytest.mark.django_db

fast_pdf = measures_fixtures.fast_pdf


def test_story4_repair_shop_against_hu(eworld, fast_pdf):
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer,
                     principal=Decimal("38600.00"), applicant="某汽车修理部", debtor="胡某")  # fmt: skip
    hu = debtor(case)

    # notices issued and served; 胡某 ignores them: no report by the order's deadline
    notices = notices_issue(case=case, kinds=[NoticeKind.EXECUTION_NOTICE,
                                              NoticeKind.ASSET_REPORT_ORDER],
                            actor=eworld.officer, report_days=5)  # fmt: skip
    for notice in notices:
        service_record(notice=notice, recipient=hu, method="direct",
                       served_on=timezone.localdate(), actor=eworld.officer, receipt_name="胡某")  # fmt: skip
    later = timezone.now() + datetime.timedelta(days=8)
    assert asset_report_state(case, now=later).not_reported_on_time

    # his bank account frozen (a clue checked), the restriction signed by the president
    clue = clue_record(case=case, actor=eworld.officer, kind=AssetKind.BANK_ACCOUNT,
                       description="工资卡", institution="中国农业银行乌海分行", debtor=hu,
                       identifier="6228480000000000000")  # fmt: skip
    clue = clue_check(clue=clue, actor=eworld.officer, found=True, result="属实",
                      estimated_value="12000.00")  # fmt: skip
    freeze = control_freeze(case=case, actor=eworld.officer, clue=clue, amount="12000.00")
    restriction = restriction_request(case_party=hu, reasons="未按执行通知履行", actor=eworld.officer,
                                      approver=eworld.president)  # fmt: skip
    restriction = restriction_approve(restriction=restriction, actor=eworld.president)
    assert restriction.state == Restriction.State.IN_FORCE and restriction.is_public

    # the exit restriction (the officer's decision) and a fine for not reporting (approved)
    exit_ban = services.measure_request(case=case, kind=MeasureKind.EXIT_RESTRICTION, subject=hu,
                                        actor=eworld.officer, reason="拒不履行，限制出境")  # fmt: skip
    services.measure_execute(measure=exit_ban, actor=eworld.officer, note="已通知边检")
    fine = services.measure_request(case=case, kind=MeasureKind.FINE, subject=hu,
                                    actor=eworld.officer, approver=eworld.president,
                                    reason="拒不报告财产", amount=Decimal("5000.00"))  # fmt: skip
    fine = services.measure_approve(measure=fine, actor=eworld.president, note="同意")
    assert fine.document.kind == "enforcement.measure_fine"
    detention = services.measure_request(case=case, kind=MeasureKind.DETENTION, subject=hu,
                                         actor=eworld.officer, approver=eworld.president,
                                         reason="仍拒不履行", days=15)  # fmt: skip

    # he cannot fly, so he pays in full; the freeze is lifted and the applicant paid
    receipt = receive(case, Decimal("38600.00"), eworld.clerk, source=ReceiptSource.VOLUNTARY,
                      payer="胡某")  # fmt: skip
    control_lift(control=freeze, actor=eworld.officer, reason="被执行人已全部履行")
    pay_out(receipt, requester=eworld.clerk, approver=eworld.president)
    case_machine.apply(case, "performed", actor=eworld.officer, note="全部履行")

    # every measure binding him is lifted
    state = {m.kind: m.status for m in measures_for_case(case)}
    assert state[MeasureKind.EXIT_RESTRICTION] == MeasureStatus.ENDED
    assert state[MeasureKind.DETENTION] == MeasureStatus.CANCELLED
    assert state[MeasureKind.FINE] == MeasureStatus.APPROVED  # a decided fine stands
    exit_ban.refresh_from_db()
    assert "执行完毕" in exit_ban.end_note
    assert detention.pk
    assert Deadline.objects.filter(kind="credit.removal", organisation=eworld.court).exists()
