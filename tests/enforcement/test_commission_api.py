"""API of commission and cross-enforcement (enf-commission): the whole commission through the
API (money as strings only), the wrong side refused (403), the wrong state (409), bad input
(400 with field errors); a court that neither sends nor receives gets 404 on every endpoint
and learns no party name; the receiving court gets 404 on the sender's other cases."""

import pytest

from enforcement.models import Commission, CommissionStatus

from . import commission_fixtures

cworld = commission_fixtures.cworld
NAMES = ("张申请", "孙委托", "周未委")
ACTIONS = ("requests", "register", "refuse", "reports", "finish", "withdraw", "transfer")


def url(case, action=""):
    return f"/api/enforcement/commission/{case.pk}/" + (f"{action}/" if action else "")


def _request(api, cworld):
    return api.post(url(cworld.case, "requests"),
                    {"receiving_court": cworld.receiver.pk, "matters": "扣押车辆"}, format="json")  # fmt: skip


def test_the_whole_commission_through_the_api(api_for, eworld, cworld):
    sender, receiver = api_for(eworld.officer), api_for(cworld.recv_officer)
    created = _request(sender, cworld)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["receiving_court_name"] == "海南区人民法院"
    # the receiving court sees the case and the commission
    overview = receiver.get(url(cworld.case))
    assert overview.status_code == 200 and overview.json()["commissions"][0]["id"] == pk
    assert receiver.post(url(cworld.case, "reports"), {"commission": pk, "text": "x"},
                         format="json").status_code == 409  # not registered yet  # fmt: skip
    assert sender.post(url(cworld.case, "register"), {"commission": pk,
                       "officer": cworld.recv_officer.pk}, format="json").status_code == 403  # fmt: skip
    registered = receiver.post(url(cworld.case, "register"),
                               {"commission": pk, "officer": cworld.recv_officer.pk,
                                "receiving_number": "（2026）蒙0303执委1号"}, format="json")  # fmt: skip
    assert registered.status_code == 200 and registered.json()["status"] == "registered"
    number = receiver.post(url(cworld.case, "reports"),
                           {"commission": pk, "text": "已扣押", "amount_recovered": 100},
                           format="json")  # fmt: skip
    assert number.status_code == 400 and "amount_recovered" in number.json()["fields"]
    report = receiver.post(url(cworld.case, "reports"),
                           {"commission": pk, "text": "已扣押", "amount_recovered": "100.00"},
                           format="json")  # fmt: skip
    assert report.status_code == 201 and report.json()["amount_recovered"] == "100.00"
    seen = sender.get(url(cworld.case)).json()["commissions"][0]
    assert seen["reports"][0]["text"] == "已扣押"
    finished = receiver.post(url(cworld.case, "finish"),
                             {"commission": pk, "result": "已移交"}, format="json")  # fmt: skip
    assert finished.status_code == 200 and finished.json()["status"] == "finished"
    # finished: the receiving court no longer sees the case
    assert receiver.get(url(cworld.case)).status_code == 404


def test_bad_input_is_400_with_field_errors(api_for, eworld, cworld):
    api = api_for(eworld.officer)
    response = api.post(url(cworld.case, "requests"), {"receiving_court": "x"}, format="json")
    assert response.status_code == 400
    assert {"receiving_court", "matters"} <= set(response.json()["fields"])
    response = api.post(url(cworld.case, "requests"),
                        {"receiving_court": eworld.centre.pk, "matters": "x"}, format="json")  # fmt: skip
    assert response.status_code == 400 and "receiving_court" in response.json()["fields"]
    response = api.post(url(cworld.case, "withdraw"), {"commission": 999999, "reason": "x"},
                        format="json")  # fmt: skip
    assert response.status_code == 400 and "commission" in response.json()["fields"]


@pytest.mark.parametrize("who", ["third_clerk", "third_supervisor"])
def test_a_court_that_neither_sends_nor_receives_gets_404_on_every_endpoint(
    api_for, eworld, cworld, who
):
    commission = Commission.objects.get(pk=_request(api_for(eworld.officer), cworld).json()["id"])
    api = api_for(getattr(cworld, who))
    body = {"commission": commission.pk, "reason": "x", "text": "x", "result": "x",
            "officer": cworld.third_clerk.pk, "to_court": cworld.third.pk, "kind": "cross",
            "receiving_court": cworld.third.pk, "matters": "x"}  # fmt: skip
    responses = [api.get(url(cworld.case))] + [
        api.post(url(cworld.case, action), body, format="json") for action in ACTIONS
    ]
    for response in responses:
        assert response.status_code == 404, response.content
        assert not any(name in response.content.decode() for name in NAMES)
    commission.refresh_from_db()
    assert commission.status == CommissionStatus.REQUESTED


def test_the_receiving_court_gets_404_on_the_senders_other_cases(api_for, eworld, cworld):
    _request(api_for(eworld.officer), cworld)
    api = api_for(cworld.recv_clerk)
    assert api.get(url(cworld.case)).status_code == 200
    for response in [api.get(url(cworld.other_case))] + [
        api.post(url(cworld.other_case, action), {}, format="json") for action in ACTIONS
    ]:
        assert response.status_code == 404
        assert "周未委" not in response.content.decode()


def test_transfer_through_the_api(api_for, eworld, cworld):
    response = api_for(eworld.higher_supervisor).post(
        url(cworld.case, "transfer"),
        {"to_court": cworld.receiver.pk, "officer": cworld.recv_officer.pk,
         "kind": "designated", "reason": "指定执行"}, format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "designated"
    again = api_for(eworld.officer).post(
        url(cworld.case, "transfer"),
        {"to_court": eworld.court.pk, "officer": eworld.officer.pk, "reason": "x"}, format="json",
    )  # fmt: skip
    assert again.status_code == 403  # the original court reads, it does not move the case
    assert api_for(eworld.officer).get(url(cworld.case)).json()["transfers"][0]["kind"] == (
        "designated"
    )


def test_huge_or_odd_ids_are_refused_never_500(api_for, client, eworld, cworld):
    api = api_for(eworld.officer)
    for value in (99999999999999999999, -1, 0):
        response = api.post(url(cworld.case, "requests"),
                            {"receiving_court": value, "matters": "x"}, format="json")  # fmt: skip
        assert response.status_code == 400 and "receiving_court" in response.json()["fields"]
    client.force_login(eworld.officer)
    from django.urls import reverse

    for value in ("99999999999999999999", "1e3", "-5"):
        response = client.post(
            reverse("enforcement:commission_step", args=[cworld.case.pk, "request"]),
            {"receiving_court": value, "matters": "x"},
        )
        assert response.status_code == 400
        response = client.post(
            reverse("enforcement:commission_step", args=[cworld.case.pk, "withdraw"]),
            {"commission": value, "reason": "x"},
        )
        assert response.status_code == 404
