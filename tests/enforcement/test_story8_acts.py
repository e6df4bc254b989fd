"""Story 8 (DOMAIN.md; seeds 001 and 002): non-money targets, as far as part 1 reaches.

- **Equipment** (002): a lease ended, the lessee 张某 kept ten large machines; the judgment
  orders them returned to 李某. The clerk files the application as an act (no amount, no
  shares), assigns it; the officer issues the 执行通知书 — no 报告财产令, which the law asks
  only where money is owed (a request for one is refused 409) — and that alone meets the
  3-day notices clock; the notice is served; the machines are handed back and the case is
  closed as performed (执行完毕) with no case-fund guard in the way (nothing was owed in
  money), while a money case in the same state is still refused.
- **Custody** (001): the mother asks for her daughter to be handed to her and for the child
  support (1,500 a month) the judgment gave her: money and act. Filed as a livelihood case;
  here the 报告财产令 is required (there is money), and 执行完毕 waits for the money too.

Through the API as the clerk's and officer's clients use it, documents and clocks checked."""

import pytest
from django.utils import timezone

from deadlines.models import Deadline
from deadlines.selectors import deadlines_for
from enforcement.models import CaseStatus, EnforcementCase, EnforcementNotice, ServiceRecord
from enforcement.services.funds import case_fund_summary, funds_performance_refusal
from enforcement.services.notices import required_kinds
from enforcement.states import case_machine

from . import notices_fixtures
from .conftest import ID_APPLICANT, ID_DEBTOR, make_case

pytestmark = pytest.mark.django_db

fast_pdf = notices_fixtures.fast_pdf

MACHINES = "返还工程设备十台（挖掘机六台、装载机四台，型号见租赁合同附件）"


