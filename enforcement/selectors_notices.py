"""Reads of notices, service and asset reports. Every record is scoped through its case
(enforcement.selectors.enforcement_scope): out of scope answers 404.

`asset_report_state(case)` is the one answer to "did the debtor report as ordered?" that
part 2 reads (measures for not reporting, the 终本 conditions): see AssetReportState.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common import prepared
from common.lookups import AnyOf
from deadlines.models import Deadline
from documents.models import IssuedDocument

from .case_data import shared
from .models import (
    AssetReport,
    CaseParty,
    CaseStatus,
    CheckResult,
    EnforcementCase,
    EnforcementNotice,
    EnforcementRole,
    NoticeKind,
    ServiceRecord,
)
from .selectors import enforcement_scope

# The flag part 2's measures and the 终本 conditions read (DOMAIN.md: 终本 needs the notice
# and the order served and the report checked, non-reporting punished).
FLAG_NOT_REPORTED = gettext_lazy("未按期报告财产")


def _live(queryset: QuerySet[EnforcementNotice]) -> QuerySet[EnforcementNotice]:
    return queryset.filter(revoked_at__isnull=True, document__status=IssuedDocument.Status.ISSUED)


def notices_for_case(case: EnforcementCase) -> QuerySet[EnforcementNotice]:
    """All the case's notices (revoked ones too), oldest first, with their document, clock
    and service records (recipient) — three queries whatever their number."""
    return (
        case.notices.select_related("document", "document__issued_by", "report_deadline",
                                    "issued_by")
        .prefetch_related(
            Prefetch("services", queryset=ServiceRecord.objects.select_related("recipient",
                                                                                "recorded_by")),
        )
        .order_by("issued_at", "pk")
    )  # fmt: skip


def notices_visible_to(user) -> QuerySet[EnforcementNotice]:
    return EnforcementNotice.objects.filter(case__in=enforcement_scope(user).values("pk"))


def notice_get_for_user(user, pk) -> EnforcementNotice:
    try:
        return (
            notices_visible_to(user)
            .select_related("case", "case__court", "case__court__region", "document",
                            "report_deadline", "issued_by")
            .get(pk=pk)
        )  # fmt: skip
    except (EnforcementNotice.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def service_records_visible_to(user) -> QuerySet[ServiceRecord]:
    return ServiceRecord.objects.filter(
        notice__case__in=enforcement_scope(user).values("pk")
    ).select_related("notice", "notice__case", "recipient", "recorded_by")


def service_record_get_for_user(user, pk) -> ServiceRecord:
    try:
        return service_records_visible_to(user).get(pk=pk)
    except (ServiceRecord.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def asset_reports_visible_to(user) -> QuerySet[AssetReport]:
    return (
        AssetReport.objects.filter(order__case__in=enforcement_scope(user).values("pk"))
        .select_related("order", "order__case", "order__case__court", "debtor", "checked_by",
                        "recorded_by")
        .prefetch_related("items")
    )  # fmt: skip


def asset_report_get_for_user(user, pk) -> AssetReport:
    try:
        return asset_reports_visible_to(user).get(pk=pk)
    except (AssetReport.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def _debtors(case: EnforcementCase) -> list[CaseParty]:
    return list(case.case_parties.filter(role=EnforcementRole.DEBTOR).order_by("position", "pk"))


def case_notices(case: EnforcementCase) -> list[EnforcementNotice]:
    """`notices_for_case` as a list; the case page reads it once for all its sections."""
    data = shared(case)
    return data.notices if data is not None else list(notices_for_case(case))


def notice_recipients(case: EnforcementCase) -> list[CaseParty]:
    """The debtors, then the applicants (by position)."""
    data = shared(case)
    if data is not None:
        return data.parties_of(EnforcementRole.DEBTOR, EnforcementRole.APPLICANT)
    return list(
        case.case_parties.filter(
            role__in=(EnforcementRole.DEBTOR, EnforcementRole.APPLICANT)
        ).order_by("-role", "position", "pk")  # debtors first
    )


# --- service state ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RecipientService:
    party: CaseParty
    record: ServiceRecord | None

    @property
    def served(self) -> bool:
        return self.record is not None

    @property
    def is_debtor(self) -> bool:
        return self.party.role == EnforcementRole.DEBTOR


@dataclass(frozen=True)
class NoticeState:
    notice: EnforcementNotice
    live: bool
    recipients: list[RecipientService]

    @property
    def served(self) -> bool:
        """Served when every debtor has a service record (applicants' copies do not count)."""
        debtors = [r for r in self.recipients if r.is_debtor]
        return bool(debtors) and all(r.served for r in debtors)

    @property
    def unserved(self) -> list[CaseParty]:
        return [r.party for r in self.recipients if not r.served]

    @property
    def unserved_debtors(self) -> list[CaseParty]:
        return [r.party for r in self.recipients if r.is_debtor and not r.served]


def notice_states(case: EnforcementCase, *, notices=None, parties=None) -> list[NoticeState]:
    """Each notice with its service per recipient (debtors first, then applicants for the
    执行通知书). Pass `notices` (from notices_for_case) and `parties` to reuse them."""
    notices = case_notices(case) if notices is None else notices
    parties = notice_recipients(case) if parties is None else parties
    states = []
    for notice in notices:
        by_recipient = {record.recipient_id: record for record in notice.services.all()}
        wanted = [
            p for p in parties
            if p.role == EnforcementRole.DEBTOR or notice.kind == NoticeKind.EXECUTION_NOTICE
        ]  # fmt: skip
        states.append(
            NoticeState(
                notice=notice,
                live=notice.revoked_at is None
                and notice.document.status == IssuedDocument.Status.ISSUED,
                recipients=[RecipientService(p, by_recipient.get(p.pk)) for p in wanted],
            )
        )
    return states


def live_notice_state(states: list[NoticeState], kind: str) -> NoticeState | None:
    return next((s for s in states if s.live and s.notice.kind == kind), None)


# --- the asset report ------------------------------------------------------------------------


@dataclass(frozen=True)
class DebtorReport:
    debtor: CaseParty
    report: AssetReport | None
    late: bool  # reported after the deadline
    overdue: bool  # not reported and the deadline has passed


@dataclass(frozen=True)
class AssetReportState:
    """Whether the debtors reported their assets as the order required.

    code: not_required (no money target) | not_ordered (no live 报告财产令 yet) | awaiting
    (within the period) | overdue (a debtor has not reported and the period has passed) |
    received (every debtor reported; a check outstanding) | checked (all checked).
    `not_reported_on_time` is the flag "未按期报告财产": a debtor reported late or not at
    all; it stays set after a late report (the breach happened). `false_report`: a check
    found a report untrue (部分不实/不实)."""

    code: str
    label: str
    order: EnforcementNotice | None = None
    due_at: datetime.datetime | None = None
    debtors: list[DebtorReport] = field(default_factory=list)
    not_reported_on_time: bool = False
    false_report: bool = False

    @property
    def flag(self) -> str:
        return str(FLAG_NOT_REPORTED) if self.not_reported_on_time else ""

    @property
    def checked(self) -> bool:
        return self.code == "checked"


STATE_LABELS = {
    "not_required": gettext_lazy("无需报告（非金钱给付）"),
    "not_ordered": gettext_lazy("未发出报告财产令"),
    "awaiting": gettext_lazy("等待被执行人报告"),
    "overdue": gettext_lazy("未按期报告财产"),
    "received": gettext_lazy("已报告，待核查"),
    "checked": gettext_lazy("已核查"),
}


def _state(code: str, **kwargs) -> AssetReportState:
    return AssetReportState(code=code, label=str(STATE_LABELS[code]), **kwargs)


def _report_due_at(clock_due_at, report_due_on) -> datetime.datetime:
    """The report period's end: the clock's due moment (an approved extension counts), or,
    the clock deleted, the end of the day printed in the order."""
    if clock_due_at is not None:
        return clock_due_at
    return timezone.make_aware(datetime.datetime.combine(report_due_on, datetime.time(23, 59, 59)))


def asset_report_state(
    case: EnforcementCase, *, now=None, notices=None, debtors=None, reports=None
) -> AssetReportState:
    """The case's asset-report state (see AssetReportState). The period's end is the report
    clock's due moment, so an approved extension of it counts. Three or four queries; none
    when `notices`, `debtors` and `reports` (the order's reports) are given."""
    if not case.is_money_case:
        return _state("not_required")
    now = now or timezone.now()
    if notices is None:
        order = (
            _live(case.notices.filter(kind=NoticeKind.ASSET_REPORT_ORDER))
            .select_related("document", "report_deadline")
            .first()
        )
    else:
        order = next(
            (n for n in notices if n.kind == NoticeKind.ASSET_REPORT_ORDER
             and n.revoked_at is None and n.document.status == IssuedDocument.Status.ISSUED),
            None,
        )  # fmt: skip
    if order is None:
        return _state("not_ordered")
    due_at = _report_due_at(
        order.report_deadline.due_at if order.report_deadline_id else None, order.report_due_on
    )
    due_day = timezone.localtime(due_at).date()
    if reports is None:
        reports = (
            AssetReport.objects.filter(order=order)
            .select_related("checked_by")
            .prefetch_related("items")
        )
    reports = {r.debtor_id: r for r in reports if r.order_id == order.pk}
    rows = []
    for debtor in _debtors(case) if debtors is None else debtors:
        report = reports.get(debtor.pk)
        rows.append(
            DebtorReport(
                debtor=debtor,
                report=report,
                late=report is not None and report.received_on > due_day,
                overdue=report is None and now > due_at,
            )
        )
    flag = any(r.late or r.overdue for r in rows)
    false_report = any(
        r.report is not None and r.report.check_result
        in (CheckResult.PARTLY_FALSE, CheckResult.FALSE) for r in rows
    )  # fmt: skip
    if any(r.overdue for r in rows):
        code = "overdue"
    elif rows and all(r.report for r in rows):
        code = "checked" if all(r.report.checked_at for r in rows) else "received"
    else:
        code = "awaiting"
    return _state(
        code, order=order, due_at=due_at, debtors=rows, not_reported_on_time=flag,
        false_report=false_report,
    )  # fmt: skip


def cases_not_reporting(queryset: QuerySet[EnforcementCase], *, now=None) -> QuerySet:
    """The cases of `queryset` flagged 未按期报告财产: a live order whose period has ended
    with a debtor who did not report by then (whether or not they reported later). For
    part 2's lists (measures against non-reporting debtors) — one query, no loop."""
    now = now or timezone.now()
    orders = _live(EnforcementNotice.objects.filter(kind=NoticeKind.ASSET_REPORT_ORDER))
    on_time = AssetReport.objects.filter(
        order=OuterRef("order_pk"), debtor=OuterRef("pk"),
    )  # fmt: skip
    # a debtor of the order's case without a report on or before the order's last day
    missing = (
        CaseParty.objects.filter(case=OuterRef("case_id"), role=EnforcementRole.DEBTOR)
        .annotate(order_pk=OuterRef("pk"))
        .filter(~Exists(on_time.filter(received_on__lte=OuterRef(OuterRef("report_deadline_day")))))
    )
    flagged = (
        orders.filter(report_deadline__due_at__lt=now)
        .annotate(report_deadline_day=_due_day())
        .filter(Exists(missing))
    )
    return queryset.filter(Exists(flagged.filter(case=OuterRef("pk"))))


def _due_day():
    from django.db.models.functions import TruncDate

    return TruncDate("report_deadline__due_at", tzinfo=timezone.get_current_timezone())


# --- what the officer does next --------------------------------------------------------------


STEPS_ATTRIBUTE = "_notices_next_steps"


def notices_next_steps(case: EnforcementCase) -> list[str]:
    """The notices' next legal steps for the officer, most urgent first. A list page calls
    `notices_next_steps_prefetch(cases)` first (panels.next_steps_for_many), and this then
    reads the answer from the case without a query."""
    if case.status != CaseStatus.IN_PROGRESS:
        return []
    if hasattr(case, STEPS_ATTRIBUTE):
        return list(getattr(case, STEPS_ATTRIBUTE))
    return _next_steps(case, case_notices(case), notice_recipients(case), reports=None)


def _live_notices_statement() -> str:
    notices, documents = EnforcementNotice._meta.db_table, IssuedDocument._meta.db_table
    deadlines = EnforcementNotice._meta.get_field("report_deadline").related_model._meta.db_table
    return (
        "SELECT n.case_id, n.id, n.kind, n.report_deadline_id, d.due_at, n.report_due_on "  # noqa: S608
        f"FROM {notices} n JOIN {documents} doc ON doc.id = n.document_id "
        f"LEFT JOIN {deadlines} d ON d.id = n.report_deadline_id "
        f"WHERE n.case_id = ANY($1) AND n.revoked_at IS NULL "
        f"AND doc.status = '{IssuedDocument.Status.ISSUED.value}' ORDER BY n.issued_at, n.id"
    )


def _live_notice_rows(case_ids: list[int]) -> list[tuple]:
    """(case, notice, kind, report deadline id, its due_at, report_due_on) of the cases'
    live notices, oldest first (`_live`): every list page asks, so on PostgreSQL a
    prepared statement."""
    if connection.vendor == "postgresql":
        return prepared.fetchall(_live_notices_statement(), ("bigint[]",), [case_ids])
    return list(
        _live(EnforcementNotice.objects.filter(AnyOf(F("case_id"), case_ids)))
        .order_by("issued_at", "pk")
        .values_list(
            "case_id", "pk", "kind", "report_deadline_id", "report_deadline__due_at",
            "report_due_on",
        )
    )  # fmt: skip


def notices_next_steps_prefetch(cases) -> None:
    """The next steps of many cases (a list page), kept on each case: at most four queries
    of plain values (the live notices, their service records, the debtors, the orders'
    reports), none but the first on a page without live notices. The answer is the same
    as `notices_next_steps` reading each case alone (`_steps_from` decides for both)."""
    cases = [case for case in cases if case.status == CaseStatus.IN_PROGRESS]
    if not cases:
        return
    live = _live_notice_rows([case.pk for case in cases])
    first_live: dict[tuple[int, str], tuple] = {}  # (case, kind) → its first live notice
    for row in live:
        first_live.setdefault((row[0], row[2]), row)
    served_by: dict[int, set[int]] = {}  # notice → recipients with a service record
    debtors_of: dict[int, list[int]] = {}
    reports_of: dict[int, dict[int, tuple]] = {}  # order → debtor → (received_on, checked_at)
    if first_live:
        notice_ids = [row[1] for row in first_live.values()]
        for notice_id, recipient_id in ServiceRecord.objects.filter(
            AnyOf(F("notice_id"), notice_ids)
        ).values_list("notice_id", "recipient_id"):
            served_by.setdefault(notice_id, set()).add(recipient_id)
        for case_id, party_id in (
            CaseParty.objects.filter(
                AnyOf(F("case_id"), {case_id for case_id, _kind in first_live}),
                role=EnforcementRole.DEBTOR,
            )
            .order_by("position", "pk")
            .values_list("case_id", "pk")
        ):
            debtors_of.setdefault(case_id, []).append(party_id)
        orders = [
            row[1] for (_case, kind), row in first_live.items()
            if kind == NoticeKind.ASSET_REPORT_ORDER
        ]  # fmt: skip
        if orders:
            for order_id, debtor_id, checked_at in (
                AssetReport.objects.filter(AnyOf(F("order_id"), orders))
                .order_by("pk")
                .values_list("order_id", "debtor_id", "checked_at")
            ):
                reports_of.setdefault(order_id, {})[debtor_id] = checked_at
    now = timezone.now()
    words: dict = {}
    for case in cases:
        debtors = debtors_of.get(case.pk, [])
        service = {}
        for kind in (NoticeKind.EXECUTION_NOTICE, NoticeKind.ASSET_REPORT_ORDER):
            row = first_live.get((case.pk, kind))
            if row is not None:
                recipients = served_by.get(row[1], set())
                service[kind] = bool(debtors) and all(d in recipients for d in debtors)
        order = first_live.get((case.pk, NoticeKind.ASSET_REPORT_ORDER))
        overdue = unchecked = False
        if order is not None and case.is_money_case:
            _case, order_id, _kind, deadline_id, due_at, due_on = order
            reports = reports_of.get(order_id, {})
            due_at = _report_due_at(due_at if deadline_id else None, due_on)
            overdue = any(d not in reports for d in debtors) and now > due_at
            unchecked = any(d in reports and reports[d] is None for d in debtors)
        steps = _steps_from(case, service, overdue=overdue, unchecked=unchecked, words=words)
        setattr(case, STEPS_ATTRIBUTE, steps)


def _step_words(action: str, kind: str) -> str:
    label = NoticeKind(kind).label
    if action == "issue":
        return _("发出%(t)s") % {"t": label}
    return _("送达%(t)s") % {"t": label}


def _next_steps(case, notices, parties, *, reports, words=None) -> list[str]:
    """The steps from the case's notices, recipients and reports (model rows)."""
    states = notice_states(case, notices=notices, parties=parties)
    service = {}
    for kind in (NoticeKind.EXECUTION_NOTICE, NoticeKind.ASSET_REPORT_ORDER):
        state = live_notice_state(states, kind)
        if state is not None:
            service[kind] = state.served
    report = asset_report_state(
        case,
        notices=notices,
        debtors=[p for p in parties if p.role == EnforcementRole.DEBTOR],
        reports=reports,
    )
    unchecked = any(r.report is not None and r.report.checked_at is None for r in report.debtors)
    return _steps_from(
        case, service, overdue=report.code == "overdue", unchecked=unchecked, words=words
    )


def _steps_from(case, service: dict, *, overdue: bool, unchecked: bool, words=None) -> list[str]:
    """`service`: for each notice kind with a live notice, whether every debtor has been
    served it; `overdue`: a debtor has not reported by the order's deadline; `unchecked`: a
    debtor's report awaits its check. `words`: a dict kept across the cases of a page (the
    same few sentences)."""
    words = {} if words is None else words
    steps = []
    for kind in (NoticeKind.EXECUTION_NOTICE, NoticeKind.ASSET_REPORT_ORDER):
        if kind == NoticeKind.ASSET_REPORT_ORDER and not case.is_money_case:
            continue
        action = "issue" if kind not in service else "serve" if not service[kind] else None
        if action is not None:
            if (action, kind) not in words:
                words[action, kind] = _step_words(action, kind)
            steps.append(words[action, kind])
    if overdue:
        steps.append(_("被执行人未按期报告财产：依法处理"))
    if unchecked:
        steps.append(_("核查财产报告"))
    return steps


def notice_clock(case: EnforcementCase) -> Deadline | None:
    """The 3-day notices clock, most recent first (started by the assignment)."""
    from deadlines.selectors import deadlines_for

    return deadlines_for(case).filter(kind="enforcement.notice_issue").order_by("-pk").first()


def cases_with_unserved_notices(queryset: QuerySet[EnforcementCase]) -> QuerySet:
    """Cases of `queryset` with a live notice not yet served on every debtor."""
    unserved = _live(EnforcementNotice.objects.filter(case=OuterRef("pk"))).filter(
        Exists(
            CaseParty.objects.filter(case=OuterRef("case_id"), role=EnforcementRole.DEBTOR)
            .annotate(notice_pk=OuterRef("pk"))
            .filter(~Exists(ServiceRecord.objects.filter(notice=OuterRef("notice_pk"),
                                                         recipient=OuterRef("pk"))))
        )
    )  # fmt: skip
    return queryset.filter(Exists(unserved))
