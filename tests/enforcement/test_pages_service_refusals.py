"""A service's refusal on the enforcement pages whose views hand the call to the form
(BootstrapForm.call_service): a step the state does not allow is said above the form (409)
with what was typed kept, a field the service refuses is said beside it (400), and nothing is
recorded. The paths the pages' other tests do not reach."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from enforcement.models import (
    AssetReport,
    CaseStatus,
    CoerciveMeasure,
    EnforcementCase,
    EnforcementNotice,
    Objection,
)
from enforcement.services import campaigns as campaign_services
from enforcement.services import measures as measure_services
from enforcement.services.notices import notice_revoke, notices_issue
from enforcement.services.objections import objection_receive

from . import notices_fixtures
from .measures_fixtures import debtor

pytestmark = pytest.mark.django_db

fast_pdf = notices_fixtures.fast_pdf
money_case = notices_fixtures.money_case


def above(response) -> list[str]:
    return re.findall(r'data-testid="form-error">([^<]*)<', response.content.decode())


def beside(response, field: str) -> list[str]:
    return re.findall(rf'data-testid="error-{field}">([^<]*)<', response.content.decode())


def test_a_measure_asked_on_a_closed_case_is_refused_above_the_form(eworld, case, client_for):
    EnforcementCase.objects.filter(pk=case.pk).update(status=CaseStatus.PERFORMED)
    response = client_for(eworld.officer).post(
        reverse("enforcement:measure_new", args=[case.pk]),
        {"kind": "detention", "subject": debtor(case).pk, "reason": "拒不履行，隐匿财产",
         "approver": eworld.president.pk, "days": "15", "place": "乌海市拘留所"},
    )  # fmt: skip
    assert response.status_code == 409
    assert any("不能采取强制措施" in m for m in above(response))
    assert "拒不履行，隐匿财产" in response.content.decode()  # as typed
    assert not CoerciveMeasure.objects.exists()


def test_a_measure_step_the_state_does_not_allow_is_refused_above_the_form(
    eworld, case, client_for
):
    measure = measure_services.measure_request(
        case=case, kind="detention", subject=debtor(case), actor=eworld.officer,
        approver=eworld.president, reason="拒不履行", days=15, place="乌海市拘留所",
    )  # fmt: skip
    response = client_for(eworld.officer).post(
        reverse("enforcement:measure_step", args=[measure.pk, "family"]),
        {"family-note": "电话告知其妻"},
    )
    assert response.status_code == 409
    # the step is not offered in this state, so it has no form on the page: said above it
    assert any("只有已执行的拘留需要通知家属" in m for m in above(response))
    measure.refresh_from_db()
    assert measure.family_notified_at is None


def test_an_objection_step_refused_and_a_reason_said_beside_the_text(eworld, case, client_for):
    objection = objection_receive(
        case=case, actor=eworld.officer, kind="objection", applicant_name="案外人刘某",
        matter="房屋为其所有", received_on=timezone.localdate(),
    )  # fmt: skip
    client = client_for(eworld.officer)
    step = reverse("enforcement:objection_step", args=[objection.pk, "not_accept"])
    missing = client.post(step, {"text": ""})
    assert missing.status_code == 400
    assert any("不予受理的理由" in m for m in beside(missing, "text"))  # the service's `reason`
    registered = client.post(reverse("enforcement:objection_step",
                                     args=[objection.pk, "register"]), {})  # fmt: skip
    assert registered.status_code == 302
    again = client.post(reverse("enforcement:objection_step", args=[objection.pk, "register"]),
                        {})  # fmt: skip
    assert again.status_code == 409 and above(again)
    assert Objection.objects.get().status == "registered"


def test_a_campaign_ending_before_it_starts_is_refused_beside_the_field(eworld, client_for):
    today = timezone.localdate()
    response = client_for(eworld.president).post(reverse("enforcement:campaigns"), {
        "name": "雷霆执行", "starts_on": today.isoformat(),
        "ends_on": (today - datetime.timedelta(days=1)).isoformat(),
        "courts": [eworld.court.pk]})  # fmt: skip
    assert response.status_code == 400
    assert any("结束日期不能早于开始日期" in m for m in beside(response, "ends_on"))
    assert not campaign_services.Campaign.objects.exists()


def test_notices_issued_on_a_case_no_longer_in_progress_are_refused_above_the_form(
    eworld, money_case, fast_pdf, client_for
):
    EnforcementCase.objects.filter(pk=money_case.pk).update(status=CaseStatus.SETTLEMENT)
    response = client_for(eworld.officer).post(
        f"/enforcement/cases/{money_case.pk}/notices/issue/", {"kinds": ["execution_notice"]}
    )
    assert response.status_code == 409  # the form is gone (nothing may be issued): the why stays
    assert any("不能发出执行通知书或报告财产令" in m for m in above(response))
    assert not EnforcementNotice.objects.exists()


def test_an_asset_report_on_a_revoked_order_is_refused_above_the_form(
    eworld, money_case, fast_pdf, client_for
):
    _notice, order = notices_issue(
        case=money_case, kinds=["execution_notice", "asset_report_order"], actor=eworld.officer
    )
    client = client_for(eworld.officer)
    report = {"debtor": debtor(money_case).pk, "received_on": timezone.localdate().isoformat(),
              "summary": "住房一套", "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0",
              "items-0-category": "real_estate", "items-0-description": "团结社区3号楼住房",
              "items-0-value": "350000.00"}  # fmt: skip
    notice_revoke(notice=order, actor=eworld.officer, reason="案号有误")
    refused = client.post(f"/enforcement/notices/{order.pk}/report/", report)
    assert refused.status_code == 409
    assert any("须针对有效的报告财产令" in m for m in above(refused))
    assert "团结社区3号楼住房" in refused.content.decode()  # as typed
    assert not AssetReport.objects.exists()
