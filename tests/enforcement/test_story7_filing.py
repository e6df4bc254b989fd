"""Story 7's filing (migrant wages, 27.83万): the instalment agreement the court confirmed is
taken as the basis in one step, and four representatives apply for 400 workers whose shares
— carried over from what the agreement owes each — sum to 278,300.00."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from enforcement.models import CaseParty
from enforcement.panels_filing import application_context

from .filing_fixtures import COMPANY, confirmed_agreement, workers

pytestmark = pytest.mark.django_db

TOTAL = Decimal("278300.00")
INSTALMENTS = (datetime.date(2026, 9, 30), datetime.date(2026, 10, 31))


def test_story_7_four_representatives_for_400_workers(eworld, api_for,
                                                      django_assert_max_num_queries):  # fmt: skip
    crew = workers(400, TOTAL)
    assert sum(amount for _name, _id, amount in crew) == TOTAL
    confirmation = confirmed_agreement(
        eworld, creditors=crew, instalments=INSTALMENTS,
        debtor={"name": "乌海市某劳务公司", "kind": "organisation", "credit_code": COMPANY,
                "legal_representative": "孙某"},
    )  # fmt: skip
    api = api_for(eworld.clerk)
    detail = api.get(f"/api/enforcement/confirmations/{confirmation.pk}/").json()
    assert detail["principal"] == "278300.00" and len(detail["parties"]) == 401
    taken = api.post(f"/api/enforcement/confirmations/{confirmation.pk}/take/", {}, format="json")
    assert taken.status_code == 201
    basis = taken.json()
    assert basis["document_number"] == confirmation.case_number
    assert [d["due_date"] for d in basis["deadlines"]] == [d.isoformat() for d in INSTALMENTS]
    assert sum(Decimal(d["amount"]) for d in basis["deadlines"]) == TOTAL

    positions = {p["name"]: p["position"] for p in detail["parties"]}
    leaders = ["工人001", "工人101", "工人201", "工人301"]
    groups = [
        {"representative": positions[f"工人{100 * k + 1:03d}"],
         "represented": [positions[f"工人{n:03d}"] for n in range(100 * k + 2, 100 * k + 101)]}
        for k in range(4)
    ]  # fmt: skip
    created = api.post("/api/enforcement/cases/", {
        "basis": basis["id"], "procedure": "file", "applied_on": "2026-11-20",
        "is_livelihood": True, "representatives": groups,
    }, format="json")  # fmt: skip
    assert created.status_code == 201, created.json()
    case = created.json()
    year = timezone.localdate().year
    assert case["case_number"] == f"（{year}）蒙0302执1号"
    assert case["principal"] == "278300.00" and case["amount_ordered"] == "278300.00"
    assert case["is_livelihood"] and not case["is_small_claim"]
    assert case["application_period_ends_on"] == "2028-10-31"  # from the last instalment
    applicants = [p for p in case["parties"] if p["role"] == "applicant"]
    assert len(applicants) == 400
    assert sum(Decimal(p["share"]) for p in applicants) == TOTAL
    by_name = {p["name"]: p for p in applicants}
    assert by_name["工人400"]["share"] == str(crew[-1][2])
    assert [p["name"] for p in applicants if p["is_representative"]] == leaders
    represented = [p for p in applicants if p["represented_by"]]
    assert len(represented) == 396
    for leader in leaders:
        assert sum(1 for p in represented if p["represented_by"] == by_name[leader]["id"]) == 99
    debtor = [p for p in case["parties"] if p["role"] == "debtor"]
    assert [p["name"] for p in debtor] == ["乌海市某劳务公司"]
    clocks = {c["kind"]: c for c in case["clocks"]}
    filed_on = timezone.localdate()
    assigned_by = timezone.localtime(
        datetime.datetime.fromisoformat(clocks["enforcement.officer_assignment"]["due_at"])
    ).date()
    assert assigned_by == filed_on + datetime.timedelta(days=3)  # livelihood: 3 days

    # the case's figures are read in a fixed number of queries, 400 workers or 4
    with django_assert_max_num_queries(20):
        api.get(f"/api/enforcement/cases/{case['id']}/")
    context = application_context(CaseParty.objects.get(pk=applicants[0]["id"]).case,
                                  eworld.clerk)  # fmt: skip
    assert context["counts"] == {"applicants": 400, "debtors": 1, "representatives": 4,
                                 "represented": 396}  # fmt: skip
    # the doubled interest runs on each instalment from the day after it fell due
    interest = api.get(f"/api/enforcement/cases/{case['id']}/late-interest/",
                       {"until": "2026-11-20"}).json()  # fmt: skip
    first_half = sum(Decimal(d["amount"]) for d in basis["deadlines"][:1])
    assert interest["start"] == "2026-10-01"
    expected = first_half * Decimal("0.000175") * 31 + TOTAL * Decimal("0.000175") * 20
    assert interest["amount"] == str(expected.quantize(Decimal("0.01")))
