"""One person across organisations: matched by ID number, but each organisation sees and
reveals only what its own disputes recorded; a different name is flagged, never swallowed."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from cases.imports import import_batch_confirm, import_batch_upload
from cases.models import Difficulty, Dispute, DisputeParty, ImportBatch, Party
from cases.services import (
    dispatch_accept,
    dispatch_answer,
    dispute_dispatch,
    dispute_register,
    dispute_triage,
)
from common import pii
from tests.cases.reports_world import area  # noqa: F401

from .conftest import ID_ZHANG, PHONE_ZHANG
from .test_import import csv_file, row
from .test_views import _intake_data

OTHER_PHONE = "13900139000"


def _register_as_outsider(loop, *, name="张叁", phone=OTHER_PHONE):
    return dispute_register(
        organisation=loop.outsider_org,
        actor=loop.outsider,
        source_channel="visit",
        category="neighbour",
        facts="海南区另一件纠纷。",
        parties=[{"role": "applicant", "name": name, "id_number": ID_ZHANG, "phone": phone}],
        region=loop.other_district,
    )


@pytest.fixture
def two_records(loop, register):
    """The centre recorded 张三 (138…); the outsider, the same ID as 张叁 (139…)."""
    ours = register()
    theirs = _register_as_outsider(loop)
    return ours, theirs


def test_one_identity_two_recorded_names(loop, two_records):
    ours, theirs = two_records
    party = Party.objects.get(id_number_index=pii.id_number_index(ID_ZHANG))
    assert ours.parties.filter(pk=party.pk).exists() and theirs.parties.get() == party
    assert DisputeParty.objects.get(dispute=theirs).name == "张叁"
    assert DisputeParty.objects.get(dispute=theirs).phone_masked == "139****9000"
    assert DisputeParty.objects.get(dispute=ours, party=party).name == "张三"


def test_outsider_pages_show_only_its_own_name_and_phone(loop, two_records, client_for):
    ours, theirs = two_records
    client = client_for(loop.outsider)
    party = theirs.parties.get()
    for url in (
        reverse("cases:detail", args=[theirs.pk]),
        reverse("cases:party_detail", args=[party.pk]),
    ):
        page = client.get(url).content.decode()
        assert "张叁" in page and "139****9000" in page, url
        assert "张三" not in page and "138****8000" not in page, url
        assert ours.reference not in page and "团结社区3号楼" not in page, url
    # the centre, likewise, sees only its own record
    page = client_for(loop.clerk).get(reverse("cases:party_detail", args=[party.pk]))
    assert "张三" in page.content.decode() and "张叁" not in page.content.decode()


def test_outsider_reveal_gives_only_its_own_phone(loop, two_records, client_for):
    ours, theirs = two_records
    client = client_for(loop.outsider)
    party = theirs.parties.get()
    response = client.post(reverse("cases:party_reveal", args=[party.pk]))
    assert response.status_code == 200
    assert OTHER_PHONE in response.content.decode()
    assert PHONE_ZHANG not in response.content.decode()
    link = DisputeParty.objects.get(dispute=theirs)
    response = client.post(reverse("cases:dispute_party_reveal", args=[theirs.pk, link.pk]))
    assert OTHER_PHONE in response.content.decode() and ID_ZHANG in response.content.decode()
    assert PHONE_ZHANG not in response.content.decode()
    # the centre's link, even addressed through the outsider's own dispute: not found
    our_link = DisputeParty.objects.get(dispute=ours, party=party)
    for pk, link_pk in ((ours.pk, our_link.pk), (theirs.pk, our_link.pk)):
        assert (
            client.post(reverse("cases:dispute_party_reveal", args=[pk, link_pk])).status_code
            == 404
        )
    entries = AuditEntry.objects.filter(action="view_personal")
    assert entries.count() == 2 and all(e.actor == loop.outsider for e in entries)
    assert OTHER_PHONE not in str([e.changes for e in entries] + [e.note for e in entries])


def test_outsider_api_shows_only_its_own_name_and_phone(loop, two_records, api_for):
    ours, theirs = two_records
    api = api_for(loop.outsider)
    body = api.get(f"/api/cases/disputes/{theirs.pk}/").json()
    party = body["parties"][0]["party"]
    assert (party["name"], party["phone_masked"]) == ("张叁", "139****9000")
    listing = api.get("/api/cases/disputes/").content.decode()
    assert "张三" not in listing and "138****8000" not in listing
    assert api.get(f"/api/cases/disputes/{ours.pk}/").status_code == 404
    own = api_for(loop.clerk).get(f"/api/cases/disputes/{ours.pk}/").json()
    assert own["parties"][0]["party"]["name"] == "张三"


def test_search_finds_the_dispute_by_the_name_it_recorded(loop, two_records, client_for):
    _ours, theirs = two_records
    page = client_for(loop.outsider).get(reverse("cases:list"), {"q": "张叁"})
    assert theirs.reference in page.content.decode()


# --- intake: the clerk decides ------------------------------------------------------------


def _outsider_intake(loop, client, **overrides):
    data = _intake_data(
        region=loop.other_district.pk,
        **{
            "parties-0-name": "张叁",
            "parties-0-phone": OTHER_PHONE,
            "parties-1-name": "王五",
        },
    )
    data.update(overrides)
    return client.post(reverse("cases:create"), data)


def test_intake_warns_without_revealing_a_name_recorded_elsewhere(loop, register, client_for):
    register()  # the centre's 张三
    client = client_for(loop.outsider)
    response = _outsider_intake(loop, client)
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="name-conflicts"' in page
    assert "该身份证号已在其他单位以不同姓名登记" in page
    assert "张三" not in page
    assert 'value="existing"' not in page  # nothing of theirs to file under
    assert not Dispute.objects.filter(organisation=loop.outsider_org).exists()

    response = _outsider_intake(loop, client, **{"identity_choice-0": "new"})
    assert response.status_code == 302
    dispute = Dispute.objects.get(organisation=loop.outsider_org)
    link = dispute.dispute_parties.get(role="applicant")
    assert link.name == "张叁" and link.party.id_number_index == pii.id_number_index(ID_ZHANG)


def test_intake_names_the_record_in_scope_and_can_file_under_it(loop, register, client_for):
    register()  # 张三, in the centre's own scope
    client = client_for(loop.clerk)
    data = _intake_data(
        region=loop.community_region.pk, facts="另一件事：楼道堆物。", **{"parties-0-name": "张叁"}
    )
    page = client.post(reverse("cases:create"), data).content.decode()
    assert "该身份证号已登记为“张三”" in page
    assert Dispute.objects.count() == 1

    response = client.post(
        reverse("cases:create"), {**data, "identity_choice-0": "existing", "confirm_new": "1"}
    )
    assert response.status_code == 302
    newest = Dispute.objects.order_by("-pk").first()
    assert newest.dispute_parties.get(role="applicant").name == "张三"


def test_api_register_records_the_name_sent(loop, register, api_for):
    register()
    response = api_for(loop.outsider).post(
        "/api/cases/disputes/",
        {
            "source_channel": "visit",
            "category": "neighbour",
            "facts": "接口登记",
            "region": loop.other_district.pk,
            "parties": [{"name": "张叁", "id_number": ID_ZHANG}],
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["parties"][0]["party"]["name"] == "张叁"
    assert response.json()["parties"][0]["party"]["phone_masked"] == ""


# --- import -------------------------------------------------------------------------------


def _register_zhao(organisation, actor, region):
    return dispute_register(
        organisation=organisation,
        actor=actor,
        source_channel="visit",
        category="neighbour",
        facts="赵强反映邻里纠纷。",
        parties=[{"name": "赵强", "id_number": ID_ZHANG, "phone": PHONE_ZHANG}],
        region=region,
    )


def test_import_of_ma_li_with_zhao_qiangs_id_is_flagged_and_not_filed_as_zhao(area):  # noqa: F811
    zhao = _register_zhao(area.street, area.clerk, area.street_region)
    batch = import_batch_upload(
        organisation=area.street,
        actor=area.clerk,
        uploaded_file=csv_file(
            [row("GD-MALI", name="马丽", id_number=ID_ZHANG, phone=OTHER_PHONE)]
        ),
    )
    assert batch.status == ImportBatch.Status.VALID
    warnings = batch.preview[0]["warnings"]
    assert warnings and "已登记为“赵*”" in warnings[0] and "马*" in warnings[0]
    assert ID_ZHANG not in str(batch.preview)

    import_batch_confirm(batch=batch, actor=area.clerk)
    imported = Dispute.objects.get(source_reference="GD-MALI")
    link = imported.dispute_parties.get()
    assert link.name == "马丽" and link.phone_masked == "139****9000"
    assert link.party == zhao.parties.get()  # the same identity, matched by blind index
    assert "马" in imported.search_tokens and "赵" not in imported.search_tokens


def test_import_warning_does_not_name_another_organisations_record(area, client_for):  # noqa: F811
    _register_zhao(area.outsider_org, area.outsider, area.district)
    batch = import_batch_upload(
        organisation=area.street,
        actor=area.clerk,
        uploaded_file=csv_file([row("GD-MALI", name="马丽", id_number=ID_ZHANG)]),
    )
    (warning,) = batch.preview[0]["warnings"]
    assert "其他单位以不同姓名登记" in warning and "赵" not in warning
    page = client_for(area.clerk).get(reverse("case_reports:import_detail", args=[batch.pk]))
    assert 'data-testid="import-warning"' in page.content.decode()
    assert "赵" not in page.content.decode()


def test_import_warns_about_rows_past_the_preview(area):  # noqa: F811
    _register_zhao(area.street, area.clerk, area.street_region)
    rows = [row(f"GD{i:03d}", id_number="", phone=f"1370013{i:04d}") for i in range(25)]
    rows.append(row("GD-MALI", name="马丽", id_number=ID_ZHANG))
    batch = import_batch_upload(
        organisation=area.street, actor=area.clerk, uploaded_file=csv_file(rows)
    )
    flagged = [r for r in batch.preview if r.get("warnings")]
    assert [r["source_reference"] for r in flagged] == ["GD-MALI"]


# --- 6: the responder calls the resident ---------------------------------------------------


def _dispatched(loop, register):
    dispute = register()
    dispute_triage(dispute=dispute, actor=loop.clerk, difficulty=Difficulty.SIMPLE)
    (dispatch,) = dispute_dispatch(
        dispute=dispute, actor=loop.clerk, targets=[{"responder": loop.police}]
    )
    return dispute, dispatch


def test_responder_of_an_active_dispatch_can_reveal_the_phone(loop, register, client_for):
    dispute, dispatch = _dispatched(loop, register)
    link = dispute.dispute_parties.get(role="applicant")
    client = client_for(loop.responder)
    page = client.get(reverse("cases:dispatch_detail", args=[dispatch.pk])).content.decode()
    url = reverse("cases:dispute_party_reveal", args=[dispute.pk, link.pk])
    assert url in page
    response = client.post(url)
    assert response.status_code == 200
    assert PHONE_ZHANG in response.content.decode()
    assert ID_ZHANG not in response.content.decode()  # the phone, not the ID number
    entry = AuditEntry.objects.get(action="view_personal")
    assert entry.actor == loop.responder and entry.changes == {"fields": ["phone"]}
    assert PHONE_ZHANG not in str(entry.changes) + entry.note

    dispatch_accept(dispatch=dispatch, actor=loop.responder)
    assert client.post(url).status_code == 200
    dispatch_answer(dispatch=dispatch, actor=loop.responder, answer="已联系并处理")
    assert client.post(url).status_code == 403  # no longer handling it


def test_nobody_else_outside_scope_can_reveal(loop, register, client_for):
    dispute, _dispatch = _dispatched(loop, register)
    link = dispute.dispute_parties.get(role="applicant")
    url = reverse("cases:dispute_party_reveal", args=[dispute.pk, link.pk])
    assert client_for(loop.heating_user).post(url).status_code == 404
    assert client_for(loop.outsider).post(url).status_code == 404
    assert client_for(loop.supervisor).post(url).status_code == 403
    assert not AuditEntry.objects.filter(action="view_personal").exists()
