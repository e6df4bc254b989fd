"""Bulk tagging into a campaign (专项行动) from the workbench and the court list (enf-measures,
part 2): the officer ticks cases on the workbench and tags them in one action, one audit
entry per case; outside the campaign's period the whole action is refused with the period
(page message; 409 in the API) and nothing is tagged; a case of a court outside the
campaign or concluded before it began is skipped with the reason; an outsider gets 404."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from enforcement.models import CampaignCase, CaseStatus
from enforcement.services import campaigns as services

from .conftest import make_case


def _campaign(eworld, *, name="飓风行动", starts=-30, ends=30, courts=None):
    today = timezone.localdate()
    return services.campaign_create(
        organiser=eworld.higher_court, name=name,
        starts_on=today + datetime.timedelta(days=starts),
        ends_on=today + datetime.timedelta(days=ends),
        courts=courts or [eworld.court], actor=eworld.higher_supervisor,
    )  # fmt: skip


@pytest.fixture
def cases(eworld):
    return [make_case(eworld.court, eworld.clerk, officer=eworld.officer, debtor=f"债务人{n}")
            for n in range(3)]  # fmt: skip


def test_the_officer_tags_cases_from_the_workbench_one_audit_entry_each(eworld, cases, client):
    campaign = _campaign(eworld)
    _campaign(eworld, name="已结束的行动", starts=-60, ends=-1)  # not offered
    client.force_login(eworld.officer)
    page = client.get(reverse("enforcement:workbench")).content.decode()
    assert 'data-testid="workbench-campaign"' in page and "飓风行动" in page
    assert "已结束的行动" not in page
    for case in cases:
        assert f'data-testid="workbench-select-{case.pk}"' in page
    chosen = cases[:2]
    response = client.post(reverse("enforcement:campaign_bulk_tag"), {
        "campaign": campaign.pk, "ids": [c.pk for c in chosen],
        "next": reverse("enforcement:workbench"),
    }, follow=True)  # fmt: skip
    assert response.redirect_chain[-1][0] == reverse("enforcement:workbench")
    assert "已将2件案件纳入“飓风行动”" in response.content.decode()
    tags = CampaignCase.objects.filter(campaign=campaign)
    assert {t.case_id for t in tags} == {c.pk for c in chosen}
    for tag in tags:
        entry = AuditEntry.objects.get(content_type=ContentType.objects.get_for_model(tag),
                                       object_id=str(tag.pk), action="create")  # fmt: skip
        assert "飓风行动" in entry.note and entry.actor_id == eworld.officer.pk


def test_no_running_campaign_no_control(eworld, cases, client):
    _campaign(eworld, name="尚未开始", starts=1, ends=30)
    client.force_login(eworld.officer)
    page = client.get(reverse("enforcement:workbench")).content.decode()
    assert 'data-testid="workbench-campaign"' not in page


def test_outside_the_period_the_whole_action_is_refused(eworld, cases, client, api_for):
    ended = _campaign(eworld, name="夏季风暴", starts=-60, ends=-1)
    client.force_login(eworld.officer)
    response = client.post(reverse("enforcement:campaign_bulk_tag"), {
        "campaign": ended.pk, "ids": [c.pk for c in cases], "next": reverse("enforcement:workbench"),
    }, follow=True)  # fmt: skip
    text = response.content.decode()
    assert "今天不在期间内" in text and ended.ends_on.isoformat() in text
    api = api_for(eworld.officer).post(f"/api/enforcement/campaigns/{ended.pk}/tag/",
                                       {"cases": [cases[0].pk]}, format="json")  # fmt: skip
    assert api.status_code == 409 and "今天不在期间内" in api.content.decode()
    assert not CampaignCase.objects.filter(campaign=ended).exists()


def test_cases_outside_the_scope_are_skipped_with_the_reason(eworld, cases, api_for):
    campaign = _campaign(eworld)
    old = cases[2]
    old.status = CaseStatus.PERFORMED
    old.concluded_at = timezone.now() - datetime.timedelta(days=40)
    old.save(update_fields=["status", "concluded_at"])
    api = api_for(eworld.officer)
    answer = api.post(f"/api/enforcement/campaigns/{campaign.pk}/tag/",
                      {"cases": [cases[0].pk, old.pk]}, format="json")  # fmt: skip
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"tagged": [cases[0].pk],
                             "skipped": {str(old.pk): "已于专项行动开始前结案"}}  # fmt: skip
    # a campaign of another court only is not this court's to see: 404, nothing tagged
    other = _campaign(eworld, name="异地专项", courts=[eworld.other_court])
    answer = api.post(f"/api/enforcement/campaigns/{other.pk}/tag/",
                      {"cases": [cases[1].pk]}, format="json")  # fmt: skip
    assert answer.status_code == 404
    assert list(CampaignCase.objects.values_list("case_id", flat=True)) == [cases[0].pk]


def test_an_outsider_gets_404_and_tags_nothing(eworld, cases, client, api_for):
    campaign = _campaign(eworld)
    client.force_login(eworld.outsider)
    assert client.post(reverse("enforcement:campaign_tag", args=[campaign.pk]),
                       {"ids": [cases[0].pk]}).status_code == 404  # fmt: skip
    assert client.post(reverse("enforcement:campaign_bulk_tag"),
                       {"campaign": campaign.pk, "ids": [cases[0].pk]}).status_code == 404  # fmt: skip
    api = api_for(eworld.outsider).post(f"/api/enforcement/campaigns/{campaign.pk}/tag/",
                                        {"cases": [cases[0].pk]}, format="json")  # fmt: skip
    assert api.status_code == 404
    assert not CampaignCase.objects.exists()
