"""API serializers of the case-fund ledger. Money is a string of yuan ("31775.00"); a JSON
number is refused with 400 (common.api.MoneyField)."""

from rest_framework import serializers

from common.api import MoneyField
from enforcement.models import (
    DirectPayment,
    DirectPaymentEvidence,
    DisbursementKind,
    FeeKind,
    FundDisbursement,
    FundEntry,
    ReceiptSource,
)
from enforcement.services.funds import VIA_INDIVIDUAL, VIA_REPRESENTATIVES

# --- output -------------------------------------------------------------------------------


class FundReceiptSerializer(serializers.Serializer):
    """A receipt with what it still holds and its payout deadline (enforcement.selectors_funds
    ReceiptState)."""

    id = serializers.IntegerField(source="receipt.pk")
    amount = MoneyField(source="receipt.amount")
    source = serializers.CharField(source="receipt.source")
    source_label = serializers.CharField(source="receipt.get_source_display")
    received_on = serializers.DateField(source="receipt.received_on")
    payer = serializers.CharField(source="receipt.payer")
    note = serializers.CharField(source="receipt.note")
    control_kind = serializers.CharField(source="receipt.control_kind")
    control_id = serializers.IntegerField(source="receipt.control_id", allow_null=True)
    reversed = serializers.BooleanField(help_text="到账已冲正")
    remaining = MoneyField(help_text="该笔到账尚在账上的金额")
    pending = MoneyField(help_text="已申请或已批准、尚未支付的金额")
    available = MoneyField(help_text="尚可申请发放的金额")
    paid_out = serializers.BooleanField(help_text="已全部支出")
    cycle_days = serializers.IntegerField(
        allow_null=True, help_text="发放周期（到账至最后支出的天数）"
    )
    payout_due_at = serializers.DateTimeField(source="clock.due_at", allow_null=True, default=None)
    payout_state = serializers.CharField(source="clock.state", allow_null=True, default=None)


class FundDisbursementSerializer(serializers.ModelSerializer):
    amount = MoneyField(read_only=True)
    kind = serializers.CharField(read_only=True, help_text="payout 发放申请执行人 / refund 退还")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    payee_name = serializers.CharField(source="payee.name", read_only=True)
    recipient_name = serializers.CharField(source="recipient.name", read_only=True)

    class Meta:
        model = FundDisbursement
        fields = [
            "id", "case", "receipt", "kind", "kind_label", "status", "status_label", "payee",
            "payee_name", "recipient", "recipient_name", "amount", "note", "requested_by",
            "requested_at", "decided_by", "decided_at", "decision_note", "paid_on",
            "bank_reference", "paid_by",
        ]  # fmt: skip
        read_only_fields = fields


