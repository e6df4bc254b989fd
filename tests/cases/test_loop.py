"""Every step of the loop, and the illegal ones refused with a message that says why."""

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEntry
from cases.models import Difficulty, DispatchStatus, DisputeEvent, DisputeStatus
from cases.services import (
    bundle_add,
    bundle_close,
    bundle_create,
    bundle_escalate,
    dispatch_accept,
    dispatch_answer,
    dispatch_hand_back,
    dispute_close,
    dispute_dispatch,
    dispute_refer,
    dispute_review_close,
    dispute_send_back,
    dispute_triage,
    rating_submit,
)
from cases.states import dispute_actions
from common.statemachine import TransitionNotAllowed

Kind = DisputeEvent.Kind


def _to_answered(loop, dispute):
    dispute_triage(
        dispute=dispute,
        actor=loop.clerk,
        difficulty=Difficulty.COMPLEX,
        lead_organisation=loop.police,
    )
    (dispatch,) = dispute_dispatch(
        dispute=dispute, actor=loop.clerk, targets=[{"responder": loop.police}]
    )
    dispatch_accept(dispatch=dispatch, actor=loop.responder)
    dispatch_answer(dispatch=dispatch, actor=loop.responder, answer="已上门调解，双方达成一致。")
    dispute.refresh_from_db()
    return dispatch


def test_full_loop_satisfied(loop, register):
    dispute = register()
    assert dispute.status == DisputeStatus.REGISTERED
    dispute_triage(
        dispute=dispute,
        actor=loop.clerk,
        difficulty=Difficulty.COMPLEX,
        lead_organisation=loop.police,
    )
    assert dispute.status == DisputeStatus.TRIAGED and dispute.due_at is not None
    dispatches = dispute_dispatch(
        dispute=dispute,
        actor=loop.clerk,
        targets=[{"responder": loop.police}, {"responder": loop.heating}],
    )
    assert dispute.status == DisputeStatus.DISPATCHED
    police, heating = dispatches
    assert police.is_lead and not heating.is_lead
    dispatch_accept(dispatch=police, actor=loop.responder)
    assert police.status == DispatchStatus.ACCEPTED and police.accepted_at is not None
    dispatch_answer(dispatch=police, actor=loop.responder, answer="民警上门调解。")
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.DISPATCHED  # heating has not answered yet
    dispatch_accept(dispatch=heating, actor=loop.heating_user)
    dispatch_answer(dispatch=heating, actor=loop.heating_user, answer="已检修管道。")
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.ANSWERED
    dispute, token = dispute_review_close(dispute=dispute, actor=loop.clerk)
    assert dispute.status == DisputeStatus.RESOLVED and dispute.resolved_at
    rating_submit(token=token, score=5, comment="很满意")
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.CLOSED and dispute.closed_at
    kinds = list(dispute.events.values_list("kind", flat=True))
    assert kinds == [
        Kind.REGISTERED,
        Kind.TRIAGED,
        Kind.DISPATCHED,
        Kind.DISPATCHED,
        Kind.ACCEPTED,
        Kind.ANSWERED,
        Kind.ACCEPTED,
        Kind.ANSWERED,
        Kind.ALL_ANSWERED,
        Kind.CLOSED_RESOLVED,
        Kind.RATED,
        Kind.CLOSED,
    ]
    accepted = dispute.events.filter(kind=Kind.ACCEPTED).first()
    assert "seconds_to_accept" in accepted.data
    triage = AuditEntry.objects.get(transition="triage", object_id=str(dispute.pk))
    assert triage.transition_label == "研判"
    assert triage.changes["status"]["before"] != triage.changes["status"]["after"]


def test_unsatisfied_rating_reopens(loop, register):
    dispute = register()
    _to_answered(loop, dispute)
    dispute, token = dispute_review_close(dispute=dispute, actor=loop.clerk)
    rating_submit(token=token, score=1, comment="问题没有解决")
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.REOPENED
    assert dispute.resolved_at is None
    # the loop starts again: triage is offered
    assert "triage" in [t.name for t in dispute_actions(dispute, loop.clerk)]


