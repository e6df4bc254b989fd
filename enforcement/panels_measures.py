"""The case page's panel of coercive measures, objections and campaigns, and their next
steps. A fixed number of queries (three or four) whatever the case holds."""

from django.utils import timezone
from django.utils.translation import gettext as _

from .case_data import may_hold, shared
from .models import (
    PRE_FILING_STATUSES,
    CampaignCase,
    CoerciveMeasure,
    MeasureKind,
    MeasureStatus,
    Objection,
    ObjectionStatus,
)
from .selectors_campaigns import campaigns_open_for_case, measures_for_case, objections_for_case
from .services.measures import measure_actions
from .services.notices import may_act

MEASURES_SHOWN = 50
OBJECTIONS_SHOWN = 20
OPEN_MEASURES = (MeasureStatus.REQUESTED, MeasureStatus.APPROVED, MeasureStatus.EXECUTED)
OPEN_OBJECTIONS = (ObjectionStatus.RECEIVED, ObjectionStatus.REGISTERED)


def measures_panel_context(case, user) -> dict | None:
    if case.status in PRE_FILING_STATUSES:
        return None  # no coercion before filing
    measures = (
        list(measures_for_case(case)[: MEASURES_SHOWN + 1])
        if may_hold(case, CoerciveMeasure)
        else []
    )
    objections = (
        list(objections_for_case(case)[: OBJECTIONS_SHOWN + 1]) if may_hold(case, Objection) else []
    )
    if shared(case) is not None and (
        len(measures) <= MEASURES_SHOWN and len(objections) <= OBJECTIONS_SHOWN
    ):
        # the case page: every open row is in these lists (same order), so they serve as
        # the next step's rows (measures_next_steps reads them once, no query of its own)
        case._measure_rows = (
            [m for m in measures if m.status in OPEN_MEASURES],
            [o for o in objections if o.status in OPEN_OBJECTIONS],
        )
    measures, objections = measures[:MEASURES_SHOWN], objections[:OBJECTIONS_SHOWN]
    for row in (*measures, *objections):
        row.case = case  # no query per row for the case it already belongs to
    acting = may_act(case, user)
    return {
        "measures_panel": {
            "case": case,
            "measures": [(m, measure_actions(m, user, acting=acting)) for m in measures],
            "objections": objections,
            "campaigns": list(case.campaign_tags.select_related("campaign"))
            if may_hold(case, CampaignCase)
            else [],
            "open_campaigns": campaigns_open_for_case(case, user) if acting else [],
            "may_act": acting and case.is_open,
            "steps": _steps(case, measures, objections),
        }
    }


def _steps(case, measures, objections) -> list[str]:
    steps = []
    for m in measures:
        if m.status == MeasureStatus.REQUESTED:
            steps.append(_("%(k)s待%(a)s审批") % {"k": m.get_kind_display(), "a": m.approver})
        elif m.status == MeasureStatus.APPROVED and m.kind in (
            MeasureKind.APPEARANCE, MeasureKind.DETENTION, MeasureKind.SEARCH):  # fmt: skip
            steps.append(_("执行已批准的%(k)s：%(w)s") % {"k": m.get_kind_display(),
                                                          "w": m.subject_label})  # fmt: skip
        elif m.status == MeasureStatus.EXECUTED and m.kind == MeasureKind.DETENTION:
            if not m.family_notified_at:
                steps.append(_("拘留后二十四小时内通知%(w)s的家属") % {"w": m.subject_label})
            if m.ends_on and m.ends_on <= timezone.localdate():
                steps.append(_("拘留期满，解除对%(w)s的拘留") % {"w": m.subject_label})
            elif not case.is_open:
                steps.append(_("案件已结案，解除对%(w)s的拘留") % {"w": m.subject_label})
        elif m.status == MeasureStatus.EXECUTED and m.kind == MeasureKind.APPEARANCE:
            steps.append(_("结束对%(w)s的拘传询问（不超过%(h)s小时）") % {
                "w": m.subject_label, "h": m.hours})  # fmt: skip
    for o in objections:
        if o.status == ObjectionStatus.RECEIVED:
            steps.append(_("%(k)s：三日内立案或不予受理") % {"k": o.get_kind_display()})
        elif o.status == ObjectionStatus.REGISTERED:
            steps.append(_("%(k)s：依期作出裁定") % {"k": o.get_kind_display()})
    return steps


def measures_next_steps(case) -> list[str]:
    # the list page's prefetch is used once (a later call on the same object reads afresh)
    cached = case.__dict__.pop("_measure_rows", None)
    if cached is None:
        measures_next_steps_prefetch([case])
        cached = case.__dict__.pop("_measure_rows")
    return _steps(case, *cached)


def measures_next_steps_prefetch(cases, *, only=None) -> None:
    """Two queries for a whole list page: the open measures and the open objections (none
    when `only`, the cases having any measure or objection, is empty)."""
    by_case = {case.pk: ([], []) for case in cases}
    ids = [pk for pk in by_case if only is None or pk in only]
    if not ids:
        for case in cases:
            case._measure_rows = by_case[case.pk]
        return
    for m in (
        CoerciveMeasure.objects.filter(case_id__in=ids, status__in=OPEN_MEASURES)
        .select_related("subject", "approver")
        .order_by("-requested_at", "-pk")
    ):
        by_case[m.case_id][0].append(m)
    for o in Objection.objects.filter(case_id__in=ids, status__in=OPEN_OBJECTIONS).order_by(
        "-received_on", "-pk"
    ):
        by_case[o.case_id][1].append(o)
    for case in cases:
        case._measure_rows = by_case.get(case.pk, ([], []))
