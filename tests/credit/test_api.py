"""The credit API: the whole path from finding to removal, and its answers — outsider 404
(records and ids named in the body), illegal step 409, bad input 400 with fields."""

import pytest
from rest_framework.test import APIClient

from credit.models import Listing, Removal, Restriction

from .conftest import debtor_of, impose

pytestmark = pytest.mark.django_db

API = "/api/credit"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_list_restrict_perform_remove_through_the_api(eworld, case):
    officer, president = client_for(eworld.officer), client_for(eworld.president)
    debtor = debtor_of(case)
    finding = officer.post(f"{API}/findings/", {"case_party": debtor.pk, "finding": "unwilling",
                                                 "reasons": "有存款拒不履行"}, format="json")  # fmt: skip
    assert finding.status_code == 201, finding.json()
    listing = officer.post(
        f"{API}/listings/",
        {"case_party": debtor.pk, "ability_finding": finding.json()["id"], "ground": "4",
         "grade": "general", "duty": "给付51770元", "conduct": "拒不报告财产",
         "approver": eworld.president.pk},
        format="json",
    )  # fmt: skip
    assert listing.status_code == 201, listing.json()
    body = listing.json()
    assert body["publication"] == "published" and body["ground_label"].startswith("违反财产报告")
    assert body["debtor_id_masked"] and "19750412" not in str(body)
    assert body["decision_document"]["title"] == "纳入失信被执行人名单决定书"
    restriction = Restriction.objects.get(listing_id=body["id"])
    # only the named president approves
    assert officer.post(f"{API}/restrictions/{restriction.pk}/approve/", {},
                        format="json").status_code == 403  # fmt: skip
    approved = president.post(f"{API}/restrictions/{restriction.pk}/approve/", {"note": "同意"},
                              format="json")  # fmt: skip
    assert approved.status_code == 200 and approved.json()["state"] == "in_force"
    again = president.post(f"{API}/restrictions/{restriction.pk}/approve/", {}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "transition_not_allowed"

    removals = officer.post(f"{API}/removals/", {"case": case.pk, "trigger": "full_performance",
                                                  "reason": "全部履行"}, format="json")  # fmt: skip
    assert removals.status_code == 201 and len(removals.json()) == 2
    for row in removals.json():
        assert row["due_at"] and row["state"] == "pending"
        done = officer.post(f"{API}/removals/{row['id']}/execute/", format="json")
        assert done.status_code == 200 and done.json()["state"] == "done"
    assert Listing.objects.get().publication == "removed"
    late = officer.get(f"{API}/removals/late/")
    assert late.status_code == 200 and late.json() == []
    record = officer.get(f"{API}/debtors/{debtor.party_id}/")
    assert record.status_code == 200
    assert len(record.json()["listings"]) == 1 and record.json()["published_elsewhere"] == []


def test_outsiders_get_404_everywhere(eworld, case):
    listing = impose(eworld, case)
    restriction = Restriction.objects.get(listing=listing)
    debtor = debtor_of(case)
    for stranger in (eworld.outsider, eworld.centre_supervisor):
        client = client_for(stranger)
        for url in (
            f"{API}/listings/{listing.pk}/",
            f"{API}/restrictions/{restriction.pk}/",
            f"{API}/findings/{listing.ability_finding_id}/",
        ):
            assert client.get(url).status_code == 404, url
        assert client.get(f"{API}/listings/").json()["results"] == []
        assert client.post(f"{API}/restrictions/{restriction.pk}/approve/",
                           format="json").status_code == 404  # fmt: skip
        assert client.post(f"{API}/findings/", {"case_party": debtor.pk, "finding": "unable",
                                                "reasons": "x"}, format="json").status_code == 404  # fmt: skip
        assert client.post(f"{API}/removals/", {"case": case.pk, "trigger": "full_performance",
                                                "reason": "x"}, format="json").status_code == 404  # fmt: skip
        assert client.post(f"{API}/corrections/", {"listing": listing.pk, "applicant_name": "x",
                                                   "grounds": "y"}, format="json").status_code == 404  # fmt: skip
    # the centre is not a court at all: not even the debtor's published entries
    assert (
        client_for(eworld.centre_supervisor).get(f"{API}/debtors/{debtor.party_id}/").status_code
        == 404
    )
    # another court sees the published listing only, with its public facts
    outside = client_for(eworld.outsider).get(f"{API}/debtors/{debtor.party_id}/")
    assert outside.status_code == 200
    assert outside.json()["listings"] == []
    assert [row["kind"] for row in outside.json()["published_elsewhere"]] == ["listing"]
    assert "conduct" not in outside.json()["published_elsewhere"][0]


def test_bad_input_is_400_with_fields(eworld, case):
    officer = client_for(eworld.officer)
    debtor = debtor_of(case)
    response = officer.post(f"{API}/findings/", {"case_party": debtor.pk, "finding": "maybe"},
                            format="json")  # fmt: skip
    assert response.status_code == 400
    assert set(response.json()["fields"]) >= {"finding", "reasons"}
    finding = officer.post(f"{API}/findings/", {"case_party": debtor.pk, "finding": "unable",
                                                 "reasons": "重病无财产"}, format="json").json()  # fmt: skip
    unable = officer.post(
        f"{API}/listings/",
        {"case_party": debtor.pk, "ability_finding": finding["id"], "ground": "1",
         "grade": "general", "duty": "给付", "conduct": "拒不履行", "approver": eworld.president.pk},
        format="json",
    )  # fmt: skip
    assert unable.status_code == 400 and "ability_finding" in unable.json()["fields"]
    money = officer.post(
        f"{API}/voluntary-performances/",
        {"court": eworld.court.pk, "kind": "person", "name": "赵自觉",
         "basis_document": "（2026）蒙0302民初9号民事判决书", "duty": "给付货款",
         "amount": 1200.5, "performed_on": "2026-11-01"},
        format="json",
    )  # fmt: skip
    assert money.status_code == 400 and "amount" in money.json()["fields"]
    ok = officer.post(
        f"{API}/voluntary-performances/",
        {"court": eworld.court.pk, "kind": "person", "name": "赵自觉",
         "basis_document": "（2026）蒙0302民初9号民事判决书", "duty": "给付货款",
         "amount": "1200.50", "performed_on": "2026-11-01"},
        format="json",
    )  # fmt: skip
    assert ok.status_code == 201 and ok.json()["amount"] == "1200.50"
    assert officer.post(f"{API}/removals/", {"case": case.pk, "trigger": "expiry", "reason": "x"},
                        format="json").status_code == 400  # fmt: skip


def test_nothing_to_remove_is_409(eworld, case):
    response = client_for(eworld.officer).post(
        f"{API}/removals/", {"case": case.pk, "trigger": "full_performance", "reason": "全部履行"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 409
    assert not Removal.objects.exists()


def test_correction_and_review_through_the_api(eworld, case):
    listing = impose(eworld, case)
    officer = client_for(eworld.officer)
    correction = officer.post(f"{API}/corrections/", {"listing": listing.pk,
                                                       "applicant_name": "王被执",
                                                       "grounds": "认定有误"}, format="json")  # fmt: skip
    assert correction.status_code == 201
    cid = correction.json()["id"]
    assert officer.post(f"{API}/corrections/{cid}/fix/", format="json").status_code == 409
    bad = officer.post(f"{API}/corrections/{cid}/decide/", {"justified": True, "reasons": "成立"},
                       format="json")  # fmt: skip
    assert bad.status_code == 400 and "remedy" in bad.json()["fields"]
    rejected = officer.post(f"{API}/corrections/{cid}/decide/",
                            {"justified": False, "reasons": "不成立"}, format="json")  # fmt: skip
    assert rejected.json()["state"] == "rejected"
    review = officer.post(f"{API}/corrections/{cid}/review/",
                          {"applicant_name": "王被执", "grounds": "不服"}, format="json")  # fmt: skip
    assert review.status_code == 201
    higher = client_for(eworld.higher_supervisor)
    decided = higher.post(f"{API}/reviews/{review.json()['id']}/decide/",
                          {"reverse": False, "reasons": "维持"}, format="json")  # fmt: skip
    assert decided.status_code == 200 and decided.json()["state"] == "upheld"
