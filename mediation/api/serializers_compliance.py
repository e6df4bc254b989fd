"""API serializers for agreement compliance, complaint meetings and legal consultations.
Money is a string of yuan ("1500.00"), never a JSON number."""

from rest_framework import serializers

from cases.models import Category
from common.api import MoneyField
from mediation.models import (
    ComplaintMeeting,
    Instalment,
    InstalmentPayment,
    LegalConsultation,
    MeetingIssue,
)


class InstalmentPaymentSerializer(serializers.ModelSerializer):
    amount = MoneyField(read_only=True)

    class Meta:
        model = InstalmentPayment
        fields = ["id", "amount", "paid_on", "note", "recorded_by", "recorded_at"]
        read_only_fields = fields


class InstalmentPaymentCreateSerializer(serializers.Serializer):
    amount = MoneyField(help_text='本次付款金额（元），字符串，如 "500.00"')
    paid_on = serializers.DateField(required=False, help_text="付款日期，默认今天")
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class ComplianceInstalmentSerializer(serializers.ModelSerializer):
    amount = MoneyField(read_only=True)
    paid = MoneyField(source="paid_total", read_only=True)
    owed = MoneyField(read_only=True)
    status = serializers.CharField(read_only=True, help_text="paid / overdue / pending")
    status_label = serializers.CharField(read_only=True)
    obligor_name = serializers.CharField(source="obligation.obligor.name", read_only=True)
    obligee_name = serializers.CharField(source="obligation.obligee.name", read_only=True)
    payments = InstalmentPaymentSerializer(many=True, read_only=True)

    class Meta:
        model = Instalment
        fields = [
            "id", "obligation", "number", "amount", "due_date", "paid", "owed", "status",
            "status_label", "obligor_name", "obligee_name", "payments",
        ]  # fmt: skip
        read_only_fields = fields


class AgreementComplianceSerializer(serializers.Serializer):
    case = serializers.IntegerField(read_only=True)
    status = serializers.CharField(read_only=True, help_text="in_progress / fulfilled / defaulted")
    status_label = serializers.CharField(read_only=True, help_text="履行中 / 已履行 / 未按期履行")
    instalments = ComplianceInstalmentSerializer(many=True, read_only=True)


class MeetingIssueSerializer(serializers.ModelSerializer):
    dispute_reference = serializers.CharField(
        source="dispute.reference", read_only=True, allow_null=True, default=None
    )
    dispute_status = serializers.CharField(
        source="dispute.status", read_only=True, allow_null=True, default=None
    )
    dispute_status_display = serializers.CharField(
        source="dispute.get_status_display", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = MeetingIssue
        fields = [
            "id", "meeting", "summary", "details", "raised_by", "category", "dispute",
            "dispute_reference", "dispute_status", "dispute_status_display", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class MeetingIssueInputSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=200)
    details = serializers.CharField(required=False, allow_blank=True)
    raised_by = serializers.CharField(required=False, allow_blank=True, max_length=120)
    category = serializers.ChoiceField(choices=Category.choices, required=False, allow_blank=True)


class IssueDisputeSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices, required=False, allow_blank=True)


class ComplaintMeetingSerializer(serializers.ModelSerializer):
    issues = MeetingIssueSerializer(many=True, read_only=True)

    class Meta:
        model = ComplaintMeeting
        fields = [
            "id", "organisation", "held_on", "place", "attendees", "notes", "recorded_by",
            "created_at", "issues",
        ]  # fmt: skip
        read_only_fields = fields


class ComplaintMeetingCreateSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(help_text="组织单位（须在本人范围内）")
    held_on = serializers.DateField()
    place = serializers.CharField(max_length=120)
    attendees = serializers.CharField()
    notes = serializers.CharField(required=False, allow_blank=True)
    issues = MeetingIssueInputSerializer(many=True, required=False)


class LegalConsultationSerializer(serializers.ModelSerializer):
    expert_name = serializers.CharField(source="expert.name", read_only=True)

    class Meta:
        model = LegalConsultation
        fields = [
            "id", "organisation", "expert", "expert_name", "asked_on", "asker_name",
            "asker_phone_masked", "topic", "question", "answer", "follow_up", "dispute",
            "recorded_by", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class LegalConsultationCreateSerializer(serializers.Serializer):
    expert = serializers.IntegerField(required=False, help_text="默认为本人（首席法律咨询专家）")
    asked_on = serializers.DateField()
    asker_name = serializers.CharField(max_length=60)
    asker_phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    topic = serializers.CharField(max_length=120)
    question = serializers.CharField()
    answer = serializers.CharField()
    follow_up = serializers.CharField(required=False, allow_blank=True)
    dispute = serializers.IntegerField(required=False, allow_null=True)
