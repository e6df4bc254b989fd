"""The measures, objections and campaigns API as a client drives it: 201/200 on the way,
400 with field errors for a broken limit or bad input (money only as a string), 409 for a
refused step, 403 for approving as someone else, and 404 — naming nothing — for another
court's user on every endpoint."""

import datetime

import pytest
from django.utils import timezone

from enforcement.models import CoerciveMeasure, MeasureStatus, Objection

from . import measures_fixtures
from .measures_fixtures import debtor

pytestmark = pytest.mark.django_db

fast_pdf = measures_fixtures.fast_pdf


def fine_body(case, eworld, amount="5000.00", **extra):
    return {"case": case.pk, "kind": "fine", "subject": debtor(case).pk, "reason": "拒不履行",
            "approver": eworld.president.pk, "amount": amount, **extra}  # fmt: skip


def test_measure_request_approve_execute_through_the_api(eworld, case, api_for, fast_pdf):
    officer = api_for(eworld.officer)
    response = officer.post("/api/enforcement/measures/", fine_body(case, eworld), format="json")
    assert response.status_code == 201, response.json()
    measure = response.json()
    assert measure["status"] == "requested" and measure["amount"] == "5000.00"
    assert measure["actions"] == ["cancel"]
    # the officer cannot approve their own request, nor can a colleague
    assert officer.post(f"/api/enforcement/measures/{measure['id']}/approve/").status_code == 403
    president = api_for(eworld.president)
    listed = president.get("/api/enforcement/measures/?awaiting_me=true").json()["results"]
    assert [m["id"] for m in listed] == [measure["id"]]
    response = president.post(f"/api/enforcement/measures/{measure['id']}/approve/",
                              {"note": "同意"}, format="json")  # fmt: skip
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "approved" and body["decided_by"] == str(eworld.president)
    assert body["document"]["number"]
    # approving twice is a refused step
    again = president.post(f"/api/enforcement/measures/{measure['id']}/approve/")
    assert again.status_code == 409 and "已批准" in again.json()["detail"]


def test_limits_and_bad_input_answer_400_by_field(eworld, case, api_for):
    api = api_for(eworld.officer)
    over = api.post("/api/enforcement/measures/", fine_body(case, eworld, amount="100000.01"),
                    format="json")  # fmt: skip
    assert over.status_code == 400 and "amount" in over.json()["fields"]
    number = api.post("/api/enforcement/measures/", fine_body(case, eworld, amount=5000),
                      format="json")  # fmt: skip
    assert number.status_code == 400 and "amount" in number.json()["fields"]
    days = api.post("/api/enforcement/measures/",
                    {**fine_body(case, eworld), "kind": "detention", "days": 16}, format="json")  # fmt: skip
    assert days.status_code == 400 and "days" in days.json()["fields"]
    hours = api.post("/api/enforcement/measures/",
                     {**fine_body(case, eworld), "kind": "appearance", "hours": 9}, format="json")  # fmt: skip
    assert hours.status_code == 400 and "hours" in hours.json()["fields"]
    colleague = api.post("/api/enforcement/measures/",
                         fine_body(case, eworld, approver=eworld.second_officer.pk), format="json")  # fmt: skip
    assert colleague.status_code == 400 and "approver" in colleague.json()["fields"]
    garbage = api.post("/api/enforcement/measures/", {"case": "x", "kind": "torture"},
                       format="json")  # fmt: skip
    assert garbage.status_code == 400
    assert not CoerciveMeasure.objects.exists()


def test_outsider_gets_404_on_every_measure_endpoint(eworld, case, api_for, fast_pdf):
    measure = api_for(eworld.officer).post(
        "/api/enforcement/measures/", fine_body(case, eworld), format="json").json()  # fmt: skip
    outsider = api_for(eworld.outsider)
    assert outsider.get("/api/enforcement/measures/").json()["results"] == []
    response = outsider.get(f"/api/enforcement/measures/{measure['id']}/")
    assert response.status_code == 404 and "王被执" not in response.content.decode()
    for step in ("approve", "refuse", "execute", "end", "family-notified", "cancel"):
        response = outsider.post(f"/api/enforcement/measures/{measure['id']}/{step}/",
                                 {"note": "x"}, format="json")  # fmt: skip
        assert response.status_code == 404, step
    created = outsider.post("/api/enforcement/measures/", fine_body(case, eworld), format="json")
    assert created.status_code == 404
    assert CoerciveMeasure.objects.get().status == MeasureStatus.REQUESTED


