"""Issue 7: clocks, lateness, rounds, 改派, who is credited, who is told."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from cases import timelimits
from cases.models import Difficulty, Dispatch, DispatchStatus, DisputeEvent, DisputeStatus
from cases.services import (
    bundle_close,
    bundle_create,
    dispatch_accept,
    dispatch_answer,
    dispatch_hand_back,
    dispatch_redispatch,
    dispute_dispatch,
    dispute_refer,
    dispute_review_close,
    dispute_triage,
    rating_submit,
)
from common.statemachine import TransitionNotAllowed
from deadlines.models import Deadline
from deadlines.selectors import deadlines_for
from notifications.models import Notification
from organisations.roles import Role
from tests.factories import member

Kind = DisputeEvent.Kind


def _triaged(loop, dispute):
    dispute_triage(
        dispute=dispute,
        actor=loop.clerk,
        difficulty=Difficulty.COMPLEX,
        lead_organisation=loop.police,
    )
    return dispute


def _dispatched(loop, dispute, *responders):
    _triaged(loop, dispute)
    return dispute_dispatch(
        dispute=dispute,
        actor=loop.clerk,
        targets=[{"responder": r} for r in responders or (loop.police,)],
    )


def _clock(dispatch, kind):
    return deadlines_for(dispatch).get(kind=kind)


# --- 7: clocks cannot be bent -------------------------------------------------------------


def test_a_department_cannot_meet_or_cancel_its_clocks(loop, register, api_for, client_for):
    (dispatch,) = _dispatched(loop, register())
    clock = _clock(dispatch, timelimits.DISPATCH_ANSWER)
    api = api_for(loop.responder)
    assert api.get(f"/api/deadlines/{clock.pk}/").status_code == 200  # it is in their scope
    assert api.post(f"/api/deadlines/{clock.pk}/meet/").status_code in (404, 405)
    assert api.post(f"/api/deadlines/{clock.pk}/cancel/", {"reason": "x"}).status_code in (404, 405)
    paused = api.post(f"/api/deadlines/{clock.pk}/pause/", {"reason": "x"}, format="json")
    assert paused.status_code == 409  # the loop's clocks have no suspension
    client = client_for(loop.responder)
    client.post(reverse("deadlines:action", args=[clock.pk, "meet"]))
    client.post(reverse("deadlines:action", args=[clock.pk, "cancel"]), {"reason": "x"})
    clock.refresh_from_db()
    assert clock.state == Deadline.State.PENDING
    # the owning app's own step meets it
    dispatch_accept(dispatch=dispatch, actor=loop.responder)
    dispatch_answer(dispatch=dispatch, actor=loop.responder, answer="已处置。")
    clock.refresh_from_db()
    assert clock.state == Deadline.State.MET


def test_case_clock_extension_is_approved_by_the_owning_centres_supervisor_only(
    loop, register, api_for, client_for
):
    (dispatch,) = _dispatched(loop, register())
    clock = _clock(dispatch, timelimits.DISPATCH_ANSWER)
    police_chief = member(loop.police, Role.SUPERVISOR, username="police_chief")
    centre_head = member(loop.centre, Role.SUPERVISOR, username="centre_head")
    api = api_for(loop.responder)
    for not_the_authority in (police_chief, loop.supervisor, loop.clerk):
        refused = api.post(
            f"/api/deadlines/{clock.pk}/extend/",
            {"approver": not_the_authority.pk, "reason": "需现场勘验", "amount": 5},
            format="json",
        )
        assert refused.status_code == 400 and "approver" in refused.json()["fields"]
    asked = api.post(
        f"/api/deadlines/{clock.pk}/extend/",
        {"approver": centre_head.pk, "reason": "需现场勘验", "amount": 5},
        format="json",
    )
    assert asked.status_code == 201
    request_id = asked.json()["id"]
    approve = f"/api/deadline-extension-requests/{request_id}/approve/"
    assert api.post(approve).status_code == 403  # the asker
    assert api_for(loop.supervisor).post(approve).status_code == 403  # sees it, not named
    assert api_for(loop.outsider).post(approve).status_code == 404
    page = reverse("deadlines:extension_request_decide", args=[request_id, "approve"])
    assert client_for(loop.responder).post(page).status_code == 404
    clock.refresh_from_db()
    dispatch.refresh_from_db()
    before = dispatch.deadline
    assert clock.extensions.count() == 0 and clock.due_at == before
    client_for(centre_head).post(page, {"note": "同意延长"})
    clock.refresh_from_db()
    dispatch.refresh_from_db()
    assert clock.extensions.get().approved_by == centre_head
    assert clock.due_at > before and dispatch.deadline == clock.due_at
    assert AuditEntry.objects.filter(
        object_id=str(request_id), transition="approve", actor=centre_head
    ).exists()
    assert Notification.objects.filter(
        recipient=loop.responder, kind="deadline.extension_decided"
    ).exists()


# --- 8: lateness decided at the step ---------------------------------------------------


def test_late_acceptance_and_answer_are_recorded_at_the_step(loop, register, client_for):
    dispute = register()
    (dispatch,) = _dispatched(loop, dispute)
    accept_clock = _clock(dispatch, timelimits.DISPATCH_ACCEPT)
    # one minute after the acceptance due time: the sweep has not run yet
    with time_machine.travel(dispatch.accept_due_at + timedelta(minutes=1), tick=False):
        dispatch_accept(dispatch=dispatch, actor=loop.responder)
    dispatch.refresh_from_db()
    accept_clock.refresh_from_db()
    assert dispatch.accepted_late is True
    assert accept_clock.state == Deadline.State.MISSED
    event = dispute.events.get(kind=Kind.ACCEPTED)
    assert event.data["late"] is True
    with time_machine.travel(dispatch.deadline + timedelta(minutes=1), tick=False):
        dispatch_answer(dispatch=dispatch, actor=loop.responder, answer="已处置。")
    dispatch.refresh_from_db()
    assert dispatch.answered_late is True
    html = client_for(loop.clerk).get(reverse("cases:detail", args=[dispute.pk])).content.decode()
    assert 'data-testid="accepted-late"' in html and 'data-testid="answered-late"' in html
    assert 'data-testid="event-late"' in html
    own = client_for(loop.responder).get(reverse("cases:dispatch_detail", args=[dispatch.pk]))
    assert 'data-testid="accepted-late"' in own.content.decode()


def test_an_acceptance_in_time_is_not_late(loop, register):
    (dispatch,) = _dispatched(loop, register())
    dispatch_accept(dispatch=dispatch, actor=loop.responder)
    dispatch.refresh_from_db()
    assert dispatch.accepted_late is False
    assert _clock(dispatch, timelimits.DISPATCH_ACCEPT).state == Deadline.State.MET


# --- 9: rounds and 改派 -------------------------------------------------------------------


def _round_one_unsatisfied(loop, dispute):
    (police,) = _dispatched(loop, dispute)
    dispatch_accept(dispatch=police, actor=loop.responder)
    dispatch_answer(dispatch=police, actor=loop.responder, answer="第一轮答卷。")
    dispute.refresh_from_db()
    dispute, token = dispute_review_close(dispute=dispute, actor=loop.clerk)
    rating_submit(token=token, score=1, comment="没有解决")
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.REOPENED and dispute.round == 2
    return police


def test_round_two_may_dispatch_to_a_unit_used_in_round_one(loop, register):
    dispute = register()
    _round_one_unsatisfied(loop, dispute)
    _triaged(loop, dispute)
    (again,) = dispute_dispatch(
        dispute=dispute, actor=loop.clerk, targets=[{"responder": loop.police}]
    )
    assert again.round == 2 and again.status == DispatchStatus.PENDING
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.DISPATCHED


def test_a_round_one_answer_does_not_close_round_two(loop, register):
    dispute = register()
    _round_one_unsatisfied(loop, dispute)
    _triaged(loop, dispute)
    (heating,) = dispute_dispatch(
        dispute=dispute, actor=loop.clerk, targets=[{"responder": loop.heating}]
    )
    dispatch_hand_back(dispatch=heating, actor=loop.heating_user, reason="不属于供热问题")
    dispute.refresh_from_db()
    # nobody is left in this round: back to the centre, not "all answered"
    assert dispute.status == DisputeStatus.TRIAGED


def test_redispatch_after_hand_back(loop, register, api_for, client_for):
    dispute = register()
    (heating, police) = _dispatched(loop, dispute, loop.heating, loop.police)
    dispatch_hand_back(dispatch=heating, actor=loop.heating_user, reason="不属于供热问题")
    # a responder cannot re-dispatch
    with pytest.raises(TransitionNotAllowed):
        dispatch_redispatch(dispatch=heating, actor=loop.responder, responder=loop.community)
    # the page offers 改派 to the centre and sends it on
    client = client_for(loop.clerk)
    html = client.get(reverse("cases:detail", args=[dispute.pk])).content.decode()
    assert f'data-testid="redispatch-form-{heating.pk}"' in html
    response = client.post(
        reverse("cases:dispatch_redispatch", args=[heating.pk]),
        {"responder": loop.community.pk, "instructions": "请社区先行调处"},
    )
    assert response.status_code == 302
    new = Dispatch.objects.get(redispatched_from=heating)
    assert new.responder == loop.community and new.status == DispatchStatus.PENDING
    assert new.round == dispute.round and new.dispatched_by == loop.clerk
    assert {d.kind for d in deadlines_for(new)} == {
        timelimits.DISPATCH_ACCEPT,
        timelimits.DISPATCH_ANSWER,
    }
    event = dispute.events.get(kind=Kind.REDISPATCHED)
    assert event.dispatch == new and event.organisation == loop.centre
    assert AuditEntry.objects.filter(
        object_id=str(dispute.pk), transition="redispatch", actor=loop.clerk
    ).exists()
    # once only
    again = api_for(loop.clerk).post(
        f"/api/cases/dispatches/{heating.pk}/redispatch/",
        {"responder": loop.police.pk},
        format="json",
    )
    assert again.status_code == 409
    html = client.get(reverse("cases:detail", args=[dispute.pk])).content.decode()
    assert f'data-testid="redispatch-form-{heating.pk}"' not in html and "改派" in html


def test_redispatch_through_the_api_when_everybody_handed_back(loop, register, api_for):
    dispute = register()
    (heating,) = _dispatched(loop, dispute, loop.heating)
    dispatch_hand_back(dispatch=heating, actor=loop.heating_user, reason="不属于供热问题")
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.TRIAGED
    url = f"/api/cases/dispatches/{heating.pk}/redispatch/"
    assert api_for(loop.clerk).post(url, {}, format="json").status_code == 400
    same = api_for(loop.clerk).post(url, {"responder": loop.heating.pk}, format="json")
    assert same.status_code == 400 and "responder" in same.json()["fields"]
    response = api_for(loop.clerk).post(url, {"responder": loop.police.pk}, format="json")
    assert response.status_code == 201
    assert response.json()["redispatched_from"] == heating.pk
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.DISPATCHED


# --- 10: steps credited to the unit that acted ------------------------------------------


def test_steps_are_credited_to_the_acting_organisation_and_system_steps_to_the_system(
    loop, register, client_for, api_for
):
    dispute = register(organisation=loop.community, actor=loop.grid)
    (police, heating) = _dispatched(loop, dispute, loop.police, loop.heating)
    for dispatch, user in ((police, loop.responder), (heating, loop.heating_user)):
        dispatch_accept(dispatch=dispatch, actor=user)
        dispatch_answer(dispatch=dispatch, actor=user, answer="已处置。")
    events = {e.kind: e for e in dispute.events.all()}
    assert events[Kind.REGISTERED].organisation == loop.community
    assert events[Kind.TRIAGED].organisation == loop.centre  # not 团结社区居委会
    assert events[Kind.DISPATCHED].organisation == loop.centre  # not the police station
    assert events[Kind.ACCEPTED].organisation == loop.heating
    all_answered = events[Kind.ALL_ANSWERED]
    assert all_answered.actor is None and all_answered.organisation is None
    assert all_answered.actor_name == ""
    audit = AuditEntry.objects.get(object_id=str(dispute.pk), transition="all_answered")
    assert audit.actor is None and audit.actor_name == "系统"
    html = client_for(loop.clerk).get(reverse("cases:detail", args=[dispute.pk])).content.decode()
    assert "系统" in html
    timeline = api_for(loop.clerk).get(f"/api/cases/disputes/{dispute.pk}/timeline/").json()
    row = next(e for e in timeline if e["kind"] == "all_answered")
    assert row["actor_display"] == "系统" and row["organisation"] is None
    triaged = next(e for e in timeline if e["kind"] == "triaged")
    assert triaged["organisation_name"] == loop.centre.name


# --- 11: who is told -------------------------------------------------------------------------


def test_the_centre_hears_accept_answer_and_hand_back_and_the_notice_names_the_dispatcher(
    loop, register
):
    dispute = register(organisation=loop.community, actor=loop.grid)
    (police, heating) = _dispatched(loop, dispute, loop.police, loop.heating)
    notice = Notification.objects.get(recipient=loop.responder, kind="cases.dispatched")
    assert loop.centre.name in notice.body and loop.community.name not in notice.body
    dispatch_accept(dispatch=police, actor=loop.responder)
    dispatch_answer(dispatch=police, actor=loop.responder, answer="民警已调解。")
    dispatch_hand_back(dispatch=heating, actor=loop.heating_user, reason="不属于供热问题")
    kinds = set(Notification.objects.filter(recipient=loop.clerk).values_list("kind", flat=True))
    assert {"cases.accepted", "cases.dispatch_answered", "cases.handed_back"} <= kinds
    answered = Notification.objects.get(recipient=loop.clerk, kind="cases.dispatch_answered")
    assert "民警已调解" in answered.body and loop.police.name in answered.title
    assert not Notification.objects.filter(recipient=loop.responder, kind="cases.accepted")


def test_the_reporter_hears_the_outcome(loop, register):
    dispute = register(organisation=loop.community, actor=loop.grid)
    (police,) = _dispatched(loop, dispute)
    dispatch_accept(dispatch=police, actor=loop.responder)
    dispatch_answer(dispatch=police, actor=loop.responder, answer="已调解。")
    dispute.refresh_from_db()
    dispute, token = dispute_review_close(dispute=dispute, actor=loop.clerk)
    rating_submit(token=token, score=5, comment="满意")
    titles = list(
        Notification.objects.filter(recipient=loop.grid, kind="cases.outcome").values_list(
            "title", flat=True
        )
    )
    assert any("已化解" in t for t in titles) and any("已销号" in t for t in titles)
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.CLOSED and dispute.closed_at <= timezone.now()


def test_referring_or_closing_by_bundle_closes_the_loops_clocks(loop, register):
    referred = register()
    dispute_refer(dispute=referred, actor=loop.clerk, target="court", note="移交法院")
    assert deadlines_for(referred).get(kind=timelimits.TRIAGE).state == Deadline.State.CANCELLED
    bundled = register(facts="楼道堆物")
    (dispatch,) = _dispatched(loop, bundled)
    bundle = bundle_create(
        organisation=loop.centre, actor=loop.clerk, title="堆物", disputes=[bundled]
    )
    bundle_close(bundle=bundle, actor=loop.clerk, result="统一清理完毕")
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.WITHDRAWN
    assert {d.state for d in deadlines_for(dispatch)} == {Deadline.State.CANCELLED}
