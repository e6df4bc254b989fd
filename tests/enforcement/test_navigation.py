"""The enforcement menu entries: court staff only."""

import pytest

from common.navigation import items_for

WORKBENCH = "enforcement:workbench"
COURT_LIST = "enforcement:list"


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("officer", {WORKBENCH, COURT_LIST}),
        ("clerk", {COURT_LIST}),
        ("president", {COURT_LIST}),
        ("higher_supervisor", {COURT_LIST}),
        ("centre_supervisor", set()),
    ],
)
def test_menu_per_role(eworld, who, expected):
    names = {item["name"] for item in items_for(getattr(eworld, who))}
    assert names & {WORKBENCH, COURT_LIST} == expected


def test_a_street_centres_clerk_has_no_enforcement_menu(eworld):
    from organisations.roles import Role
    from tests.factories import member

    centre_clerk = member(eworld.centre, Role.CLERK, username="centre_clerk")
    names = {item["name"] for item in items_for(centre_clerk)}
    assert not names & {WORKBENCH, COURT_LIST}
