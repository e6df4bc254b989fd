"""Story 7 (seed 003, migrant wages 27.83万) from the missed instalments to the payout, as the
officer, the president and the clerk act through the API: the debtor is a company
(乌海市某劳务公司), so detention cannot be of it — asked against the company alone it is
refused by the field; the person directly responsible, its head 孙某, is found in Ordos and
detained there with the local court's help (异地拘留): the president approves as himself, the
拘留决定书 names 孙某 as the company's head and the assisting court; a fine on the company
below the organisations' floor is refused. 孙某's family is told within 24 hours; the company
pays 278,300.00 in full; 孙某 is released; the money goes out to the 400 workers through their
four representatives, each share to the fen; the case ends 执行完毕 with balance 0.00."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from deadlines.models import Deadline
from enforcement.models import (
    CaseParty,
    CaseStatus,
    CoerciveMeasure,
    EnforcementRole,
    MeasureStatus,
)
from enforcement.services.measures import FAMILY_CLOCK

from . import measures_fixtures
from .funds_fixtures import WAGES_TOTAL, make_wage_case
from .measures_fixtures import add_company, document_text

pytestmark = pytest.mark.django_db

fast_pdf = measures_fixtures.fast_pdf
COMPANY = "乌海市某劳务公司"
ASSISTING = "鄂尔多斯市东胜区人民法院"


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _funds(case, action=""):
    return f"/api/enforcement/funds/{case.pk}/" + (f"{action}/" if action else "")


def test_story7_company_head_detained_then_paid_in_full_to_400_workers(eworld, api_for, fast_pdf):
    officer, president, clerk = (api_for(u) for u in (eworld.officer, eworld.president,
                                                        eworld.clerk))  # fmt: skip
    case, workers = make_wage_case(eworld, count=400, representatives=4)
    CaseParty.objects.filter(case=case, role=EnforcementRole.DEBTOR).delete()
    company = add_company(case, name=COMPANY)
    day = timezone.localdate()
    with time_machine.travel(_at(day, 9), tick=False) as clock:
        # against the company itself: refused, naming who may be detained
        refused = officer.post("/api/enforcement/measures/", {
            "case": case.pk, "kind": "detention", "subject": company.pk, "days": 15,
            "approver": eworld.president.pk, "reason": "拒不支付农民工工资"}, format="json")  # fmt: skip
        assert refused.status_code == 400
        assert "主要负责人或直接责任人员" in str(refused.json()["fields"]["responsible_person"])
        # a fine on the company below the organisations' floor is refused too
        fine = officer.post("/api/enforcement/measures/", {
            "case": case.pk, "kind": "fine", "subject": company.pk, "amount": "10000.00",
            "approver": eworld.president.pk, "reason": "拒不履行"}, format="json")  # fmt: skip
        assert fine.status_code == 400 and "amount" in fine.json()["fields"]

        # its head 孙某, found in Ordos: detained there with the local court's help
        asked = officer.post("/api/enforcement/measures/", {
            "case": case.pk, "kind": "detention", "subject": company.pk,
            "responsible_person": "孙某", "days": 15, "approver": eworld.president.pk,
            "place": "鄂尔多斯市拘留所", "assisting_court": ASSISTING,
            "reason": "被执行人乌海市某劳务公司拖欠400名农民工工资，其法定代表人孙某拒不履行"},
            format="json")  # fmt: skip
        assert asked.status_code == 201, asked.json()
        detention_id = asked.json()["id"]
        assert asked.json()["subject_name"] == f"孙某（{COMPANY}）"
        assert officer.post(f"/api/enforcement/measures/{detention_id}/approve/", {},
                            format="json").status_code == 403  # fmt: skip
        approved = president.post(f"/api/enforcement/measures/{detention_id}/approve/",
                                  {"note": "同意异地拘留"}, format="json")  # fmt: skip
        assert approved.status_code == 200, approved.json()
        assert approved.json()["decided_by"] == str(eworld.president)
        detention = CoerciveMeasure.objects.get(pk=detention_id)
        text = document_text(detention)
        assert "孙某" in text and f"{COMPANY}的负责人" in text
        assert f"委托{ASSISTING}协助执行" in text and "拘留15日" in text

        taken = _at(day, 16)
        clock.move_to(taken)
        executed = officer.post(f"/api/enforcement/measures/{detention_id}/execute/",
                                {"started_at": taken.isoformat()}, format="json")  # fmt: skip
        assert executed.status_code == 200, executed.json()
        family = Deadline.objects.get(
            content_type=ContentType.objects.get_for_model(CoerciveMeasure),
            object_id=detention_id, kind=FAMILY_CLOCK,
        )  # fmt: skip
        assert family.due_at == taken + datetime.timedelta(hours=24)
        clock.move_to(_at(day + datetime.timedelta(days=1), 10))
        told = officer.post(f"/api/enforcement/measures/{detention_id}/family-notified/",
                            {"note": "由东胜区法院电话通知其妻"}, format="json")  # fmt: skip
        assert told.status_code == 200
        family.refresh_from_db()
        assert family.state == Deadline.State.MET

        # the company pays in full; 孙某 released
        pay_day = day + datetime.timedelta(days=2)
        clock.move_to(_at(pay_day, 10))
        received = clerk.post(_funds(case, "receipts"), {
            "amount": "278300.00", "source": "voluntary", "received_on": pay_day.isoformat(),
            "payer": COMPANY, "note": "被执行人全额交纳拖欠工资"}, format="json")  # fmt: skip
        assert received.status_code == 201, received.json()
        released = officer.post(f"/api/enforcement/measures/{detention_id}/end/",
                                {"note": "被执行人已全部履行，提前解除拘留"}, format="json")  # fmt: skip
        assert released.status_code == 200 and released.json()["status"] == MeasureStatus.ENDED

        # out to the 400 workers through their four representatives
        receipt = received.json()["id"]
        proposed = officer.post(_funds(case, "propose"),
                                {"receipt": receipt, "via": "representatives"}, format="json")  # fmt: skip
        assert proposed.status_code == 201 and len(proposed.json()) == 400
        assert sum(Decimal(row["amount"]) for row in proposed.json()) == WAGES_TOTAL
        by_worker = {row["payee_name"]: row["amount"] for row in proposed.json()}
        assert all(Decimal(by_worker[w.name]) == w.share for w in workers)
        assert president.post(_funds(case, "approve"), {"receipt": receipt},
                              format="json").status_code == 200  # fmt: skip
        for number, rep in enumerate(workers[:4], start=1):
            paid = officer.post(_funds(case, "pay"), {
                "receipt": receipt, "recipient": rep.pk, "paid_on": pay_day.isoformat(),
                "bank_reference": f"WAGE-{number}"}, format="json")  # fmt: skip
            assert paid.status_code == 200 and len(paid.json()) == 100
        concluded = officer.post(f"/api/enforcement/endings/{case.pk}/performed/",
                                 {"note": "农民工工资全部发放"}, format="json")  # fmt: skip
        assert concluded.status_code == 200, concluded.json()
    case.refresh_from_db()
    assert case.status == CaseStatus.PERFORMED
    summary = officer.get(_funds(case)).json()["summary"]
    assert summary["received"] == summary["paid_to_applicants"] == "278300.00"
    assert (summary["balance"], summary["outstanding"]) == ("0.00", "0.00")