class FundEntrySerializer(serializers.ModelSerializer):
    amount = MoneyField(read_only=True, help_text="带符号：正数为收入，负数为支出")
    kind = serializers.CharField(
        read_only=True,
        help_text="receipt 到账 / payout 发放 / refund 退还 / fee 费用 / reversal 冲正",
    )
    balance_after = MoneyField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    reversed_by = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    # blank on every entry but a fee's: a plain string, not the fee-kind enum (which "" breaks)
    fee_kind = serializers.CharField(
        read_only=True,
        help_text="费用分录的费用类型：enforcement_fee / appraisal / auction / other；其他分录为空",
    )

    class Meta:
        model = FundEntry
        fields = [
            "id", "number", "kind", "kind_label", "amount", "balance_after", "occurred_on",
            "receipt", "disbursement", "fee_kind", "reverses", "reversed_by", "reason",
            "created_by", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class FundSummarySerializer(serializers.Serializer):
    ordered = MoneyField(help_text="执行标的金额")
    received = MoneyField(help_text="到账合计（已扣除冲正）")
    paid_to_applicants = MoneyField(help_text="已发放申请执行人")
    paid_directly = MoneyField(help_text="直接履行（申请执行人确认，未经法院账户）")
    refunded = MoneyField(help_text="已退还")
    fees = MoneyField(help_text="费用")
    balance = MoneyField(help_text="账户余额（在账未发放）")
    reserved = MoneyField(help_text="已申请或已批准待支付")
    available = MoneyField(help_text="可申请发放")
    owed_to_applicants = MoneyField(help_text="申请执行人尚未受偿")
    outstanding = MoneyField(help_text="未执行到位：执行标的 − 已发放 − 直接履行 − 在账")


class CycleSerializer(serializers.Serializer):
    receipts = serializers.IntegerField(help_text="已全部发放的到账笔数")
    average_days = serializers.DecimalField(
        max_digits=8, decimal_places=1, allow_null=True, coerce_to_string=True
    )


class FundLedgerSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    case_number = serializers.CharField()
    summary = FundSummarySerializer()
    receipts = FundReceiptSerializer(many=True)
    cycle = CycleSerializer(help_text="本案的发放周期")


class DirectPaymentSerializer(serializers.ModelSerializer):
    amount = MoneyField()
    payee_name = serializers.CharField(source="payee.name", read_only=True)
    withdrawn = serializers.SerializerMethodField()

    class Meta:
        model = DirectPayment
        fields = [
            "id", "payee", "payee_name", "amount", "paid_on", "evidence", "note",
            "recorded_at", "withdrawn", "withdrawn_at", "withdrawal_reason",
        ]  # fmt: skip

    def get_withdrawn(self, payment) -> bool:
        return payment.withdrawn_at is not None


class MismatchSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    case_number = serializers.CharField()
    check = serializers.CharField(
        help_text="balance / numbering / receipt / disbursement / share / clock"
    )
    severity = serializers.CharField(help_text="error / warning")
    message = serializers.CharField()


class ReconciliationSerializer(serializers.Serializer):
    cases_checked = serializers.IntegerField()
    errors = serializers.IntegerField()
    warnings = serializers.IntegerField()
    court_cycle = CycleSerializer(help_text="范围内各法院的平均发放周期")
    mismatches = MismatchSerializer(many=True)


# --- input --------------------------------------------------------------------------------


class ReceiptCreateSerializer(serializers.Serializer):
    amount = MoneyField(help_text='到账金额（元），字符串，如 "31775.00"')
    source = serializers.ChoiceField(choices=ReceiptSource.choices)
    received_on = serializers.DateField()
    payer = serializers.CharField(required=False, allow_blank=True, max_length=120)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    control_kind = serializers.CharField(required=False, allow_blank=True, max_length=40)
    control_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class DisbursementRequestSerializer(serializers.Serializer):
    receipt = serializers.IntegerField(help_text="从哪一笔到账发放")
    payee = serializers.IntegerField(help_text="权利人（本案当事人 id）")
    recipient = serializers.IntegerField(required=False, allow_null=True,
                                         help_text="领款人：权利人本人或其代表人，默认本人")  # fmt: skip
    amount = MoneyField()
    kind = serializers.ChoiceField(
        choices=DisbursementKind.choices, default=DisbursementKind.PAYOUT
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class ProposeSerializer(serializers.Serializer):
    receipt = serializers.IntegerField()
    via = serializers.ChoiceField(
        choices=[(VIA_INDIVIDUAL, "逐人发放"), (VIA_REPRESENTATIVES, "通过代表人发放")],
        default=VIA_INDIVIDUAL,
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class DisbursementSelectionSerializer(serializers.Serializer):
    """Which disbursements: listed by id, or all of one receipt (in the state the action
    takes), optionally only those one recipient (representative) collects."""

    disbursements = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=5000
    )
    receipt = serializers.IntegerField(required=False)
    recipient = serializers.IntegerField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)

    def validate(self, attrs):
        if not attrs.get("disbursements") and attrs.get("receipt") is None:
            raise serializers.ValidationError({"disbursements": ["请选择发放记录或到账。"]})
        return attrs


class PaySerializer(DisbursementSelectionSerializer):
    paid_on = serializers.DateField()
    bank_reference = serializers.CharField(max_length=64)


class FeeCreateSerializer(serializers.Serializer):
    amount = MoneyField()
    fee_kind = serializers.ChoiceField(choices=FeeKind.choices)
    occurred_on = serializers.DateField()
    receipt = serializers.IntegerField(required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class ReverseSerializer(serializers.Serializer):
    entry = serializers.IntegerField()
    reason = serializers.CharField(max_length=500)


class DirectPaymentCreateSerializer(serializers.Serializer):
    payee = serializers.IntegerField(help_text="申请执行人（本案当事人 id）")
    amount = MoneyField(help_text='申请执行人确认收到的金额（元），字符串，如 "20000.00"')
    paid_on = serializers.DateField(help_text="履行日期")
    evidence = serializers.ChoiceField(choices=DirectPaymentEvidence.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class DirectPaymentWithdrawSerializer(serializers.Serializer):
    payment = serializers.IntegerField(help_text="直接履行记录 id")
    reason = serializers.CharField(max_length=500)
