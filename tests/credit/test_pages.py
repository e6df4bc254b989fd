"""The officer's pages: list a debtor, the president signs the order, the case is
performed, the officer removes within the deadline; forms re-rendered with errors; every
record page 404 outside the court; the case page's panel and next steps."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from credit.models import Listing, Removal, Restriction
from enforcement.models import CaseStatus
from enforcement.panels import next_steps_for, panels_for
from enforcement.states import case_machine
from tests.credit.conftest import paid_in_full

from .conftest import debtor_of, impose, make_case

pytestmark = pytest.mark.django_db


def test_officer_lists_president_signs_officer_removes(client, eworld, case):
    debtor = debtor_of(case)
    client.force_login(eworld.officer)
    response = client.post(reverse("credit:finding_new", args=[case.pk]),
                           {"case_party": debtor.pk, "finding": "unwilling",
                            "reasons": "名下有车辆，拒不履行"})  # fmt: skip
    assert response.status_code == 302
    form = client.get(reverse("credit:listing_new", args=[case.pk]))
    assert form.status_code == 200 and "纳入失信被执行人名单" in form.content.decode()
    response = client.post(
        reverse("credit:listing_new", args=[case.pk]),
        {"case_party": debtor.pk, "ground": "1", "grade": "general", "extra_years": "0",
         "grace_months": "0", "duty": "给付借款51770元", "conduct": "有能力拒不履行",
         "performance": "全部未履行", "approver": eworld.president.pk},
    )  # fmt: skip
    listing = Listing.objects.get()
    assert response.status_code == 302 and response.url == listing.get_absolute_url()
    page = client.get(listing.get_absolute_url()).content.decode()
    assert "王被执" in page and "已公布" in page and "纳入失信被执行人名单决定书" in page
    restriction = Restriction.objects.get()
    # the officer sees who decides; the president decides on the page
    assert (
        'data-testid="approve"' not in client.get(restriction.get_absolute_url()).content.decode()
    )
    client.force_login(eworld.president)
    desk = client.get(reverse("credit:home")).content.decode()
    assert "限制消费令" in desk and "王被执" in desk
    client.post(reverse("credit:restriction_decide", args=[restriction.pk, "approve"]))
    restriction.refresh_from_db()
    assert restriction.state == "in_force"

    paid_in_full(case, eworld.officer)
    case_machine.apply(case, "performed", actor=eworld.officer, note="全部履行")
    client.force_login(eworld.officer)
    desk = client.get(reverse("credit:home")).content.decode()
    assert "全部履行完毕" in desk  # the open removals
    for removal in Removal.objects.all():
        page = client.get(removal.get_absolute_url()).content.decode()
        assert "三个工作日" in page
        client.post(reverse("credit:removal_step", args=[removal.pk, "execute"]))
    listing.refresh_from_db()
    assert listing.publication == "removed"
    record = client.get(reverse("credit:debtor", args=[debtor.party_id])).content.decode()
    assert "已删除" in record
    certificate = client.post(reverse("credit:performance_certificate", args=[case.pk]))
    assert certificate.status_code == 302
    assert "履行完毕证明" in client.get(certificate.url).content.decode()


def test_listing_form_errors_are_shown_not_raised(client, eworld, case):
    client.force_login(eworld.officer)
    response = client.post(reverse("credit:listing_new", args=[case.pk]),
                           {"case_party": debtor_of(case).pk, "ground": "4", "grade": "general",
                            "duty": "", "conduct": "x"})  # fmt: skip
    assert response.status_code == 400
    assert 'data-testid="error-duty"' in response.content.decode()
    # valid fields, but no ability finding: the service's reason above the form
    response = client.post(
        reverse("credit:listing_new", args=[case.pk]),
        {"case_party": debtor_of(case).pk, "ground": "4", "grade": "general", "duty": "给付",
         "conduct": "拒不报告", "performance": "全部未履行", "approver": eworld.president.pk},
    )  # fmt: skip
    assert response.status_code == 400
    assert "须先认定" in response.content.decode()
    assert not Listing.objects.exists()


def test_refusal_needs_reasons_on_the_page(client, eworld, case):
    impose(eworld, case)
    restriction = Restriction.objects.get()
    client.force_login(eworld.president)
    response = client.post(reverse("credit:restriction_decide", args=[restriction.pk, "refuse"]),
                           {"note": ""})  # fmt: skip
    assert response.status_code == 400
    assert 'data-testid="error-note"' in response.content.decode()


def test_record_pages_are_404_outside_the_court(client, eworld, case):
    listing = impose(eworld, case)
    restriction = Restriction.objects.get()
    paid_in_full(case, eworld.officer)
    case_machine.apply(case, "performed", actor=eworld.officer)
    removal = Removal.objects.first()
    urls = [
        listing.get_absolute_url(),
        restriction.get_absolute_url(),
        removal.get_absolute_url(),
        reverse("credit:listing_new", args=[case.pk]),
        reverse("credit:removal_new", args=[case.pk]),
        reverse("audit:history", args=["credit", "listing", listing.pk]),
    ]
    for stranger in (eworld.outsider, eworld.centre_supervisor):
        client.force_login(stranger)
        for url in urls:
            assert client.get(url).status_code == 404, (stranger, url)
        assert client.post(reverse("credit:removal_step", args=[removal.pk, "execute"])
                           ).status_code == 404  # fmt: skip
    client.force_login(eworld.centre_supervisor)
    assert client.get(reverse("credit:debtor", args=[listing.debtor_id])).status_code == 404
    client.force_login(eworld.higher_supervisor)
    assert client.get(listing.get_absolute_url()).status_code == 200


def test_published_elsewhere_shows_only_public_facts(client, eworld, case):
    listing = impose(eworld, case)
    client.force_login(eworld.outsider)
    text = client.get(reverse("credit:debtor", args=[listing.debtor_id])).content.decode()
    assert "其他法院已公布的信息" in text and case.case_number in text
    assert listing.conduct not in text
    assert reverse("credit:listing", args=[listing.pk]) not in text


def test_unknown_step_is_404(client, eworld, case):
    impose(eworld, case)
    restriction = Restriction.objects.get()
    client.force_login(eworld.president)
    assert client.post(reverse("credit:restriction_decide", args=[restriction.pk, "delete"])
                       ).status_code == 404  # fmt: skip


def test_case_panel_and_next_steps(rf, eworld, case):
    impose(eworld, case)
    rendered = {panel.key: context for panel, context in panels_for(case, eworld.officer)}
    assert "credit" in rendered and rendered["credit"]["may_act"]
    html = render_to_string("credit/partials/case_panel.html", rendered["credit"])
    assert "王被执" in html and "纳入失信" in html
    assert "限制消费令待院长审批" in next_steps_for(case)
    assert "credit" not in {p.key for p, _c in panels_for(case, eworld.outsider)}
    urging = make_case(eworld.court, eworld.clerk, status=CaseStatus.URGING)
    assert "credit" not in {p.key for p, _c in panels_for(urging, eworld.officer)}
    paid_in_full(case, eworld.officer)
    case_machine.apply(case, "performed", actor=eworld.officer)
    steps = next_steps_for(case)
    assert any("删除/解除信用惩戒" in step for step in steps)


def test_desk_for_someone_with_nothing(client, eworld):
    client.force_login(eworld.centre_supervisor)
    response = client.get(reverse("credit:home"))
    assert response.status_code == 200
    assert "暂无待审批事项" in response.content.decode()
