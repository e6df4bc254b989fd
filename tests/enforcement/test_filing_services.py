"""Filing through the services, as a clerk would: the basis (by hand and from a judicial
confirmation in one step), the application period flag, shares and representatives, the
number and the clocks filing starts, priorities with their stricter clocks."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from audit.models import AuditEntry
from cases.models import Party
from common import pii
from deadlines.models import Deadline
from enforcement.models import (
    CaseSequence,
    CaseStatus,
    EnforcementCase,
    EnforcementRole,
    LegalBasis,
)
from enforcement.selectors_filing import (
    ASSIGNMENT,
    TIME_LIMIT,
    bases_for_user,
    case_clock,
    enforceable_confirmations,
)
from enforcement.services.filing import (
    application_register,
    basis_from_confirmation,
    basis_record,
    representatives_set,
)

from .conftest import ID_APPLICANT, id_number
from .filing_fixtures import (
    COMPANY,
    confirmed_agreement,
    file_case,
    judgment_basis,
    two_parties,
    workers,
)

pytestmark = pytest.mark.django_db


def due_date(deadline: Deadline) -> datetime.date:
    return timezone.localtime(deadline.due_at).date()


# --- the basis ----------------------------------------------------------------------------


def test_basis_refuses_missing_fields_with_each_named(eworld):
    with pytest.raises(ValidationError) as refused:
        basis_record(
            court=eworld.court, actor=eworld.clerk, kind="judgment", issuing_body=" ",
            document_number="", effective_on=datetime.date(2099, 1, 1), deadlines=[],
        )  # fmt: skip
    errors = refused.value.message_dict
    assert set(errors) == {"issuing_body", "document_number", "effective_on", "deadlines"}
    assert "生效日期不能晚于今天" in errors["effective_on"][0]
    assert not LegalBasis.objects.exists()


def test_basis_number_found_in_either_bracket_form(eworld):
    basis = judgment_basis(eworld, number="(2026)蒙0302民初88号")
    assert basis.document_number == "(2026)蒙0302民初88号"
    for typed in ("（2026）蒙0302民初88号", "(2026) 蒙0302民初88号", "〔2026〕蒙0302民初88号"):
        assert list(bases_for_user(eworld.clerk, number=typed)) == [basis], typed
    old = judgment_basis(eworld, number="（2015）杭下执民字第2741号")
    assert list(bases_for_user(eworld.clerk, number="(2015)杭下执民字第2741号")) == [old]
    assert not bases_for_user(eworld.outsider, number="蒙0302").exists()


def test_only_the_courts_filing_staff_record_a_basis(eworld):
    for stranger in (eworld.outsider, eworld.officer, eworld.centre_supervisor):
        with pytest.raises(PermissionDenied):
            judgment_basis(eworld, actor=stranger)
    assert judgment_basis(eworld, actor=eworld.president).court == eworld.court


def test_instalments_are_kept_in_order(eworld):
    basis = judgment_basis(
        eworld,
        due=(datetime.date(2026, 6, 30), datetime.date(2026, 4, 30)),
        amounts={datetime.date(2026, 4, 30): "1000.00", datetime.date(2026, 6, 30): "2000.50"},
    )
    rows = list(basis.performance_deadlines.values_list("number", "due_date", "amount"))
    assert rows == [
        (1, datetime.date(2026, 4, 30), Decimal("1000.00")),
        (2, datetime.date(2026, 6, 30), Decimal("2000.50")),
    ]
    assert basis.last_performance_date == datetime.date(2026, 6, 30)


# --- filing: number, clocks, parties ------------------------------------------------------


def test_filing_gives_the_number_and_starts_both_clocks(eworld):
    case = file_case(eworld, principal="151770.00")
    assert case.status == CaseStatus.FILED
    year = timezone.localdate().year
    assert case.case_number == f"（{year}）蒙0302执1号"
    assert (case.number_year, case.number_sequence) == (year, 1)
    assert case.filed_by == eworld.clerk and case.filed_at is not None
    assert not case.is_small_claim
    assignment = case_clock(case, ASSIGNMENT)
    limit = case_clock(case, TIME_LIMIT)
    filed_on = timezone.localtime(case.filed_at).date()
    assert due_date(assignment) == filed_on + datetime.timedelta(days=7)
    assert assignment.owner == eworld.clerk and assignment.rule_source == "statutory"
    assert limit.amount == 6 and limit.unit == "months" and limit.owner is None
    second = file_case(eworld, principal="151770.00")
    assert second.case_number == f"（{year}）蒙0302执2号"
    assert CaseSequence.objects.get(court=eworld.court, case_type="执", year=year).last == 2
    assert AuditEntry.objects.filter(object_id=str(case.pk), note__contains="立案：").exists()


def test_parties_recorded_with_the_sole_applicants_share_and_party_by_blind_index(eworld):
    case = file_case(eworld)
    applicant = case.case_parties.get(role=EnforcementRole.APPLICANT)
    debtor = case.case_parties.get(role=EnforcementRole.DEBTOR)
    assert applicant.share == Decimal("51770.00")
    assert (
        applicant.phone_masked == "139****9000" and "13900139000" not in applicant.phone_encrypted
    )
    assert applicant.party.id_number_index == pii.id_number_index(ID_APPLICANT)
    assert debtor.address == "乌海市海勃湾区新华街1号" and debtor.share is None
    # the same person in a second case is the same Party
    again = file_case(eworld)
    assert again.case_parties.get(role="applicant").party == applicant.party
    assert Party.objects.filter(id_number_index=pii.id_number_index(ID_APPLICANT)).count() == 1


def test_shares_must_sum_to_the_money_target(eworld):
    parties = two_parties()
    parties[0]["share"] = "30000.00"
    parties.insert(1, {"role": "applicant", "name": "李申请", "share": "21769.99",
                       "id_number": id_number("19700101", "055")})  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        file_case(eworld, parties=parties)
    message = refused.value.message_dict["shares"][0]
    assert "¥51,769.99" in message and "¥51,770.00" in message and "¥0.01" in message
    assert not CaseSequence.objects.exists() or CaseSequence.objects.get().last == 0
    parties[1]["share"] = "21770.00"
    case = file_case(eworld, parties=parties)
    shares = sorted(case.case_parties.filter(role="applicant").values_list("share", flat=True))
    assert shares == [Decimal("21770.00"), Decimal("30000.00")]


def test_money_given_as_a_float_is_refused(eworld):
    with pytest.raises(ValidationError) as refused:
        file_case(eworld, principal=51770.0)
    assert "principal" in refused.value.message_dict


def test_an_act_target_needs_its_description_and_no_amount(eworld):
    with pytest.raises(ValidationError) as refused:
        file_case(eworld, target_kind="act", principal="0")
    assert "act_description" in refused.value.message_dict
    case = file_case(eworld, target_kind="act", principal=None, act_description="返还挖掘设备十台")
    assert case.target_kind == "act" and case.amount_ordered == 0
    assert case.case_parties.get(role="applicant").share is None
    assert case.late_interest_from is None and not case.is_small_claim


def test_court_without_court_code_is_refused_and_consumes_nothing(eworld):
    eworld.court.court_code = ""
    eworld.court.save(update_fields=["court_code"])
    with pytest.raises(ValidationError) as refused:
        file_case(eworld)
    assert "法院代字" in refused.value.message_dict["court"][0]
    assert not CaseSequence.objects.filter(last__gt=0).exists()
    assert not EnforcementCase.objects.exists()


def test_outsider_and_officer_may_not_file(eworld):
    basis = judgment_basis(eworld)
    for stranger in (eworld.outsider, eworld.officer):
        with pytest.raises(PermissionDenied):
            file_case(eworld, basis, actor=stranger)


# --- the application period ---------------------------------------------------------------


def test_late_application_is_accepted_and_flagged_with_the_reckoning(eworld):
    basis = judgment_basis(eworld, due=datetime.date(2024, 3, 12))
    case = file_case(eworld, basis, applied_on=datetime.date(2026, 11, 20))
    assert case.status == CaseStatus.FILED and case.case_number
    assert case.application_late is True
    assert case.application_period_ends_on == datetime.date(2026, 3, 12)
    assert "2024-03-12" in case.application_note and "2026-03-12" in case.application_note
    assert "已超过申请执行期间 253 日" in case.application_note
    assert "时效抗辩" in case.application_note


def test_application_period_runs_from_the_last_instalment(eworld):
    basis = judgment_basis(
        eworld, due=(datetime.date(2024, 3, 12), datetime.date(2025, 1, 20)),
        amounts={datetime.date(2024, 3, 12): "20000.00", datetime.date(2025, 1, 20): "31770.00"},
    )  # fmt: skip
    case = file_case(eworld, basis, applied_on=datetime.date(2026, 11, 20))
    assert case.application_late is False
    assert case.application_period_ends_on == datetime.date(2027, 1, 20)
    assert "最后一期履行期限届满日 2025-01-20" in case.application_note
    assert "在申请执行期间内" in case.application_note


def test_a_period_ending_on_a_day_off_ends_on_the_next_working_day(eworld):
    # 2024-10-01 + 2 years = 2026-10-01, National Day: the period ends on 2026-10-09
    basis = judgment_basis(eworld, due=datetime.date(2024, 10, 1))
    case = file_case(eworld, basis, applied_on=datetime.date(2026, 10, 8))
    assert case.application_period_ends_on > datetime.date(2026, 10, 1)
    assert case.application_late is False
    assert "顺延" in case.application_note


# --- priorities ---------------------------------------------------------------------------


def test_small_claim_is_set_at_filing_with_its_stricter_clocks(eworld):
    case = file_case(eworld, principal="99999.99")
    assert case.is_small_claim
    filed_on = timezone.localtime(case.filed_at).date()
    assert due_date(case_clock(case, ASSIGNMENT)) == filed_on + datetime.timedelta(days=3)
    limit = case_clock(case, TIME_LIMIT)
    assert (limit.amount, limit.unit, limit.rule_source) == (3, "months", "explicit")
    big = file_case(eworld, principal="100000.00")
    assert not big.is_small_claim
    assert case_clock(big, TIME_LIMIT).amount == 6


def test_livelihood_and_enterprise_cases_are_assigned_within_three_days(eworld):
    for flags in ({"is_livelihood": True}, {"is_enterprise": True}):
        case = file_case(eworld, principal="300000.00", **flags)
        filed_on = timezone.localtime(case.filed_at).date()
        assert due_date(case_clock(case, ASSIGNMENT)) == filed_on + datetime.timedelta(days=3)
        assert case_clock(case, TIME_LIMIT).amount == 6


@override_settings(
    ENFORCEMENT_PRIORITY_CLOCKS={
        "livelihood": {
            "enforcement.officer_assignment": {"amount": 1, "unit": "calendar_days"},
            "enforcement.time_limit": {"amount": 4, "unit": "months"},
        },
    },  # fmt: skip
    ENFORCEMENT_SMALL_CLAIM_LIMIT=Decimal("50000.00"),
)
def test_priority_clocks_come_from_settings(eworld):
    case = file_case(eworld, principal="51770.00", is_livelihood=True)
    assert not case.is_small_claim
    filed_on = timezone.localtime(case.filed_at).date()
    assert due_date(case_clock(case, ASSIGNMENT)) == filed_on + datetime.timedelta(days=1)
    assert case_clock(case, TIME_LIMIT).amount == 4


# --- from a judicial confirmation in one step ---------------------------------------------


INSTALMENTS = (datetime.date(2026, 9, 15), datetime.date(2026, 10, 31))


@pytest.fixture
def confirmation(eworld):
    creditors = [("李工人", id_number("19800202", "061"), Decimal("3000.00")),
                 ("赵工人", id_number("19810303", "073"), Decimal("4500.50"))]  # fmt: skip
    return confirmed_agreement(
        eworld, creditors=creditors, instalments=INSTALMENTS,
        debtor={"name": "乌海市某建筑公司", "kind": "organisation", "credit_code": COMPANY},
    )  # fmt: skip


def test_confirmation_taken_in_one_step_carries_number_date_instalments_parties(
    eworld, confirmation
):
    assert list(enforceable_confirmations(eworld.clerk)) == [confirmation]
    assert not enforceable_confirmations(eworld.outsider).exists()
    basis = basis_from_confirmation(confirmation=confirmation, actor=eworld.clerk)
    assert basis.kind == "confirmation_ruling" and basis.judicial_confirmation == confirmation
    assert basis.document_number == confirmation.case_number == "（2026）蒙0302民特1号"
    assert basis.effective_on == datetime.date(2026, 8, 6)
    assert basis.issuing_body == "海勃湾区人民法院"
    rows = list(basis.performance_deadlines.values_list("due_date", "amount"))
    assert rows == [(INSTALMENTS[0], Decimal("3750.25")), (INSTALMENTS[1], Decimal("3750.25"))]
    assert "分期支付" in basis.main_text
    # taken again at the same court: the same basis
    assert basis_from_confirmation(confirmation=confirmation, actor=eworld.clerk) == basis

    case = application_register(
        basis=basis, actor=eworld.clerk, procedure="file",
        applied_on=datetime.date(2026, 11, 20),
    )  # fmt: skip
    assert case.principal == Decimal("7500.50") and case.target_kind == "money"
    assert case.is_small_claim and not case.application_late
    assert case.application_period_ends_on == datetime.date(2028, 10, 31)
    applicants = list(case.case_parties.filter(role="applicant").order_by("position"))
    assert [(a.name, a.share) for a in applicants] == [
        ("李工人", Decimal("3000.00")),
        ("赵工人", Decimal("4500.50")),
    ]
    mediation_parties = {p.name: p for p in confirmation.agreement.case.case_parties.all()}
    assert applicants[0].party == mediation_parties["李工人"].party
    assert applicants[0].phone_masked == mediation_parties["李工人"].phone_masked
    debtor = case.case_parties.get(role="debtor")
    assert debtor.name == "乌海市某建筑公司" and debtor.party.credit_code == COMPANY
    # the doubled interest runs on each instalment from the day after it fell due
    assert case.late_interest_from == datetime.date(2026, 9, 16)


def test_outsider_cannot_take_a_confirmation_at_a_court_they_do_not_file_at(eworld, confirmation):
    with pytest.raises(PermissionDenied):
        basis_from_confirmation(confirmation=confirmation, actor=eworld.outsider)
    assert not LegalBasis.objects.exists()


# --- representatives ----------------------------------------------------------------------


def test_representatives_at_application_and_after(eworld):
    rows = workers(12, Decimal("12000.00"))
    parties = [
        {"role": "applicant", "name": n, "id_number": i, "share": str(a)} for n, i, a in rows
    ]
    parties.append({"role": "debtor", "name": "某公司", "kind": "organisation",
                    "credit_code": COMPANY})  # fmt: skip
    bad = [{"representative": 0, "represented": [1, 12]}]  # 12 is the debtor
    with pytest.raises(ValidationError) as refused:
        file_case(eworld, principal="12000.00", parties=parties, representatives=bad)
    assert "representatives" in refused.value.message_dict
    groups = [{"representative": 0, "represented": [1, 2, 3, 4, 5]},
              {"representative": 6, "represented": [7, 8, 9, 10, 11]}]  # fmt: skip
    case = file_case(eworld, principal="12000.00", parties=parties, representatives=groups)
    leaders = case.case_parties.filter(is_representative=True).order_by("position")
    assert [p.name for p in leaders] == ["工人001", "工人007"]
    assert leaders[0].represented.count() == 5
    # 工人007 now also represents 工人002 is refused (already represented)
    second = case.case_parties.get(name="工人002")
    with pytest.raises(ValidationError):
        representatives_set(case=case, actor=eworld.clerk, representative=leaders[1],
                            represented=[second])  # fmt: skip
    # 工人001 gives up 工人005 and 工人006
    keep = list(case.case_parties.filter(name__in=["工人002", "工人003", "工人004"]))
    representatives_set(case=case, actor=eworld.clerk, representative=leaders[0],
                        represented=keep)  # fmt: skip
    assert case.case_parties.get(name="工人006").represented_by is None
    assert case.case_parties.get(name="工人001").represented.count() == 3
