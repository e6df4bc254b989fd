"""The other endings (enf-endings): 执行完毕 lifts every control and credit starts its
removals (the money guard still refuses while the applicant is owed); 终结执行 on a
statutory ground; 执转破 with consent; judicial relief capped at 36 × the province's average
monthly wage of the previous year, approved by the named president only."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from common.statemachine import TransitionNotAllowed
from credit.models import Removal
from enforcement.inquiry.simulated import simulated_script
from enforcement.models import AssetFinding, CaseStatus, ControlStatus, TargetKind
from enforcement.services import controls
from enforcement.services.endings import case_bankruptcy_transfer, case_performed, case_terminate
from enforcement.services.relief import relief_cap, relief_decide, relief_request

from . import notices_fixtures
from .conftest import ID_DEBTOR, make_case
from .endings_fixtures import inquire, restrict, wage_table

fast_pdf = notices_fixtures.fast_pdf

ACCOUNT = {"kind": "vehicle", "institution": "乌海市公安局交通管理支队",
           "identifier": "蒙C88888", "estimated_value": "30000.00"}  # fmt: skip


def test_performed_lifts_every_control_and_starts_credit_removals(eworld, fast_pdf):
    simulated_script(identity=ID_DEBTOR, findings=[ACCOUNT], available_from=timezone.localdate())
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer,
                     target_kind=TargetKind.ACT, principal=Decimal("0.00"),
                     act_description="返还十台机器")  # fmt: skip
    restrict(case, eworld)
    inquiry = inquire(case, eworld)
    finding = AssetFinding.objects.get(inquiry=inquiry)
    frozen = controls.control_seize(case=case, actor=eworld.officer, finding=finding)
    case_performed(case=case, actor=eworld.officer, note="十台机器已返还")
    case.refresh_from_db()
    frozen.refresh_from_db()
    assert case.status == CaseStatus.PERFORMED and case.concluded_at
    assert frozen.status == ControlStatus.LIFTED
    assert case.endings.get().controls_lifted == 1
    removal = Removal.objects.get(case=case)
    assert removal.trigger == "full_performance"


def test_performed_refused_while_the_applicant_is_owed(eworld):
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    with pytest.raises(TransitionNotAllowed, match="未获发放"):
        case_performed(case=case, actor=eworld.officer)
    assert not case.endings.exists()


def test_termination_needs_a_ground_and_reason(eworld):
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    with pytest.raises(ValidationError):
        case_terminate(case=case, actor=eworld.officer, ground="bogus", reason="x")
    with pytest.raises(ValidationError):
        case_terminate(case=case, actor=eworld.officer, ground="debtor_died", reason=" ")
    case_terminate(case=case, actor=eworld.officer, ground="debtor_died",
                   reason="被执行人死亡，无遗产可供执行")  # fmt: skip
    case.refresh_from_db()
    assert case.status == CaseStatus.TERMINATED
    assert case.endings.get().ground == "debtor_died"
    with pytest.raises(PermissionDenied):
        case_terminate(case=make_case(eworld.court, eworld.clerk), actor=eworld.outsider,
                       ground="withdrawn", reason="x")  # fmt: skip


def test_bankruptcy_transfer_records_consent(eworld):
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer, debtor="某某有限公司")
    with pytest.raises(ValidationError) as bad:
        case_bankruptcy_transfer(case=case, actor=eworld.officer, receiving_court="",
                                 consent="", reason="")  # fmt: skip
    assert set(bad.value.message_dict) == {"receiving_court", "consent", "reason"}
    case_bankruptcy_transfer(case=case, actor=eworld.officer,
                             receiving_court="乌海市中级人民法院",
                             consent="申请执行人书面同意", reason="资产不足以清偿全部债务")  # fmt: skip
    case.refresh_from_db()
    assert case.status == CaseStatus.BANKRUPTCY
    assert case.endings.get().bankruptcy_court == "乌海市中级人民法院"


def test_relief_cap_and_named_approver(eworld):
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    applicant = case.case_parties.get(role="applicant")
    year = timezone.localdate().year
    with pytest.raises(TransitionNotAllowed, match="职工月平均工资"):
        relief_cap(eworld.court)
    wage_table(eworld, year=year - 2, wage="9999.00")  # not the previous year: not used
    with pytest.raises(TransitionNotAllowed):
        relief_cap(eworld.court)
    wage_table(eworld, year=year - 1, wage="7512.50")
    cap, basis = relief_cap(eworld.court)
    assert cap == Decimal("270450.00") and "× 36" in basis
    with pytest.raises(ValidationError, match="270450.00"):
        relief_request(
            case=case,
            applicant=applicant,
            actor=eworld.officer,
            approver=eworld.president,
            amount="270450.01",
            hardship="困难",
        )
    with pytest.raises(ValidationError):  # the requester cannot approve their own request
        relief_request(
            case=case,
            applicant=applicant,
            actor=eworld.president,
            approver=eworld.president,
            amount="100.00",
            hardship="困难",
        )
    relief = relief_request(
        case=case,
        applicant=applicant,
        actor=eworld.officer,
        approver=eworld.president,
        amount="270450.00",
        hardship="困难",
    )
    for other in (eworld.officer, eworld.second_officer, eworld.higher_supervisor):
        with pytest.raises(PermissionDenied):
            relief_decide(relief=relief, actor=other, approve=True)
    relief_decide(relief=relief, actor=eworld.president, approve=False, note="已获保险赔付")
    relief.refresh_from_db()
    assert relief.status == "refused" and relief.decided_at
