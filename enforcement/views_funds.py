"""Pages of the case-fund ledger: the case's funds page (receipts, disbursements with their
approval and payout, fees, reversals, the ledger) and the supervisor's reconciliation.

Thin: parse a form, call one service, redirect. Bad input re-renders the page with the
form's errors (400); a refusal (more than the balance, wrong state, the approver is the
requester, a role that may not) is a message and a redirect back.
"""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.statemachine import TransitionNotAllowed

from .forms_funds import (
    BatchForm,
    DirectPaymentForm,
    DirectPaymentWithdrawForm,
    FeeForm,
    PayForm,
    ProposeForm,
    ReceiptForm,
    RequestForm,
    ReverseForm,
)
from .funds_reconciliation import reconciliation_data
from .models import (
    CaseParty,
    DirectPayment,
    DisbursementStatus,
    EnforcementRole,
    FundDisbursement,
    FundEntry,
    FundReceipt,
)
from .panels_funds import funds_panel_context
from .selectors import case_get_for_user, courts_visible_to
from .selectors_funds import (
    disbursements_for,
    entries_for,
    receipt_states,
    reconciliation_scope,
)
from .services import funds as services

PER_PAGE = 50


def _receipt_choices(states):
    return [
        (s.receipt.pk, f"{s.receipt.received_on:%Y-%m-%d} {s.receipt.get_source_display()} "
                       f"¥{s.receipt.amount:,.2f}（{_('可发放')} ¥{s.available:,.2f}）")
        for s in states if not s.reversed
    ]  # fmt: skip


def _applicant_choices(case):
    return [
        (p.pk, p.name) for p in CaseParty.objects.filter(case=case, role=EnforcementRole.APPLICANT)
    ]


def _party_choices(case):
    return [
        (p.pk, f"{p.get_role_display()}：{p.name}")
        for p in CaseParty.objects.filter(case=case).exclude(role=EnforcementRole.THIRD_PARTY)
    ]


def _page_context(request, case, failed: dict) -> dict:
    user = request.user
    context = funds_panel_context(case, user) or {"case": case}
    states = context.get("receipts") or receipt_states(case, with_clocks=True)
    # per receipt: how many disbursements wait for approval / payment, and who collects
    waiting = defaultdict(lambda: {"requested": 0, "approved": 0, "recipients": []})
    for receipt_id, status, recipient_id, recipient_name, count, total in (
        FundDisbursement.objects.filter(
            case=case, status__in=(DisbursementStatus.REQUESTED, DisbursementStatus.APPROVED)
        )
        .values_list("receipt_id", "status", "recipient_id", "recipient__name")
        .annotate(count=Count("id"), total=Sum("amount"))
        .order_by("receipt_id", "recipient__name")
    ):
        row = waiting[receipt_id]
        row[status] += count
        if status == DisbursementStatus.APPROVED:
            row["recipients"].append((recipient_id, f"{recipient_name}（{count}笔 ¥{total:,.2f}）"))
    rows = [(s, waiting[s.receipt.pk]) for s in states]
    disbursements = Paginator(
        disbursements_for(case).order_by("receipt_id", "id"), PER_PAGE
    ).get_page(request.GET.get("page"))
    entries = Paginator(entries_for(case).order_by("-number"), PER_PAGE).get_page(
        request.GET.get("entries")
    )
    receipt_choices = _receipt_choices(states)
    context.update(
        {
            "case": case,
            "rows": rows,
            "disbursements": disbursements,
            "entries": entries,
            "failed": failed,
            "receipt_form": failed.get("receipt") or ReceiptForm(),
            "fee_form": failed.get("fee") or FeeForm(receipts=receipt_choices),
            "request_form": failed.get("request")
            or RequestForm(receipts=receipt_choices, parties=_party_choices(case)),
            "reverse_form": failed.get("reverse") or ReverseForm(),
            "direct_form": failed.get("direct")
            or DirectPaymentForm(applicants=_applicant_choices(case)),
            "direct_payments": DirectPayment.objects.filter(case=case).select_related(
                "payee", "recorded_by", "withdrawn_by"
            ),
            "via_choices": ProposeForm.base_fields["via"].choices,
            "panel_html": render_to_string("enforcement/funds/panel.html", context, request),
        }
    )
    return context


def _page(request, case, *, failed=None, status=200):
    return render(request, "enforcement/funds/page.html",
                  _page_context(request, case, failed or {}), status=status)  # fmt: skip


@login_required
def funds_page(request, pk):
    return _page(request, case_get_for_user(request.user, pk))


def _run(form, call, success: str, request):
    """Call the service with the form's data; None when done, else the form with errors."""
    if not form.is_valid():
        return form
    try:
        call(form.cleaned_data)
    except ValidationError as exc:
        form.add_service_errors(exc)
        return form
    messages.success(request, success)
    return None


def _receipt(case, pk):
    receipt = FundReceipt.objects.filter(case=case, pk=pk).first()
    if receipt is None:
        raise ValidationError({"receipt": _("本案没有该笔到账。")})
    return receipt


def _waiting(case, data, status):
    queryset = FundDisbursement.objects.filter(
        case=case, receipt=_receipt(case, data["receipt"]), status=status
    ).select_related("case", "receipt")
    if data.get("recipient"):
        queryset = queryset.filter(recipient_id=data["recipient"])
    found = list(queryset)
    if not found:
        raise ValidationError({"receipt": _("该笔到账没有待办理的发放记录。")})
    return found


