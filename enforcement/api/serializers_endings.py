"""API serializers of the case's endings (enf-endings). Money is a string of yuan; a JSON
number is refused with 400 (common.api.MoneyField). Names are prefixed "Endings" to keep the
schema's component names unique."""

from rest_framework import serializers

from common.api import MoneyField
from enforcement.api.serializers_guarantee import GuaranteeSettlementInput
from enforcement.models import (
    CaseEnding,
    FinalCheck,
    FinalCheckSchedule,
    FinalConclusionRequest,
    HeardBy,
    JudicialRelief,
    Settlement,
    SettlementInstalment,
    TerminationGround,
)


class EndingsInstalmentSerializer(serializers.ModelSerializer):
    amount = MoneyField(help_text="本期金额（元）")
    paid = MoneyField(read_only=True, help_text="已履行（元）")

    class Meta:
        model = SettlementInstalment
        fields = ["number", "due_on", "amount", "paid", "paid_on"]


class EndingsSettlementSerializer(serializers.ModelSerializer):
    total = MoneyField(help_text="和解金额（元）")
    instalments = EndingsInstalmentSerializer(many=True, read_only=True)
    guarantees = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="和解协议约定的执行担保（见执行担保接口）"
    )

    class Meta:
        model = Settlement
        fields = ["id", "status", "signed_on", "terms", "total", "guarantor", "guarantees",
                  "instalments",
                  "breach_note", "resumption_applied_on", "resumption_period_ends_on",
                  "resumption_late"]  # fmt: skip


class EndingsConditionSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="条件代码")
    label = serializers.CharField(help_text="终本条件")
    met = serializers.BooleanField(help_text="是否具备")
    detail = serializers.CharField(help_text="不具备的原因或说明")


class EndingsFinalRequestSerializer(serializers.ModelSerializer):
    ruling_number = serializers.CharField(source="ruling.number", read_only=True, default="")

    class Meta:
        model = FinalConclusionRequest
        fields = ["id", "status", "work_done", "applicant_heard_on", "applicant_heard_by",
                  "applicant_opinion", "debtor_missing", "debtor_search", "credit_reason",
                  "report_reason", "conditions", "requested_by", "requested_at", "approver",
                  "decided_at", "decision_note", "ruling_number"]  # fmt: skip


class EndingsCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = FinalCheck
        fields = ["cycle", "due_on", "result", "findings_summary", "applicant_told_at",
                  "applicant_message"]  # fmt: skip


class EndingsScheduleSerializer(serializers.ModelSerializer):
    checks = EndingsCheckSerializer(many=True, read_only=True)
    resumed_case_number = serializers.CharField(
        source="resumed_case.case_number", read_only=True, default=""
    )

    class Meta:
        model = FinalCheckSchedule
        fields = ["status", "concluded_on", "next_due_on", "ends_on", "cycles_done",
                  "resumed_case", "resumed_case_number", "checks"]  # fmt: skip


class EndingsReliefSerializer(serializers.ModelSerializer):
    amount = MoneyField()
    cap = MoneyField(read_only=True)

    class Meta:
        model = JudicialRelief
        fields = ["id", "applicant", "status", "amount", "cap", "cap_basis", "hardship",
                  "requested_by", "approver", "decided_at", "decision_note"]  # fmt: skip


class EndingsEndingSerializer(serializers.ModelSerializer):
    document_number = serializers.CharField(
        source="document.number", read_only=True, allow_null=True,
        help_text="结案文书（终本或终结执行裁定书）的编号",
    )  # fmt: skip
    document_verification_code = serializers.CharField(
        source="document.verification_code_display", read_only=True, allow_null=True,
        help_text="结案文书的核验码",
    )  # fmt: skip

    class Meta:
        model = CaseEnding
        fields = ["kind", "ground", "reason", "bankruptcy_court", "controls_lifted", "ended_at",
                  "document", "document_number", "document_verification_code"]  # fmt: skip


class EndingsOverviewSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    case_number = serializers.CharField()
    status = serializers.CharField()
    settlements = EndingsSettlementSerializer(many=True)
    final_conditions = EndingsConditionSerializer(many=True, allow_null=True)
    final_requests = EndingsFinalRequestSerializer(many=True)
    schedule = EndingsScheduleSerializer(allow_null=True)
    reliefs = EndingsReliefSerializer(many=True)
    endings = EndingsEndingSerializer(many=True)


# --- input ---------------------------------------------------------------------------------


class EndingsInstalmentInput(serializers.Serializer):
    due_on = serializers.DateField()
    amount = MoneyField()


class EndingsSettleInput(serializers.Serializer):
    signed_on = serializers.DateField()
    terms = serializers.CharField()
    total = MoneyField()
    guarantor = serializers.CharField(required=False, allow_blank=True, default="")
    instalments = EndingsInstalmentInput(many=True, allow_empty=False)
    guarantee = GuaranteeSettlementInput(
        required=False, allow_null=True, default=None,
        help_text="和解协议约定的担保（担保人承诺自愿接受直接强制执行）",
    )  # fmt: skip


class EndingsPaymentInput(serializers.Serializer):
    amount = MoneyField()
    paid_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class EndingsBreachInput(serializers.Serializer):
    applied_on = serializers.DateField()
    note = serializers.CharField()


class EndingsFinalRequestInput(serializers.Serializer):
    approver = serializers.IntegerField(help_text="审批人（本院院长）的用户 id")
    work_done = serializers.CharField(allow_blank=True)
    applicant_heard_on = serializers.DateField(required=False, allow_null=True, default=None)
    applicant_heard_by = serializers.ChoiceField(choices=HeardBy.choices, required=False,
                                                 allow_blank=True, default="")  # fmt: skip
    applicant_opinion = serializers.CharField(required=False, allow_blank=True, default="")
    debtor_missing = serializers.BooleanField(required=False, default=False)
    debtor_search = serializers.CharField(required=False, allow_blank=True, default="")
    credit_reason = serializers.CharField(required=False, allow_blank=True, default="")
    report_reason = serializers.CharField(required=False, allow_blank=True, default="")


class EndingsDecisionInput(serializers.Serializer):
    request = serializers.IntegerField(help_text="终本申请或司法救助申请的 id")
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class EndingsReasonInput(serializers.Serializer):
    reason = serializers.CharField()
    applicant_asked = serializers.BooleanField(required=False, default=False)


class EndingsTerminateInput(serializers.Serializer):
    ground = serializers.ChoiceField(choices=TerminationGround.choices)
    reason = serializers.CharField()


class EndingsBankruptcyInput(serializers.Serializer):
    receiving_court = serializers.CharField()
    consent = serializers.CharField()
    reason = serializers.CharField()


class EndingsNoteInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class EndingsReliefInput(serializers.Serializer):
    applicant = serializers.IntegerField()
    approver = serializers.IntegerField()
    amount = MoneyField()
    hardship = serializers.CharField()


class EndingsResumedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case_number = serializers.CharField()
    status = serializers.CharField()
