"""The debtor's asset report (财产报告) in answer to the 报告财产令: one report per debtor
(received on a day, a summary, the items), the officer's check (核查); when every debtor
has reported, the report clock is met (after its end: closed as missed). Whether the
debtors reported on time is read by enforcement.selectors_notices.asset_report_state."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_create
from common.money import to_yuan
from common.statemachine import StateMachine, Transition, TransitionNotAllowed
from deadlines import services as deadline_services
from deadlines.models import Deadline
from enforcement.models import (
    AssetCategory,
    AssetReport,
    AssetReportItem,
    AssetReportStatus,
    CaseParty,
    CheckResult,
    EnforcementNotice,
    EnforcementRole,
    NoticeKind,
)

from .notices import (
    NOTICE_STAFF,
    acting_roles,
    case_parties,
    lock_case,
    notice_is_live,
    require_open,
    require_staff,
)

# --- the debtor's asset report ---------------------------------------------------------------


def _report_roles(report, user) -> set[str]:
    return acting_roles(user, report.order.case.court)


report_machine = StateMachine(
    state_field="status",
    states=AssetReportStatus,
    roles_of=_report_roles,
    transitions=[
        Transition("check", _("核查财产报告"), (AssetReportStatus.RECEIVED,),
                   AssetReportStatus.CHECKED, NOTICE_STAFF),
    ],
)  # fmt: skip


def _clean_items(items) -> tuple[list[AssetReportItem], list[str]]:
    rows, problems = [], []
    for index, item in enumerate(items or [], start=1):
        category = (item.get("category") or "").strip()
        description = (item.get("description") or "").strip()
        value = item.get("value")
        if not category and not description and value in (None, ""):
            continue
        if category not in AssetCategory.values:
            problems.append(_("第%(n)s项：请选择财产类别。") % {"n": index})
        if not description:
            problems.append(_("第%(n)s项：请填写财产情况。") % {"n": index})
        amount = None
        if value not in (None, ""):
            try:
                amount = to_yuan(value)
            except (TypeError, ValueError):
                problems.append(_("第%(n)s项：金额格式不正确。") % {"n": index})
            else:
                if amount < 0 or amount >= Decimal("1e12"):
                    problems.append(_("第%(n)s项：金额超出范围。") % {"n": index})
        rows.append(AssetReportItem(category=category, description=description[:300], value=amount))
    return rows, problems


def _meet_report_clock(order: EnforcementNotice, *, actor) -> None:
    debtors = {p.pk for p in case_parties(order.case, EnforcementRole.DEBTOR)}
    reported = set(order.asset_reports.values_list("debtor_id", flat=True))
    clock = order.report_deadline
    if not debtors <= reported or clock is None or clock.closed_at is not None:
        return
    if clock.state in (*Deadline.OPEN_STATES, Deadline.State.MISSED):
        # on time: met; after the due moment (or already swept): closed as missed
        deadline_services.deadline_meet(clock, actor=actor)


@transaction.atomic
def asset_report_receive(
    *,
    order: EnforcementNotice,
    debtor: CaseParty,
    received_on: datetime.date,
    actor,
    summary: str = "",
    items=(),
    no_assets: bool = False,
) -> AssetReport:
    """Record one debtor's written report in answer to the order (received on a day, a
    summary, the items). Late reports are taken and stay marked late (asset_report_state).
    Refused (409): not a live 报告财产令; this debtor already reported; the case closed.
    Refused (400): not a debtor of the case; a date in the future or before the order;
    neither items, a summary nor "no assets"."""
    case = order.case
    require_staff(case, actor)
    locked_case = lock_case(case)
    require_open(locked_case, _("登记财产报告"))
    order = EnforcementNotice.objects.select_related("document", "case", "report_deadline").get(
        pk=order.pk
    )
    if order.kind != NoticeKind.ASSET_REPORT_ORDER or not notice_is_live(order):
        raise TransitionNotAllowed(_("财产报告须针对有效的报告财产令登记。"))
    errors: dict[str, list] = {}
    debtors = {p.pk: p for p in case_parties(order.case, EnforcementRole.DEBTOR)}
    if getattr(debtor, "pk", None) not in debtors:
        errors["debtor"] = [_("报告人须为本案被执行人。")]
    issued_on = timezone.localtime(order.issued_at).date()
    if not isinstance(received_on, datetime.date):
        errors["received_on"] = [_("请填写收到报告的日期。")]
    elif received_on > timezone.localdate():
        errors["received_on"] = [_("收到日期不能晚于今天。")]
    elif received_on < issued_on:
        errors["received_on"] = [
            _("收到日期不能早于报告财产令发出日期（%(d)s）。") % {"d": issued_on}
        ]
    rows, problems = _clean_items(items)
    if problems:
        errors["items"] = problems
    summary = (summary or "").strip()
    if not rows and not summary and not no_assets and "items" not in errors:
        errors["summary"] = [_("请填写报告内容摘要或财产事项。")]
    if errors:
        raise ValidationError(errors)
    debtor = debtors[debtor.pk]
    if order.asset_reports.filter(debtor=debtor).exists():
        raise TransitionNotAllowed(_("%(n)s的财产报告已登记。") % {"n": debtor.name})
    report = AssetReport.objects.create(
        order=order,
        debtor=debtor,
        received_on=received_on,
        summary=summary,
        no_assets=bool(no_assets),
        recorded_by=actor,
    )
    for row in rows:
        row.report = report
    AssetReportItem.objects.bulk_create(rows)
    audit_create(
        report,
        actor=actor,
        note=_("收到%(n)s的财产报告（%(c)s项）") % {"n": debtor.name, "c": len(rows)},
    )
    _meet_report_clock(order, actor=actor)
    return report


@transaction.atomic
def asset_report_check(*, report: AssetReport, actor, result: str, note: str = "") -> AssetReport:
    """The officer's check (核查) of a report against the inquiries: 属实, 部分不实 or 不实
    (a false report: part 2 may fine, detain or list the debtor for it). A finding other
    than 属实 needs the reasons."""
    note = (note or "").strip()
    errors = {}
    if result not in CheckResult.values:
        errors["result"] = [_("请选择核查结果。")]
    elif result != CheckResult.CONSISTENT and not note:
        errors["note"] = [_("核查结果不实的，请写明不实之处。")]
    if errors:
        raise ValidationError(errors)
    return report_machine.apply(
        report,
        "check",
        actor=actor,
        note=f"{CheckResult(result).label}{('：' + note) if note else ''}",
        changes={
            "check_result": result,
            "check_note": note,
            "checked_at": timezone.now(),
            "checked_by": actor,
        },
    )
