"""API serializers of the enforcement guarantee (enf-guarantee). Money is a string of yuan; a
JSON number is refused with 400 (common.api.MoneyField). Names are prefixed "Guarantee" to
keep the schema's component names unique. The guarantor's ID number or credit code is taken
in and never answered (the portal keeps it encrypted on the party)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.models import Party
from common.api import MoneyField
from enforcement.models import EnforcementGuarantee, GuaranteeKind, GuarantorKind
from enforcement.services.guarantee import MAX_GUARANTEE_PERIOD_MONTHS, guarantee_period_ends_on

PERIOD_HELP = (
    f"担保书载明的担保期间（月，1–{MAX_GUARANTEE_PERIOD_MONTHS}），自暂缓执行期限届满"
    "（和解协议最后履行期限届满）之日起算；未载明的省略或 null，按一年计"
)


def period_field():
    return serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1,
        max_value=MAX_GUARANTEE_PERIOD_MONTHS, help_text=PERIOD_HELP,
    )  # fmt: skip


class GuaranteeRecordSerializer(serializers.ModelSerializer):
    amount = MoneyField(help_text="担保金额（元）")
    received = MoneyField(read_only=True, help_text="担保人已代偿到案的金额（元）")
    guarantor_party = serializers.IntegerField(
        source="guarantor_party_id", read_only=True, allow_null=True,
        help_text="恢复执行后追加的担保人（本案当事人 id）",
    )  # fmt: skip
    decision_number = serializers.CharField(
        source="decision.number", read_only=True, allow_null=True,
        help_text="暂缓执行决定书的编号（案号形式）",
    )  # fmt: skip
    decision_verification_code = serializers.CharField(
        source="decision.verification_code_display", read_only=True, allow_null=True,
        help_text="暂缓执行决定书的核验码",
    )  # fmt: skip

    enforcement_ruling_number = serializers.CharField(
        source="enforcement_ruling.number", read_only=True, allow_null=True,
        help_text="执行担保财产/担保人财产的执行裁定书的编号（案号形式）",
    )  # fmt: skip
    enforcement_ruling_verification_code = serializers.CharField(
        source="enforcement_ruling.verification_code_display", read_only=True, allow_null=True,
        help_text="执行裁定书的核验码",
    )  # fmt: skip
    guarantee_period_ends_on = serializers.SerializerMethodField(
        help_text="担保期间届满之日（此后申请执行担保人的，不予准许）"
    )

    class Meta:
        model = EnforcementGuarantee
        fields = ["id", "status", "kind", "guarantor_kind", "guarantor_name",
                  "property_description", "amount", "received", "applicant_consent",
                  "consent_note", "suspension_until", "reason", "requested_by", "requested_at",
                  "approver", "decided_at", "decision_note", "ended_at", "end_note",
                  "applied_on", "early", "guarantor_party", "guarantor_notice",
                  "guarantor_told_at", "guarantor_told_by", "settlement",
                  "undertaking", "decision", "decision_number",
                  "decision_verification_code", "guarantee_period_months",
                  "guarantee_period_ends_on", "enforcement_ruling",
                  "enforcement_ruling_number",
                  "enforcement_ruling_verification_code"]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.DATE)
    def get_guarantee_period_ends_on(self, guarantee):
        return guarantee_period_ends_on(guarantee).isoformat()


class GuaranteeOverviewSerializer(serializers.Serializer):
    case = serializers.IntegerField(help_text="案件 id")
    case_number = serializers.CharField(help_text="案号")
    status = serializers.CharField(help_text="案件状态")
    latest_suspension_day = serializers.DateField(help_text="今天提供担保时暂缓执行的最迟日期")
    guarantees = GuaranteeRecordSerializer(many=True, help_text="本案的执行担保，新者在前")


class GuarantorInput(serializers.Serializer):
    """Who guarantees what, as a guarantee offer and a settlement's guarantee both name it."""

    kind = serializers.ChoiceField(choices=GuaranteeKind.choices, help_text="担保方式")
    guarantor_kind = serializers.ChoiceField(choices=GuarantorKind.choices, help_text="担保人类型")
    guarantor_name = serializers.CharField(max_length=120, help_text="担保人姓名或名称")
    guarantor_id_number = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="自然人担保人的身份证号码"
    )
    guarantor_credit_code = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="单位担保人的统一社会信用代码"
    )
    guarantor_phone = serializers.CharField(required=False, allow_blank=True, default="")
    guarantor_address = serializers.CharField(
        required=False, allow_blank=True, default="",
        max_length=Party._meta.get_field("address").max_length,
    )  # fmt: skip
    property_description = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="担保财产（财产担保必填）"
    )
    amount = MoneyField(help_text="担保金额（元），字符串")


class GuaranteeOfferInput(GuarantorInput):
    suspension_until = serializers.DateField(help_text="暂缓执行至（最长一年）")
    applicant_consent = serializers.BooleanField(help_text="申请执行人同意（必须为 true）")
    consent_note = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    approver = serializers.IntegerField(help_text="审批人（本院院长）的用户 id")
    guarantee_period_months = period_field()


class GuaranteeNoteInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class GuaranteeEnforceInput(serializers.Serializer):
    applied_on = serializers.DateField(help_text="申请执行人申请恢复执行的日期")
    note = serializers.CharField(help_text="被执行人未履行（或担保人处分担保财产）的情况")
    early = serializers.BooleanField(
        required=False, default=False,
        help_text="期限届满前恢复执行（担保人转移、隐藏、变卖、毁损担保财产）",
    )  # fmt: skip
    told_by = serializers.CharField(required=False, allow_blank=True, default="",
                                    help_text="告知担保人的方式")  # fmt: skip


class GuaranteeReceiptInput(serializers.Serializer):
    amount = MoneyField(help_text="担保人代偿金额（元），字符串")
    received_on = serializers.DateField(help_text="到账日期")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class GuaranteeReceiptSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="案款收款记录 id")
    amount = MoneyField(help_text="金额（元）")
    source = serializers.CharField(help_text="来源：guarantor（担保人代偿）")
    received_on = serializers.DateField()


class GuaranteeSettlementInput(GuarantorInput):
    """The guarantee a settlement agreement names (执行和解协议约定的担保)."""

    undertaking = serializers.BooleanField(
        help_text="担保人向法院承诺被执行人不履行和解协议时自愿接受直接强制执行（须为 true）"
    )
    guarantee_period_months = period_field()
    reason = serializers.CharField(required=False, allow_blank=True, default="")
