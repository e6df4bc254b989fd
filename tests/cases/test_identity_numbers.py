"""Real ID numbers and credit codes are accepted by every way in (form, API, import)."""

from django.urls import reverse

from cases.imports import import_batch_confirm, import_batch_upload
from cases.models import Dispute, ImportBatch, Party
from common import pii
from tests.cases.reports_world import area, valid_id_number  # noqa: F401

from .test_import import csv_file, row
from .test_views import _intake_data

ID_1952_HAIBOWAN = "150302195206150026"  # 海勃湾区 was created in 1976
N2_VILLAGE_COLLECTIVE = "N2150302MF0123456"  # + its check character below
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _with_check(first17: str) -> str:
    total = sum(_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return first17 + _ALPHABET[(31 - total % 31) % 31]


def test_clerk_form_accepts_an_old_number_and_a_village_collective(loop, client_for):
    client = client_for(loop.clerk)
    code = _with_check(N2_VILLAGE_COLLECTIVE)
    response = client.post(
        reverse("cases:create"),
        _intake_data(
            region=loop.community_region.pk,
            **{
                "parties-0-id_number": ID_1952_HAIBOWAN,
                "parties-1-kind": "organisation",
                "parties-1-name": "团结村股份经济合作社",
                "parties-1-credit_code": code.lower(),
            },
        ),
    )
    assert response.status_code == 302, response.context["formset"].errors
    dispute = Dispute.objects.get()
    assert dispute.parties.filter(id_number_index=pii.id_number_index(ID_1952_HAIBOWAN)).exists()
    assert dispute.parties.filter(credit_code=code).exists()


def test_clerk_form_refuses_a_birth_date_in_the_future(loop, client_for):
    number = valid_id_number("20990615", 2, area="150302")
    response = client_for(loop.clerk).post(
        reverse("cases:create"),
        _intake_data(region=loop.community_region.pk, **{"parties-0-id_number": number}),
    )
    assert response.status_code == 200
    assert "出生日期晚于今天" in response.content.decode()
    assert not Dispute.objects.exists()


def test_api_accepts_letter_authority_credit_codes(loop, api_for):
    for first17 in ("Y1150300MB1234567", "A1100000MB0012345", N2_VILLAGE_COLLECTIVE):
        response = api_for(loop.clerk).post(
            "/api/cases/disputes/",
            {
                "source_channel": "visit",
                "category": "property_management",
                "facts": f"合同纠纷{first17[:2]}",
                "region": loop.community_region.pk,
                "parties": [
                    {"name": "老人", "id_number": ID_1952_HAIBOWAN},
                    {
                        "role": "respondent",
                        "kind": "organisation",
                        "name": f"单位{first17[:2]}",
                        "credit_code": _with_check(first17),
                    },
                ],
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
    assert Party.objects.filter(kind="organisation").count() == 3


def test_import_accepts_a_person_born_before_the_district_existed(area):  # noqa: F811
    batch = import_batch_upload(
        organisation=area.street,
        actor=area.clerk,
        uploaded_file=csv_file([row("GD-OLD", id_number=ID_1952_HAIBOWAN, name="王秀英")]),
    )
    assert batch.status == ImportBatch.Status.VALID, batch.preview
    batch = import_batch_confirm(batch=batch, actor=area.clerk)
    assert batch.created_count == 1
