"""API shapes for filing. Money is a string of yuan ("31232.00"); a JSON number is refused."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.models import Party
from common.api import MoneyField
from enforcement.models import (
    BasisKind,
    CaseParty,
    EnforcementCase,
    EnforcementRole,
    LegalBasis,
    PerformanceDeadline,
    TargetKind,
)

# --- bases ------------------------------------------------------------------------------


class PerformanceDeadlineSerializer(serializers.ModelSerializer):
    amount = MoneyField(allow_null=True, read_only=True)

    class Meta:
        model = PerformanceDeadline
        fields = ["number", "due_date", "amount", "description"]
        read_only_fields = fields


class BasisSerializer(serializers.ModelSerializer):
    court_name = serializers.CharField(source="court.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    deadlines = PerformanceDeadlineSerializer(
        source="performance_deadlines", many=True, read_only=True
    )
    last_performance_date = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = LegalBasis
        fields = [
            "id", "court", "court_name", "kind", "kind_label", "issuing_body",
            "document_number", "effective_on", "main_text", "judicial_confirmation",
            "deadlines", "last_performance_date", "recorded_at",
        ]  # fmt: skip
        read_only_fields = fields


class DeadlineInputSerializer(serializers.Serializer):
    due_date = serializers.DateField(help_text="履行期限届满日")
    amount = MoneyField(required=False, allow_null=True, min_value=Decimal("0.01"))
    description = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )


class BasisCreateSerializer(serializers.Serializer):
    court = serializers.IntegerField(min_value=1, help_text="执行法院 id")
    kind = serializers.ChoiceField(choices=BasisKind.choices)
    issuing_body = serializers.CharField(max_length=120)
    document_number = serializers.CharField(
        max_length=60, help_text="文书编号，全角或半角括号均可，如（2026）蒙0302民初88号"
    )
    effective_on = serializers.DateField()
    main_text = serializers.CharField(required=False, allow_blank=True, default="")
    deadlines = DeadlineInputSerializer(
        many=True, allow_empty=False, help_text="一个履行期限，或分期履行的每一期"
    )


class BasisFilterSerializer(serializers.Serializer):
    number = serializers.CharField(required=False, allow_blank=True, max_length=60)


# --- confirmations ------------------------------------------------------------------------


class CarriedPartySerializer(serializers.Serializer):
    position = serializers.IntegerField(help_text="在当事人列表中的序号（从 0 起），供指定代表人")
    role = serializers.ChoiceField(choices=EnforcementRole.choices)
    name = serializers.CharField()
    share = MoneyField(allow_null=True)
    phone_masked = serializers.CharField()


class ConfirmationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case_number = serializers.CharField(help_text="民特案号")
    court = serializers.IntegerField(source="court_id")
    court_name = serializers.CharField(source="court.name")
    ruled_at = serializers.DateTimeField(allow_null=True)
    mediation_reference = serializers.CharField(source="agreement.case.reference")
    terms = serializers.CharField(source="agreement.terms")


class ConfirmationDetailSerializer(ConfirmationSerializer):
    deadlines = DeadlineInputSerializer(many=True)
    target_kind = serializers.ChoiceField(choices=TargetKind.choices)
    principal = MoneyField()
    act_description = serializers.CharField()
    parties = CarriedPartySerializer(many=True)


class ConfirmationTakeSerializer(serializers.Serializer):
    court = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text="执行法院 id（默认为作出裁定的法院）",
    )


# --- cases --------------------------------------------------------------------------------


class EnforcementCasePartySerializer(serializers.ModelSerializer):
    share = MoneyField(allow_null=True, read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = CaseParty
        fields = [
            "id", "role", "role_label", "position", "name", "phone_masked", "address", "share",
            "is_representative", "represented_by",
        ]  # fmt: skip
        read_only_fields = fields


class ClockSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    label = serializers.CharField()
    state = serializers.CharField()
    due_at = serializers.DateTimeField()
    owner = serializers.CharField(allow_null=True)
    late = serializers.BooleanField()


class CaseFieldsSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    principal = MoneyField(read_only=True)
    interest = MoneyField(read_only=True)
    costs = MoneyField(read_only=True)
    amount_ordered = MoneyField(read_only=True)

    class Meta:
        model = EnforcementCase
        fields = [
            "id", "court", "status", "status_label", "case_type", "case_number", "basis",
            "applied_on", "application_period_ends_on", "application_late", "target_kind",
            "principal", "interest", "costs", "amount_ordered", "is_enterprise",
            "is_livelihood", "is_small_claim", "filed_at", "officer", "assigned_at",
            "urging_window_ends_on",
        ]  # fmt: skip
        read_only_fields = fields


class CaseSerializer(CaseFieldsSerializer):
    basis = BasisSerializer(read_only=True)
    parties = EnforcementCasePartySerializer(source="case_parties", many=True, read_only=True)
    clocks = serializers.SerializerMethodField()

    class Meta(CaseFieldsSerializer.Meta):
        fields = [
            *CaseFieldsSerializer.Meta.fields, "application_note", "act_description",
            "late_interest_from", "urging_consent_at", "urging_consent_note", "filed_by",
            "concluded_at", "conclusion_note", "created_at", "parties", "clocks",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(ClockSerializer(many=True))
    def get_clocks(self, case) -> list[dict]:
        from django.utils import timezone

        from enforcement.selectors_filing import case_clocks

        now = timezone.now()
        return [
            {
                "id": clock.pk, "kind": clock.kind, "label": clock.label, "state": clock.state,
                "due_at": clock.due_at, "owner": str(clock.owner) if clock.owner else None,
                "late": clock.state == "missed" or (clock.state == "pending" and clock.due_at < now),
            }
            for clock in case_clocks(case).order_by("created_at", "pk")
        ]  # fmt: skip


class EnforcementPartyInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=EnforcementRole.choices)
    kind = serializers.ChoiceField(choices=Party.Kind.choices, default=Party.Kind.PERSON)
    name = serializers.CharField(max_length=120)
    id_number = serializers.CharField(
        max_length=18, required=False, allow_blank=True, write_only=True
    )
    credit_code = serializers.CharField(max_length=18, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, write_only=True)
    legal_representative = serializers.CharField(max_length=60, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    share = MoneyField(
        required=False,
        allow_null=True,
        min_value=Decimal("0"),
        help_text="申请执行人应得份额（元）",
    )


class RepresentationSerializer(serializers.Serializer):
    representative = serializers.IntegerField(min_value=0, help_text="代表人在 parties 中的序号")
    represented = serializers.ListField(
        child=serializers.IntegerField(min_value=0), help_text="被代表人在 parties 中的序号"
    )


class ApplicationCreateSerializer(serializers.Serializer):
    basis = serializers.IntegerField(min_value=1, help_text="执行依据 id")
    procedure = serializers.ChoiceField(
        choices=[("file", "直接立案"), ("urging", "执前督促")],
        help_text="file：立案并编号；urging：经申请人同意先行执前督促，不编号",
    )
    applied_on = serializers.DateField()
    target_kind = serializers.ChoiceField(choices=TargetKind.choices, required=False)
    principal = MoneyField(required=False, allow_null=True, min_value=Decimal("0"))
    interest = MoneyField(required=False, allow_null=True, min_value=Decimal("0"))
    costs = MoneyField(required=False, allow_null=True, min_value=Decimal("0"))
    act_description = serializers.CharField(required=False, allow_blank=True)
    is_enterprise = serializers.BooleanField(required=False, default=False)
    is_livelihood = serializers.BooleanField(required=False, default=False)
    late_interest_from = serializers.DateField(required=False, allow_null=True)
    urging_consent_note = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="",
        help_text="申请执行人同意执前督促的方式（执前督促必填）",
    )  # fmt: skip
    parties = EnforcementPartyInputSerializer(
        many=True, required=False, help_text="不填写时，依司法确认的执行依据带入当事人"
    )
    representatives = RepresentationSerializer(many=True, required=False, default=list)


class UrgingNoticesSerializer(serializers.Serializer):
    payment_method = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="",
        help_text="履行方式（收款账户或交付方式）",
    )  # fmt: skip
    contact = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class EnforcementDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    number = serializers.CharField()
    status = serializers.CharField()
    issued_at = serializers.DateTimeField()
    verification_code = serializers.CharField(source="verification_code_display")


class CaseDocumentsSerializer(serializers.Serializer):
    case = CaseSerializer()
    documents = EnforcementDocumentSerializer(many=True)


class UrgingPerformedSerializer(serializers.Serializer):
    performed_on = serializers.DateField()
    manner = serializers.CharField(max_length=100)
    amount_paid = MoneyField(required=False, allow_null=True, min_value=Decimal("0"))
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class EnforcementNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class AssignSerializer(serializers.Serializer):
    officer = serializers.IntegerField(min_value=1, help_text="本院执行员的用户 id")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ReassignSerializer(serializers.Serializer):
    officer = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(max_length=200)


class BulkAssignSerializer(serializers.Serializer):
    cases = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1,
                                  max_length=200)  # fmt: skip
    officer = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, help_text="不填写时按在办案件数自动分配"
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class BulkAssignedSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    case_number = serializers.CharField()
    officer = serializers.IntegerField()


class BulkRefusedSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    reason = serializers.CharField()


class BulkAssignResultSerializer(serializers.Serializer):
    assigned = BulkAssignedSerializer(many=True)
    refused = BulkRefusedSerializer(many=True)


class SuggestionSerializer(serializers.Serializer):
    officer = serializers.IntegerField(source="officer.pk")
    name = serializers.CharField(source="officer.__str__")
    open_cases = serializers.IntegerField()
    suggested = serializers.BooleanField()


class RepresentativesSerializer(serializers.Serializer):
    representative = serializers.IntegerField(min_value=1, help_text="代表人（本案当事人 id）")
    represented = serializers.ListField(child=serializers.IntegerField(min_value=1))


class ExtensionAskSerializer(serializers.Serializer):
    approver = serializers.IntegerField(min_value=1, help_text="院长（本院监督领导）的用户 id")
    reason = serializers.CharField(max_length=200)


class ExtensionRequestResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    approver = serializers.IntegerField(source="approver_id")
    amount = serializers.IntegerField()
    unit = serializers.CharField()


# --- late-payment interest ----------------------------------------------------------------


class InterestQuerySerializer(serializers.Serializer):
    until = serializers.DateField(required=False, help_text="计算至（含当日），默认今天")


class PaymentInputSerializer(serializers.Serializer):
    paid_on = serializers.DateField()
    amount = MoneyField(min_value=Decimal("0.01"))


class InterestInputSerializer(InterestQuerySerializer):
    payments = PaymentInputSerializer(many=True, required=False, default=list,
                                      help_text="已履行的款项（不填则取案款记录）")  # fmt: skip


class SegmentSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    days = serializers.IntegerField()
    outstanding = MoneyField()
    amount = MoneyField()
    text = serializers.CharField()


class LateInterestSerializer(serializers.Serializer):
    amount = MoneyField(help_text="加倍部分债务利息，四舍五入至分")
    rate = serializers.DecimalField(max_digits=10, decimal_places=6, coerce_to_string=True,
                                    help_text="日利率，0.000175 即日万分之一点七五")  # fmt: skip
    days = serializers.IntegerField()
    start = serializers.DateField(allow_null=True)
    until = serializers.DateField()
    outstanding = MoneyField()
    segments = SegmentSerializer(many=True)
    explanation = serializers.CharField()
