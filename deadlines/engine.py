"""The one place that turns (start, rule, pauses, extensions, calendar) into a due moment,
and writes down how. Pure functions apart from loading rules and the calendar.

Order of computation (the explanation lists the same steps):
1. start date: the local (Asia/Shanghai) date of the start; the period begins the next day;
2. the rule: N calendar days, N working days (skipping days off), or N months (the
   corresponding day, or the month's last day when there is none);
3. pauses (中止): each closed pause adds the days the clock stood still — the working days
   among them for a working-day rule, else the calendar days;
4. approved extensions: each adds what it granted, counted in its own unit (working days
   over the calendar as it is now, months, days), or the days to the new date it set;
5. a period ending on a day off ends on the next working day;
6. due moment: the end of that day, 23:59:59 Beijing time.
"""

import datetime
import functools
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone, translation

from .calendar import WorkingCalendar, add_months, weekday_name
from .models import UNIT_CHOICES, DeadlineRule
from .registry import get_kind

UNIT_LABELS = dict(UNIT_CHOICES)
END_OF_DAY = datetime.time(23, 59, 59)
REMINDER_HOUR = datetime.time(8, 0)


@dataclass(frozen=True)
class ResolvedRule:
    kind: str
    label: str
    unit: str
    amount: int
    lead_times: tuple[int, ...]
    source: str  # statutory | local | explicit
    source_label: str
    basis: str
    statutory_unit: str | None = None
    statutory_amount: int | None = None


def _local_rules(kind: str, organisation) -> DeadlineRule | None:
    """The nearest local rule: the organisation, its ancestors, then its region upwards."""
    from organisations.models import Organisation, Region

    orgs = [organisation, *reversed(list(Organisation.objects.get_ancestors(organisation)))]
    region = organisation.region
    regions = [region, *reversed(list(Region.objects.filter(
        path__in=[region.path[:i] for i in range(region.steplen, len(region.path), region.steplen)]
    ).order_by("depth")))]  # fmt: skip
    rules = DeadlineRule.objects.filter(kind=kind).select_related("organisation", "region")
    by_org = {r.organisation_id: r for r in rules if r.organisation_id}
    by_region = {r.region_id: r for r in rules if r.region_id}
    for org in orgs:
        if org.pk in by_org:
            return by_org[org.pk]
    for reg in regions:
        if reg.pk in by_region:
            return by_region[reg.pk]
    return None


