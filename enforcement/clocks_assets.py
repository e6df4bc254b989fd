"""The clocks of assets (DOMAIN.md, Legal rules / Enforcement clocks):

- `enforcement.clue_check` (7 days, statutory, registered by deadlines) and
  `enforcement.clue_check_urgent` (3 days, registered here): a clear clue from the
  applicant is checked within 7 days, 3 if urgent; checking meets the clock.
- `enforcement.freeze_bank` / `seize_movables` / `seal_real_estate` (statutory): each
  control's period runs as one of these clocks from the day it takes effect; the kinds'
  reminder stages (30/7/1 days before, 60/30/7 for real estate) are the renewal reminders,
  and a renewal extends the clock on the record of the renewal (deadline_extend_on_record).
- `enforcement.freeze_to_deduct` (15 days by default, a court may set its own in the
  deadline rules): not a duty but a wait, so no clock is started; the engine computes when
  it ends and the control keeps the first day deduction is allowed (the next day).
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deadlines import selectors as deadline_selectors
from deadlines.engine import compute, resolve_rule
from deadlines.models import Deadline
from deadlines.registry import register_kind

CLUE_CHECK = "enforcement.clue_check"
CLUE_CHECK_URGENT = "enforcement.clue_check_urgent"
FREEZE_TO_DEDUCT = "enforcement.freeze_to_deduct"


def register_kinds() -> None:
    register_kind(
        CLUE_CHECK_URGENT,
        label=_("核查财产线索（紧急）"),
        unit="calendar_days",
        amount=3,
        basis=_("申请执行人提供明确财产线索，情况紧急的，人民法院应当在三日内调查核实。"),
        lead_times=(1,),
        extension_by_request=False,
    )


def day_start(date: datetime.date) -> datetime.datetime:
    """The moment a clock that starts on `date` starts: now if that is today."""
    if date == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(9, 0)))


def deduct_wait(court, frozen_on: datetime.date) -> tuple[datetime.date, dict]:
    """The first day money frozen on `frozen_on` may be deducted, and how it was counted
    (the court's local rule for enforcement.freeze_to_deduct, else the default)."""
    rule = resolve_rule(FREEZE_TO_DEDUCT, court)
    result = compute(start_at=day_start(frozen_on), unit=rule.unit, amount=rule.amount, rule=rule)
    return result.due_date + datetime.timedelta(days=1), result.explanation


def open_clock(subject, kind: str) -> Deadline | None:
    return (
        deadline_selectors.deadlines_for(subject)
        .filter(kind=kind, state__in=Deadline.OPEN_STATES)
        .first()
    )