def test_objection_api_and_outsider(eworld, case, api_for):
    api = api_for(eworld.officer)
    response = api.post("/api/enforcement/objections/", {
        "case": case.pk, "kind": "objection", "applicant_name": "案外人刘某", "matter": "房屋为其所有",
        "received_on": timezone.localdate().isoformat()}, format="json")  # fmt: skip
    assert response.status_code == 201, response.json()
    objection = response.json()
    late = api.post("/api/enforcement/objections/", {
        "case": case.pk, "kind": "review", "applicant_name": "x", "matter": "x",
        "received_on": timezone.localdate().isoformat(), "parent": objection["id"]},
        format="json")  # fmt: skip
    assert late.status_code == 400 and "parent" in late.json()["fields"]
    assert api.post(f"/api/enforcement/objections/{objection['id']}/register/", {},
                    format="json").status_code == 200  # fmt: skip
    twice = api.post(f"/api/enforcement/objections/{objection['id']}/register/", {}, format="json")
    assert twice.status_code == 409
    future = api.post(f"/api/enforcement/objections/{objection['id']}/decide/",
                      {"upheld": True, "decision": "成立",
                       "decided_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()},
                      format="json")  # fmt: skip
    assert future.status_code == 400 and "decided_on" in future.json()["fields"]

    outsider = api_for(eworld.outsider)
    assert outsider.get("/api/enforcement/objections/").json()["results"] == []
    assert outsider.get(f"/api/enforcement/objections/{objection['id']}/").status_code == 404
    for step in ("register", "not-accept", "decide", "serve", "withdraw", "extend"):
        response = outsider.post(f"/api/enforcement/objections/{objection['id']}/{step}/",
                                 {"upheld": True, "decision": "x", "served_on": "2026-01-01",
                                  "approver": eworld.president.pk, "reason": "x"}, format="json")  # fmt: skip
        assert response.status_code == 404, step
    assert Objection.objects.get().status == "registered"


def test_campaign_api_tag_totals_and_outsider(eworld, case, api_for):
    today = timezone.localdate()
    president = api_for(eworld.president)
    response = president.post("/api/enforcement/campaigns/", {
        "name": "雷霆执行·2025·夏季风暴", "organiser": eworld.court.pk, "courts": [eworld.court.pk],
        "starts_on": today.isoformat(), "ends_on": (today + datetime.timedelta(days=60)).isoformat(),
    }, format="json")  # fmt: skip
    assert response.status_code == 201, response.json()
    campaign = response.json()
    tagged = api_for(eworld.officer).post(f"/api/enforcement/campaigns/{campaign['id']}/tag/",
                                          {"cases": [case.pk]}, format="json")  # fmt: skip
    assert tagged.json() == {"tagged": [case.pk], "skipped": {}}
    totals = president.get(f"/api/enforcement/campaigns/{campaign['id']}/totals/").json()
    assert totals["totals"]["cases"] == "1" and totals["totals"]["amount_recovered"] == "0.00"
    # another court's user: can neither create over this court nor see the campaign
    outsider = api_for(eworld.outsider)
    over = outsider.post("/api/enforcement/campaigns/", {
        "name": "x", "organiser": eworld.court.pk, "courts": [eworld.court.pk],
        "starts_on": today.isoformat(), "ends_on": today.isoformat()}, format="json")  # fmt: skip
    assert over.status_code == 400 and "organiser" in over.json()["fields"]
    assert outsider.get("/api/enforcement/campaigns/").json()["results"] == []
    for path in ("", "totals/", "cases/"):
        response = outsider.get(f"/api/enforcement/campaigns/{campaign['id']}/{path}")
        assert response.status_code == 404 and "夏季风暴" not in response.content.decode()
    for path, body in (
        ("tag/", {"cases": [case.pk]}),
        ("untag/", {"case": case.pk, "reason": "x"}),
    ):
        assert outsider.post(f"/api/enforcement/campaigns/{campaign['id']}/{path}", body,
                             format="json").status_code == 404  # fmt: skip