def _basis(api, eworld, number, main_text, due):
    response = api.post(
        "/api/enforcement/bases/",
        {"court": eworld.court.pk, "kind": "judgment", "issuing_body": "海勃湾区人民法院",
         "document_number": number, "effective_on": "2026-08-03", "main_text": main_text,
         "deadlines": [{"due_date": due, "description": main_text[:60]}]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def _assign(api, eworld, case_id):
    response = api.post(f"/api/enforcement/cases/{case_id}/assign/",
                        {"officer": eworld.officer.pk}, format="json")  # fmt: skip
    assert response.status_code == 200, response.json()
    return response.json()


def test_story8_equipment_returned_an_act_without_funds(eworld, api_for, fast_pdf):
    clerk = api_for(eworld.clerk)
    basis_id = _basis(clerk, eworld, "（2026）蒙0302民初733号",
                      "被告张某于判决生效后十日内向原告李某" + MACHINES + "。",
                      "2026-08-13")  # fmt: skip
    response = clerk.post(
        "/api/enforcement/cases/",
        {"basis": basis_id, "procedure": "file", "applied_on": timezone.localdate().isoformat(),
         "target_kind": "act", "act_description": MACHINES, "is_enterprise": True,
         "parties": [
             {"role": "applicant", "name": "李某", "id_number": ID_APPLICANT},
             {"role": "debtor", "name": "张某", "id_number": ID_DEBTOR,
              "address": "土默特左旗察素齐镇工业园区张某加工厂"},
         ]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    filed = response.json()
    assert filed["status"] == "filed" and filed["target_kind"] == "act"
    year = timezone.localdate().year
    assert (
        filed["case_number"].startswith(f"（{year}）蒙0302执") and filed["case_number"][-1] == "号"
    )
    case = EnforcementCase.objects.get(pk=filed["id"])
    assert not case.is_money_case and case.act_description == MACHINES
    assert str(case.principal + case.interest + case.costs) == "0.00"
    assert [p.share for p in case.case_parties.filter(role="applicant")] == [None]
    # a money field on an act is refused, not stored
    refused = clerk.post(
        "/api/enforcement/cases/",
        {"basis": basis_id, "procedure": "file", "applied_on": timezone.localdate().isoformat(),
         "target_kind": "act", "act_description": MACHINES, "principal": "1000.00",
         "parties": [{"role": "applicant", "name": "李某", "id_number": ID_APPLICANT},
                     {"role": "debtor", "name": "张某", "id_number": ID_DEBTOR}]},
        format="json",
    )  # fmt: skip
    assert refused.status_code == 400 and "principal" in refused.json()["fields"]

    assigned = _assign(clerk, eworld, case.pk)
    assert assigned["status"] == "in_progress"
    notice_clock = deadlines_for(case).get(kind="enforcement.notice_issue")
    assert notice_clock.state == Deadline.State.PENDING

    # the officer: the 执行通知书 only
    officer = api_for(eworld.officer)
    assert required_kinds(case) == ["execution_notice"]
    order = officer.post(f"/api/enforcement/case-notices/{case.pk}/issue/",
                         {"kinds": ["asset_report_order"]}, format="json")  # fmt: skip
    assert order.status_code == 409 and "不发报告财产令" in str(order.json())
    response = officer.post(f"/api/enforcement/case-notices/{case.pk}/issue/",
                            {"kinds": ["execution_notice"]}, format="json")  # fmt: skip
    assert response.status_code == 201, response.json()
    (notice,) = response.json()["notices"]
    assert notice["kind"] == "execution_notice" and notice["report_days"] is None
    issued = EnforcementNotice.objects.get(pk=notice["id"])
    assert issued.document.verification_code and issued.document.number
    notice_clock.refresh_from_db()
    assert notice_clock.state == Deadline.State.MET  # nothing else is owed by law

    debtor = case.case_parties.get(role="debtor")
    served = officer.post(
        f"/api/enforcement/notices/{notice['id']}/services/",
        {"recipient": debtor.pk, "method": "direct", "served_on": timezone.localdate().isoformat(),
         "receipt_name": "张某", "address": "土默特左旗察素齐镇工业园区张某加工厂"},
        format="json",
    )  # fmt: skip
    assert served.status_code == 201, served.json()
    assert ServiceRecord.objects.filter(notice=issued, recipient=debtor).exists()
    summary = officer.get(f"/api/enforcement/case-notices/{case.pk}/").json()
    assert [n["served"] for n in summary["notices"]] == [True]
    assert summary["next_steps"] == []

    # the machines are handed back on site: 执行完毕, no funds guard for an act
    case.refresh_from_db()
    funds = case_fund_summary(case)
    assert (funds.ordered, funds.balance) == (0, 0)
    assert funds_performance_refusal(case) is None
    assert case_machine.refusal(case, "performed", eworld.officer) is None
    done = case_machine.apply(case, "performed", actor=eworld.officer,
                              note="执行干警现场将十台设备装车运交申请人李某")  # fmt: skip
    assert done.status == CaseStatus.PERFORMED
    assert officer.get(f"/api/enforcement/cases/{case.pk}/").json()["status"] == "performed"

    # the same step on a money case with nothing paid is still refused
    money = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    assert "未获发放" in case_machine.refusal(money, "performed", eworld.officer)


def test_story8_custody_with_support_money_needs_the_order_and_the_money(eworld, api_for, fast_pdf):
    clerk = api_for(eworld.clerk)
    basis_id = _basis(clerk, eworld, "（2026）蒙0302民初512号",
                      "婚生女由原告李某某抚养，被告张某某每月支付抚养费1500元。",
                      "2026-08-13")  # fmt: skip
    response = clerk.post(
        "/api/enforcement/cases/",
        {"basis": basis_id, "procedure": "file", "applied_on": timezone.localdate().isoformat(),
         "target_kind": "both", "principal": "6000.00", "is_livelihood": True,
         "act_description": "将婚生女交由申请执行人李某某抚养",
         "parties": [
             {"role": "applicant", "name": "李某某", "id_number": ID_APPLICANT},
             {"role": "debtor", "name": "张某某", "id_number": ID_DEBTOR,
              "address": "海原县某村"},
         ]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    case = EnforcementCase.objects.get(pk=response.json()["id"])
    assert case.is_money_case and case.is_livelihood
    assert [str(p.share) for p in case.case_parties.filter(role="applicant")] == ["6000.00"]
    _assign(clerk, eworld, case.pk)

    officer = api_for(eworld.officer)
    assert required_kinds(case) == ["execution_notice", "asset_report_order"]
    response = officer.post(f"/api/enforcement/case-notices/{case.pk}/issue/",
                            {"kinds": ["execution_notice"]}, format="json")  # fmt: skip
    assert response.status_code == 201
    clock = deadlines_for(case).get(kind="enforcement.notice_issue")
    assert clock.state == Deadline.State.PENDING  # the 报告财产令 is still owed
    response = officer.post(f"/api/enforcement/case-notices/{case.pk}/issue/",
                            {"kinds": ["asset_report_order"]}, format="json")  # fmt: skip
    assert response.status_code == 201
    clock.refresh_from_db()
    assert clock.state == Deadline.State.MET
    # the child is with her mother, but the support money is not paid: not 执行完毕 yet
    case.refresh_from_db()
    refusal = case_machine.refusal(case, "performed", eworld.officer)
    assert refusal and "¥6,000.00" in refusal
