"""The case page's assets section (财产查控) and the next steps it suggests.

Panel: the latest inquiries with their progress, what they found (newest answer per
asset, marked 新发现 and whether it is already controlled), the applicant's clues with
their check deadline, and the controls with their expiry. A fixed number of queries
whatever the case's size (one per list).

Next steps: 核查线索（due）, 续冻/续封/续扣（expiry） once a control is within its renewal
reminder window, 可扣划（date） for frozen money, 发起网络查控 for a money case never inquired.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from common.lookups import AnyOf
from deadlines.models import Deadline
from deadlines.registry import get_kind

from .case_data import may_hold
from .clocks_assets import CLUE_CHECK, CLUE_CHECK_URGENT
from .models import (
    AssetClue,
    AssetControl,
    AssetFinding,
    AssetInquiry,
    ClueStatus,
    ControlStatus,
    InquiryStatus,
    Measure,
)
from .panels import CasePanel, register_next_step, register_panel
from .selectors_assets import with_progress

INQUIRIES_SHOWN = 5
FINDINGS_SHOWN = 100
ENDED_CONTROLS_SHOWN = 20
RENEW_WORDS = {Measure.FREEZE: "续冻", Measure.SEAL: "续封", Measure.SEIZE: "续扣"}


def _renewal_window_days(control: AssetControl) -> int:
    kind = get_kind(control.period_kind)
    return max(kind.lead_times) if kind and kind.lead_times else 30


def asset_context(case, user=None) -> dict:
    """Everything the panel and the assets page show, in five queries (on the case page
    none for what the case has not got)."""
    today = timezone.localdate()
    inquiries = (
        list(
            with_progress(AssetInquiry.objects.filter(case=case))
            .select_related("requested_by")
            .order_by("-requested_at", "-pk")[:INQUIRIES_SHOWN]
        )
        if may_hold(case, AssetInquiry)
        else []
    )
    finished = [i.pk for i in inquiries if not i.is_open]
    controls = (
        list(
            AssetControl.objects.filter(case=case)
            .select_related("debtor")
            .order_by("status", "expires_on", "pk")
        )
        if may_hold(case, AssetControl)
        else []
    )
    active = [c for c in controls if c.status == ControlStatus.ACTIVE]
    ended = [c for c in controls if c.status != ControlStatus.ACTIVE][:ENDED_CONTROLS_SHOWN]
    controlled = {c.reference: c for c in active if c.reference}
    findings, seen = [], set()
    if finished:
        for finding in (
            AssetFinding.objects.filter(inquiry__in=finished)
            .select_related("debtor")
            .order_by("-inquiry_id", "kind", "pk")[: FINDINGS_SHOWN * 2]
        ):
            key = (finding.debtor_id, finding.reference)
            if key in seen:
                continue
            seen.add(key)
            finding.active_control = controlled.get(finding.reference)
            findings.append(finding)
    findings = sorted(findings[:FINDINGS_SHOWN], key=lambda f: (f.kind, -f.inquiry_id, f.pk))
    clues = (
        list(
            AssetClue.objects.filter(case=case)
            .select_related("submitted_by")
            .order_by("status", "-received_at")[:50]
        )
        if may_hold(case, AssetClue)
        else []
    )
    for control in active:
        control.renew_soon = (control.expires_on - today).days <= _renewal_window_days(control)
        control.deductible_now = bool(
            control.amount is not None
            and control.frozen_remaining > 0
            and (control.deductible_on is None or control.deductible_on <= today)
        )
    return {
        "case": case,
        "today": today,
        "inquiries": inquiries,
        "inquiry_running": any(i.is_open for i in inquiries),
        "findings": findings,
        "clues": clues,
        "active_controls": active,
        "ended_controls": ended,
        "frozen_total": sum((c.frozen_remaining for c in active), start=_zero()),
    }


def _zero():
    from decimal import Decimal

    return Decimal("0.00")


def panel_context(case, user):
    if case.status in ("urging", "urging_performed"):
        return None
    return asset_context(case, user)


STEPS_ATTRIBUTE = "_assets_next_steps"


def next_steps(case) -> list[str]:
    """What assets expect next on `case`, most urgent first. A list page calls
    `next_steps_prefetch` first and this reads the answer kept on the case."""
    if hasattr(case, STEPS_ATTRIBUTE):
        return list(getattr(case, STEPS_ATTRIBUTE))
    next_steps_prefetch([case])  # the case page: read now, not kept on the object
    return list(case.__dict__.pop(STEPS_ATTRIBUTE))


def next_steps_prefetch(cases, *, only=None) -> None:
    """The assets' next steps of many cases in four queries, kept on each case. `only`: the
    cases having any clue, control or inquiry (the others' are not read: a money case in
    progress with no inquiry at all is told to start one without asking)."""
    cases = [case for case in cases]
    active = [c for c in cases if c.status not in ("urging", "urging_performed")]
    for case in cases:
        setattr(case, STEPS_ATTRIBUTE, [])
    if not active:
        return
    ids = [case.pk for case in active if only is None or case.pk in only]
    today = timezone.localdate()
    steps: dict[int, list[tuple[datetime.date, str]]] = {case.pk: [] for case in active}
    clue_case = (
        dict(
            AssetClue.objects.filter(case_id__in=ids, status=ClueStatus.PENDING).values_list(
                "pk", "case_id"
            )
        )
        if ids
        else {}
    )
    if clue_case:
        for clue_id, due_at in Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(AssetClue),
            object_id__in=list(clue_case),
            kind__in=(CLUE_CHECK, CLUE_CHECK_URGENT),
            state__in=Deadline.OPEN_STATES,
        ).values_list("object_id", "due_at"):
            due = timezone.localtime(due_at).date()
            steps[clue_case[clue_id]].append(
                (due, _("核查线索（%(d)s前）") % {"d": due.isoformat()})
            )
    controls = (
        AssetControl.objects.filter(case_id__in=ids, status=ControlStatus.ACTIVE) if ids else []
    )
    for control in controls:
        own = steps[control.case_id]
        if (control.expires_on - today).days <= _renewal_window_days(control):
            word = RENEW_WORDS.get(control.measure, "续行")
            own.append(
                (control.expires_on, _("%(w)s（%(d)s到期）") % {"w": word, "d": control.expires_on})
            )
        if control.amount is not None and control.frozen_remaining > 0 and control.deductible_on:
            own.append((control.deductible_on, _("可扣划（%(d)s）") % {"d": control.deductible_on}))
    waiting = [
        c.pk for c in active if not steps[c.pk] and c.is_money_case and c.status == "in_progress"
    ]
    unknown = [pk for pk in waiting if only is None or pk in only]
    if unknown:
        inquired = set(
            AssetInquiry.objects.filter(AnyOf(F("case_id"), unknown))
            .exclude(status=InquiryStatus.FAILED)
            .values_list("case_id", flat=True)
        )
    else:
        inquired = set()
    for case_id in waiting:
        if case_id not in inquired:
            steps[case_id].append((today, _("发起网络查控")))
    for case in active:
        setattr(
            case, STEPS_ATTRIBUTE, [text for _d, text in sorted(steps[case.pk], key=lambda s: s[0])]
        )


def register() -> None:
    register_panel(
        CasePanel(
            key="assets", order=40, template="enforcement/assets/panel.html", context=panel_context
        )
    )
    register_next_step(
        next_steps, prefetch=next_steps_prefetch, reads=(AssetClue, AssetControl, AssetInquiry)
    )
