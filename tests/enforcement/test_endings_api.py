"""API of the endings (enf-endings): the overview lists the 终本 conditions; settlement and
its payments; 终本 refused (409) with each missing condition; money as strings only; the
approver only; another court's user gets 404 and learns no name."""

import datetime

import pytest
from django.utils import timezone

from enforcement.models import CaseStatus, Settlement

from . import notices_fixtures
from .conftest import make_case
from .endings_fixtures import FINAL_STATEMENTS, ready_for_final

fast_pdf = notices_fixtures.fast_pdf


def url(case, action=""):
    base = f"/api/enforcement/endings/{case.pk}/"
    return base + (f"{action}/" if action else "")


@pytest.fixture
def case(eworld):
    return make_case(eworld.court, eworld.clerk, officer=eworld.officer, debtor="钱某")


def _settle(api, case, **extra):
    today = timezone.localdate().isoformat()
    later = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    body = {"signed_on": today, "terms": "分两期支付", "total": "1000.00",
            "instalments": [{"due_on": today, "amount": "400.00"},
                            {"due_on": later, "amount": "600.00"}]}  # fmt: skip
    body.update(extra)
    return api.post(url(case, "settle"), body, format="json")


def test_overview_lists_the_missing_conditions(eworld, case, api_for):
    response = api_for(eworld.officer).get(url(case))
    assert response.status_code == 200
    unmet = {c["key"] for c in response.json()["final_conditions"] if not c["met"]}
    assert {"notices", "report", "credit", "inquiry", "three_months", "applicant_heard"} <= unmet


def test_settlement_and_payments(eworld, case, api_for):
    api = api_for(eworld.officer)
    response = _settle(api, case)
    assert response.status_code == 201, response.json()
    case.refresh_from_db()
    assert case.status == CaseStatus.SETTLEMENT
    today = timezone.localdate().isoformat()
    assert (
        api.post(
            url(case, "payments"), {"amount": 1000, "paid_on": today}, format="json"
        ).status_code
        == 400
    )  # a JSON number is refused
    over = api.post(url(case, "payments"), {"amount": "1000.01", "paid_on": today}, format="json")
    assert over.status_code == 400 and "amount" in over.json()["fields"]
    done = api.post(url(case, "payments"), {"amount": "1000.00", "paid_on": today}, format="json")
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == CaseStatus.PERFORMED


def test_settlement_instalments_must_add_up(eworld, case, api_for):
    response = _settle(api_for(eworld.officer), case, total="999.00")
    assert response.status_code == 400
    assert "instalments" in response.json()["fields"]
    assert not Settlement.objects.exists()


def test_final_request_refused_with_each_condition(eworld, case, api_for):
    response = api_for(eworld.officer).post(
        url(case, "final-requests"), {"approver": eworld.president.pk, "work_done": ""},
        format="json",
    )  # fmt: skip
    assert response.status_code == 409
    detail = response.json()["detail"]
    assert "执行通知书" in detail and "三个月" in detail and "听取" in detail


def test_final_through_the_api_approver_only(eworld, case, api_for, fast_pdf):
    ready_for_final(case, eworld)
    body = {"approver": eworld.president.pk, "applicant_heard_on": timezone.localdate().isoformat(),
            **FINAL_STATEMENTS}  # fmt: skip
    created = api_for(eworld.officer).post(url(case, "final-requests"), body, format="json")
    assert created.status_code == 201, created.json()
    decision = {"request": created.json()["id"], "approve": True}
    assert api_for(eworld.officer).post(url(case, "final-decision"), decision,
                                        format="json").status_code == 403  # fmt: skip
    approved = api_for(eworld.president).post(url(case, "final-decision"), decision, format="json")
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == CaseStatus.TERMINATED_ROUND
    assert approved.json()["schedule"]["status"] == "active"
    resumed = api_for(eworld.officer).post(url(case, "resume"),
                                           {"reason": "申请执行人提供新的财产线索",
                                            "applicant_asked": True}, format="json")  # fmt: skip
    assert resumed.status_code == 201
    assert "执恢" in resumed.json()["case_number"]


@pytest.mark.parametrize("action", ["", "settle", "final-requests", "terminate", "performed",
                                    "reliefs", "resume", "bankruptcy"])  # fmt: skip
def test_outsider_gets_404_and_no_name(eworld, case, api_for, action):
    api = api_for(eworld.outsider)
    response = api.get(url(case)) if not action else api.post(url(case, action), {},
                                                               format="json")  # fmt: skip
    assert response.status_code == 404
    assert "钱某" not in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS


def test_terminate_and_bankruptcy_need_their_reasons(eworld, case, api_for):
    api = api_for(eworld.officer)
    assert api.post(url(case, "terminate"), {"ground": "withdrawn"},
                    format="json").status_code == 400  # fmt: skip
    done = api.post(url(case, "terminate"), {"ground": "withdrawn", "reason": "申请人撤回申请"},
                    format="json")  # fmt: skip
    assert done.status_code == 200 and done.json()["status"] == CaseStatus.TERMINATED
    again = api.post(url(case, "bankruptcy"), {"receiving_court": "乌海市中级人民法院",
                     "consent": "被执行人书面同意", "reason": "资不抵债"}, format="json")  # fmt: skip
    assert again.status_code == 409
