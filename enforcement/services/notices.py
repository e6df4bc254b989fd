"""Issuing the notices (DOMAIN.md, "Legal rules / Enforcement clocks": 执行通知书 and, in
money cases, 报告财产令 within 3 days of the file reaching the officer; the debtor's
reporting period set in the order). Service is in notice_service.py, the debtor's report
in asset_reports.py; the three share the checks at the top of this module.

- `notices_issue` / `notice_issue`: the 执行通知书 (every case) and the 报告财产令 (money
  cases) from the record, through the documents service. Data lacking a legally required
  element is refused (ValidationError listing each element) before anything is numbered.
  Issuing the notices the case needs meets the open `enforcement.notice_issue` clock (the
  assignment starts it; late → closed as missed); the order starts the debtor's clock
  `enforcement.asset_report_due` with the order's period.
- `notice_revoke`: revokes the document (documents service) and cancels the order's clock.

Who: the enforcing court's own staff (clerk, officer, president, administrator) on a case
in progress; a refused step raises TransitionNotAllowed (API 409), bad input
ValidationError (400), a user without the role PermissionDenied (403). Every write is
audited in its transaction.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_change, audit_create, snapshot
from cases.models import Party
from common import pii
from common.money import format_yuan
from common.statemachine import TransitionNotAllowed
from deadlines import services as deadline_services
from deadlines.engine import resolve_rule
from deadlines.models import Deadline
from deadlines.selectors import deadlines_for
from documents.models import IssuedDocument
from documents.registry import get_type
from documents.rendering import missing_elements
from documents.services import document_issue, document_revoke
from enforcement import document_kinds_notices as kinds
from enforcement.case_data import shared
from enforcement.models import (
    OPEN_STATUSES,
    CaseParty,
    CaseStatus,
    EnforcementCase,
    EnforcementNotice,
    EnforcementRole,
    NoticeKind,
)
from enforcement.numbers import case_number_normalise
from enforcement.selectors import acting_roles
from organisations.roles import Role

NOTICE_CLOCK = "enforcement.notice_issue"
REPORT_CLOCK = "enforcement.asset_report_due"

# Who issues, serves and records: the court's own staff. A higher court's supervisors read
# the case (court_roles) but do not act in it; the court's own president may.
NOTICE_STAFF = frozenset({Role.CLERK, Role.ENFORCEMENT_OFFICER, Role.SUPERVISOR, Role.ADMIN})

DOCUMENT_KIND = {
    NoticeKind.EXECUTION_NOTICE: kinds.EXECUTION_NOTICE,
    NoticeKind.ASSET_REPORT_ORDER: kinds.ASSET_REPORT_ORDER,
}
# Late-payment interest: 加倍部分债务利息 = outstanding × 0.0175 % a day (DOMAIN.md).
LATE_INTEREST_RATE_TEXT = "日万分之一点七五"
APPLICANT_NAMES_SHOWN = 5

# --- configuration ---------------------------------------------------------------------------


def report_days_range() -> tuple[int, int]:
    """The reporting periods an order may give (ENFORCEMENT_ASSET_REPORT_DAYS_RANGE)."""
    low, high = getattr(settings, "ENFORCEMENT_ASSET_REPORT_DAYS_RANGE", (5, 10))
    return int(low), int(high)


def default_report_days(court) -> int:
    """The court's default period: its local deadline rule for the report clock (admin
    table, deadlines.DeadlineRule) if one is set in days, else ENFORCEMENT_ASSET_REPORT_DAYS
    (7), kept inside the allowed range."""
    rule = resolve_rule(REPORT_CLOCK, court)
    days = rule.amount if rule.unit == "calendar_days" else 7
    low, high = report_days_range()
    return min(max(days, low), high)


# --- small helpers ----------------------------------------------------------------------------


def may_act(case: EnforcementCase, actor) -> bool:
    return bool(acting_roles(actor, case.court) & NOTICE_STAFF)


def require_staff(case: EnforcementCase, actor) -> None:
    if not may_act(case, actor):
        raise PermissionDenied(_("只有本院执行人员可以办理。"))


def require_open(case: EnforcementCase, action: str, *, statuses=OPEN_STATUSES) -> None:
    if case.status not in statuses:
        raise TransitionNotAllowed(
            _("案件当前状态为“%(state)s”，不能%(action)s。")
            % {"state": case.get_status_display(), "action": action}
        )


def lock_case(case: EnforcementCase) -> EnforcementCase:
    return (
        EnforcementCase.objects.select_for_update(of=("self",))
        .select_related("court", "court__region", "basis", "officer")
        .get(pk=case.pk)
    )


def lock_case_number(case_number: str) -> bool:
    """The row lock of the case numbered `case_number` (as `lock_case` takes it), for the
    documents service: registered with `documents.registry.register_case_number_lock`, so a
    replacement of one of the case's documents is numbered under it (号之N). False when no
    case has that number."""
    locked = list(
        EnforcementCase.objects.select_for_update(of=("self",))
        .filter(case_number_key=case_number_normalise(case_number), case_number=case_number)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return bool(locked)


def notice_is_live(notice: EnforcementNotice) -> bool:
    return notice.revoked_at is None and notice.document.status == IssuedDocument.Status.ISSUED


def _sync_revoked(notices, *, actor) -> list[EnforcementNotice]:
    """Notices whose document was revoked or replaced on the documents page stop counting:
    mark them (so a new one may be issued) and close the order's clock. Returns the live."""
    live = []
    for notice in notices:
        if notice.revoked_at is None and notice.document.status != IssuedDocument.Status.ISSUED:
            _retire(notice, actor=actor, reason=notice.document.get_status_display())
        elif notice.revoked_at is None:
            live.append(notice)
    return live