def step_receipt(request, case):
    return _run(ReceiptForm(request.POST), lambda d: services.fund_receipt_record(
        case=case, actor=request.user, **d), _("已登记到账，发放期限开始计算。"), request)  # fmt: skip


def step_fee(request, case):
    states = receipt_states(case)
    form = FeeForm(request.POST, receipts=_receipt_choices(states))

    def call(d):
        receipt_id = d.pop("receipt", None)
        receipt = _receipt(case, receipt_id) if receipt_id else None
        services.fund_fee_record(case=case, actor=request.user, receipt=receipt, **d)

    return _run(form, call, _("已登记费用。"), request)


def step_request(request, case):
    states = receipt_states(case)
    form = RequestForm(request.POST, receipts=_receipt_choices(states),
                       parties=_party_choices(case))  # fmt: skip

    def call(d):
        services.disbursement_request(
            receipt=_receipt(case, d["receipt"]),
            payee=CaseParty.objects.get(case=case, pk=d["payee"]),
            amount=d["amount"], kind=d["kind"], note=d["note"], actor=request.user,
        )  # fmt: skip

    return _run(form, call, _("已提交发放申请，待审批。"), request)


def step_propose(request, case):
    def call(d):
        rows = services.disbursements_propose(
            receipt=_receipt(case, d["receipt"]), actor=request.user, via=d["via"]
        )
        messages.info(request, _("已按份额拟定 %(n)d 笔发放，待审批。") % {"n": len(rows)})

    return _run(ProposeForm(request.POST), call, _("已提交。"), request)


def step_approve(request, case):
    return _run(BatchForm(request.POST), lambda d: services.disbursements_approve(
        disbursements=_waiting(case, d, DisbursementStatus.REQUESTED), actor=request.user,
        note=d["note"]), _("已批准发放。"), request)  # fmt: skip


def step_refuse(request, case):
    return _run(BatchForm(request.POST), lambda d: services.disbursements_refuse(
        disbursements=_waiting(case, d, DisbursementStatus.REQUESTED), actor=request.user,
        note=d["note"]), _("已不予批准。"), request)  # fmt: skip


def step_cancel(request, case):
    return _run(BatchForm(request.POST), lambda d: services.disbursements_cancel(
        disbursements=_waiting(case, d, DisbursementStatus.REQUESTED), actor=request.user,
        note=d["note"]), _("已撤回发放申请。"), request)  # fmt: skip


def step_pay(request, case):
    return _run(PayForm(request.POST), lambda d: services.disbursements_pay(
        disbursements=_waiting(case, d, DisbursementStatus.APPROVED), actor=request.user,
        paid_on=d["paid_on"], bank_reference=d["bank_reference"]),
        _("已支付，并记入案款账。"), request)  # fmt: skip


def step_reverse(request, case):
    def call(d):
        entry = FundEntry.objects.filter(case=case, number=d["entry"]).first()
        if entry is None:
            raise ValidationError({"entry": _("本案没有该分录号。")})
        services.fund_entry_reverse(entry=entry, actor=request.user, reason=d["reason"])

    return _run(ReverseForm(request.POST), call, _("已冲正。"), request)


def step_direct(request, case):
    form = DirectPaymentForm(request.POST, applicants=_applicant_choices(case))

    def call(d):
        services.direct_payment_record(
            case=case, payee=CaseParty.objects.get(case=case, pk=d.pop("payee")),
            actor=request.user, **d,
        )  # fmt: skip

    return _run(form, call, _("已登记直接履行。"), request)


def step_direct_withdraw(request, case):
    def call(d):
        payment = DirectPayment.objects.filter(case=case, pk=d["payment"]).first()
        if payment is None:
            raise ValidationError({"payment": _("本案没有该直接履行记录。")})
        services.direct_payment_withdraw(payment=payment, actor=request.user, reason=d["reason"])

    return _run(DirectPaymentWithdrawForm(request.POST), call, _("已撤销该直接履行记录。"), request)


STEPS = {
    "direct": step_direct,
    "direct-withdraw": step_direct_withdraw,
    "receipt": step_receipt,
    "fee": step_fee,
    "request": step_request,
    "propose": step_propose,
    "approve": step_approve,
    "refuse": step_refuse,
    "cancel": step_cancel,
    "pay": step_pay,
    "reverse": step_reverse,
}


@login_required
@require_POST
def funds_step(request, pk, step):
    case = case_get_for_user(request.user, pk)
    handler = STEPS.get(step)
    if handler is None:
        raise Http404
    try:
        form = handler(request, case)
    except TransitionNotAllowed as exc:
        messages.error(request, exc.message)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("无权执行此操作。"))
    else:
        if form is not None:
            return _page(request, case, failed={step: form}, status=400)
    return redirect("enforcement:funds", pk=case.pk)


@login_required
def reconciliation_page(request):
    """案款对账: every mismatch in the courts the user supervises."""
    cases = reconciliation_scope(request.user)
    courts = [c for c in courts_visible_to(request.user).order_by("path")]
    court = request.GET.get("court", "")
    if court.isdigit():
        cases = cases.filter(court_id=int(court))
    return render(request, "enforcement/funds/reconciliation.html", {
        "report": reconciliation_data(cases), "courts": courts, "court": court})  # fmt: skip
