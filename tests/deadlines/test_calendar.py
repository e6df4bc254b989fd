"""Working-day arithmetic across Spring Festival, National Day and 调休 weekends."""

import datetime

import pytest

from deadlines.calendar import WorkingCalendar, add_months, official_years

D = datetime.date


@pytest.fixture
def cal():
    return WorkingCalendar()


def test_package_knows_2024_to_2026():
    assert {2024, 2025, 2026} <= set(official_years())


@pytest.mark.parametrize(
    ("start", "amount", "due", "skipped"),
    [
        # 2024 Spring Festival: 2-10..2-17 off; Sun 2-04 and Sun 2-18 are working days.
        (D(2024, 2, 8), 3, D(2024, 2, 19), 8),
        (D(2024, 2, 2), 1, D(2024, 2, 4), 1),  # Sat 2-03 off, Sun 2-04 调休上班
        # 2025 Spring Festival: 1-28..2-04 off; Sun 1-26 and Sat 2-08 are working days.
        (D(2025, 1, 24), 3, D(2025, 2, 5), 9),
        (D(2025, 1, 27), 3, D(2025, 2, 7), 8),
        (D(2025, 2, 7), 1, D(2025, 2, 8), 0),  # Saturday 2-08 counts
        # 2024 National Day: 10-01..10-07 off; Sun 9-29 and Sat 10-12 working.
        (D(2024, 9, 27), 3, D(2024, 10, 8), 8),
        (D(2024, 10, 11), 1, D(2024, 10, 12), 0),
        # 2025 National Day + Mid-Autumn: 10-01..10-08 off; Sun 9-28 and Sat 10-11 working.
        (D(2025, 9, 26), 3, D(2025, 9, 30), 1),
        (D(2025, 9, 30), 3, D(2025, 10, 11), 8),
    ],
)
def test_add_working_days(cal, start, amount, due, skipped):
    result, days_off = cal.add_working_days(start, amount)
    assert result == due
    assert len(days_off) == skipped


def test_reasons_name_the_holiday_and_the_adjusted_weekend(cal):
    assert cal.day(D(2025, 1, 29)).reason == "春节"
    assert not cal.day(D(2025, 1, 29)).is_working
    info = cal.day(D(2025, 2, 8))
    assert info.is_working and info.reason == "春节调休上班"
    assert cal.day(D(2025, 10, 6)).reason in {"国庆节", "中秋"}  # 2025: National Day + Mid-Autumn
    assert cal.day(D(2025, 3, 1)).reason == "周末"


def test_roll_forward_over_national_day(cal):
    assert cal.roll_forward(D(2025, 10, 1))[0] == D(2025, 10, 9)
    assert cal.roll_forward(D(2025, 10, 10))[0] == D(2025, 10, 10)


def test_unknown_year_uses_weekdays_and_overrides(cal):
    year = max(official_years()) + 1
    monday = next(D(year, 2, d) for d in range(1, 8) if D(year, 2, d).weekday() == 0)
    assert cal.day(monday).source == "weekday_rule"
    override = WorkingCalendar({monday: (False, "春节")})
    info = override.day(monday)
    assert (info.is_working, info.reason, info.source) == (False, "春节", "override")


def test_add_months_takes_month_end_when_no_corresponding_day():
    assert add_months(D(2024, 8, 31), 6) == D(2025, 2, 28)
    assert add_months(D(2023, 8, 31), 6) == D(2024, 2, 29)
    assert add_months(D(2025, 1, 20), 6) == D(2025, 7, 20)
