"""Counting days the way Chinese procedure law counts them.

- Periods start the day after the start event (the start day is not counted).
- Working days follow the official calendar: weekends off, public holidays off, and the
  adjusted working weekends (调休) on. The `chinese_calendar` package carries the State
  Council's published schedule. For a year it does not know yet, the statutory holidays of
  《全国年节及纪念日放假办法》 (2025 text) are still certain — 元旦, 春节 (除夕 and 初一–初三),
  清明, 劳动节 (1–2 May), 端午, 中秋, 国庆节 (1–3 Oct) — and weekends are off; what only the
  notice says (调休 working weekends, bridging days, 补假 for a holiday on a weekend) is not,
  so a count over such a year is provisional until an administrator enters the notice as
  CalendarDay rows and marks the year confirmed (CalendarYear). CalendarDay rows override
  everything else for their date.
- A period that ends on a day off ends on the next working day instead
  (期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期).

Every function returns the steps it took, so a deadline can explain itself.
"""

import calendar as stdlib_calendar
import copy
import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass

import chinese_calendar
from lunardate import LunarDate

_WEEKDAY_NAMES = "一二三四五六日"

# The 2025 text of 《全国年节及纪念日放假办法》 (State Council decision of 2024-11-10) applies
# from 2025; every earlier year is in chinese_calendar, so no older text is needed.
STATUTORY_RULES_FROM = 2025
# lunardate and chinese_calendar's solar terms stop at 2099: later, fixed-date holidays only.
LUNAR_TABLES_END = 2100


@dataclass(frozen=True)
class DayInfo:
    date: datetime.date
    is_working: bool
    reason: str  # 春节 / 周末 / 调休上班 / 管理员调整：… / ""
    source: str  # override | official | statutory | weekday_rule

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


@functools.cache
def statutory_holidays(year: int) -> dict[datetime.date, str]:
    """The days off 《全国年节及纪念日放假办法》 fixes for every citizen in `year` (2025 text),
    by date, named as chinese_calendar names them. Lunar dates come from `lunardate`, 清明
    (a solar term) from chinese_calendar. Empty before the 2025 text applies."""
    if year < STATUTORY_RULES_FROM:
        return {}
    days: dict[datetime.date, list[str]] = {}

    def add(date: datetime.date, name: str) -> None:
        days.setdefault(date, []).append(name)

    add(datetime.date(year, 1, 1), "元旦")
    for day in (1, 2):
        add(datetime.date(year, 5, day), "劳动节")
    if year < LUNAR_TABLES_END:
        new_year = LunarDate(year, 1, 1).to_solar_date()
        for offset in range(-1, 3):  # 除夕 and 正月初一至初三
            add(new_year + datetime.timedelta(days=offset), "春节")
        april_terms = chinese_calendar.get_solar_terms(
            datetime.date(year, 4, 1), datetime.date(year, 4, 30)
        )
        add(next(date for date, term in april_terms if term == "清明"), "清明")
        add(LunarDate(year, 5, 5).to_solar_date(), "端午")
        add(LunarDate(year, 8, 15).to_solar_date(), "中秋")
    for day in (1, 2, 3):
        add(datetime.date(year, 10, day), "国庆节")
    return {date: "、".join(names) for date, names in sorted(days.items())}


class WorkingCalendar:
    """Which days are working days. `overrides` maps a date to (is_working, name);
    `confirmed_years` are years whose notice an administrator has entered and confirmed.

    `unknown_years` collects the years this calendar answered for without the official
    schedule; `compute` works on a `fork()` so each explanation notes only its own."""

    def __init__(
        self,
        overrides: dict[datetime.date, tuple[bool, str]] | None = None,
        confirmed_years: Iterable[int] = (),
    ):
        self.overrides = overrides or {}
        self.confirmed_years = frozenset(confirmed_years)
        self._known = official_years()
        self.unknown_years: set[int] = set()

    @classmethod
    def load(cls) -> "WorkingCalendar":
        """The calendar with every administrator override (a few dozen rows a year)."""
        from .models import CalendarDay, CalendarYear

        rows = CalendarDay.objects.values_list("date", "is_working_day", "name")
        confirmed = CalendarYear.objects.filter(confirmed=True).values_list("year", flat=True)
        return cls({d: (working, name) for d, working, name in rows}, confirmed)

    def fork(self) -> "WorkingCalendar":
        """The same days, with its own (empty) record of the years it answered for."""
        forked = copy.copy(self)
        forked.unknown_years = set()
        return forked

    def is_provisional_year(self, year: int) -> bool:
        return year not in self._known and year not in self.confirmed_years

    def day(self, date: datetime.date) -> DayInfo:
        if self.is_provisional_year(date.year):
            # Even an override: the rest of that year's notice may still be missing.
            self.unknown_years.add(date.year)
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
        holiday = statutory_holidays(date.year).get(date)
        if holiday:
            return DayInfo(date, False, holiday, "statutory")
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

    def working_days_between(self, after: datetime.date, through: datetime.date) -> int:
        """How many working days fall after `after`, up to and including `through`."""
        count = 0
        current = after
        while current < through:
            current += datetime.timedelta(days=1)
            count += self.day(current).is_working
        return count

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
