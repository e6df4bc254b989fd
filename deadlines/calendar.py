"""Counting days the way Chinese procedure law counts them.

- Periods start the day after the start event (the start day is not counted).
- Working days follow the official calendar: weekends off, public holidays off, and the
  adjusted working weekends (调休) on. The `chinese_calendar` package carries the State
  Council's published schedule; for years it does not know yet, weekdays count as working
  days until an administrator enters the year's schedule as CalendarDay rows. Those rows
  override the package for any date.
- A period that ends on a day off ends on the next working day instead
  (期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期).

Every function returns the steps it took, so a deadline can explain itself.
"""

import calendar as stdlib_calendar
import datetime
from dataclasses import dataclass

import chinese_calendar

_WEEKDAY_NAMES = "一二三四五六日"


@dataclass(frozen=True)
class DayInfo:
    date: datetime.date
    is_working: bool
    reason: str  # 春节 / 周末 / 调休上班 / 管理员调整：… / ""
    source: str  # override | official | weekday_rule

    def as_dict(self) -> dict:
        return {
            "date": self.date.isoformat(),
            "working": self.is_working,
            "reason": self.reason,
            "source": self.source,
        }


def _holiday_chinese(name: str | None) -> str:
    if not name:
        return ""
    try:
        return chinese_calendar.Holiday(name).chinese
    except ValueError:
        return name


def official_years() -> range:
    """Years the installed chinese_calendar package has data for."""
    years = sorted({d.year for d in chinese_calendar.constants.holidays})
    return range(years[0], years[-1] + 1)


class WorkingCalendar:
    """Which days are working days. `overrides` maps a date to (is_working, name)."""

    def __init__(self, overrides: dict[datetime.date, tuple[bool, str]] | None = None):
        self.overrides = overrides or {}
        self._known = official_years()
        self.unknown_years: set[int] = set()

    @classmethod
    def load(cls) -> "WorkingCalendar":
        """The calendar with every administrator override (a few dozen rows a year)."""
        from .models import CalendarDay

        rows = CalendarDay.objects.values_list("date", "is_working_day", "name")
        return cls({d: (working, name) for d, working, name in rows})

    def day(self, date: datetime.date) -> DayInfo:
        if date in self.overrides:
            working, name = self.overrides[date]
            return DayInfo(date, working, name or "管理员调整", "override")
        weekend = date.weekday() >= 5
        if date.year in self._known:
            is_holiday, name = chinese_calendar.get_holiday_detail(date)
            if not is_holiday:
                reason = f"{_holiday_chinese(name)}调休上班" if weekend else ""
                return DayInfo(date, True, reason, "official")
            reason = _holiday_chinese(name) if name else "周末"
            return DayInfo(date, False, reason, "official")
        self.unknown_years.add(date.year)
        return DayInfo(date, not weekend, "周末" if weekend else "", "weekday_rule")

    def is_working_day(self, date: datetime.date) -> bool:
        return self.day(date).is_working

    def add_working_days(
        self, start: datetime.date, amount: int
    ) -> tuple[datetime.date, list[DayInfo]]:
        """The `amount`-th working day after `start`, and the days off skipped on the way."""
        skipped: list[DayInfo] = []
        current = start
        counted = 0
        while counted < amount:
            current += datetime.timedelta(days=1)
            info = self.day(current)
            if info.is_working:
                counted += 1
            else:
                skipped.append(info)
        return current, skipped

    def roll_forward(self, date: datetime.date) -> tuple[datetime.date, list[DayInfo]]:
        """`date` if it is a working day, else the first working day after it."""
        skipped: list[DayInfo] = []
        info = self.day(date)
        while not info.is_working:
            skipped.append(info)
            date += datetime.timedelta(days=1)
            info = self.day(date)
        return date, skipped


def add_months(start: datetime.date, months: int) -> datetime.date:
    """The corresponding day `months` later; the month's last day when there is none."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last = stdlib_calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(start.day, last))


def weekday_name(date: datetime.date) -> str:
    return f"星期{_WEEKDAY_NAMES[date.weekday()]}"
