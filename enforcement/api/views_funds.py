"""API of the case-fund ledger, under /api/enforcement/funds/{case id}/…

Scoped through the case (case_get_for_user: outside the court's scope → 404). Bad input →
400 with field errors; a refusal of the ledger or the workflow (more than the balance, the
approver is the requester, wrong state) → 409 with the reason; a role that may not → 403.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from enforcement.funds_reconciliation import reconciliation_data
from enforcement.models import (
    CaseParty,
    DirectPayment,
    DisbursementStatus,
    EnforcementCase,
    FundEntry,
    FundReceipt,
)
from enforcement.selectors import case_get_for_user, enforcement_scope
from enforcement.selectors_funds import (
    case_fund_summary,
    court_cycle_average,
    disbursements_for,
    entries_for,
    receipt_states,
    reconciliation_scope,
)
from enforcement.services import funds as services

from .serializers_funds import (
    DirectPaymentCreateSerializer,
    DirectPaymentSerializer,
    DirectPaymentWithdrawSerializer,
    DisbursementRequestSerializer,
    DisbursementSelectionSerializer,
    FeeCreateSerializer,
    FundDisbursementSerializer,
    FundEntrySerializer,
    FundLedgerSerializer,
    FundReceiptSerializer,
    PaySerializer,
    ProposeSerializer,
    ReceiptCreateSerializer,
    ReconciliationSerializer,
    ReverseSerializer,
)


def ledger_data(case: EnforcementCase) -> dict:
    return {
        "case": case.pk,
        "case_number": case.case_number,
        "summary": case_fund_summary(case),
        "receipts": receipt_states(case, with_clocks=True),
        "cycle": court_cycle_average(EnforcementCase.objects.filter(pk=case.pk)),
    }


def _one(queryset, pk, field: str):
    """A record of this case named in the input, or 400 on that field."""
    found = queryset.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise ValidationError({field: [_("本案没有该记录。")]})
    return found


class CaseFundsViewSet(viewsets.GenericViewSet):
    """The case's fund ledger (案款, 一案一账号)."""

    serializer_class = FundLedgerSerializer
    lookup_value_regex = r"\d+"
    queryset = EnforcementCase.objects.none()

    def get_queryset(self):
        return enforcement_scope(self.request.user)

    def _case(self, pk) -> EnforcementCase:
        return case_get_for_user(self.request.user, pk)

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(responses=FundLedgerSerializer)
    def retrieve(self, request, pk=None):
        """GET: the summary (received, paid, fees, balance, outstanding) and each receipt
        with what it still holds and its payout deadline."""
        case = self._case(pk)
        return Response(FundLedgerSerializer(ledger_data(case)).data)

    @extend_schema(responses=FundEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def entries(self, request, pk=None):
        """The ledger's entries in order (paginated)."""
        case = self._case(pk)
        page = self.paginate_queryset(entries_for(case).order_by("-number"))
        return self.get_paginated_response(FundEntrySerializer(page, many=True).data)

    @extend_schema(methods=["GET"], responses=FundReceiptSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=ReceiptCreateSerializer, responses={201: FundReceiptSerializer}
    )
    # the receipts come whole, unpaginated (one per money received: few), as the schema says
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def receipts(self, request, pk=None):
        """GET: the receipts. POST: record money received (the payout clock starts)."""
        case = self._case(pk)
        if request.method == "GET":
            return Response(FundReceiptSerializer(receipt_states(case, with_clocks=True),
                                                  many=True).data)  # fmt: skip
        data = self._input(ReceiptCreateSerializer)
        control_id = data.pop("control_id", None)
        receipt = services.fund_receipt_record(
            case=case, actor=request.user, control=control_id, **data
        )
        state = next(s for s in receipt_states(case, with_clocks=True) if s.receipt == receipt)
        return Response(FundReceiptSerializer(state).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=FundDisbursementSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=DisbursementRequestSerializer,
        responses={201: FundDisbursementSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def disbursements(self, request, pk=None):
        """GET: the disbursements (paginated; ?status=requested…). POST: ask for one."""
        case = self._case(pk)
        if request.method == "GET":
            queryset = disbursements_for(case).order_by("-id")
            wanted = request.query_params.get("status")
            if wanted:
                if wanted not in DisbursementStatus.values:
                    raise ValidationError({"status": [_("未知状态。")]})
                queryset = queryset.filter(status=wanted)
            page = self.paginate_queryset(queryset)
            return self.get_paginated_response(FundDisbursementSerializer(page, many=True).data)
        data = self._input(DisbursementRequestSerializer)
        parties = CaseParty.objects.filter(case=case)
        recipient_id = data.pop("recipient", None)
        disbursement = services.disbursement_request(
            receipt=_one(FundReceipt.objects.filter(case=case), data.pop("receipt"), "receipt"),
            payee=_one(parties, data.pop("payee"), "payee"),
            recipient=_one(parties, recipient_id, "recipient") if recipient_id else None,
            actor=request.user,
            **data,
        )
        return Response(FundDisbursementSerializer(disbursement).data,
                        status=status.HTTP_201_CREATED)  # fmt: skip

    @extend_schema(
        request=ProposeSerializer, responses={201: FundDisbursementSerializer(many=True)}
    )
    @action(detail=True, methods=["post"])
    def propose(self, request, pk=None):
        """Split what a receipt holds among the applicants by shares (largest remainder, ties
        by position) and ask for all the payouts in one step."""
        case = self._case(pk)
        data = self._input(ProposeSerializer)
        receipt = _one(FundReceipt.objects.filter(case=case), data.pop("receipt"), "receipt")
        rows = services.disbursements_propose(receipt=receipt, actor=request.user, **data)
        fresh = disbursements_for(case).filter(pk__in=[r.pk for r in rows]).order_by("id")
        return Response(FundDisbursementSerializer(fresh, many=True).data,
                        status=status.HTTP_201_CREATED)  # fmt: skip

    def _selection(self, case, data, state: str):
        queryset = disbursements_for(case)
        ids = data.get("disbursements")
        if ids:
            found = list(queryset.filter(pk__in=ids))
            if len(found) != len(set(ids)):
                raise ValidationError({"disbursements": [_("有记录不属于本案。")]})
            return found
        receipt = _one(FundReceipt.objects.filter(case=case), data.get("receipt"), "receipt")
        queryset = queryset.filter(receipt=receipt, status=state)
        if data.get("recipient") is not None:
            queryset = queryset.filter(recipient_id=data["recipient"])
        found = list(queryset)
        if not found:
            raise ValidationError({"receipt": [_("该笔到账没有待办理的发放记录。")]})
        return found

    def _respond(self, case, rows):
        fresh = disbursements_for(case).filter(pk__in=[r.pk for r in rows]).order_by("id")
        return Response(FundDisbursementSerializer(fresh, many=True).data)

    @extend_schema(
        request=DisbursementSelectionSerializer, responses=FundDisbursementSerializer(many=True)
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve requested disbursements (an approver role; never the requester)."""
        case = self._case(pk)
        data = self._input(DisbursementSelectionSerializer)
        rows = self._selection(case, data, DisbursementStatus.REQUESTED)
        return self._respond(case, services.disbursements_approve(
            disbursements=rows, actor=request.user, note=data.get("note", "")))  # fmt: skip

    @extend_schema(
        request=DisbursementSelectionSerializer, responses=FundDisbursementSerializer(many=True)
    )
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        case = self._case(pk)
        data = self._input(DisbursementSelectionSerializer)
        rows = self._selection(case, data, DisbursementStatus.REQUESTED)
        return self._respond(case, services.disbursements_refuse(
            disbursements=rows, actor=request.user, note=data.get("note", "")))  # fmt: skip

    @extend_schema(
        request=DisbursementSelectionSerializer, responses=FundDisbursementSerializer(many=True)
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        case = self._case(pk)
        data = self._input(DisbursementSelectionSerializer)
        rows = self._selection(case, data, DisbursementStatus.REQUESTED)
        return self._respond(case, services.disbursements_cancel(
            disbursements=rows, actor=request.user, note=data.get("note", "")))  # fmt: skip

    @extend_schema(request=PaySerializer, responses=FundDisbursementSerializer(many=True))
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        """Pay approved disbursements: payout date and bank reference (one transfer: e.g. all
        of one receipt collected by one representative)."""
        case = self._case(pk)
        data = self._input(PaySerializer)
        rows = self._selection(case, data, DisbursementStatus.APPROVED)
        return self._respond(case, services.disbursements_pay(
            disbursements=rows, actor=request.user, paid_on=data["paid_on"],
            bank_reference=data["bank_reference"]))  # fmt: skip

    @extend_schema(request=FeeCreateSerializer, responses={201: FundEntrySerializer})
    @action(detail=True, methods=["post"])
    def fees(self, request, pk=None):
        """Take a fee (执行费 …) from the account."""
        case = self._case(pk)
        data = self._input(FeeCreateSerializer)
        receipt_id = data.pop("receipt", None)
        receipt = (
            _one(FundReceipt.objects.filter(case=case), receipt_id, "receipt")
            if receipt_id
            else None
        )
        entry = services.fund_fee_record(case=case, actor=request.user, receipt=receipt, **data)
        return Response(FundEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReverseSerializer, responses={201: FundEntrySerializer})
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        """Correct an entry by a reversing entry with a reason (the original stays)."""
        case = self._case(pk)
        data = self._input(ReverseSerializer)
        entry = _one(FundEntry.objects.filter(case=case), data["entry"], "entry")
        reversal = services.fund_entry_reverse(entry=entry, actor=request.user,
                                               reason=data["reason"])  # fmt: skip
        return Response(FundEntrySerializer(reversal).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=DirectPaymentSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=DirectPaymentCreateSerializer,
        responses={201: DirectPaymentSerializer},
    )
    # whole, unpaginated (a handful per case), as the schema says
    @action(detail=True, methods=["get", "post"], url_path="direct-payments",
            pagination_class=None, filter_backends=[])  # fmt: skip
    def direct_payments(self, request, pk=None):
        """GET: what the debtor paid the applicants directly (直接履行). POST: record one the
        applicant confirmed; it counts towards what they are owed, outside the account."""
        case = self._case(pk)
        if request.method == "GET":
            rows = DirectPayment.objects.filter(case=case).select_related("payee")
            return Response(DirectPaymentSerializer(rows, many=True).data)
        data = self._input(DirectPaymentCreateSerializer)
        payee = _one(CaseParty.objects.filter(case=case), data.pop("payee"), "payee")
        payment = services.direct_payment_record(case=case, payee=payee, actor=request.user,
                                                 **data)  # fmt: skip
        return Response(DirectPaymentSerializer(payment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DirectPaymentWithdrawSerializer, responses=DirectPaymentSerializer)
    @action(detail=True, methods=["post"], url_path="direct-payments/withdraw")
    def direct_payment_withdraw(self, request, pk=None):
        """Withdraw a direct payment recorded in error, with the reason (it stays listed)."""
        case = self._case(pk)
        data = self._input(DirectPaymentWithdrawSerializer)
        payment = _one(DirectPayment.objects.filter(case=case), data["payment"], "payment")
        payment = services.direct_payment_withdraw(payment=payment, actor=request.user,
                                                   reason=data["reason"])  # fmt: skip
        return Response(DirectPaymentSerializer(payment).data)

    @extend_schema(responses=ReconciliationSerializer)
    @action(detail=False, methods=["get"])
    def reconciliation(self, request):
        """案款对账 over the courts the caller supervises (?court=id for one)."""
        cases = reconciliation_scope(request.user)
        court = request.query_params.get("court")
        if court:
            if not court.isdigit():
                raise ValidationError({"court": [_("请填写法院编号。")]})
            cases = cases.filter(court_id=int(court))
        return Response(ReconciliationSerializer(reconciliation_data(cases)).data)
