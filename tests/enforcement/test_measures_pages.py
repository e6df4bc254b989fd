"""The pages of measures, objections and campaigns: the case panel with its next steps,
the request form re-rendered with each limit by its field, the president's approval from
the inbox, the objection's steps, campaigns with bulk tagging from the court list; every
page answers 404 to another court's user and names nothing."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from enforcement.models import CampaignCase, CoerciveMeasure, MeasureStatus, Objection
from enforcement.panels import next_steps_for, next_steps_for_many
from enforcement.panels_measures import measures_next_steps, measures_next_steps_prefetch
from enforcement.services import campaigns as campaign_services

from . import measures_fixtures
from .conftest import make_case
from .measures_fixtures import debtor

pytestmark = pytest.mark.django_db

fast_pdf = measures_fixtures.fast_pdf


def request_form(case, eworld, **extra):
    return {"kind": "detention", "subject": debtor(case).pk, "reason": "拒不履行，隐匿财产",
            "approver": eworld.president.pk, "days": "15", "place": "乌海市拘留所", **extra}  # fmt: skip


def test_officer_asks_president_approves_officer_detains(eworld, case, client_for, fast_pdf):
    client = client_for(eworld.officer)
    page = client.get(reverse("enforcement:detail", args=[case.pk]))
    assert page.status_code == 200
    assert 'data-testid="measures-panel"' in page.content.decode()
    new = reverse("enforcement:measure_new", args=[case.pk])
    form = client.get(new)
    assert form.status_code == 200 and "吴院长" in form.content.decode()
    # 16 days: the form comes back with the rule by the field
    bad = client.post(new, request_form(case, eworld, days="16"))
    assert bad.status_code == 400
    assert re.search(r'id="measure_days"[^>]*is-invalid|is-invalid[^>]*id="measure_days"',
                     bad.content.decode())  # fmt: skip
    assert "拘留期限不得超过15日" in bad.content.decode()
    response = client.post(new, request_form(case, eworld))
    measure = CoerciveMeasure.objects.get()
    assert response.status_code == 302 and response.url == measure.get_absolute_url()
    assert "拘留待吴院长审批" in " ".join(next_steps_for(case))

    # the officer sees no approve button; posting it is refused
    detail = client.get(measure.get_absolute_url()).content.decode()
    assert 'data-testid="approve"' not in detail
    refused = client.post(reverse("enforcement:measure_step", args=[measure.pk, "approve"]))
    assert refused.status_code == 403

    president = client_for(eworld.president)
    inbox = president.get(reverse("enforcement:measures_awaiting")).content.decode()
    assert f'data-testid="awaiting-{measure.pk}"' in inbox
    assert 'data-testid="approve"' in president.get(measure.get_absolute_url()).content.decode()
    president.post(reverse("enforcement:measure_step", args=[measure.pk, "approve"]),
                   {"note": "同意拘留"})  # fmt: skip
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.APPROVED and measure.decided_by == eworld.president

    client = client_for(eworld.officer)
    client.post(reverse("enforcement:measure_step", args=[measure.pk, "execute"]), {})
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.EXECUTED
    assert any("通知" in step and "家属" in step for step in next_steps_for(case))
    empty = client.post(reverse("enforcement:measure_step", args=[measure.pk, "family"]),
                        {"family-note": ""})  # fmt: skip
    assert empty.status_code == 400
    client.post(reverse("enforcement:measure_step", args=[measure.pk, "family"]),
                {"family-note": "电话告知其妻"})  # fmt: skip
    measure.refresh_from_db()
    assert measure.family_notified_at is not None
    page = client.get(reverse("enforcement:detail", args=[case.pk])).content.decode()
    assert measure.document.number in page


def test_next_steps_of_a_list_in_a_fixed_number_of_queries(
    eworld, case, django_assert_max_num_queries
):
    from enforcement.services import measures as services

    cases = [case] + [make_case(eworld.court, eworld.clerk, officer=eworld.officer,
                                basis=case.basis) for _ in range(3)]  # fmt: skip
    for c in cases:
        services.measure_request(case=c, kind="search", subject=debtor(c), actor=eworld.officer,
                                 approver=eworld.president, reason="x", place="住所")  # fmt: skip
    fresh = list(type(case).objects.filter(pk__in=[c.pk for c in cases]))
    # this part's reads: two queries for the whole page, none per case
    with django_assert_max_num_queries(2):
        measures_next_steps_prefetch(fresh)
        steps = [measures_next_steps(c) for c in fresh]
    assert all(any("搜查待" in s for s in row) for row in steps)
    # and the provider is registered with the case list's batch
    assert all(any("搜查待" in s for s in row) for row in next_steps_for_many(fresh))


def test_objection_pages(eworld, case, client_for):
    client = client_for(eworld.officer)
    new = reverse("enforcement:objection_new", args=[case.pk])
    bad = client.post(new, {"kind": "objection", "applicant_name": "", "matter": "x",
                            "received_on": timezone.localdate().isoformat()})  # fmt: skip
    assert bad.status_code == 400
    response = client.post(new, {"kind": "objection", "applicant_name": "案外人刘某",
                                 "matter": "房屋为其所有",
                                 "received_on": timezone.localdate().isoformat()})  # fmt: skip
    objection = Objection.objects.get()
    assert response.url == objection.get_absolute_url()
    page = client.get(objection.get_absolute_url()).content.decode()
    assert "执行异议立案" in page  # the clock shown
    client.post(reverse("enforcement:objection_step", args=[objection.pk, "register"]), {})
    objection.refresh_from_db()
    assert objection.status == "registered"
    missing = client.post(reverse("enforcement:objection_step", args=[objection.pk, "decide"]),
                          {"upheld": "1", "text": ""})  # fmt: skip
    assert missing.status_code == 400


def test_campaign_pages_and_bulk_tagging_from_the_court_list(eworld, case, client_for):
    president = client_for(eworld.president)
    today = timezone.localdate()
    response = president.post(reverse("enforcement:campaigns"), {
        "name": "雷霆执行·2025·夏季风暴", "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=90)).isoformat(),
        "courts": [eworld.court.pk]})  # fmt: skip
    assert response.status_code == 302
    campaign = campaign_services.Campaign.objects.get()
    clerk = client_for(eworld.clerk)
    listing = clerk.get(reverse("enforcement:list")).content.decode()
    assert 'data-testid="bulk-tag-button"' in listing and "夏季风暴" in listing
    clerk.post(reverse("enforcement:campaign_bulk_tag"),
               {"campaign": campaign.pk, "ids": [case.pk], "next": reverse("enforcement:list")})  # fmt: skip
    assert CampaignCase.objects.filter(campaign=campaign, case=case).exists()
    page = clerk.get(campaign.get_absolute_url()).content.decode()
    assert 'data-testid="total-cases"' in page and case.case_number in page
    panel = clerk.get(reverse("enforcement:detail", args=[case.pk])).content.decode()
    assert 'data-testid="campaign-badge"' in panel


def test_outsider_gets_404_on_every_page(eworld, case, client_for, fast_pdf):
    from enforcement.services import measures as services
    from enforcement.services import objections as objection_services

    measure = services.measure_request(case=case, kind="fine", subject=debtor(case),
                                       actor=eworld.officer, approver=eworld.president,
                                       reason="x", amount="100.00")  # fmt: skip
    objection = objection_services.objection_receive(
        case=case, kind="objection", applicant_name="案外人刘某", matter="x",
        received_on=timezone.localdate(), actor=eworld.officer)  # fmt: skip
    campaign = campaign_services.campaign_create(
        organiser=eworld.court, name="终本清仓", starts_on=timezone.localdate(),
        ends_on=timezone.localdate(), courts=[eworld.court], actor=eworld.president)  # fmt: skip
    client = client_for(eworld.outsider)
    gets = [
        reverse("enforcement:measure_new", args=[case.pk]),
        reverse("enforcement:measure", args=[measure.pk]),
        reverse("enforcement:objection_new", args=[case.pk]),
        reverse("enforcement:objection", args=[objection.pk]),
        reverse("enforcement:campaign", args=[campaign.pk]),
    ]
    for url in gets:
        response = client.get(url)
        assert response.status_code == 404, url
        assert (
            "王被执" not in response.content.decode()
            and "终本清仓" not in response.content.decode()
        )
    posts = [
        reverse("enforcement:measure_new", args=[case.pk]),
        *[reverse("enforcement:measure_step", args=[measure.pk, s])
          for s in ("approve", "refuse", "execute", "end", "family", "cancel")],
        reverse("enforcement:objection_new", args=[case.pk]),
        *[reverse("enforcement:objection_step", args=[objection.pk, s])
          for s in ("register", "not_accept", "decide", "serve", "withdraw", "extend")],
        reverse("enforcement:campaign_tag", args=[campaign.pk]),
        reverse("enforcement:campaign_untag", args=[campaign.pk, case.pk]),
    ]  # fmt: skip
    for url in posts:
        assert client.post(url, {"note": "x", "ids": [case.pk]}).status_code == 404, url
    # the other court's list offers no campaign of this court
    assert "终本清仓" not in client.get(reverse("enforcement:campaigns")).content.decode()
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.REQUESTED
    assert not CampaignCase.objects.exists()


def test_panel_in_a_fixed_number_of_queries(eworld, case, django_assert_max_num_queries):
    from enforcement.panels_measures import measures_panel_context
    from enforcement.services import measures as services

    def ask():
        services.measure_request(case=case, kind="search", subject=debtor(case),
                                 actor=eworld.officer, approver=eworld.president, reason="x",
                                 place="住所")  # fmt: skip

    ask()
    user = type(eworld.officer).objects.get(pk=eworld.officer.pk)
    with django_assert_max_num_queries(12) as few:
        measures_panel_context(case, user)
    for _ in range(5):
        ask()
    user = type(eworld.officer).objects.get(pk=eworld.officer.pk)
    with django_assert_max_num_queries(len(few)):
        context = measures_panel_context(case, user)
    assert len(context["measures_panel"]["measures"]) == 6