def _retire(notice: EnforcementNotice, *, actor, reason: str) -> None:
    before = snapshot(notice)
    notice.revoked_at = timezone.now()
    notice.revoke_reason = reason[:200]
    notice.save(update_fields=["revoked_at", "revoke_reason"])
    audit_change(notice, actor=actor, before=before, note=_("撤销：%(r)s") % {"r": reason})
    clock = notice.report_deadline
    if clock is not None and clock.state in Deadline.OPEN_STATES:
        deadline_services.deadline_cancel(clock, actor=actor, reason=_("报告财产令已撤销"))


def live_notices(case: EnforcementCase) -> list[EnforcementNotice]:
    notices = case.notices.filter(revoked_at__isnull=True).select_related(
        "document", "report_deadline"
    )
    return [n for n in notices if n.document.status == IssuedDocument.Status.ISSUED]


def required_kinds(case: EnforcementCase) -> list[str]:
    """执行通知书 always; 报告财产令 in money cases."""
    wanted = [NoticeKind.EXECUTION_NOTICE]
    if case.is_money_case:
        wanted.append(NoticeKind.ASSET_REPORT_ORDER)
    return wanted


# --- the documents' data, from the record ----------------------------------------------------


def _identity(party: Party) -> str:
    if party.kind == Party.Kind.PERSON:
        return pii.decrypt(party.id_number_encrypted) if party.id_number_encrypted else ""
    return party.credit_code or ""


def case_parties(case: EnforcementCase, role: str, *, persons: bool = True) -> list[CaseParty]:
    """The case's parties in `role` by position, with the person behind each (`persons`:
    identity, kind, address for the documents' data)."""
    data = shared(case)
    if data is not None:  # the case page: one read for all its sections
        return data.parties_with_persons(role) if persons else data.parties_of(role)
    return list(
        case.case_parties.filter(role=role).select_related("party").order_by("position", "pk")
    )


def _debtor_rows(case: EnforcementCase) -> list[dict]:
    rows = []
    for link in case_parties(case, EnforcementRole.DEBTOR):
        party = link.party
        representative = ""
        if party.kind == Party.Kind.ORGANISATION and party.legal_representative:
            representative = _("法定代表人：%(n)s") % {"n": party.legal_representative}
        rows.append(
            {
                "name": link.name,
                "identity": _identity(party),
                "address": link.address or party.address,
                "representative": representative,
            }
        )
    return rows


def _applicant_names(case: EnforcementCase) -> str:
    """Names as recorded on the case; many applicants (400 workers) are named by the first
    few: 张三、李四等400人."""
    names = [link.name for link in case_parties(case, EnforcementRole.APPLICANT, persons=False)]
    if len(names) <= APPLICANT_NAMES_SHOWN:
        return "、".join(names)
    return _("%(names)s等%(n)s人") % {
        "names": "、".join(names[:APPLICANT_NAMES_SHOWN]),
        "n": len(names),
    }


def _basis_text(case: EnforcementCase) -> str:
    basis = case.basis
    return f"{basis.issuing_body}{basis.document_number}{basis.get_kind_display()}"


def _late_interest_from(case: EnforcementCase) -> datetime.date | None:
    if case.late_interest_from:
        return case.late_interest_from
    last = case.basis.last_performance_date
    return last + datetime.timedelta(days=1) if last else None


