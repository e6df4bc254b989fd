"""The notices API as a client drives it: issue, serve, report, check; 404 outside the
court, 409 for an illegal step, 400 with field errors for bad input."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from enforcement.models import AssetReport, EnforcementNotice, EnforcementRole, ServiceRecord
from tests.factories import image_bytes

from . import notices_fixtures

pytestmark = pytest.mark.django_db

fast_pdf = notices_fixtures.fast_pdf
money_case = notices_fixtures.money_case
act_case = notices_fixtures.act_case

TODAY = lambda: timezone.localdate().isoformat()  # noqa: E731


def issue(api, case, kinds=("execution_notice", "asset_report_order"), **extra):
    return api.post(
        f"/api/enforcement/case-notices/{case.pk}/issue/",
        {"kinds": list(kinds), **extra},
        format="json",
    )


def debtor(case):
    return case.case_parties.get(role=EnforcementRole.DEBTOR)


def applicant(case):
    return case.case_parties.get(role=EnforcementRole.APPLICANT)


def test_officer_issues_serves_and_records_the_report(
    eworld, money_case, fast_pdf, api_for, client_for
):
    api = api_for(eworld.officer)
    response = issue(api, money_case, report_days=6)
    assert response.status_code == 201, response.json()
    notice, order = response.json()["notices"]
    assert notice["kind"] == "execution_notice" and order["kind"] == "asset_report_order"
    assert order["report_days"] == 6
    assert order["document"]["pdf_url"] == f"/documents/{order['document']['id']}/pdf/"
    assert [r["name"] for r in notice["recipients"]] == ["王被执", "张申请"]
    assert notice["served"] is False

    # the document downloads (a page: the session's login) for the court
    assert client_for(eworld.officer).get(order["document"]["pdf_url"]).status_code == 200

    response = api.post(
        f"/api/enforcement/notices/{notice['id']}/services/",
        {"recipient": debtor(money_case).pk, "method": "direct", "served_on": TODAY(),
         "receipt_name": "王被执"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    assert response.json()["method_label"] == "直接送达"
    photo = SimpleUploadedFile("邮件回执.png", image_bytes("PNG"), content_type="image/png")
    response = api.post(
        f"/api/enforcement/notices/{order['id']}/services/",
        {"recipient": debtor(money_case).pk, "method": "post", "served_on": TODAY(),
         "address": "团结社区3号楼", "tracking_number": "EMS1234567", "proof": photo},
        format="multipart",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    proof_url = response.json()["proof_url"]
    download = api.get(proof_url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")

    summary = api.get(f"/api/enforcement/case-notices/{money_case.pk}/").json()
    assert [n["served"] for n in summary["notices"]] == [True, True]
    assert summary["asset_report"]["code"] == "awaiting"
    assert summary["next_steps"] == []

    response = api.post(
        "/api/enforcement/asset-reports/",
        {"order": order["id"], "debtor": debtor(money_case).pk, "received_on": TODAY(),
         "summary": "存款及车辆",
         "items": [{"category": "deposit", "description": "某银行账户", "value": "31232.00"},
                   {"category": "vehicle", "description": "蒙C小型轿车一辆"}]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    report = response.json()
    assert report["items"][0]["value"] == "31232.00" and report["status"] == "received"
    response = api.post(
        f"/api/enforcement/asset-reports/{report['id']}/check/",
        {"result": "consistent", "note": "与查控结果一致"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["check_result"] == "consistent"
    state = api.get(f"/api/enforcement/case-notices/{money_case.pk}/").json()["asset_report"]
    assert state["code"] == "checked" and state["flag"] == ""


def test_illegal_steps_answer_409(eworld, money_case, act_case, fast_pdf, api_for):
    api = api_for(eworld.officer)
    response = issue(api, act_case, kinds=["asset_report_order"])
    assert response.status_code == 409
    assert "不发报告财产令" in response.json()["detail"]
    notice = issue(api, money_case).json()["notices"][0]
    assert issue(api, money_case, kinds=["execution_notice"]).status_code == 409

    revoked = api.post(f"/api/enforcement/notices/{notice['id']}/revoke/", {"reason": "有误"})
    assert revoked.status_code == 200 and revoked.json()["live"] is False
    assert revoked.json()["document"]["status"] == "revoked"
    response = api.post(
        f"/api/enforcement/notices/{notice['id']}/services/",
        {"recipient": debtor(money_case).pk, "method": "direct", "served_on": TODAY(),
         "receipt_name": "王被执"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 409 and "已撤销" in response.json()["detail"]
    assert api.post(f"/api/enforcement/notices/{notice['id']}/revoke/",
                    {"reason": "再次"}).status_code == 409  # fmt: skip
    assert not ServiceRecord.objects.exists()


def test_bad_input_answers_400_with_field_errors(eworld, money_case, fast_pdf, api_for):
    api = api_for(eworld.officer)
    response = issue(api, money_case, report_days=12)
    assert response.status_code == 400
    assert response.json()["fields"] == {"report_days": ["报告期限须为5至10日。"]}
    assert issue(api, money_case, kinds=["summons"]).json()["fields"].keys() == {"kinds"}
    assert issue(api, money_case, kinds=[]).status_code == 400
    order = issue(api, money_case, kinds=["asset_report_order"]).json()["notices"][0]

    response = api.post(
        f"/api/enforcement/notices/{order['id']}/services/",
        {"recipient": applicant(money_case).pk, "method": "electronic", "served_on": "2020-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"recipient", "channel", "served_on"}

    response = api.post(
        "/api/enforcement/asset-reports/",
        {"order": order["id"], "debtor": debtor(money_case).pk, "received_on": TODAY(),
         "items": [{"category": "deposit", "description": "存款", "value": 100.5}]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert "items" in response.json()["fields"]  # money as a JSON number is refused
    response = api.post(
        "/api/enforcement/asset-reports/",
        {"order": order["id"], "debtor": applicant(money_case).pk, "received_on": TODAY(),
         "summary": "x"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400 and "debtor" in response.json()["fields"]
    assert not AssetReport.objects.exists()


def test_a_clerk_of_the_court_without_acting_role_cannot_issue(eworld, money_case, api_for):
    # the higher court's president reads the case but does not act in it
    api = api_for(eworld.higher_supervisor)
    assert api.get(f"/api/enforcement/case-notices/{money_case.pk}/").status_code == 200
    assert issue(api, money_case).status_code == 403


def test_outsider_gets_404_everywhere(eworld, money_case, fast_pdf, api_for, client_for):
    officer = api_for(eworld.officer)
    notice, order = issue(officer, money_case).json()["notices"]
    photo = SimpleUploadedFile("回执.png", image_bytes("PNG"), content_type="image/png")
    record = officer.post(
        f"/api/enforcement/notices/{notice['id']}/services/",
        {"recipient": debtor(money_case).pk, "method": "direct", "served_on": TODAY(),
         "receipt_name": "王被执", "proof": photo},
        format="multipart",
    ).json()  # fmt: skip
    report = officer.post(
        "/api/enforcement/asset-reports/",
        {"order": order["id"], "debtor": debtor(money_case).pk, "received_on": TODAY(),
         "summary": "无财产", "no_assets": True},
        format="json",
    ).json()  # fmt: skip

    for stranger in (eworld.outsider, eworld.centre_supervisor):
        api = api_for(stranger)
        assert api.get(f"/api/enforcement/case-notices/{money_case.pk}/").status_code == 404
        assert issue(api, money_case).status_code == 404
        assert api.get(f"/api/enforcement/notices/{notice['id']}/").status_code == 404
        assert api.post(f"/api/enforcement/notices/{notice['id']}/revoke/",
                        {"reason": "x"}).status_code == 404  # fmt: skip
        assert api.post(
            f"/api/enforcement/notices/{order['id']}/services/",
            {"recipient": debtor(money_case).pk, "method": "direct", "served_on": TODAY(),
             "receipt_name": "x"},
            format="json",
        ).status_code == 404  # fmt: skip
        assert api.get(f"/api/enforcement/service-records/{record['id']}/").status_code == 404
        assert api.get(f"/api/enforcement/service-records/{record['id']}/proof/").status_code == 404
        assert api.get(f"/api/enforcement/asset-reports/{report['id']}/").status_code == 404
        assert api.post(
            "/api/enforcement/asset-reports/",
            {"order": order["id"], "debtor": debtor(money_case).pk, "received_on": TODAY(),
             "summary": "x"},
            format="json",
        ).status_code == 404  # fmt: skip
        assert api.post(f"/api/enforcement/asset-reports/{report['id']}/check/",
                        {"result": "consistent"}).status_code == 404  # fmt: skip
        assert client_for(stranger).get(notice["document"]["pdf_url"]).status_code == 404
    assert EnforcementNotice.objects.filter(revoked_at__isnull=True).count() == 2
    assert AssetReport.objects.get().checked_at is None


def test_issued_dates_and_numbers_read_back(eworld, money_case, fast_pdf, api_for):
    api = api_for(eworld.officer)
    order = issue(api, money_case, kinds=["asset_report_order"], report_days=10).json()
    order = order["notices"][0]
    detail = api.get(f"/api/enforcement/notices/{order['id']}/").json()
    due = datetime.date.fromisoformat(detail["report_due_on"])
    assert due >= timezone.localdate() + datetime.timedelta(days=10)
    # the case's first document: the case number itself, no 报财令字第N号 series
    assert detail["document"]["number"] == money_case.case_number == "（2026）蒙0302执1号"
