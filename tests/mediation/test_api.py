"""The workflow's action endpoints: 200/201 when done, 409 when the state machine refuses
(with why), 400 beside the fields, 404 out of scope."""

import datetime

from django.utils import timezone

from mediation import clocks
from mediation.models import Status


def test_the_mediation_through_the_api(mworld, delegated, api_for):
    url = f"/api/mediation/cases/{delegated.pk}/"
    bao, zhang = api_for(mworld.bao), api_for(mworld.zhang)
    refused = bao.post(url + "sign-receipt/", {}, format="json")
    assert refused.status_code == 409 and "角色" in refused.json()["detail"]
    signed = zhang.post(url + "sign-receipt/", {}, format="json")
    assert signed.status_code == 200 and signed.json()["status"] == Status.ACCEPTED

    planned_at = timezone.now() + datetime.timedelta(days=2)
    planned = zhang.post(
        url + "sessions/", {"planned": True, "held_at": planned_at.isoformat(), "place": "红色驿站"},
        format="json",
    )  # fmt: skip
    assert planned.status_code == 201 and planned.json()["is_planned"] is True
    reminder = clocks.open_clocks(delegated, clocks.NEXT_SESSION)[0]
    assert reminder.due_at == planned_at and reminder.owner == mworld.zhang

    bad = zhang.post(url + "sessions/", {"record": ""}, format="json")
    assert bad.status_code == 400 and "record" in bad.json()["fields"]
    held = zhang.post(
        url + "sessions/",
        {
            "record": "双方到场",
            "attendees": [{"kind": "party"}, {"kind": "legal_expert", "name": "马律师"}],
        },
        format="json",
    )
    assert held.status_code == 201
    assert [a["kind"] for a in held.json()["attendees"]] == ["party", "legal_expert"]
    reminder.refresh_from_db()
    assert reminder.state == "met"  # the planned session took place
    listed = [row["id"] for row in zhang.get(url + "sessions/").json()]
    assert listed == [planned.json()["id"], held.json()["id"]]  # latest date first

    assert zhang.post(url + "withdraw/", {}, format="json").status_code == 409  # not a filed case
    assert zhang.post(url + "fail/", {"reason": ""}, format="json").status_code == 400
    failed = zhang.post(url + "fail/", {"reason": "被申请人明确拒绝调解"}, format="json")
    assert failed.status_code == 200 and failed.json()["status"] == Status.FAILED
    assert failed.json()["end_reason"] == "被申请人明确拒绝调解"
    assert clocks.period_clock(delegated) is None
    again = zhang.post(url + "fail/", {"reason": "再次"}, format="json")
    assert again.status_code == 409


def test_suggestions_endpoint(mworld, delegated, api_for):
    response = api_for(mworld.committee_clerk).get(
        f"/api/mediation/cases/{delegated.pk}/suggestions/"
    )
    assert response.status_code == 200
    names = [row["mediator"]["name"] for row in response.json()]
    assert names[0] == "张调解"  # neighbour specialist
    assert (
        api_for(mworld.outsider)
        .get(f"/api/mediation/cases/{delegated.pk}/suggestions/")
        .status_code
        == 404
    )
