"""Registering cases: the court delegates (page and API), bad input answers 400 beside the
fields, another court's staff cannot delegate in this court's name."""

from mediation.models import MediationCase, Source

from .conftest import ID_APPLICANT, ID_RESPONDENT


def _payload(mworld, **extra):
    return {
        "source": "court_delegated",
        "organisation": mworld.committee.pk,
        "court": mworld.court.pk,
        "court_reference": "（2026）蒙0302民诉前调30号",
        "category": "labour_wages",
        "facts": "欠薪纠纷",
        "amount_in_dispute": "27830.00",
        "parties": [
            {"role": "applicant", "name": "农民工代表", "id_number": ID_APPLICANT},
            {"role": "respondent", "name": "某建筑公司负责人", "id_number": ID_RESPONDENT},
        ],
        **extra,
    }


def test_court_delegates_through_the_api(mworld, api_for):
    api = api_for(mworld.court_clerk)
    response = api.post("/api/mediation/cases/", _payload(mworld), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["source"] == Source.COURT_DELEGATED and body["amount_in_dispute"] == "27830.00"
    assert body["reference"].startswith("MD") and body["status"] == "received"
    assert [p["id_number_masked"][-4:] for p in body["parties"]] == [
        ID_APPLICANT[-4:],
        ID_RESPONDENT[-4:],
    ]


def test_bad_input_is_400_with_fields(mworld, api_for):
    api = api_for(mworld.court_clerk)
    number = api.post(
        "/api/mediation/cases/", _payload(mworld, amount_in_dispute=27830), format="json"
    )
    assert number.status_code == 400 and "amount_in_dispute" in number.json()["fields"]
    no_reference = api.post(
        "/api/mediation/cases/", _payload(mworld, court_reference=""), format="json"
    )
    assert no_reference.status_code == 400 and "court_reference" in no_reference.json()["fields"]
    one_side = api.post(
        "/api/mediation/cases/",
        _payload(mworld, parties=[{"role": "applicant", "name": "甲"}]),
        format="json",
    )
    assert one_side.status_code == 400 and "parties" in one_side.json()["fields"]
    assert not MediationCase.objects.exists()


def test_another_courts_clerk_cannot_delegate_in_this_courts_name(mworld, api_for):
    response = api_for(mworld.outsider).post(
        "/api/mediation/cases/", _payload(mworld), format="json"
    )
    assert response.status_code == 403
    assert not MediationCase.objects.exists()


def test_court_delegates_on_the_page(mworld, client_for):
    client = client_for(mworld.court_clerk)
    assert client.get("/mediation/new/").status_code == 200
    data = {
        "source": "court_delegated",
        "organisation": mworld.committee.pk,
        "court": mworld.court.pk,
        "court_reference": "",
        "category": "neighbour",
        "language": "mn",
        "facts": "草场边界",
        "applicant_name": "朝鲁",
        "respondent_name": "邓宝山",
    }
    missing = client.post("/mediation/new/", data)
    assert (
        missing.status_code == 400
        and 'data-testid="error-court_reference"' in missing.content.decode()
    )
    data["court_reference"] = "（2026）蒙0302民诉前调31号"
    created = client.post("/mediation/new/", data)
    case = MediationCase.objects.get()
    assert created.status_code == 302 and created["Location"] == f"/mediation/{case.pk}/"
    assert case.language == "mn" and case.court == mworld.court