def test_send_back_reopens_answered_dispatches(loop, register):
    dispute = register()
    dispatch = _to_answered(loop, dispute)
    dispute_send_back(dispute=dispute, actor=loop.clerk, reason="未附现场照片")
    dispatch.refresh_from_db()
    assert dispute.status == DisputeStatus.DISPATCHED
    assert dispatch.status == DispatchStatus.ACCEPTED
    dispatch_answer(dispatch=dispatch, actor=loop.responder, answer="补充照片。")
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.ANSWERED


def test_send_back_needs_reason(loop, register):
    dispute = register()
    _to_answered(loop, dispute)
    with pytest.raises(ValidationError):
        dispute_send_back(dispute=dispute, actor=loop.clerk, reason=" ")


def test_hand_back_returns_to_centre_when_nobody_left(loop, register):
    dispute = register()
    dispute_triage(dispute=dispute, actor=loop.clerk, difficulty=Difficulty.SIMPLE)
    assert dispute.lead_organisation == loop.centre
    (dispatch,) = dispute_dispatch(
        dispute=dispute, actor=loop.clerk, targets=[{"responder": loop.heating}]
    )
    with pytest.raises(ValidationError):
        dispatch_hand_back(dispatch=dispatch, actor=loop.heating_user, reason="")
    dispatch_hand_back(dispatch=dispatch, actor=loop.heating_user, reason="不属于供热问题")
    dispute.refresh_from_db()
    assert dispatch.status == DispatchStatus.HANDED_BACK
    assert dispute.status == DisputeStatus.TRIAGED
    # and it can be dispatched again to someone else
    dispute_dispatch(dispute=dispute, actor=loop.clerk, targets=[{"responder": loop.police}])


def test_triage_rules_by_difficulty(loop, register):
    dispute = register()
    with pytest.raises(ValidationError) as info:
        dispute_triage(dispute=dispute, actor=loop.clerk, difficulty=Difficulty.COMPLEX)
    assert "lead_organisation" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        dispute_triage(dispute=dispute, actor=loop.clerk, difficulty=Difficulty.MAJOR)
    assert "coordinator" in info.value.message_dict
    with time_machine.travel("2026-03-02 09:00 +0800", tick=False):
        dispute_triage(
            dispute=dispute,
            actor=loop.clerk,
            difficulty=Difficulty.MAJOR,
            coordinator=loop.supervisor,
        )
        assert (dispute.due_at - timezone.now()).days == 30


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ("dispatch", "当前状态为“待研判”，不能执行“吹哨”。"),
        ("review", "当前状态为“待研判”，不能执行“交卷·确认化解”。"),
        ("close", "当前状态为“待研判”，不能执行“销号”。"),
    ],
)
def test_illegal_transitions_refused_with_message(loop, register, step, message):
    dispute = register()
    with pytest.raises(TransitionNotAllowed) as info:
        if step == "dispatch":
            dispute_dispatch(
                dispute=dispute, actor=loop.clerk, targets=[{"responder": loop.police}]
            )
        elif step == "review":
            dispute_review_close(dispute=dispute, actor=loop.clerk)
        else:
            dispute_close(dispute=dispute, actor=loop.clerk, note="x")
    assert info.value.message == message
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.REGISTERED


def test_responder_cannot_triage_and_grid_worker_cannot_dispatch(loop, register):
    dispute = register(organisation=loop.community, actor=loop.grid)
    with pytest.raises(TransitionNotAllowed) as info:
        dispute_triage(dispute=dispute, actor=loop.grid, difficulty=Difficulty.SIMPLE)
    assert "角色无权" in info.value.message
    dispute_triage(
        dispute=dispute, actor=loop.clerk, difficulty=Difficulty.SIMPLE
    )  # the centre above can
    assert dispute.status == DisputeStatus.TRIAGED


