"""The assets API under /api/enforcement/: start and follow inquiries, read findings,
record and check clues, freeze/seal/seize and the later steps. Money as strings (a JSON
number is refused), outsiders get 404 everywhere, illegal steps 409, bad input 400."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from enforcement.inquiry.runner import run
from enforcement.models import AssetControl, AssetFinding, ControlStatus
from enforcement.services.controls import control_freeze

from .assets_fixtures import debtor_of, findings_of, inquire_now, script_story5, story5_case

pytestmark = pytest.mark.django_db
API = "/api/enforcement"


@pytest.fixture
def story(eworld):
    case = story5_case(eworld)
    script_story5(timezone.localdate(), alipay_after_days=10)
    return case


def test_inquiry_start_progress_and_findings(eworld, story, api_for):
    api = api_for(eworld.officer)
    response = api.post(f"{API}/inquiries/", {"case": story.pk}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending"
    assert body["progress"] == {"total": 1, "done": 0, "failed": 0, "running": 0, "pending": 1}
    assert body["targets"][0]["debtor_name"] == "陈某"
    assert body["targets"][0]["provider_label"] == "网络查控（模拟）"
    # a second start while it runs: 409
    again = api.post(f"{API}/inquiries/", {"case": story.pk}, format="json")
    assert again.status_code == 409 and "正在进行" in again.json()["detail"]
    run(inquiry_ids=[body["id"]])
    detail = api.get(f"{API}/inquiries/{body['id']}/").json()
    assert detail["status"] == "done" and detail["findings_count"] == 3
    assert detail["progress"]["done"] == 1 and detail["targets"][0]["status"] == "done"
    findings = api.get(f"{API}/inquiries/{body['id']}/findings/").json()
    assert sorted(f["balance"] for f in findings) == ["11000.00", "20000.00", "232.00"]
    assert all("*" in f["identifier_masked"] and f["measures"] == ["freeze"] for f in findings)
    listed = api.get(f"{API}/inquiries/", {"case": story.pk}).json()["results"]
    assert [i["id"] for i in listed] == [body["id"]] and "targets" not in listed[0]
    by_case = api.get(f"{API}/findings/", {"case": story.pk, "kind": "bank_account"}).json()
    assert len(by_case["results"]) == 3


def test_inquiry_bad_input(eworld, story, api_for):
    api = api_for(eworld.officer)
    assert api.post(f"{API}/inquiries/", {}, format="json").status_code == 400
    other = story5_case(eworld)
    response = api.post(
        f"{API}/inquiries/", {"case": story.pk, "debtor": debtor_of(other).pk}, format="json"
    )
    assert response.status_code == 400 and "debtor" in response.json()["fields"]
    assert api.get(f"{API}/findings/", {"is_new": "maybe"}).status_code == 400


def test_freeze_deduct_through_the_api(eworld, story, api_for):
    api = api_for(eworld.officer)
    inquiry = inquire_now(story, eworld.officer)
    bank = findings_of(inquiry, "bank_account")[0]
    number = api.post(f"{API}/controls/freeze/", {"finding": bank.pk, "amount": 100},
                      format="json")  # fmt: skip
    assert number.status_code == 400 and "amount" in number.json()["fields"]
    too_much = api.post(f"{API}/controls/freeze/", {"finding": bank.pk, "amount": "99999.00"},
                        format="json")  # fmt: skip
    assert too_much.status_code == 400
    long = api.post(f"{API}/controls/freeze/",
                    {"finding": bank.pk, "amount": "100.00", "months": 13}, format="json")  # fmt: skip
    assert long.status_code == 400 and "months" in long.json()["fields"]
    both = api.post(f"{API}/controls/freeze/", {"amount": "1.00"}, format="json")
    assert both.status_code == 400
    response = api.post(f"{API}/controls/freeze/",
                        {"finding": bank.pk, "amount": str(bank.balance)}, format="json")  # fmt: skip
    assert response.status_code == 201, response.content
    control = response.json()
    assert control["amount"] == str(bank.balance) and control["period_months"] == 12
    assert control["actions"][0]["action"] == "freeze"
    early = api.post(f"{API}/controls/{control['id']}/deduct/",
                     {"amount": str(bank.balance)}, format="json")  # fmt: skip
    assert early.status_code == 409
    assert control["deductible_on"] in early.json()["detail"]
    seal = api.post(f"{API}/controls/{control['id']}/appraise/",
                    {"value": "1.00", "appraiser": "x"}, format="json")  # fmt: skip
    assert seal.status_code == 409
    deductible = datetime.date.fromisoformat(control["deductible_on"])
    with time_machine.travel(
        timezone.make_aware(datetime.datetime.combine(deductible, datetime.time(10)))
    ):
        done = api.post(f"{API}/controls/{control['id']}/deduct/",
                        {"amount": str(bank.balance)}, format="json")  # fmt: skip
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "deducted" and done.json()["frozen_remaining"] == "0.00"
    assert done.json()["actions"][-1]["fund_receipt"]
    again = api.post(f"{API}/controls/{control['id']}/lift/", {"reason": "x"}, format="json")
    assert again.status_code == 409


def test_renew_and_lift(eworld, story, api_for):
    api = api_for(eworld.officer)
    inquiry = inquire_now(story, eworld.officer)
    bank = findings_of(inquiry, "bank_account")[0]
    control = control_freeze(case=story, actor=eworld.officer, finding=bank, amount="10.00",
                             months=6)  # fmt: skip
    too_long = api.post(f"{API}/controls/{control.pk}/renew/", {"months": 7}, format="json")
    assert too_long.status_code == 400 and "months" in too_long.json()["fields"]
    renewed = api.post(f"{API}/controls/{control.pk}/renew/", {"months": 6}, format="json")
    assert renewed.status_code == 200 and renewed.json()["renewals"] == 1
    no_reason = api.post(f"{API}/controls/{control.pk}/lift/", {}, format="json")
    assert no_reason.status_code == 400
    lifted = api.post(f"{API}/controls/{control.pk}/lift/", {"reason": "已履行"}, format="json")
    assert lifted.json()["status"] == "lifted"


def test_clues_through_the_api(eworld, story, api_for):
    api = api_for(eworld.clerk)
    response = api.post(f"{API}/clues/", {
        "case": story.pk, "kind": "alipay", "description": "申请人称被执行人用支付宝收款",
        "identifier": "13904731234", "urgent": True,
    }, format="json")  # fmt: skip
    assert response.status_code == 201, response.content
    clue = response.json()
    assert clue["identifier_masked"] == "139*****234" and "identifier" not in clue
    bad = api.post(f"{API}/clues/{clue['id']}/check/",
                   {"found": True, "result": "属实", "estimated_value": 543}, format="json")  # fmt: skip
    assert bad.status_code == 400
    checked = api.post(f"{API}/clues/{clue['id']}/check/",
                       {"found": True, "result": "属实", "estimated_value": "543.00"},
                       format="json")  # fmt: skip
    assert checked.status_code == 200 and checked.json()["status"] == "confirmed"
    assert api.post(f"{API}/clues/{clue['id']}/check/", {"found": False, "result": "x"},
                    format="json").status_code == 409  # fmt: skip
    frozen = api_for(eworld.officer).post(
        f"{API}/controls/freeze/", {"clue": clue["id"], "amount": "543.00"}, format="json"
    )
    assert frozen.status_code == 201 and frozen.json()["clue"] == clue["id"]
    assert (
        api.post(f"{API}/clues/", {"case": story.pk, "kind": "x"}, format="json").status_code == 400
    )


def test_outsider_gets_404_everywhere(eworld, story, api_for):
    inquiry = inquire_now(story, eworld.officer)
    finding = AssetFinding.objects.filter(inquiry=inquiry).first()
    control = control_freeze(case=story, actor=eworld.officer, finding=finding, amount="1.00")
    from enforcement.services.clues import clue_record

    clue = clue_record(case=story, actor=eworld.clerk, kind="vehicle", description="车辆")
    for stranger in (eworld.outsider, eworld.centre_supervisor):
        api = api_for(stranger)
        for url in (
            f"{API}/inquiries/{inquiry.pk}/",
            f"{API}/inquiries/{inquiry.pk}/findings/",
            f"{API}/findings/{finding.pk}/",
            f"{API}/clues/{clue.pk}/",
            f"{API}/controls/{control.pk}/",
        ):
            assert api.get(url).status_code == 404, url
        for url, data in (
            (f"{API}/inquiries/", {"case": story.pk}),
            (f"{API}/clues/", {"case": story.pk, "kind": "vehicle", "description": "x"}),
            (f"{API}/clues/{clue.pk}/check/", {"found": True, "result": "x"}),
            (f"{API}/controls/freeze/", {"finding": finding.pk, "amount": "1.00"}),
            (f"{API}/controls/seal/", {"clue": clue.pk}),
            (f"{API}/controls/{control.pk}/deduct/", {"amount": "1.00"}),
            (f"{API}/controls/{control.pk}/appraise/", {"value": "1.00", "appraiser": "x"}),
            (f"{API}/controls/{control.pk}/auction/", {"proceeds": "1.00"}),
            (f"{API}/controls/{control.pk}/renew/", {"months": 1}),
            (f"{API}/controls/{control.pk}/lift/", {"reason": "x"}),
        ):
            assert api.post(url, data, format="json").status_code == 404, url
        for url in ("inquiries", "findings", "clues", "controls"):
            assert api.get(f"{API}/{url}/").json()["results"] == [], url
    control.refresh_from_db()
    assert control.status == ControlStatus.ACTIVE and control.amount == Decimal("1.00")
    # the higher court's supervisor sees them
    assert api_for(eworld.higher_supervisor).get(f"{API}/controls/{control.pk}/").status_code == 200


def test_anonymous_refused(story, api_client):
    assert api_client.get(f"{API}/controls/").status_code in (401, 403)
    assert not AssetControl.objects.exists()
