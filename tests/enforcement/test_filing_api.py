"""The filing API as a clerk's client would use it: bases, a confirmation taken in one step,
the application (filed or urged), urging to the certificate, filing, assignment (single,
bulk, suggestions), suspension, the extension asked and approved by the president, the
late-payment interest; money as strings; 409 for illegal steps; 404 for outsiders."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from deadlines.models import Deadline
from enforcement.models import CaseStatus
from enforcement.selectors_filing import TIME_LIMIT, case_clock

from . import filing_fixtures
from .conftest import ID_APPLICANT, ID_DEBTOR, id_number
from .filing_fixtures import COMPANY, confirmed_agreement, file_case, judgment_basis

pytestmark = pytest.mark.django_db

fast_pdf = filing_fixtures.fast_pdf

BASIS = {
    "kind": "judgment",
    "issuing_body": "海勃湾区人民法院",
    "document_number": "(2026)蒙0302民初415号",
    "effective_on": "2026-09-01",
    "main_text": "被告向原告支付遗产份额折价款95874.11元。",
    "deadlines": [{"due_date": "2026-09-11", "amount": "95874.11"}],
}
PARTIES = [
    {"role": "applicant", "name": "张申请", "id_number": ID_APPLICANT, "phone": "13900139000"},
    {"role": "debtor", "name": "王被执", "id_number": ID_DEBTOR},
]


def basis_via_api(api, eworld, **changes):
    response = api.post("/api/enforcement/bases/", {**BASIS, "court": eworld.court.pk, **changes},
                        format="json")  # fmt: skip
    assert response.status_code == 201, response.json()
    return response.json()


def apply_via_api(api, basis_id, **changes):
    payload = {
        "basis": basis_id, "procedure": "file", "applied_on": "2026-11-25",
        "target_kind": "money", "principal": "95874.11", "parties": PARTIES, **changes,
    }  # fmt: skip
    return api.post("/api/enforcement/cases/", payload, format="json")


def test_basis_recorded_and_found_in_either_bracket_form(eworld, api_for):
    api = api_for(eworld.clerk)
    basis = basis_via_api(api, eworld)
    assert basis["deadlines"] == [
        {"number": 1, "due_date": "2026-09-11", "amount": "95874.11", "description": ""}
    ]
    found = api.get("/api/enforcement/bases/", {"number": "（2026）蒙0302民初415号"}).json()
    assert [b["id"] for b in found["results"]] == [basis["id"]]
    refused = api.post("/api/enforcement/bases/", {**BASIS, "court": eworld.court.pk,
                       "deadlines": [{"due_date": "2026-09-11", "amount": 95874.11}]},
                       format="json")  # fmt: skip
    assert refused.status_code == 400 and "deadlines" in refused.json()["fields"]
    missing = api.post("/api/enforcement/bases/", {**BASIS, "court": eworld.court.pk,
                       "issuing_body": " ", "deadlines": []}, format="json")  # fmt: skip
    assert missing.status_code == 400
    assert {"issuing_body", "deadlines"} <= set(missing.json()["fields"])


def test_application_filed_with_money_as_strings_and_the_period_flag(eworld, api_for):
    api = api_for(eworld.clerk)
    basis = basis_via_api(api, eworld, deadlines=[{"due_date": "2024-03-12"}],
                          effective_on="2024-03-02")  # fmt: skip
    response = apply_via_api(api, basis["id"])
    assert response.status_code == 201, response.json()
    case = response.json()
    year = timezone.localdate().year
    assert case["case_number"] == f"（{year}）蒙0302执1号" and case["status"] == "filed"
    assert case["principal"] == "95874.11" and case["amount_ordered"] == "95874.11"
    assert case["application_late"] is True and "时效抗辩" in case["application_note"]
    assert case["is_small_claim"] is True
    assert [p["share"] for p in case["parties"] if p["role"] == "applicant"] == ["95874.11"]
    assert {c["kind"] for c in case["clocks"]} == {
        "enforcement.officer_assignment",
        "enforcement.time_limit",
    }
    assert "13900139000" not in str(case) and ID_APPLICANT not in str(case)
    number = apply_via_api(api, basis["id"], principal=95874.11)
    assert number.status_code == 400 and "principal" in number.json()["fields"]
    shares = apply_via_api(api, basis["id"], parties=[
        {**PARTIES[0], "share": "50000.00"},
        {"role": "applicant", "name": "李申请", "id_number": id_number("19700101", "055"),
         "share": "45874.10"},
        PARTIES[1],
    ])  # fmt: skip
    assert shares.status_code == 400
    assert "¥0.01" in shares.json()["fields"]["shares"][0]
    listed = api.get("/api/enforcement/cases/", {"q": f"({year})蒙0302执1号"}).json()
    assert [c["id"] for c in listed["results"]] == [case["id"]]


def test_story_3_through_the_api_no_number_no_case_in_the_list(
    eworld, api_for, client_for, fast_pdf
):
    api = api_for(eworld.clerk)
    basis = basis_via_api(api, eworld)
    refused = apply_via_api(api, basis["id"], procedure="urging")
    assert refused.status_code == 400 and "urging_consent_note" in refused.json()["fields"]
    created = apply_via_api(api, basis["id"], procedure="urging",
                            urging_consent_note="申请执行人当面签署同意书")  # fmt: skip
    assert created.status_code == 201
    case = created.json()
    assert case["status"] == "urging" and case["case_number"] == "" and case["clocks"] == []
    url = f"/api/enforcement/cases/{case['id']}/"
    missing = api.post(url + "urging-notices/", {}, format="json")
    assert missing.status_code == 400 and "履行方式" in str(missing.json())
    sent = api.post(url + "urging-notices/", {"payment_method": "银行转账至张申请账户"},
                    format="json")  # fmt: skip
    assert sent.status_code == 201
    assert [d["title"] for d in sent.json()["documents"]] == ["执前督促告知书", "履行通知书"]
    assert (
        sent.json()["case"]["urging_window_ends_on"]
        == (timezone.localdate() + datetime.timedelta(days=15)).isoformat()
    )
    again = api.post(url + "urging-notices/", {"payment_method": "x"}, format="json")
    assert again.status_code == 409
    short = api.post(url + "urging-performed/", {
        "performed_on": timezone.localdate().isoformat(), "manner": "银行转账",
        "amount_paid": "95874.10"}, format="json")  # fmt: skip
    assert short.status_code == 400 and "amount_paid" in short.json()["fields"]
    paid = api.post(url + "urging-performed/", {
        "performed_on": timezone.localdate().isoformat(), "manner": "银行转账",
        "amount_paid": "95874.11"}, format="json")  # fmt: skip
    assert paid.status_code == 200, paid.json()
    assert paid.json()["case"]["status"] == "urging_performed"
    assert paid.json()["case"]["case_number"] == ""
    assert paid.json()["documents"][0]["title"] == "履行完毕证明"
    assert api.get("/api/enforcement/cases/").json()["results"] == []
    asked = api.get("/api/enforcement/cases/", {"status": "urging_performed"}).json()["results"]
    assert [c["id"] for c in asked] == [case["id"]]
    assert api.post(url + "file/", {}, format="json").status_code == 409
    # nor in the court's list page
    page = client_for(eworld.clerk).get("/enforcement/cases/").content.decode()
    assert f'/enforcement/cases/{case["id"]}/"' not in page


def test_urged_then_filed_in_one_step_then_assigned(eworld, api_for, fast_pdf):
    api = api_for(eworld.clerk)
    basis = basis_via_api(api, eworld)
    case = apply_via_api(api, basis["id"], procedure="urging", is_livelihood=True,
                         urging_consent_note="书面同意").json()  # fmt: skip
    url = f"/api/enforcement/cases/{case['id']}/"
    filed = api.post(url + "file/", {"note": "被执行人明确拒绝履行"}, format="json")
    assert filed.status_code == 200
    assert filed.json()["case_number"].endswith("执1号") and filed.json()["is_livelihood"]
    suggestions = api.get(url + "officer-suggestions/").json()
    assert suggestions[0]["suggested"] and {s["officer"] for s in suggestions} == {
        eworld.officer.pk,
        eworld.second_officer.pk,
    }
    wrong = api.post(url + "assign/", {"officer": eworld.clerk.pk}, format="json")
    assert wrong.status_code == 400 and "officer" in wrong.json()["fields"]
    done = api.post(url + "assign/", {"officer": eworld.officer.pk}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "in_progress"
    kinds = {c["kind"]: c for c in done.json()["clocks"]}
    assert kinds["enforcement.officer_assignment"]["state"] == "met"
    assert kinds["enforcement.notice_issue"]["owner"] == str(eworld.officer)
    assert api.post(url + "assign/", {"officer": eworld.officer.pk},
                    format="json").status_code == 409  # fmt: skip
    moved = api.post(url + "reassign/", {"officer": eworld.second_officer.pk, "reason": "回避"},
                     format="json")  # fmt: skip
    assert moved.status_code == 200 and moved.json()["officer"] == eworld.second_officer.pk


def test_bulk_assignment(eworld, api_for):
    api = api_for(eworld.clerk)
    cases = [file_case(eworld, principal="150000.00") for _ in range(3)]
    response = api.post("/api/enforcement/cases/bulk-assign/",
                        {"cases": [c.pk for c in cases]}, format="json")  # fmt: skip
    assert response.status_code == 200
    result = response.json()
    assert len(result["assigned"]) == 3 and result["refused"] == []
    assert {a["officer"] for a in result["assigned"]} == {eworld.officer.pk,
                                                          eworld.second_officer.pk}  # fmt: skip
    again = api.post("/api/enforcement/cases/bulk-assign/",
                     {"cases": [cases[0].pk], "officer": eworld.officer.pk}, format="json")  # fmt: skip
    assert again.json()["refused"][0]["case"] == cases[0].pk


def test_suspension_and_the_extension_approved_by_the_president(eworld, api_for):
    case = file_case(eworld, principal="150000.00")
    clerk = api_for(eworld.clerk)
    url = f"/api/enforcement/cases/{case.pk}/"
    clerk.post(url + "assign/", {"officer": eworld.officer.pk}, format="json")
    officer = api_for(eworld.officer)
    assert officer.post(url + "suspend/", {}, format="json").status_code == 400
    suspended = officer.post(url + "suspend/", {"reason": "被执行人死亡，等待继承人"},
                             format="json")  # fmt: skip
    assert suspended.status_code == 200 and suspended.json()["status"] == "suspended"
    limit = case_clock(case, TIME_LIMIT)
    assert limit.state == Deadline.State.PAUSED
    assert officer.post(url + "suspend/", {"reason": "x"}, format="json").status_code == 409
    assert officer.post(url + "end-suspension/", {}, format="json").status_code == 200
    limit.refresh_from_db()
    early = officer.post(url + "time-limit-extension/",
                         {"approver": eworld.president.pk, "reason": "拍卖中"}, format="json")  # fmt: skip
    assert early.status_code == 409 and "期限届满前5日内" in early.json()["detail"]
    due = timezone.localtime(limit.due_at).date()
    moment = timezone.make_aware(datetime.datetime.combine(due - datetime.timedelta(days=2),
                                                           datetime.time(9)))  # fmt: skip
    with time_machine.travel(moment, tick=False):
        asked = officer.post(url + "time-limit-extension/",
                             {"approver": eworld.president.pk, "reason": "拍卖中"}, format="json")  # fmt: skip
        assert asked.status_code == 201, asked.json()
        request_id = asked.json()["id"]
        assert asked.json()["amount"] == 3 and asked.json()["unit"] == "months"
        approve = f"/api/deadline-extension-requests/{request_id}/approve/"
        assert api_for(eworld.higher_supervisor).post(approve, {"note": "同意"},
                                                      format="json").status_code in (403, 404)  # fmt: skip
        assert api_for(eworld.clerk).post(approve, {"note": "同意"},
                                          format="json").status_code == 403  # fmt: skip
        approved = api_for(eworld.president).post(approve, {"note": "同意"}, format="json")
        assert approved.status_code == 200 and approved.json()["status"] == "approved"
    limit.refresh_from_db()
    assert timezone.localtime(limit.due_at).date() >= due + datetime.timedelta(days=89)


def test_late_interest_in_the_api(eworld, api_for):
    case = file_case(eworld)  # 51,770.00 due 2026-03-12
    api = api_for(eworld.officer)
    url = f"/api/enforcement/cases/{case.pk}/late-interest/"
    got = api.get(url, {"until": "2026-06-30"}).json()
    assert got["amount"] == "996.57" and got["days"] == 110 and got["rate"] == "0.000175"
    assert got["start"] == "2026-03-13" and "共 110 日" in got["explanation"]
    posted = api.post(url, {"until": "2026-06-30",
                            "payments": [{"paid_on": "2026-04-30", "amount": "31775.00"}]},
                      format="json")  # fmt: skip
    assert posted.status_code == 200 and posted.json()["amount"] == "657.37"
    assert posted.json()["outstanding"] == "19995.00"
    assert api.post(url, {"payments": [{"paid_on": "2026-04-30", "amount": 31775}]},
                    format="json").status_code == 400  # fmt: skip
    assert api.post(url, {"payments": [{"paid_on": "2026-04-30", "amount": "99999.00"}]},
                    format="json").status_code == 400  # fmt: skip
    assert api.get(url, {"until": "not-a-date"}).status_code == 400


def test_confirmation_taken_in_one_step_through_the_api(eworld, api_for):
    confirmation = confirmed_agreement(
        eworld, creditors=[("李工人", id_number("19800202", "061"), Decimal("3000.00"))],
        debtor={"name": "某建筑公司", "kind": "organisation", "credit_code": COMPANY},
        instalments=(datetime.date(2026, 9, 15), datetime.date(2026, 10, 31)),
    )  # fmt: skip
    api = api_for(eworld.clerk)
    listed = api.get("/api/enforcement/confirmations/").json()["results"]
    assert [c["id"] for c in listed] == [confirmation.pk]
    detail = api.get(f"/api/enforcement/confirmations/{confirmation.pk}/").json()
    assert detail["principal"] == "3000.00" and len(detail["deadlines"]) == 2
    assert [(p["position"], p["role"], p["name"], p["share"]) for p in detail["parties"]] == [
        (0, "applicant", "李工人", "3000.00"), (1, "debtor", "某建筑公司", None),
    ]  # fmt: skip
    taken = api.post(f"/api/enforcement/confirmations/{confirmation.pk}/take/", {}, format="json")
    assert taken.status_code == 201
    assert taken.json()["document_number"] == confirmation.case_number
    assert api.post(f"/api/enforcement/confirmations/{confirmation.pk}/take/", {},
                    format="json").json()["id"] == taken.json()["id"]  # fmt: skip
    case = api.post("/api/enforcement/cases/", {
        "basis": taken.json()["id"], "procedure": "file", "applied_on": "2026-11-20",
    }, format="json")  # fmt: skip
    assert case.status_code == 201, case.json()
    assert case.json()["principal"] == "3000.00"
    assert [p["name"] for p in case.json()["parties"]] == ["李工人", "某建筑公司"]
    # a mediator sees the confirmation in mediation, not here
    assert api_for(confirmation.agreement.case.mediator.user).get(
        "/api/enforcement/confirmations/").json()["results"] == []  # fmt: skip


def test_outsiders_get_404_on_every_endpoint(eworld, api_for, fast_pdf):
    case = file_case(eworld, principal="150000.00")
    urged = file_case(eworld, procedure="urging", urging_consent_note="同意")
    basis = judgment_basis(eworld)
    confirmation = confirmed_agreement(
        eworld, creditors=[("李工人", id_number("19800202", "061"), Decimal("3000.00"))],
        debtor={"name": "某建筑公司", "kind": "organisation", "credit_code": COMPANY},
        instalments=(datetime.date(2026, 9, 15),),
    )  # fmt: skip
    party = case.case_parties.first()
    for stranger in (eworld.outsider, eworld.centre_supervisor):
        api = api_for(stranger)
        for url in (
            f"/api/enforcement/bases/{basis.pk}/",
            f"/api/enforcement/cases/{case.pk}/",
            f"/api/enforcement/cases/{case.pk}/officer-suggestions/",
            f"/api/enforcement/cases/{case.pk}/late-interest/",
            f"/api/enforcement/confirmations/{confirmation.pk}/",
        ):
            assert api.get(url).status_code == 404, url
        for url, body in (
            (f"/api/enforcement/cases/{urged.pk}/urging-notices/", {"payment_method": "x"}),
            (f"/api/enforcement/cases/{urged.pk}/urging-performed/",
             {"performed_on": "2026-11-30", "manner": "x", "amount_paid": "51770.00"}),
            (f"/api/enforcement/cases/{urged.pk}/file/", {}),
            (f"/api/enforcement/cases/{case.pk}/assign/", {"officer": eworld.officer.pk}),
            (f"/api/enforcement/cases/{case.pk}/reassign/",
             {"officer": eworld.officer.pk, "reason": "x"}),
            (f"/api/enforcement/cases/{case.pk}/representatives/",
             {"representative": party.pk, "represented": []}),
            (f"/api/enforcement/cases/{case.pk}/suspend/", {"reason": "x"}),
            (f"/api/enforcement/cases/{case.pk}/end-suspension/", {}),
            (f"/api/enforcement/cases/{case.pk}/time-limit-extension/",
             {"approver": eworld.president.pk, "reason": "x"}),
            (f"/api/enforcement/cases/{case.pk}/late-interest/", {}),
            (f"/api/enforcement/confirmations/{confirmation.pk}/take/", {}),
            ("/api/enforcement/cases/bulk-assign/", {"cases": [case.pk]}),
            ("/api/enforcement/cases/", {"basis": basis.pk, "procedure": "file",
                                         "applied_on": "2026-11-20", "parties": PARTIES}),
            ("/api/enforcement/bases/", {**BASIS, "court": eworld.court.pk}),
        ):  # fmt: skip
            assert api.post(url, body, format="json").status_code == 404, url
        for url in ("/api/enforcement/cases/", "/api/enforcement/bases/",
                    "/api/enforcement/confirmations/"):  # fmt: skip
            assert api.get(url).json()["results"] == [], url
        assert api.get("/api/enforcement/cases/", {"status": "urging"}).json()["results"] == []
    case.refresh_from_db()
    assert case.status == CaseStatus.FILED and case.officer is None


def test_the_time_limit_is_not_paused_or_extended_around_the_case(eworld, api_for, client_for):
    """The generic deadline page and API refuse to pause, resume or extend the enforcement
    time limit: only the case's suspension and the president's extension move it."""
    case = file_case(eworld, principal="150000.00")
    api_for(eworld.clerk).post(f"/api/enforcement/cases/{case.pk}/assign/",
                               {"officer": eworld.officer.pk}, format="json")  # fmt: skip
    limit = case_clock(case, TIME_LIMIT)
    officer = api_for(eworld.officer)
    base = f"/api/deadlines/{limit.pk}/"
    paused = officer.post(base + "pause/", {"reason": "私下暂停"}, format="json")
    assert paused.status_code == 409 and "执行案件页" in paused.json()["detail"]
    extended = officer.post(base + "extend/", {"approver": eworld.president.pk,
                                               "reason": "x", "amount": 1, "unit": "months"},
                            format="json")  # fmt: skip
    assert extended.status_code == 409
    page = client_for(eworld.officer)
    html = page.get(f"/deadlines/{limit.pk}/").content.decode()
    assert (
        'data-testid="handled-on-record"' in html and 'data-testid="deadline-actions"' not in html
    )
    page.post(f"/deadlines/{limit.pk}/pause/", {"reason": "私下暂停"})
    limit.refresh_from_db()
    assert limit.state == Deadline.State.PENDING
    # the case's own suspension still stops it
    officer.post(f"/api/enforcement/cases/{case.pk}/suspend/", {"reason": "被执行人下落不明"},
                 format="json")  # fmt: skip
    limit.refresh_from_db()
    assert limit.state == Deadline.State.PAUSED
