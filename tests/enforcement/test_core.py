"""The case's core: numbers in both eras and bracket forms, scope by court, the workflow."""

import pytest

from common.statemachine import TransitionNotAllowed
from enforcement.models import CaseStatus, EnforcementCase
from enforcement.numbers import case_number_normalise, case_number_parse
from enforcement.selectors import case_get_for_user, enforcement_scope
from enforcement.states import case_machine

from .conftest import make_case


@pytest.mark.parametrize(
    ("text", "year", "court", "case_type", "sequence", "pre_2016"),
    [
        ("（2026）蒙0302执123号", 2026, "蒙0302", "执", 123, False),
        ("(2026)蒙0302执恢12号", 2026, "蒙0302", "执恢", 12, False),
        ("〔2025〕蒙03执复7号", 2025, "蒙03", "执复", 7, False),
        ("（2025）蒙执5号", 2025, "蒙", "执", 5, False),
        ("（2015）杭下执民字第2741号", 2015, "杭下", "执民字", 2741, True),
        ("( 2015 )杭下执民字第２７４１号", 2015, "杭下", "执民字", 2741, True),
        ("（2014）民勤民初字第35号", 2014, "民勤", "民初字", 35, True),
    ],
)
def test_case_numbers_read_in_every_form(text, year, court, case_type, sequence, pre_2016):
    number = case_number_parse(text)
    assert (number.year, number.court_code, number.case_type, number.sequence) == (
        year, court, case_type, sequence,
    )  # fmt: skip
    assert number.pre_2016 is pre_2016
    assert case_number_normalise(str(number)) == case_number_normalise(text)


def test_not_a_case_number():
    assert case_number_parse("借款合同纠纷") is None
    assert case_number_parse("（2026）蒙0302执号") is None


def test_number_key_lets_ascii_brackets_find_the_case(eworld):
    case = make_case(eworld.court, eworld.clerk)
    key = case_number_normalise(case.case_number.replace("（", "(").replace("）", ")"))
    assert EnforcementCase.objects.get(case_number_key=key) == case


def test_court_scope(eworld, case):
    assert case_get_for_user(eworld.clerk, case.pk) == case
    assert case_get_for_user(eworld.higher_supervisor, case.pk) == case
    for stranger in (eworld.outsider, eworld.centre_supervisor):
        assert not enforcement_scope(stranger).filter(pk=case.pk).exists()


def test_illegal_transition_refused_and_nothing_changes(eworld, case):
    with pytest.raises(TransitionNotAllowed):
        case_machine.apply(case, "assign", actor=eworld.clerk)
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS


def test_outsider_may_not_suspend(eworld, case):
    with pytest.raises(TransitionNotAllowed):
        case_machine.apply(case, "suspend", actor=eworld.centre_supervisor)
    case_machine.apply(case, "suspend", actor=eworld.officer, note="再审")
    case.refresh_from_db()
    assert case.status == CaseStatus.SUSPENDED
