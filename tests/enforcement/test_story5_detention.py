"""Story 5 (seed 002, a loan of 51,770) end to end, as the officer, the president and the clerk
act through the API: the inquiry finds three accounts, 31,232.00 frozen; the second inquiry
adds Alipay, 543.00 frozen; after the freeze-to-deduct wait 31,775.00 is deducted and paid
out to the applicant (four eyes); the debtor 陈某 is brought in (拘传, approved by the president
as himself), refuses to pay, and detention is decided — asked by the officer, refused to
anyone but the named president, approved by him, the 拘留决定书 issued from the documents
service; he is taken in, his family told within the 24-hour clock; his review application
within 3 days starts the 5-day clock, a late one is refused; he pays the remaining 19,995.00,
is released early, the money is paid out and the case concluded 执行完毕: 51,770.00 received
and paid, balance 0.00."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from deadlines.models import Deadline
from enforcement.models import (
    AssetControl,
    CaseStatus,
    CoerciveMeasure,
    ControlStatus,
    MeasureStatus,
    Objection,
)
from enforcement.services.measures import FAMILY_CLOCK
from enforcement.services.objections import MEASURE_REVIEW_CLOCK

from . import measures_fixtures
from .assets_fixtures import findings_of, inquire_now, script_story5, story5_case
from .measures_fixtures import document_text

pytestmark = pytest.mark.django_db

fast_pdf = measures_fixtures.fast_pdf
D = Decimal


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _clock(subject, kind) -> Deadline:
    return Deadline.objects.get(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk, kind=kind
    )


def _funds(case, action=""):
    return f"/api/enforcement/funds/{case.pk}/" + (f"{action}/" if action else "")


def _pay_out(officer, president, case, receipt_id, day, reference):
    proposed = officer.post(_funds(case, "propose"), {"receipt": receipt_id}, format="json")
    assert proposed.status_code == 201, proposed.json()
    approved = president.post(_funds(case, "approve"), {"receipt": receipt_id}, format="json")
    assert approved.status_code == 200, approved.json()
    paid = officer.post(_funds(case, "pay"), {"receipt": receipt_id, "paid_on": day.isoformat(),
                                              "bank_reference": reference}, format="json")  # fmt: skip
    assert paid.status_code == 200, paid.json()


def test_story5_detention_decided_then_the_final_19995_and_performed(eworld, api_for, fast_pdf):
    officer, president = api_for(eworld.officer), api_for(eworld.president)
    clerk = api_for(eworld.clerk)
    day0 = timezone.localdate()
    script_story5(day0, alipay_after_days=10)
    with time_machine.travel(_at(day0), tick=False) as clock:
        case = story5_case(eworld)
        chen = case.case_parties.get(role="debtor")

        # three accounts, 31,232.00 frozen; ten days on Alipay, 543.00 frozen
        for finding in findings_of(inquire_now(case, eworld.officer), "bank_account"):
            response = officer.post("/api/enforcement/controls/freeze/",
                                    {"finding": finding.pk, "amount": str(finding.balance)},
                                    format="json")  # fmt: skip
            assert response.status_code == 201, response.json()
        clock.move_to(_at(day0 + datetime.timedelta(days=11)))
        (alipay,) = [f for f in findings_of(inquire_now(case, eworld.officer)) if f.is_new]
        response = officer.post("/api/enforcement/controls/freeze/",
                                {"finding": alipay.pk, "amount": "543.00"}, format="json")  # fmt: skip
        assert response.status_code == 201, response.json()
        controls = list(AssetControl.objects.filter(case=case).order_by("pk"))
        assert sum(c.amount for c in controls) == D("31775.00")

        # after the wait, deducted into the case fund and paid out to 刘某
        deduct_day = max(c.deductible_on for c in controls)
        clock.move_to(_at(deduct_day))
        for control in controls:
            response = officer.post(f"/api/enforcement/controls/{control.pk}/deduct/",
                                    {"amount": str(control.amount)}, format="json")  # fmt: skip
            assert response.status_code == 200, response.json()
        ledger = officer.get(_funds(case)).json()
        assert ledger["summary"]["received"] == "31775.00"
        first_receipts = [r["id"] for r in ledger["receipts"]]
        for number, receipt_id in enumerate(first_receipts, start=1):
            _pay_out(officer, president, case, receipt_id, deduct_day, f"PSBC-{number}")
        summary = officer.get(_funds(case)).json()["summary"]
        assert (summary["paid_to_applicants"], summary["balance"], summary["outstanding"]) == (
            "31775.00", "0.00", "19995.00")  # fmt: skip

        # 陈某 brought in (拘传, approved by the president as himself) and questioned
        day = deduct_day + datetime.timedelta(days=3)
        clock.move_to(_at(day))
        appearance = officer.post("/api/enforcement/measures/", {
            "case": case.pk, "kind": "appearance", "subject": chen.pk, "hours": 8,
            "approver": eworld.president.pk, "reason": "经两次传唤无正当理由拒不到庭"},
            format="json")  # fmt: skip
        assert appearance.status_code == 201, appearance.json()
        appearance_id = appearance.json()["id"]
        assert president.post(f"/api/enforcement/measures/{appearance_id}/approve/",
                              {"note": "同意拘传"}, format="json").status_code == 200  # fmt: skip
        assert officer.post(f"/api/enforcement/measures/{appearance_id}/execute/", {},
                            format="json").status_code == 200  # fmt: skip
        clock.move_to(_at(day, 13))
        ended = officer.post(f"/api/enforcement/measures/{appearance_id}/end/",
                             {"note": "询问完毕，拒不履行"}, format="json")  # fmt: skip
        assert ended.status_code == 200 and ended.json()["status"] == MeasureStatus.ENDED

        # he refuses: detention asked for 15 days; only the named president decides
        asked = officer.post("/api/enforcement/measures/", {
            "case": case.pk, "kind": "detention", "subject": chen.pk, "days": 16,
            "approver": eworld.president.pk, "reason": "有履行能力而拒不履行",
            "place": "乌海市拘留所"}, format="json")  # fmt: skip
        assert asked.status_code == 400 and "days" in asked.json()["fields"]
        asked = officer.post("/api/enforcement/measures/", {
            "case": case.pk, "kind": "detention", "subject": chen.pk, "days": 15,
            "approver": eworld.president.pk, "place": "乌海市拘留所",
            "reason": "被执行人陈某经拘传到庭，有能力履行而拒不履行剩余19995元"},
            format="json")  # fmt: skip
        assert asked.status_code == 201, asked.json()
        detention = CoerciveMeasure.objects.get(pk=asked.json()["id"])
        assert asked.json()["status"] == MeasureStatus.REQUESTED and detention.document is None
        for someone in (eworld.officer, eworld.second_officer, eworld.higher_supervisor):
            refused = api_for(someone).post(f"/api/enforcement/measures/{detention.pk}/approve/",
                                            {}, format="json")  # fmt: skip
            assert refused.status_code in (403, 404), (someone, refused.content)
        decided_at = _at(day, 14)
        clock.move_to(decided_at)
        approved = president.post(f"/api/enforcement/measures/{detention.pk}/approve/",
                                  {"note": "同意拘留十五日"}, format="json")  # fmt: skip
        assert approved.status_code == 200, approved.json()
        body = approved.json()
        assert (body["status"], body["decided_by"], body["approver"]) == (
            MeasureStatus.APPROVED, str(eworld.president), eworld.president.pk)  # fmt: skip
        assert body["document"]["title"] == "拘留决定书" and body["document"]["number"]
        detention.refresh_from_db()
        assert detention.document.kind == "enforcement.measure_detention"
        text = document_text(detention)
        assert "陈某" in text and "拘留15日" in text and "乌海市拘留所" in text
        assert "三日内" in text and case.case_number in text

        # taken in at 15:00: the term to the 15th day, the family told within 24 hours
        taken = _at(day, 15)
        clock.move_to(_at(day, 15))
        executed = officer.post(f"/api/enforcement/measures/{detention.pk}/execute/",
                                {"started_at": taken.isoformat()}, format="json")  # fmt: skip
        assert executed.status_code == 200, executed.json()
        assert executed.json()["ends_on"] == (day + datetime.timedelta(days=14)).isoformat()
        family = _clock(detention, FAMILY_CLOCK)
        assert family.due_at == taken + datetime.timedelta(hours=24)
        assert family.state == Deadline.State.PENDING
        clock.move_to(_at(day, 20))
        told = officer.post(f"/api/enforcement/measures/{detention.pk}/family-notified/",
                            {"note": "电话通知其妻王某（13904730000）"}, format="json")  # fmt: skip
        assert told.status_code == 200, told.json()
        family.refresh_from_db()
        assert family.state == Deadline.State.MET

        # his review: within 3 days of the decision, decided within 5; a day late is refused
        review_day = day + datetime.timedelta(days=2)
        clock.move_to(_at(review_day))
        review = officer.post("/api/enforcement/objections/", {
            "case": case.pk, "kind": "measure_review", "applicant_name": "陈某",
            "applicant_party": chen.pk, "measure": detention.pk, "received_on": review_day.isoformat(),
            "matter": "认为拘留过重，申请复议"}, format="json")  # fmt: skip
        assert review.status_code == 201, review.json()
        decide = _clock(Objection.objects.get(pk=review.json()["id"]), MEASURE_REVIEW_CLOCK)
        assert timezone.localtime(decide.due_at).date() == review_day + datetime.timedelta(days=5)
        late_day = day + datetime.timedelta(days=4)
        clock.move_to(_at(late_day))
        late = officer.post("/api/enforcement/objections/", {
            "case": case.pk, "kind": "measure_review", "applicant_name": "陈某",
            "measure": detention.pk, "received_on": late_day.isoformat(), "matter": "再次申请"},
            format="json")  # fmt: skip
        assert late.status_code == 400 and "三日内" in str(late.json()["fields"]["received_on"])

        # on the fifth day he pays the remaining 19,995.00; released early; paid out
        pay_day = day + datetime.timedelta(days=4)
        clock.move_to(_at(pay_day, 10))
        received = clerk.post(_funds(case, "receipts"), {
            "amount": "19995.00", "source": "voluntary", "received_on": pay_day.isoformat(),
            "payer": "陈某", "note": "被拘留后悔过，由其妻代为交纳"}, format="json")  # fmt: skip
        assert received.status_code == 201, received.json()
        released = officer.post(f"/api/enforcement/measures/{detention.pk}/end/",
                                {"note": "已履行全部义务，承认并改正错误，提前解除拘留"},
                                format="json")  # fmt: skip
        assert released.status_code == 200 and released.json()["status"] == MeasureStatus.ENDED
        _pay_out(officer, president, case, received.json()["id"], pay_day, "PSBC-5")

        # 执行完毕: the money to the fen, the case concluded
        concluded = officer.post(f"/api/enforcement/endings/{case.pk}/performed/",
                                 {"note": "全部执行到位"}, format="json")  # fmt: skip
        assert concluded.status_code == 200, concluded.json()
    case.refresh_from_db()
    assert case.status == CaseStatus.PERFORMED and case.concluded_at is not None
    summary = officer.get(_funds(case)).json()["summary"]
    assert summary["received"] == summary["paid_to_applicants"] == "51770.00"
    assert (summary["balance"], summary["outstanding"], summary["owed_to_applicants"]) == (
        "0.00", "0.00", "0.00")  # fmt: skip
    assert set(AssetControl.objects.filter(case=case).values_list("status", flat=True)) == {
        ControlStatus.DEDUCTED}  # fmt: skip
    detention.refresh_from_db()
    assert detention.status == MeasureStatus.ENDED and detention.ended_at is not None
    assert case.endings.get().kind == "performed"
