"""Pages of commission and cross-enforcement (enf-commission): the sending court commissions
its case, the receiving court registers, reports and finishes it on the case's commission
page and sees the progress where the sender sees it; bad input re-renders with the message by
the field; a court that neither sends nor receives gets 404 on every page and learns no
party name; the receiving court gets 404 on the sending court's other cases."""

import pytest
from django.urls import reverse

from enforcement.models import Commission, CommissionStatus
from enforcement.panels import next_steps_for, next_steps_for_many
from enforcement.services import commission as service

from . import commission_fixtures
from .conftest import make_case

cworld = commission_fixtures.cworld
NAMES = ("张申请", "孙委托")


def _commission(eworld, cworld):
    return service.commission_request(
        case=cworld.case, actor=eworld.officer, receiving_court=cworld.receiver,
        matters="扣押被执行人在海南区的车辆",
    )  # fmt: skip


def _pages(case):
    return [reverse("enforcement:detail", args=[case.pk]),
            reverse("enforcement:commission", args=[case.pk])]  # fmt: skip


def _steps(case):
    return [reverse("enforcement:commission_step", args=[case.pk, step])
            for step in ("request", "register", "refuse", "report", "finish", "return",
                         "withdraw", "transfer")]  # fmt: skip


def test_sending_court_commissions_its_case_from_the_page(client, eworld, cworld):
    client.force_login(eworld.officer)
    page = client.get(reverse("enforcement:commission", args=[cworld.case.pk]))
    assert page.status_code == 200
    assert 'data-testid="form-request"' in page.content.decode()
    response = client.post(
        reverse("enforcement:commission_step", args=[cworld.case.pk, "request"]),
        {"receiving_court": cworld.receiver.pk, "matters": "查封被执行人在海南区的房产"},
    )
    assert response.status_code == 302
    commission = Commission.objects.get(case=cworld.case)
    assert commission.receiving_court == cworld.receiver
    detail = client.get(reverse("enforcement:detail", args=[cworld.case.pk])).content.decode()
    assert 'data-testid="commission-panel"' in detail and "海南区人民法院" in detail


def test_bad_input_re_renders_with_the_message_by_the_field(client, eworld, cworld):
    client.force_login(eworld.officer)
    response = client.post(
        reverse("enforcement:commission_step", args=[cworld.case.pk, "request"]),
        {"receiving_court": cworld.receiver.pk, "matters": "  "},
    )
    assert response.status_code == 400
    assert 'data-field="matters"' in response.content.decode()
    response = client.post(
        reverse("enforcement:commission_step", args=[cworld.case.pk, "request"]),
        {"receiving_court": "abc", "matters": "x"},
    )
    assert response.status_code == 400
    assert 'data-field="receiving_court"' in response.content.decode()
    assert not Commission.objects.exists()


def test_receiving_court_registers_reports_and_finishes(client, eworld, cworld):
    commission = _commission(eworld, cworld)
    client.force_login(cworld.recv_clerk)
    page = client.get(reverse("enforcement:commission", args=[cworld.case.pk])).content.decode()
    assert 'data-testid="form-register"' in page and "钱受托" in page
    assert 'data-testid="form-request"' not in page  # it cannot commission the case onwards
    step = lambda name: reverse("enforcement:commission_step", args=[cworld.case.pk, name])  # noqa: E731
    assert client.post(step("register"), {"commission": commission.pk,
                                          "officer": cworld.recv_officer.pk}).status_code == 302  # fmt: skip
    client.force_login(cworld.recv_officer)
    assert client.post(step("report"), {"commission": commission.pk, "text": "车辆已扣押，待评估",
                                        "amount_recovered": ""}).status_code == 302  # fmt: skip
    bad = client.post(step("finish"), {"commission": commission.pk, "result": "办结",
                                       "amount_recovered": "12.345"})  # fmt: skip
    assert bad.status_code == 400 and 'data-field="amount_recovered"' in bad.content.decode()
    # the sending court sees the receiving court's progress on its case page
    client.force_login(eworld.officer)
    detail = client.get(reverse("enforcement:detail", args=[cworld.case.pk])).content.decode()
    assert "车辆已扣押，待评估" in detail
    client.force_login(cworld.recv_officer)
    done = client.post(step("finish"), {"commission": commission.pk, "result": "车辆已移交"})
    assert done.status_code == 302 and done["Location"] == reverse(
        "enforcement:commission_received"
    )  # it no longer sees the case
    commission.refresh_from_db()
    assert commission.status == CommissionStatus.FINISHED
    listing = client.get(reverse("enforcement:commission_received")).content.decode()
    assert cworld.case.case_number in listing
    for url in _pages(cworld.case):
        assert client.get(url).status_code == 404


