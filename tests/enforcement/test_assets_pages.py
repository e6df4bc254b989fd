"""The assets page and the case page's assets panel: what they show, the officer's steps
through forms (bad input re-rendered with errors, refusals as messages), the next steps,
and a constant number of queries whatever the case holds."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enforcement.models import AssetControl, AssetInquiry, ControlStatus
from enforcement.panels import next_steps_for, panels_for
from enforcement.services.clues import clue_record
from enforcement.services.controls import control_freeze, control_seize

from .assets_fixtures import findings_of, inquire_now, script_story5, story5_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(eworld):
    case = story5_case(eworld)
    script_story5(timezone.localdate(), alipay_after_days=10)
    return case


def _url(case):
    return reverse("enforcement:assets", args=[case.pk])


def test_page_and_outsider(eworld, story, client_for):
    page = client_for(eworld.officer).get(_url(story))
    assert page.status_code == 200
    assert "尚未发起网络查控" in page.content.decode()
    assert client_for(eworld.outsider).get(_url(story)).status_code == 404
    assert client_for(eworld.centre_supervisor).get(_url(story)).status_code == 404
    post = client_for(eworld.outsider).post(reverse("enforcement:inquiry_start", args=[story.pk]))
    assert post.status_code == 404 and not AssetInquiry.objects.exists()


def test_officer_inquires_freezes_and_is_told_when_to_deduct(eworld, story, client_for):
    from enforcement.inquiry.runner import run

    client = client_for(eworld.officer)
    response = client.post(reverse("enforcement:inquiry_start", args=[story.pk]), {"debtor": ""})
    assert response.status_code == 302
    inquiry = AssetInquiry.objects.get(case=story)
    running = client.get(_url(story), HTTP_HX_REQUEST="true", data={"fragment": "inquiries"})
    assert 'hx-trigger="every 2s"' in running.content.decode()
    assert "已反馈 0 / 1" in running.content.decode()
    run(inquiry_ids=[inquiry.pk])
    page = client.get(_url(story)).content.decode()
    assert "发现财产 3 项（新发现 3 项）" in page and "every 2s" not in page
    bank = findings_of(inquiry, "bank_account")[0]
    action = reverse("enforcement:finding_control", args=[story.pk, bank.pk])
    bad = client.post(action, {"measure": "freeze", "amount": "999999.00"})
    assert bad.status_code == 400
    assert "冻结金额不能超过账户余额" in bad.content.decode()
    ok = client.post(action, {"measure": "freeze", "amount": str(bank.balance)})
    assert ok.status_code == 302
    control = AssetControl.objects.get(case=story)
    deduct = reverse("enforcement:control_step", args=[story.pk, control.pk, "deduct"])
    early = client.post(deduct, {"amount": str(bank.balance)}, follow=True)
    assert f"{control.deductible_on.isoformat()} 起方可扣划" in early.content.decode()
    renew = reverse("enforcement:control_step", args=[story.pk, control.pk, "renew"])
    too_long = client.post(renew, {"months": "13"})
    assert too_long.status_code == 400 and "原期限" in too_long.content.decode()
    moment = timezone.make_aware(datetime.datetime.combine(control.deductible_on, datetime.time(9)))
    with time_machine.travel(moment):
        client.force_login(eworld.officer)  # the session of 16 days ago has expired
        done = client.post(deduct, {"amount": str(bank.balance)}, follow=True)
    assert "已扣划" in done.content.decode(), [str(m) for m in done.context["messages"]]
    control.refresh_from_db()
    assert control.status == ControlStatus.DEDUCTED
    assert client.post(reverse("enforcement:control_step", args=[story.pk, control.pk, "fly"]),
                       {}).status_code == 404  # fmt: skip


def test_clue_form(eworld, story, client_for):
    client = client_for(eworld.clerk)
    url = reverse("enforcement:clue_record", args=[story.pk])
    bad = client.post(url, {"kind": "vehicle", "description": ""})
    assert bad.status_code == 400 and 'data-testid="error-description"' in bad.content.decode()
    assert (
        client.post(url, {"kind": "vehicle", "description": "白色轿车", "urgent": "on"}).status_code
        == 302
    )
    clue = story.asset_clues.get()
    assert clue.urgent
    check = reverse("enforcement:clue_check", args=[story.pk, clue.pk])
    assert client.post(check, {"found": "1", "result": ""}).status_code == 400
    assert client.post(check, {"found": "1", "result": "属实"}).status_code == 302
    clue.refresh_from_db()
    assert clue.status == "confirmed"


def test_panel_and_next_steps(eworld, story):
    today = timezone.localdate()
    assert "发起网络查控" in next_steps_for(story)
    inquiry = inquire_now(story, eworld.officer)
    banks = findings_of(inquiry, "bank_account")
    control = control_freeze(case=story, actor=eworld.officer, finding=banks[0],
                             amount=banks[0].balance, months=1)  # fmt: skip
    clue_record(case=story, actor=eworld.clerk, kind="vehicle", description="车", urgent=True)
    # the assets part's steps (the notices' come first, in the law's order)
    steps = [s for s in next_steps_for(story) if not s.startswith(("发出", "送达"))]
    assert f"可扣划（{control.deductible_on}）" in steps
    assert not any(s.startswith("续冻") for s in steps)  # not yet in the reminder window
    assert any(s.startswith("核查线索（") for s in steps)
    assert steps[0].startswith("核查线索")  # the soonest first
    near = timezone.make_aware(
        datetime.datetime.combine(
            control.expires_on - datetime.timedelta(days=20), datetime.time(9)
        )
    )
    with time_machine.travel(near):
        assert f"续冻（{control.expires_on}到期）" in next_steps_for(story)
    ((panel, data),) = [(p, d) for p, d in panels_for(story, eworld.officer) if p.key == "assets"]
    html = render_to_string(panel.template, {**data})
    assert "财产查控" in html and "已冻结" in html and str(control.expires_on) in html
    assert today.isoformat() in html


def test_panel_queries_do_not_grow(eworld, story):
    inquire_now(story, eworld.officer)

    def measure():
        ((panel, data),) = [
            (p, d) for p, d in panels_for(story, eworld.officer) if p.key == "assets"
        ]
        with CaptureQueriesContext(connection) as ctx:
            data = panel.context(story, eworld.officer)
            render_to_string(panel.template, data)
            next_steps_for(story)
        return len(ctx)

    small = measure()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=12)):
        for _ in range(3):
            inquiry = inquire_now(story, eworld.officer)
        for finding in findings_of(inquiry):
            control_freeze(case=story, actor=eworld.officer, finding=finding, amount="1.00")
        for n in range(4):
            clue_record(case=story, actor=eworld.clerk, kind="vehicle", description=f"车{n}")

        big = measure()
    assert big <= small + 2  # a list that was empty now has rows (clue clocks), no more
    assert control_seize  # (imported for readers: seize is tested in test_assets_controls)
