"""The state-machine helper: transitions as data, guards, roles, refusal messages, offered actions.
Applying a transition (row lock, audit entry, nothing half-applied) is tested through the
workflows that use it (tests/cases/)."""

from types import SimpleNamespace

import pytest
from django.db import models

from common.statemachine import StateMachine, Transition


class Light(models.TextChoices):
    RED = "red", "红灯"
    GREEN = "green", "绿灯"
    BROKEN = "broken", "故障"


def _machine():
    return StateMachine(
        state_field="state",
        states=Light,
        transitions=[
            Transition("go", "放行", sources=(Light.RED,), target=Light.GREEN),
            Transition(
                "stop",
                "停止",
                sources=(Light.GREEN,),
                target=Light.RED,
                guard=lambda light: "行人未过完" if light.pedestrians else None,
            ),
            Transition(
                "repair",
                "维修",
                sources=(Light.BROKEN,),
                target=Light.RED,
                roles=frozenset({"engineer"}),
            ),
        ],
        roles_of=lambda obj, user: user.roles,
    )


def test_unknown_states_are_refused_when_declaring():
    with pytest.raises(ValueError, match="unknown states"):
        StateMachine(
            state_field="state",
            states=Light,
            transitions=[Transition("fly", "起飞", sources=("red",), target="sky")],
        )


def test_refusal_names_the_current_state_and_action():
    light = SimpleNamespace(state=Light.GREEN, pedestrians=0)
    assert _machine().refusal(light, "go") == "当前状态为“绿灯”，不能执行“放行”。"


def test_guard_reason_is_the_refusal():
    light = SimpleNamespace(state=Light.GREEN, pedestrians=3)
    assert _machine().refusal(light, "stop") == "行人未过完"


def test_roles_limit_who_may_apply():
    light = SimpleNamespace(state=Light.BROKEN, pedestrians=0)
    clerk = SimpleNamespace(roles={"clerk"})
    engineer = SimpleNamespace(roles={"engineer"})
    assert "无权" in _machine().refusal(light, "repair", clerk)
    assert _machine().refusal(light, "repair", engineer) is None


def test_available_offers_only_what_may_be_applied():
    machine = _machine()
    user = SimpleNamespace(roles=set())
    assert [t.name for t in machine.available(SimpleNamespace(state="red"), user)] == ["go"]
    green = SimpleNamespace(state="green", pedestrians=1)
    assert machine.available(green, user) == []


def test_unknown_transition_is_refused():
    assert "未知操作" in _machine().refusal(SimpleNamespace(state="red"), "jump")