def _late_interest_text(case: EnforcementCase) -> str:
    parts = []
    if case.is_money_case:
        start = _late_interest_from(case)
        since = (
            _("自%(d)s起") % {"d": f"{start.year}年{start.month}月{start.day}日"}
            if start
            else _("自法律文书确定的履行期间届满之次日起")
        )
        parts.append(
            _(
                "加倍支付迟延履行期间的债务利息（%(since)s至实际履行之日止，以未履行部分为基数，"
                "按%(rate)s计算）"
            )
            % {"since": since, "rate": LATE_INTEREST_RATE_TEXT}
        )
    if case.target_kind != "money":
        parts.append(
            _(
                "逾期不履行上述行为义务的，应当支付迟延履行金；已经造成损失的，双倍补偿申请执行人已经受到的损失"
            )  # noqa: E501
        )
    return "；".join(parts)


def _breakdown(case: EnforcementCase) -> str:
    parts = []
    for label, value in ((_("本金"), case.principal), (_("利息"), case.interest),
                         (_("诉讼费等费用"), case.costs)):  # fmt: skip
        if value:
            parts.append(f"{label}{format_yuan(value)}")
    return "、".join(parts) if len(parts) > 1 else ""


def notice_document_data(
    case: EnforcementCase, kind: str, *, report_days: int | None = None,
    report_due_on: datetime.date | None = None,
) -> dict:  # fmt: skip
    """What the document prints, all from the record (names as the case recorded them)."""
    filed = timezone.localtime(case.filed_at).date() if case.filed_at else None
    money = case.is_money_case and case.amount_ordered > 0
    data = {
        "court": case.court.name,
        "case_number": case.case_number,
        "debtors": _debtor_rows(case),
        "applicants": _applicant_names(case),
        "basis": _basis_text(case),
        "filed_on": filed,
        "amount": case.amount_ordered if money else None,
        "officer": str(case.officer) if case.officer_id else "",
    }
    if kind == NoticeKind.EXECUTION_NOTICE:
        data.update(
            basis_effective_on=case.basis.effective_on,
            amount_breakdown=_breakdown(case) if money else "",
            act=case.act_description.strip() if case.target_kind != "money" else "",
            late_interest=_late_interest_text(case),
        )
    else:
        data.update(
            report_days=str(report_days) if report_days else "",
            report_due_on=report_due_on,
        )
    return data


def notice_missing_elements(
    case: EnforcementCase, kind: str, *, data: dict | None = None
) -> list[str]:
    """The labels the documents service would refuse for, plus the two it cannot know: a
    money case needs its amount, an act case its act. An issuing page lists them first."""
    document_type = get_type(DOCUMENT_KIND[kind])
    if data is None:
        placeholder = timezone.localdate() if kind == NoticeKind.ASSET_REPORT_ORDER else None
        page = shared(case)
        days = page.report_days if page is not None else default_report_days(case.court)
        data = notice_document_data(case, kind, report_days=days, report_due_on=placeholder)
    problems = missing_elements(document_type, data)
    if case.is_money_case and not data.get("amount"):
        problems.append(str(_("执行标的金额")))
    if kind == NoticeKind.EXECUTION_NOTICE and case.target_kind != "money" and not data.get("act"):
        problems.append(str(_("应履行的行为")))
    return list(dict.fromkeys(problems))


def _refuse_missing(kind: str, problems: list[str]) -> None:
    title = NoticeKind(kind).label
    raise ValidationError(
        [
            ValidationError(
                _("%(title)s缺少法定要素：%(element)s") % {"title": title, "element": problem},
                code="missing_element",
            )
            for problem in problems
        ]
    )


# --- issuing ---------------------------------------------------------------------------------


def _clean_report_days(value) -> int:
    low, high = report_days_range()
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = None
    if days is None or isinstance(value, bool) or not low <= days <= high:
        raise ValidationError(
            {"report_days": [_("报告期限须为%(low)s至%(high)s日。") % {"low": low, "high": high}]}
        )
    return days


def _meet_notice_clock(case: EnforcementCase, live: list[EnforcementNotice], *, actor) -> None:
    """Once every notice the case needs is out, the 3-day clock is met (done late: closed
    as missed). A case assigned before the clock existed has none: nothing to meet."""
    have = {n.kind for n in live}
    if not all(kind in have for kind in required_kinds(case)):
        return
    clock = deadlines_for(case).filter(kind=NOTICE_CLOCK, state__in=Deadline.OPEN_STATES).first()
    if clock is not None:
        deadline_services.deadline_meet(clock, actor=actor)