def test_the_wrong_side_gets_a_message_not_a_change(client, eworld, cworld):
    commission = _commission(eworld, cworld)
    client.force_login(eworld.officer)
    response = client.post(
        reverse("enforcement:commission_step", args=[cworld.case.pk, "register"]),
        {"commission": commission.pk, "officer": cworld.recv_officer.pk},
    )
    assert response.status_code == 302
    commission.refresh_from_db()
    assert commission.status == CommissionStatus.REQUESTED


@pytest.mark.parametrize("who", ["third_clerk", "third_supervisor"])
def test_a_court_that_neither_sends_nor_receives_gets_404_everywhere(client, eworld, cworld, who):
    commission = _commission(eworld, cworld)
    client.force_login(getattr(cworld, who))
    for url in _pages(cworld.case):
        response = client.get(url)
        assert response.status_code == 404
        assert not any(name in response.content.decode() for name in NAMES)
    for url in _steps(cworld.case):
        response = client.post(url, {"commission": commission.pk, "reason": "x",
                                     "receiving_court": cworld.third.pk, "matters": "x"})  # fmt: skip
        assert response.status_code == 404
        assert not any(name in response.content.decode() for name in NAMES)
    listing = client.get(reverse("enforcement:commission_received"))
    assert listing.status_code == 200
    assert cworld.case.case_number not in listing.content.decode()
    commission.refresh_from_db()
    assert commission.status == CommissionStatus.REQUESTED


def test_the_receiving_court_sees_only_the_commissioned_case(client, eworld, cworld):
    commission = _commission(eworld, cworld)
    client.force_login(cworld.recv_clerk)
    for url in _pages(cworld.case):
        assert client.get(url).status_code == 200
    for url in _pages(cworld.other_case):
        response = client.get(url)
        assert response.status_code == 404 and "周未委" not in response.content.decode()
    for url in _steps(cworld.other_case):
        assert client.post(url, {"commission": commission.pk, "reason": "x"}).status_code == 404


def test_transfer_from_the_page_by_the_higher_supervisor(client, eworld, cworld):
    client.force_login(eworld.higher_supervisor)
    page = client.get(reverse("enforcement:commission", args=[cworld.case.pk])).content.decode()
    assert 'data-testid="form-transfer"' in page
    response = client.post(
        reverse("enforcement:commission_step", args=[cworld.case.pk, "transfer"]),
        {"to_court": cworld.receiver.pk, "officer": cworld.recv_officer.pk, "kind": "cross",
         "reason": "交叉执行"},
    )  # fmt: skip
    assert response.status_code == 302
    cworld.case.refresh_from_db()
    assert cworld.case.court == cworld.receiver
    # the original court reads the case (and the record of the move) but may not move it
    client.force_login(eworld.officer)
    detail = client.get(reverse("enforcement:detail", args=[cworld.case.pk])).content.decode()
    assert 'data-testid="commission-transfer"' in detail
    client.force_login(eworld.president)
    page = client.get(reverse("enforcement:commission", args=[cworld.case.pk])).content.decode()
    assert 'data-testid="form-transfer"' not in page


def test_next_steps_for_a_list_stay_at_a_fixed_query_count(
    eworld, cworld, django_assert_num_queries
):
    _commission(eworld, cworld)
    assert any("海南区人民法院" in step for step in next_steps_for(cworld.case))
    cases = [cworld.case, cworld.other_case] + [
        make_case(eworld.court, eworld.clerk, officer=eworld.officer) for _ in range(3)
    ]
    from enforcement.panels_commission import (
        commission_next_steps,
        commission_next_steps_prefetch,
    )

    with django_assert_num_queries(1):
        commission_next_steps_prefetch(cases)
        steps = [commission_next_steps(case) for case in cases]
    assert steps[0] and not any(steps[1:])
    assert next_steps_for_many(cases)[0]


def test_the_receiving_court_cannot_act_on_the_case_itself(client, eworld, cworld):
    _commission(eworld, cworld)
    client.force_login(cworld.recv_clerk)
    response = client.post(
        reverse("enforcement:endings_step", args=[cworld.case.pk, "terminate"]),
        {"ground": "withdrawn", "reason": "申请人撤回申请"},
    )
    assert response.status_code in (302, 400, 403)
    cworld.case.refresh_from_db()
    assert cworld.case.status == "in_progress"


def test_six_months_undone_the_panel_says_the_higher_court_may_take_over(client, eworld, cworld):
    import datetime

    import time_machine
    from django.utils import timezone

    commission = _commission(eworld, cworld)
    client.force_login(eworld.officer)
    detail = reverse("enforcement:detail", args=[cworld.case.pk])
    assert 'data-testid="commission-takeover"' not in client.get(detail).content.decode()
    later = timezone.now() + datetime.timedelta(days=200)
    with time_machine.travel(later, tick=False):
        client.force_login(eworld.officer)  # the session of 200 days ago has expired
        html = client.get(detail).content.decode()
        assert 'data-testid="commission-takeover"' in html
        assert commission.takeover_open
