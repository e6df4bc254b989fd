"""Pages: intake (clerk and phone), detail with actions, inbox scoping, outsider 404, list."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEntry
from cases.models import Attachment, Difficulty, Dispute, DisputeStatus
from cases.services import dispute_dispatch, dispute_triage
from tests.factories import image_bytes

from .conftest import ID_ZHANG, PHONE_ZHANG

PNG = image_bytes("PNG")


def _intake_data(**overrides):
    data = {
        "source_channel": "visit",
        "category": "neighbour",
        "risk_level": "ordinary",
        "facts": "楼上装修噪音扰民。",
        "place": "团结社区3号楼",
        "amount_in_dispute": "",
        "source_reference": "",
        "parties-TOTAL_FORMS": "2",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "1",
        "parties-MAX_NUM_FORMS": "1000",
        "parties-0-role": "applicant",
        "parties-0-kind": "person",
        "parties-0-name": "张三",
        "parties-0-id_number": ID_ZHANG,
        "parties-0-phone": PHONE_ZHANG,
        "parties-1-role": "respondent",
        "parties-1-kind": "person",
        "parties-1-name": "李四",
    }
    data.update(overrides)
    return data


def test_clerk_intake_registers(loop, client_for):
    client = client_for(loop.clerk)
    assert client.get(reverse("cases:create")).status_code == 200
    response = client.post(reverse("cases:create"), _intake_data(region=loop.community_region.pk))
    dispute = Dispute.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "cases:detail", args=[dispute.pk]
    )
    assert dispute.parties.count() == 2


def test_clerk_intake_errors_beside_fields_nothing_lost(loop, client_for):
    client = client_for(loop.clerk)
    response = client.post(
        reverse("cases:create"),
        _intake_data(
            region=loop.community_region.pk,
            **{"parties-0-id_number": "110105194912310021", "facts": ""},
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="error-id_number"' in html and "校验位" in html
    assert 'data-testid="error-facts"' in html
    assert "团结社区3号楼" in html and "李四" in html  # nothing typed is lost
    assert not Dispute.objects.exists()


def test_duplicate_suggested_then_link_instead_of_register(loop, client_for, register):
    existing = register()
    client = client_for(loop.clerk)
    response = client.post(reverse("cases:create"), _intake_data(region=loop.community_region.pk))
    assert response.status_code == 200
    assert 'data-testid="duplicates"' in response.content.decode()
    assert existing.reference in response.content.decode()
    response = client.post(
        reverse("cases:create"), _intake_data(region=loop.community_region.pk, link_to=existing.pk)
    )
    assert response.url == reverse("cases:detail", args=[existing.pk])
    assert Dispute.objects.count() == 1
    assert existing.events.filter(kind="linked").exists()
    # or register anyway
    client.post(
        reverse("cases:create"), _intake_data(region=loop.community_region.pk, confirm_new="1")
    )
    assert Dispute.objects.count() == 2


def test_grid_report_with_photo(loop, client_for):
    client = client_for(loop.grid)
    assert client.get(reverse("cases:report")).status_code == 200
    photo = SimpleUploadedFile("scene.png", PNG, content_type="image/png")
    response = client.post(
        reverse("cases:report"),
        {
            "category": "property_management",
            "facts": "楼道飞线充电",
            "place": "5号楼",
            "name": "王五",
            "phone": "13900139000",
            "photos": [photo],
        },
    )
    assert response.status_code == 302
    dispute = Dispute.objects.get()
    assert dispute.organisation == loop.community and dispute.source_channel == "grid_screening"
    attachment = Attachment.objects.get()
    assert attachment.kind == "photo" and attachment.size == len(PNG)


def test_grid_report_refuses_wrong_type(loop, client_for):
    client = client_for(loop.grid)
    bad = SimpleUploadedFile("virus.exe", b"MZ...", content_type="application/x-msdownload")
    response = client.post(
        reverse("cases:report"),
        {"category": "neighbour", "facts": "吵闹", "name": "王五", "photos": [bad]},
    )
    assert response.status_code == 200
    assert "类型不允许" in response.content.decode()
    assert not Dispute.objects.exists()


def test_detail_offers_actions_of_state_machine(loop, client_for, register):
    dispute = register()
    html = client_for(loop.clerk).get(reverse("cases:detail", args=[dispute.pk])).content.decode()
    assert 'data-testid="triage-form"' in html and 'data-testid="dispatch-form"' not in html
    assert 'data-testid="timeline"' in html and 'data-testid="history"' in html
    assert "138****8000" in html and PHONE_ZHANG not in html and ID_ZHANG not in html


def test_illegal_step_by_page_shows_message(loop, client_for, register):
    dispute = register()
    client = client_for(loop.clerk)
    response = client.post(reverse("cases:review", args=[dispute.pk]), follow=True)
    assert "不能执行" in response.content.decode()
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.REGISTERED


def test_triage_and_dispatch_by_page(loop, client_for, register):
    dispute = register()
    client = client_for(loop.clerk)
    client.post(
        reverse("cases:triage", args=[dispute.pk]),
        {"difficulty": "complex", "lead_organisation": loop.police.pk},
    )
    client.post(
        reverse("cases:dispatch", args=[dispute.pk]),
        {"responders": [loop.police.pk, loop.heating.pk]},
    )
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.DISPATCHED and dispute.dispatches.count() == 2


def test_responder_inbox_scoped(loop, client_for, register):
    mine, other = register(), register(facts="另一件事：暖气不热")
    for dispute, org in ((mine, loop.police), (other, loop.heating)):
        dispute_triage(dispute=dispute, actor=loop.clerk, difficulty=Difficulty.SIMPLE)
        dispute_dispatch(dispute=dispute, actor=loop.clerk, targets=[{"responder": org}])
    client = client_for(loop.responder)
    html = client.get(reverse("cases:inbox")).content.decode()
    assert mine.reference in html and other.reference not in html
    assert client.get(reverse("cases:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("cases:detail", args=[other.pk])).status_code == 404
    other_dispatch = other.dispatches.get()
    assert client.get(reverse("cases:dispatch_detail", args=[other_dispatch.pk])).status_code == 404
    assert (
        client.post(reverse("cases:dispatch_accept", args=[other_dispatch.pk])).status_code == 404
    )


def test_outsider_cannot_read_or_change(loop, client_for, register):
    dispute = register()
    client = client_for(loop.outsider)
    assert client.get(reverse("cases:detail", args=[dispute.pk])).status_code == 404
    assert (
        client.post(
            reverse("cases:triage", args=[dispute.pk]), {"difficulty": "simple"}
        ).status_code
        == 404
    )
    party = dispute.parties.first()
    assert client.get(reverse("cases:party_detail", args=[party.pk])).status_code == 404
    assert dispute.reference not in client.get(reverse("cases:list")).content.decode()


def test_reveal_personal_data_is_audited(loop, client_for, register):
    dispute = register()
    party = dispute.parties.get(name="张三")
    response = client_for(loop.clerk).post(reverse("cases:party_reveal", args=[party.pk]))
    assert ID_ZHANG in response.content.decode()
    entry = AuditEntry.objects.get(action="view_personal")
    assert entry.actor == loop.clerk and ID_ZHANG not in str(entry.changes)


def test_responder_cannot_reveal(loop, client_for, register):
    dispute = register()
    dispute_triage(dispute=dispute, actor=loop.clerk, difficulty=Difficulty.SIMPLE)
    dispute_dispatch(dispute=dispute, actor=loop.clerk, targets=[{"responder": loop.police}])
    party = dispute.parties.get(name="张三")
    assert (
        client_for(loop.responder).post(reverse("cases:party_reveal", args=[party.pk])).status_code
        == 403
    )


def test_list_keyset_and_query_count(loop, client_for, register, django_assert_max_num_queries):
    for i in range(7):
        register(facts=f"第{i}件纠纷")
    client = client_for(loop.clerk)
    from cases import views

    views.PAGE_SIZE, old = 3, views.PAGE_SIZE
    try:
        with django_assert_max_num_queries(17):  # the applicants: one prefetch per page
            response = client.get(reverse("cases:list"))
        html = response.content.decode()
        assert html.count('href="/cases/') >= 3
        next_url = re.search(r'data-testid="more"[^>]*|href="(\?[^"]*after=[^"]+)"', html)
        assert 'data-testid="more"' in html
        after = re.search(r'href="\?([^"]*after=[^"]+)"', html).group(1).replace("&amp;", "&")
        with django_assert_max_num_queries(17):  # the applicants: one prefetch per page
            page2 = client.get(f"{reverse('cases:list')}?{after}").content.decode()
        assert "第3件纠纷" in page2 or "第2件纠纷" in page2
        assert next_url
    finally:
        views.PAGE_SIZE = old


def test_saved_filter_and_bulk_assign(loop, client_for, register):
    a, b = register(), register(facts="另一件")
    client = client_for(loop.clerk)
    client.post(reverse("cases:filter_save"), {"name": "待研判", "query": "status=registered"})
    assert "待研判" in client.get(reverse("cases:list")).content.decode()
    client.post(
        reverse("cases:bulk"), {"ids": [a.pk, b.pk], "action": "assign", "assignee": loop.clerk.pk}
    )
    assert Dispute.objects.filter(assignee=loop.clerk).count() == 2


def test_supervisor_flags_and_sees_overdue(loop, client_for, register):
    from datetime import timedelta

    from django.utils import timezone

    dispute = register()
    client = client_for(loop.supervisor)
    client.post(reverse("cases:flag", args=[dispute.pk]), {"flagged": "1", "note": "尽快研判"})
    dispute.refresh_from_db()
    assert dispute.is_flagged
    Dispute.objects.filter(pk=dispute.pk).update(triage_due_at=timezone.now() - timedelta(hours=1))
    html = client.get(reverse("cases:supervision")).content.decode()
    assert html.count(dispute.reference) == 2  # flagged, and overdue for triage


@pytest.mark.parametrize(
    "name", ["cases:list", "cases:inbox", "cases:supervision", "cases:bundles"]
)
def test_pages_render(loop, client_for, name):
    assert client_for(loop.clerk).get(reverse(name)).status_code == 200


def test_refused_step_never_redirects_off_site(loop, register, client_for):
    dispute = register()
    client = client_for(loop.clerk)
    # Closing a dispute that is still waiting for triage is refused; the refusal must not
    # follow a "next" that points at another site.
    response = client.post(
        reverse("cases:close", args=[dispute.pk]), {"next": "https://evil.example/phish"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:list")
    response = client.post(
        reverse("cases:close", args=[dispute.pk]),
        {"next": reverse("cases:detail", args=[dispute.pk])},
    )
    assert response["Location"] == reverse("cases:detail", args=[dispute.pk])