def test_other_responder_cannot_accept(loop, register):
    dispute = register()
    dispute_triage(dispute=dispute, actor=loop.clerk, difficulty=Difficulty.SIMPLE)
    (dispatch,) = dispute_dispatch(
        dispute=dispute, actor=loop.clerk, targets=[{"responder": loop.police}]
    )
    with pytest.raises(TransitionNotAllowed):
        dispatch_accept(dispatch=dispatch, actor=loop.heating_user)
    with pytest.raises(TransitionNotAllowed) as info:
        dispatch_answer(dispatch=dispatch, actor=loop.responder, answer="x")
    assert "待应哨" in info.value.message
    dispatch_accept(dispatch=dispatch, actor=loop.responder)
    with pytest.raises(TransitionNotAllowed):
        dispatch_accept(dispatch=dispatch, actor=loop.responder)


def test_dispatch_twice_to_same_responder_refused(loop, register):
    dispute = register()
    dispute_triage(dispute=dispute, actor=loop.clerk, difficulty=Difficulty.SIMPLE)
    dispute_dispatch(dispute=dispute, actor=loop.clerk, targets=[{"responder": loop.police}])
    with pytest.raises(ValidationError):
        dispute_dispatch(dispute=dispute, actor=loop.clerk, targets=[{"responder": loop.police}])


def test_close_without_rating_and_refer(loop, register):
    dispute = register()
    _to_answered(loop, dispute)
    dispute, _token = dispute_review_close(dispute=dispute, actor=loop.clerk)
    dispute_close(dispute=dispute, actor=loop.clerk, note="当事人电话无法接通，回访三次")
    assert dispute.status == DisputeStatus.CLOSED
    other = register(facts="借款三万元到期未还")
    dispute_refer(dispute=other, actor=loop.clerk, target="mediation", note="转人民调解")
    assert other.status == DisputeStatus.REFERRED
    assert other.events.filter(kind=Kind.REFERRED).exists()


def test_bundle_close_closes_members_with_one_audit_entry_each(loop, register):
    members = [register(facts=f"楼道飞线充电隐患，第{i}栋") for i in range(3)]
    bundle = bundle_create(
        organisation=loop.centre, actor=loop.clerk, title="飞线充电", disputes=members
    )
    bundle_escalate(bundle=bundle, actor=loop.clerk, escalated_to=loop.police, note="统筹推进")
    before = AuditEntry.objects.filter(transition="close_by_bundle").count()
    bundle_close(bundle=bundle, actor=loop.clerk, result="统一安装充电桩")
    for dispute in members:
        dispute.refresh_from_db()
        assert dispute.status == DisputeStatus.CLOSED and dispute.closed_at and dispute.resolved_at
        assert dispute.events.filter(kind=Kind.ESCALATED).exists()
    assert AuditEntry.objects.filter(transition="close_by_bundle").count() - before == 3


def test_bundling_and_escalating_cost_no_query_per_member_for_its_organisation(loop, register):
    """Each member costs its own writes (save, audit entry, timeline step), nothing more."""

    def cost(n):
        members = [register(facts=f"楼道堆物，第{i}栋") for i in range(n)]
        bundle = bundle_create(organisation=loop.centre, actor=loop.clerk, title=f"堆物{n}")
        with CaptureQueriesContext(connection) as adding:
            bundle_add(bundle=bundle, actor=loop.clerk, disputes=members)
        with CaptureQueriesContext(connection) as escalating:
            bundle_escalate(bundle=bundle, actor=loop.clerk, escalated_to=loop.police)
        return len(adding), len(escalating)

    (add_one, escalate_one), (add_three, escalate_three) = cost(1), cost(3)
    assert (add_three - add_one) / 2 == 3  # save, audit entry, timeline step
    assert (escalate_three - escalate_one) / 2 == 1  # timeline step