def _issue_one(case, kind, *, actor, report_days, now) -> EnforcementNotice:
    report_due_on = clock = None
    if kind == NoticeKind.ASSET_REPORT_ORDER:
        # the clock first: the order prints the day the engine computes (a day off rolls on)
        clock = deadline_services.deadline_start(
            subject=case,
            kind=REPORT_CLOCK,
            organisation=case.court,
            owner=case.officer,
            actor=actor,
            start=now,
            amount=report_days,
            unit="calendar_days",
        )
        report_due_on = timezone.localtime(clock.due_at).date()
    data = notice_document_data(case, kind, report_days=report_days, report_due_on=report_due_on)
    problems = notice_missing_elements(case, kind, data=data)
    if problems:
        _refuse_missing(kind, problems)
    # numbered in the case's series (号, 号之一 …); the caller holds the case's row lock
    document = document_issue(
        kind=DOCUMENT_KIND[kind], subject=case, organisation=case.court, data=data, actor=actor,
        case_number=case.case_number,
    )  # fmt: skip
    notice = EnforcementNotice.objects.create(
        case=case,
        kind=kind,
        document=document,
        issued_at=document.issued_at,
        issued_by=actor,
        report_days=report_days if clock else None,
        report_due_on=report_due_on,
        report_deadline=clock,
    )
    audit_create(
        notice, actor=actor, note=_("发出%(t)s %(n)s") % {"t": notice.get_kind_display(),
                                                         "n": document.number}
    )  # fmt: skip
    return notice


@transaction.atomic
def notices_issue(
    *, case: EnforcementCase, kinds: list[str], actor, report_days: int | None = None
) -> list[EnforcementNotice]:
    """Issue the notices of `kinds` for `case` in one step (the officer usually sends both).

    Refused (TransitionNotAllowed, 409): a case not in progress (the file has not reached
    an officer, or it is concluded); a 报告财产令 in a case without a money target; a
    notice of a kind already issued and not revoked. Refused (ValidationError, 400): a
    reporting period outside the allowed range (5–10 days by default); a missing element.
    """
    kinds = list(dict.fromkeys(kinds))
    if not kinds:
        raise ValidationError({"kinds": [_("请选择要发出的文书。")]})
    unknown = [k for k in kinds if k not in NoticeKind.values]
    if unknown:
        raise ValidationError({"kinds": [_("未知的文书类型：%(k)s") % {"k": ", ".join(unknown)}]})
    require_staff(case, actor)
    locked = lock_case(case)
    require_open(locked, _("发出执行通知书或报告财产令"), statuses=(CaseStatus.IN_PROGRESS,))
    live = _sync_revoked(
        locked.notices.filter(revoked_at__isnull=True).select_related(
            "document", "report_deadline"
        ),
        actor=actor,
    )
    have = {n.kind for n in live}
    for kind in kinds:
        if kind == NoticeKind.ASSET_REPORT_ORDER and not locked.is_money_case:
            raise TransitionNotAllowed(_("本案执行标的为行为，不发报告财产令。"))
        if kind in have:
            raise TransitionNotAllowed(
                _("本案已发出%(t)s；如需更正，请先撤销原文书。") % {"t": NoticeKind(kind).label}
            )
    days = None
    if NoticeKind.ASSET_REPORT_ORDER in kinds:
        days = _clean_report_days(
            default_report_days(locked.court) if report_days in (None, "") else report_days
        )
    now = timezone.now()
    issued = [_issue_one(locked, k, actor=actor, report_days=days, now=now) for k in kinds]
    _meet_notice_clock(locked, live + issued, actor=actor)
    return issued


def notice_issue(
    *, case: EnforcementCase, kind: str, actor, report_days: int | None = None
) -> EnforcementNotice:
    return notices_issue(case=case, kinds=[kind], actor=actor, report_days=report_days)[0]


@transaction.atomic
def notice_revoke(*, notice: EnforcementNotice, actor, reason: str) -> EnforcementNotice:
    """Revoke the notice's document (it stays readable, marked 已撤销 on the public check
    page) and, for an order, cancel the debtor's clock. A new notice may then be issued."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写撤销原因。")]})
    case = notice.case
    require_staff(case, actor)
    locked = (
        EnforcementNotice.objects.select_for_update(of=("self",))
        .select_related("document", "report_deadline", "case")
        .get(pk=notice.pk)
    )
    if locked.revoked_at is not None:
        raise TransitionNotAllowed(_("该文书已撤销。"))
    if locked.document.status == IssuedDocument.Status.ISSUED:
        document_revoke(document=locked.document, actor=actor, reason=reason)
    _retire(locked, actor=actor, reason=reason)
    notice.refresh_from_db()
    return notice
