"""执前督促: with the applicant's consent (recorded when the application is registered,
enforcement/services/filing.py `application_register(procedure="urging")`), the court
sends the 执前督促告知书 and the 履行通知书 and gives the debtor a window (the deadline kind
enforcement.urging_window, 15 days by default). Performed in the window → 督促履行完毕 and a
履行完毕证明: no number is consumed, no case appears in any list, no credit mark. Not
performed (or refused) → filed in one step, everything carried over: the same record gets
its number and the filing clocks.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_change, snapshot
from common.money import format_yuan, to_yuan
from common.pii import decrypt
from common.statemachine import TransitionNotAllowed
from deadlines.models import Deadline
from deadlines.registry import register_kind
from deadlines.services import deadline_cancel, deadline_meet, deadline_start
from documents.registry import get_type
from documents.selectors import document_missing_elements
from documents.services import document_issue

from .. import conf
from .. import document_kinds_filing as kinds
from ..models import CaseParty, CaseStatus, EnforcementCase, EnforcementRole
from ..selectors import acting_roles
from ..selectors_filing import URGING_WINDOW, case_clock
from ..states import COURT_STAFF, case_machine
from .filing import filing_clocks_start, filing_number_fields, require_filing_staff


def register_kinds() -> None:
    register_kind(
        URGING_WINDOW,
        label=gettext_lazy("执前督促履行期限"),
        unit="calendar_days",
        amount=conf.get("ENFORCEMENT_URGING_WINDOW_DAYS"),
        basis=gettext_lazy(
            "经申请执行人同意，在立案执行前督促被执行人自动履行；督促期间届满未履行的，依法立案执行"
            "（期间由各院规定，默认十五日）。"
        ),
        lead_times=(3, 1),
        pausable=False,
    )


# --- what the documents print -------------------------------------------------------------


def _identity(party) -> str:
    if party.kind == "person":
        return decrypt(party.id_number_encrypted) if party.id_number_encrypted else ""
    return party.credit_code or ""


def document_parties(case, *, roles=(EnforcementRole.APPLICANT, EnforcementRole.DEBTOR)):
    rows = []
    for link in (
        CaseParty.objects.filter(case=case, role__in=roles)
        .select_related("party")
        .order_by("role", "position", "pk")
    ):
        rows.append(
            {
                "role": link.get_role_display(),
                "name": link.name,
                "identity": _identity(link.party),
                "address": link.address or link.party.address,
            }
        )
    return rows


def basis_text(case) -> str:
    basis = case.basis
    return f"{basis.issuing_body}{basis.document_number}{basis.get_kind_display()}"


def obligations_text(case) -> str:
    parts = []
    if case.is_money_case:
        parts.append(
            _("给付金钱 %(total)s（本金 %(p)s、利息 %(i)s、诉讼费等费用 %(c)s）")
            % {
                "total": format_yuan(case.amount_ordered),
                "p": format_yuan(case.principal),
                "i": format_yuan(case.interest),
                "c": format_yuan(case.costs),
            }
        )
    if case.act_description:
        parts.append(case.act_description)
    return "；".join(parts)


def _require_urging(case, action) -> None:
    if case.status != CaseStatus.URGING:
        raise TransitionNotAllowed(
            _("当前状态为“%(state)s”，不能%(action)s。")
            % {"state": case.get_status_display(), "action": action}
        )


def _lock(case) -> EnforcementCase:
    return (
        EnforcementCase.objects.select_for_update().select_related("court", "basis").get(pk=case.pk)
    )


# --- the notices and the window -----------------------------------------------------------


@transaction.atomic
def urging_notices_issue(
    *, case, actor, payment_method: str, contact: str = ""
) -> tuple[object, object]:
    """Issue the 执前督促告知书 and the 履行通知书 and start the debtor's window. Refused with
    every missing element listed (e.g. a party's identity, the manner of payment) before
    anything is numbered. Returns (告知书, 履行通知书)."""
    locked = _lock(case)
    require_filing_staff(actor, locked.court)
    _require_urging(locked, _("发出督促文书"))
    window = case_clock(locked, URGING_WINDOW)
    if window is not None and window.state != Deadline.State.CANCELLED:
        raise TransitionNotAllowed(_("督促文书已经发出，督促期限届满日为 %(d)s。") % {
            "d": locked.urging_window_ends_on})  # fmt: skip
    clock = deadline_start(
        subject=locked, kind=URGING_WINDOW, owner=actor, organisation=locked.court, actor=actor
    )
    ends_on = timezone.localtime(clock.due_at).date()
    common = {
        "parties": document_parties(locked),
        "court": locked.court.name,
        "basis": basis_text(locked),
        "window_ends_on": ends_on,
        "contact": (contact or "").strip(),
    }
    applicants = CaseParty.objects.filter(case=locked, role=EnforcementRole.APPLICANT)
    names = [p.name for p in applicants.order_by("position", "pk")[:6]]
    count = applicants.count()
    documents = [
        (kinds.URGING_NOTICE, {
            **common,
            "applied_on": locked.applied_on,
            "consent": locked.urging_consent_note,
            "window_days": str(clock.amount),
        }),
        (kinds.PERFORMANCE_NOTICE, {
            **common,
            "parties": document_parties(locked, roles=(EnforcementRole.DEBTOR,)),
            "applicants": "、".join(names) + (_("等%(n)d人") % {"n": count} if count > 6 else ""),
            "obligations": obligations_text(locked),
            "amount": locked.amount_ordered if locked.is_money_case else None,
            "payment_method": (payment_method or "").strip(),
        }),
    ]  # fmt: skip
    # both documents' missing elements at once, before anything is numbered (the clock
    # started above goes back with the refusal: this is one transaction)
    missing = [
        _("%(title)s缺少法定要素：%(element)s") % {"title": get_type(kind).title, "element": e}
        for kind, data in documents
        for e in document_missing_elements(kind=kind, data=data)
    ]
    if missing:
        raise ValidationError(missing)
    notice, performance = (
        document_issue(kind=kind, subject=locked, organisation=locked.court, data=data,
                       actor=actor)
        for kind, data in documents
    )  # fmt: skip
    before = snapshot(locked)
    locked.urging_window_ends_on = ends_on
    locked.save(update_fields=["urging_window_ends_on", "updated_at"])
    audit_change(
        locked, actor=actor, before=before,
        note=_("发出执前督促告知书 %(a)s、履行通知书 %(b)s，督促期限至 %(d)s")
        % {"a": notice.number, "b": performance.number, "d": ends_on.isoformat()},
    )  # fmt: skip
    case.urging_window_ends_on = ends_on
    return notice, performance


# --- performed: the certificate, no case --------------------------------------------------


@transaction.atomic
def urging_performed(
    *,
    case,
    actor,
    performed_on: datetime.date,
    manner: str,
    amount_paid=None,
    note: str = "",
):
    """The debtor performed under the urging: 督促履行完毕 and the 履行完毕证明. A money case
    must be paid in full (a part payment is no performance: file for the rest). No number,
    no case. Returns the certificate."""
    locked = _lock(case)
    if not (acting_roles(actor, locked.court) & COURT_STAFF):
        raise PermissionDenied(_("只有本院工作人员可以记录督促履行情况。"))
    _require_urging(locked, _("记录督促履行完毕"))
    errors: dict[str, list] = {}
    manner = (manner or "").strip()
    if not manner:
        errors["manner"] = [_("请写明履行方式（如银行转账、当面交付）。")]
    if not isinstance(performed_on, datetime.date):
        errors["performed_on"] = [_("请填写履行完毕日期。")]
    elif performed_on > timezone.localdate():
        errors["performed_on"] = [_("履行日期不能晚于今天。")]
    elif performed_on < locked.applied_on:
        errors["performed_on"] = [_("履行日期不能早于申请执行日期。")]
    paid = None
    if locked.is_money_case:
        try:
            paid = to_yuan(amount_paid) if amount_paid not in (None, "") else None
        except (TypeError, ValueError):
            paid = None
        if paid is None:
            errors["amount_paid"] = [_("请填写被执行人已履行的金额（元）。")]
        elif paid != locked.amount_ordered:
            errors["amount_paid"] = [
                _("已履行 %(paid)s，与执行标的 %(due)s 不符：未全部履行的，请立案执行。")
                % {"paid": format_yuan(paid), "due": format_yuan(locked.amount_ordered)}
            ]
    if errors:
        raise ValidationError(errors)
    refusal = case_machine.refusal(locked, "urging_performed", actor)
    if refusal:
        raise TransitionNotAllowed(refusal)
    certificate = document_issue(
        kind=kinds.PERFORMANCE_CERTIFICATE,
        subject=locked,
        organisation=locked.court,
        data={
            "parties": document_parties(locked),
            "court": locked.court.name,
            "basis": basis_text(locked),
            "obligations": obligations_text(locked),
            "amount": paid,
            "performed_on": performed_on,
            "manner": manner,
        },
        actor=actor,
    )
    conclusion = _(
        "督促期间被执行人于 %(d)s 以%(m)s履行完毕%(amount)s；出具履行完毕证明 %(n)s，不予立案。"
    ) % {
        "d": performed_on.isoformat(),
        "m": manner,
        "amount": f"（{format_yuan(paid)}）" if paid is not None else "",
        "n": certificate.number,
    }
    if note:
        conclusion += note.strip()
    window = case_clock(locked, URGING_WINDOW)

    def after(updated):
        if window is not None and window.is_open:
            deadline_meet(window, actor=actor)

    case_machine.apply(
        case, "urging_performed", actor=actor, note=conclusion[:200],
        changes={"concluded_at": timezone.now(), "conclusion_note": conclusion},
        after=after,
    )  # fmt: skip
    return certificate


# --- not performed: filing in one step ----------------------------------------------------


@transaction.atomic
def urging_file(*, case, actor, note: str = "") -> EnforcementCase:
    """The debtor did not perform in the window (or refused): file the same application —
    basis, parties, shares, representatives and target stay as recorded; the number comes
    from the court's sequence and the filing clocks start."""
    locked = _lock(case)
    require_filing_staff(actor, locked.court)
    refusal = case_machine.refusal(locked, "file", actor)
    if refusal:
        raise TransitionNotAllowed(refusal)
    fields = filing_number_fields(locked, actor=actor)
    window = case_clock(locked, URGING_WINDOW)
    ended = locked.urging_window_ends_on and locked.urging_window_ends_on < timezone.localdate()
    reason = (note or "").strip() or (
        _("督促期限届满未履行，转立案执行") if ended else _("被执行人未履行，转立案执行")
    )

    def after(filed):
        if window is not None and window.is_open:
            deadline_cancel(window, actor=actor, reason=reason)
        filing_clocks_start(filed, actor=actor)

    filed = case_machine.apply(
        case, "file", actor=actor, note=f"{fields['case_number']}：{reason}",
        changes=fields, after=after,
    )  # fmt: skip
    return filed


def urging_window_over(case) -> bool:
    return bool(
        case.status == CaseStatus.URGING
        and case.urging_window_ends_on
        and case.urging_window_ends_on < timezone.localdate()
    )


def next_steps(case) -> list[str]:
    """For the officer's / clerk's next legal step (enforcement.panels.register_next_step)."""
    if case.status != CaseStatus.URGING:
        return []
    if case.urging_window_ends_on is None:
        return [_("发出执前督促告知书和履行通知书")]
    if urging_window_over(case):
        return [_("督促期限已届满未履行：立案执行")]
    return [_("督促期限 %(d)s 届满：履行的出具履行完毕证明，未履行的立案") % {
        "d": case.urging_window_ends_on.isoformat()}]  # fmt: skip