def _in_working_language(func):
    """Rules and explanations are stored with the deadline, so they are written in the
    portal's working language, whatever language the user who started the clock chose."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return func(*args, **kwargs)

    return wrapper


@_in_working_language
def resolve_rule(kind: str, organisation, *, amount=None, unit=None) -> ResolvedRule:
    registered = get_kind(kind)
    label = str(registered.label) if registered else kind
    basis = str(registered.basis) if registered else ""
    statutory = (registered.unit, registered.amount) if registered else (None, None)
    lead_times = registered.lead_times if registered else (7, 1)
    if amount is not None or unit is not None:
        if amount is None or unit is None:
            raise ValueError("amount and unit go together")
        return ResolvedRule(
            kind, label, unit, int(amount), lead_times, "explicit", "个案指定", basis, *statutory
        )
    if registered is None:
        raise ValueError(f"Unknown deadline kind {kind!r}: register it or pass amount and unit")
    local = _local_rules(kind, organisation)
    if local is not None:
        scope = local.organisation or local.region
        return ResolvedRule(
            kind,
            label,
            local.unit,
            local.amount,
            tuple(sorted(local.lead_times, reverse=True)) if local.lead_times else lead_times,
            "local",
            f"本地规则（{scope}）{('：' + local.note) if local.note else ''}",
            basis,
            *statutory,
        )
    return ResolvedRule(
        kind, label, registered.unit, registered.amount, lead_times, "statutory", "法定", basis,
        *statutory,
    )  # fmt: skip


@dataclass
class Computation:
    due_date: datetime.date
    due_at: datetime.datetime
    explanation: dict = field(default_factory=dict)


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def end_of_day(date: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, END_OF_DAY))


def reminder_moment(date: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, REMINDER_HOUR))


def _d(date: datetime.date) -> str:
    return f"{date.isoformat()}（{weekday_name(date)}）"


def _roll(cal: WorkingCalendar, date: datetime.date, steps: list, skipped: list) -> datetime.date:
    """A period ending on a day off ends on the next working day; say so if it moved."""
    rolled, days_off = cal.roll_forward(date)
    if days_off:
        skipped += [d.as_dict() for d in days_off]
        reasons = "、".join(sorted({d.reason for d in days_off if d.reason}))
        steps.append({
            "step": "roll",
            "from": date.isoformat(),
            "date": rolled.isoformat(),
            "text": f"{_d(date)} 为休息日（{reasons}），期间届满日顺延至其后第一个工作日 {_d(rolled)}",
        })  # fmt: skip
    return rolled


@_in_working_language
def compute(
    *,
    start_at: datetime.datetime,
    unit: str,
    amount: int,
    pauses=(),
    extensions=(),
    rule: ResolvedRule | None = None,
    calendar: WorkingCalendar | None = None,
    fixed_due_at: datetime.datetime | None = None,
) -> Computation:
    """Due date and explanation. `pauses`: objects with paused_at/resumed_at (an open pause
    counts up to now, for display only); `extensions`: objects with days_added, approved_by,
    approved_at, reason and optionally unit+amount."""
    # A fork: the years noted as provisional are the ones this computation looked at.
    cal = (calendar or WorkingCalendar.load()).fork()
    start = _local_date(start_at)
    steps: list[dict] = []
    skipped: list[dict] = []
    steps.append({
        "step": "start",
        "date": start.isoformat(),
        "text": f"起算：{_d(start)}，次日开始计算（起算当日不计入）",
    })  # fmt: skip
    if fixed_due_at is not None:
        date = _local_date(fixed_due_at)
        text = f"个案指定届满时间 {timezone.localtime(fixed_due_at):%Y-%m-%d %H:%M}"
    elif unit == "working_days":
        date, days_off = cal.add_working_days(start, amount)
        skipped += [d.as_dict() for d in days_off]
        text = f"按工作日计算 {amount} 个工作日，跳过休息日 {len(days_off)} 天，至 {_d(date)}"
    elif unit == "months":
        date = add_months(start, amount)
        text = f"按月计算 {amount} 个月，到期月对应日为 {_d(date)}"
        if date.day != start.day:
            text += "（到期月无对应日，取该月最后一日）"
    elif unit == "calendar_days":
        date = start + datetime.timedelta(days=amount)
        text = f"按日计算 {amount} 日，至 {_d(date)}"
    else:
        raise ValueError(f"unknown unit {unit!r}")
    steps.append({"step": "rule", "date": date.isoformat(), "text": text})
    base_date = date

    now = timezone.now()
    for pause in pauses:
        end = pause.resumed_at or now
        days = (_local_date(end) - _local_date(pause.paused_at)).days
        if pause.resumed_at is None:
            steps.append({
                "step": "pause_open",
                "from": _local_date(pause.paused_at).isoformat(),
                "text": f"自 {_d(_local_date(pause.paused_at))} 起中止（{pause.reason}），"
                f"期限停止计算，恢复后顺延",
            })  # fmt: skip
            continue
        step = {
            "step": "pause",
            "from": _local_date(pause.paused_at).isoformat(),
            "to": _local_date(end).isoformat(),
            "days": days,
        }
        if unit == "working_days" and fixed_due_at is None:
            # The clock stood still on the working days of the pause; count that many more.
            working = cal.working_days_between(_local_date(pause.paused_at), _local_date(end))
            date, days_off = cal.add_working_days(date, working)
            skipped += [d.as_dict() for d in days_off]
            step["working_days"] = working
            added = f"其间 {working} 个工作日不计入期限，顺延 {working} 个工作日"
        else:
            date += datetime.timedelta(days=days)
            added = f"不计入期限，顺延 {days} 日"
        step["date"] = date.isoformat()
        step["text"] = (
            f"中止 {_local_date(pause.paused_at)} 至 {_local_date(end)}（{pause.reason}），"
            f"{added}，至 {_d(date)}"
        )
        steps.append(step)
    if fixed_due_at is None:
        date = _roll(cal, date, steps, skipped)
    for ext in extensions:
        ext_unit, ext_amount = getattr(ext, "unit", ""), getattr(ext, "amount", None)
        before_extension = date
        if ext_unit == "working_days" and ext_amount:
            date, days_off = cal.add_working_days(date, ext_amount)
            skipped += [d.as_dict() for d in days_off]
        elif ext_unit == "months" and ext_amount:
            date = add_months(date, ext_amount)
        elif ext_unit == "calendar_days" and ext_amount:
            date += datetime.timedelta(days=ext_amount)
        else:  # granted as a new due date: the same number of days later
            ext_unit, ext_amount = "calendar_days", ext.days_added
            date += datetime.timedelta(days=ext.days_added)
        approver = str(ext.approved_by) if ext.approved_by_id else ""
        approved_at = timezone.localtime(ext.approved_at)
        steps.append({
            "step": "extension",
            "days": (date - before_extension).days,
            "unit": ext_unit,
            "amount": ext_amount,
            "approved_by": approver,
            "approved_at": approved_at.isoformat(),
            "date": date.isoformat(),
            "text": f"经 {approver} 于 {approved_at:%Y-%m-%d %H:%M} 批准延长 "
            f"{ext_amount} {UNIT_LABELS[ext_unit]}（{ext.reason}），至 {_d(date)}",
        })  # fmt: skip
        if fixed_due_at is None:
            date = _roll(cal, date, steps, skipped)
    rolled = date
    if fixed_due_at is None:
        due_at = end_of_day(rolled)
    else:
        due_at = fixed_due_at + datetime.timedelta(days=(rolled - base_date).days)
    steps.append({
        "step": "due",
        "date": rolled.isoformat(),
        "text": f"届满：{_d(rolled)} {timezone.localtime(due_at):%H:%M:%S}（北京时间）",
    })  # fmt: skip
    explanation = {
        "start": timezone.localtime(start_at).isoformat(),
        "unit": unit,
        "amount": amount,
        "steps": steps,
        "skipped": skipped,
        "due_date": rolled.isoformat(),
        "due_at": timezone.localtime(due_at).isoformat(),
        "computed_at": timezone.localtime(now).isoformat(),
    }
    if rule is not None:
        explanation["rule"] = {
            "kind": rule.kind,
            "label": rule.label,
            "source": rule.source,
            "source_label": rule.source_label,
            "basis": rule.basis,
            "statutory": (
                f"{rule.statutory_amount}{UNIT_LABELS[rule.statutory_unit]}"
                if rule.statutory_unit
                else ""
            ),
            "applied": f"{amount}{UNIT_LABELS[unit]}",
        }
    if cal.unknown_years:
        years = "、".join(str(y) for y in sorted(cal.unknown_years))
        explanation["provisional_years"] = sorted(cal.unknown_years)
        explanation["calendar_note"] = (
            f"{years} 年的国务院放假安排尚未收录（未确认），届满日期为暂定：已按法定节假日"
            f"（元旦、春节含除夕、清明、劳动节、端午、中秋、国庆节）、周末及管理员维护的日历计算；"
            f"调休上班日和补假以通知为准，管理员录入并确认该年日历后自动重新计算"
        )
    return Computation(due_date=rolled, due_at=due_at, explanation=explanation)


def reminder_stages(
    *, due_at: datetime.datetime, lead_times
) -> list[tuple[str, int, datetime.datetime]]:
    """Every (stage, lead_days, fire_at) for one due moment, earliest first, before dropping
    the stages already past when the clock started. Depends on the due moment and lead
    times only, so a sweep computes it once for all deadlines sharing them."""
    due_date = _local_date(due_at)
    stages = [
        ("lead", int(days), reminder_moment(due_date - datetime.timedelta(days=days)))
        for days in sorted(set(lead_times), reverse=True)
    ]
    stages.append(("due", 0, reminder_moment(due_date)))
    stages.append(("missed", 0, due_at + datetime.timedelta(seconds=1)))
    return stages


def plan_from_stages(stages, *, start_at) -> list[tuple[str, int, datetime.datetime]]:
    """`reminder_plan` from `reminder_stages`: a lead or due reminder already past when the
    clock started is not planned; the miss always is."""
    return [stage for stage in stages if stage[0] == "missed" or stage[2] > start_at]


def reminder_plan(
    *, due_at: datetime.datetime, lead_times, start_at
) -> list[tuple[str, int, datetime.datetime]]:
    """(stage, lead_days, fire_at) for one due moment, earliest first. Lead and due
    reminders go out at 08:00; a stage already past when the clock started is not planned."""
    return plan_from_stages(
        reminder_stages(due_at=due_at, lead_times=lead_times), start_at=start_at
    )
