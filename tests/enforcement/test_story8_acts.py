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

- **The child handed over with another court's help** (001): the daughter lives with her
  father in another district; the enforcing court commissions the 海南区 court (委托执行) to
  hand her over; the receiving court sees exactly the commissioned case (its parties, the act
  to be done, the matters sent) and none of the sender's other cases, files it in time (the
  15-day clock met), reports by the 30-day clock, hands the child over on day 116 and closes
  its part (then sees the case no more); the sending court follows each report and concludes
  执行完毕, which the receiving court could not do itself.

Through the API as the clerk's and officer's clients use it, documents and clocks checked."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from deadlines.models import Deadline
from deadlines.selectors import deadlines_for
from enforcement.models import CaseStatus, EnforcementCase, EnforcementNotice, ServiceRecord
from enforcement.services.funds import case_fund_summary, funds_performance_refusal
from enforcement.services.notices import required_kinds
from enforcement.states import case_machine

from . import commission_fixtures, notices_fixtures
from .conftest import ID_APPLICANT, ID_DEBTOR, make_case

pytestmark = pytest.mark.django_db

fast_pdf = notices_fixtures.fast_pdf
cworld = commission_fixtures.cworld

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


CHILD = "将婚生女张小某（2019年5月生）交由申请执行人李某某抚养"


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_story8_child_handed_over_with_another_courts_help(eworld, cworld, api_for, fast_pdf):
    from enforcement.services.commission import (
        FILING_CLOCK,
        REPORT_CLOCK,
        START_CLOCK,
        commission_clocks,
    )

    day0 = timezone.localdate()
    with time_machine.travel(_at(day0), tick=False) as clock:
        clerk, officer = api_for(eworld.clerk), api_for(eworld.officer)
        basis_id = _basis(clerk, eworld, "（2026）蒙0302民初901号",
                          "婚生女张小某由原告李某某抚养，被告张某某于判决生效后十日内将其交付原告。",
                          "2026-08-13")  # fmt: skip
        filed = clerk.post("/api/enforcement/cases/", {
            "basis": basis_id, "procedure": "file", "applied_on": day0.isoformat(),
            "target_kind": "act", "act_description": CHILD, "is_livelihood": True,
            "parties": [
                {"role": "applicant", "name": "李某某", "id_number": ID_APPLICANT},
                {"role": "debtor", "name": "张某某", "id_number": ID_DEBTOR,
                 "address": "乌海市海南区拉僧庙镇某村"},
            ]}, format="json")  # fmt: skip
        assert filed.status_code == 201, filed.json()
        case = EnforcementCase.objects.get(pk=filed.json()["id"])
        _assign(clerk, eworld, case.pk)
        notice = officer.post(f"/api/enforcement/case-notices/{case.pk}/issue/",
                              {"kinds": ["execution_notice"]}, format="json")  # fmt: skip
        assert notice.status_code == 201, notice.json()

        # the child is with her father in 海南区: that court is asked to hand her over
        matters = (
            "请协助将婚生女张小某从被执行人张某某处（海南区拉僧庙镇某村）交付申请执行人李某某。"
        )
        sent = officer.post(f"/api/enforcement/commission/{case.pk}/requests/", {
            "receiving_court": cworld.receiver.pk, "matters": matters,
            "assets_note": "被执行人现居住地：海南区拉僧庙镇某村"}, format="json")  # fmt: skip
        assert sent.status_code == 201, sent.json()
        commission_id = sent.json()["id"]
        clocks = commission_clocks(case.commissions.get())
        assert {k: c.organisation_id for k, c in clocks.items()} == {
            FILING_CLOCK: cworld.receiver.pk, START_CLOCK: cworld.receiver.pk,
            REPORT_CLOCK: cworld.receiver.pk}  # fmt: skip

        # the receiving court sees exactly what was sent, and nothing else of the sender's
        receiver_clerk, receiver = api_for(cworld.recv_clerk), api_for(cworld.recv_officer)
        seen = receiver_clerk.get(f"/api/enforcement/cases/{case.pk}/")
        assert seen.status_code == 200
        assert seen.json()["act_description"] == CHILD
        assert sorted(p["name"] for p in seen.json()["parties"]) == ["张某某", "李某某"]
        commission = receiver_clerk.get(f"/api/enforcement/commission/{case.pk}/").json()
        [record] = commission["commissions"]
        assert (record["matters"], record["status"]) == (matters, "requested")
        assert record["sending_court_name"] == eworld.court.name
        other = receiver_clerk.get(f"/api/enforcement/cases/{cworld.other_case.pk}/")
        assert other.status_code == 404 and "周未委" not in other.content.decode()
        # it acts on the commission, not on the case: concluding it is not its to do
        refused = receiver.post(f"/api/enforcement/endings/{case.pk}/performed/", {},
                                format="json")  # fmt: skip
        assert refused.status_code in (403, 404, 409)

        # filed there on day 5 (within 15: the start clock met), a report on day 20
        clock.move_to(_at(day0 + datetime.timedelta(days=5)))
        registered = receiver_clerk.post(f"/api/enforcement/commission/{case.pk}/register/", {
            "commission": commission_id, "officer": cworld.recv_officer.pk,
            "receiving_number": "（2026）蒙0303执协12号"}, format="json")  # fmt: skip
        assert registered.status_code == 200, registered.json()
        clock.move_to(_at(day0 + datetime.timedelta(days=20)))
        report = receiver.post(f"/api/enforcement/commission/{case.pk}/reports/", {
            "commission": commission_id,
            "text": "已约谈张某某，其拒不交付；已对其训诫并释明拒执后果，正做孩子及其祖父母工作。"},
            format="json")  # fmt: skip
        assert report.status_code == 201, report.json()
        states = {kind: c.state for kind, c in commission_clocks(
            case.commissions.get(), open_only=False).items()}  # fmt: skip
        assert states == {FILING_CLOCK: Deadline.State.MET, START_CLOCK: Deadline.State.MET,
                          REPORT_CLOCK: Deadline.State.MET}  # fmt: skip
        followed = officer.get(f"/api/enforcement/commission/{case.pk}/").json()["commissions"][0]
        assert followed["status"] == "registered" and "拒不交付" in followed["reports"][0]["text"]

        # day 116: the child is handed to her mother; the receiving court closes its part
        handed = day0 + datetime.timedelta(days=116)
        clock.move_to(_at(handed))
        done = receiver.post(f"/api/enforcement/commission/{case.pk}/finish/", {
            "commission": commission_id,
            "result": "经多次做工作，被执行人于今日在本院将张小某交付申请执行人李某某，交接完毕。"},
            format="json")  # fmt: skip
        assert done.status_code == 200 and done.json()["status"] == "finished"
        assert receiver_clerk.get(f"/api/enforcement/cases/{case.pk}/").status_code == 404
        followed = officer.get(f"/api/enforcement/commission/{case.pk}/").json()["commissions"][0]
        assert followed["status"] == "finished" and "交接完毕" in followed["end_reason"]

        concluded = officer.post(f"/api/enforcement/endings/{case.pk}/performed/",
                                 {"note": "经海南区人民法院协助，子女已交付申请执行人"},
                                 format="json")  # fmt: skip
        assert concluded.status_code == 200, concluded.json()
    case.refresh_from_db()
    assert case.status == CaseStatus.PERFORMED
    assert (case.concluded_at.date() - case.filed_at.date()).days == 116
