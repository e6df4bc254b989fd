from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import (
    UNIT_CHOICES,
    Deadline,
    DeadlineExtension,
    DeadlineExtensionRequest,
    DeadlinePause,
    Reminder,
)


class PauseSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeadlinePause
        fields = ["paused_at", "resumed_at", "reason"]


class ExtensionSerializer(serializers.ModelSerializer):
    approved_by = serializers.StringRelatedField(help_text="批准人")

    class Meta:
        model = DeadlineExtension
        fields = [
            "approved_by",
            "approved_at",
            "reason",
            "previous_due_at",
            "new_due_at",
            "days_added",
        ]


class ReminderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reminder
        fields = ["stage", "lead_days", "due_at", "fire_at", "created_at", "status", "recipients"]


class DeadlineSerializer(serializers.ModelSerializer):
    subject_type = serializers.CharField(
        source="content_type.model", read_only=True, help_text="所属记录的类型"
    )
    subject_id = serializers.IntegerField(
        source="object_id", read_only=True, help_text="所属记录的 id"
    )
    owner = serializers.StringRelatedField(allow_null=True, help_text="承办人")
    organisation = serializers.PrimaryKeyRelatedField(read_only=True, help_text="承办单位 id")
    state_label = serializers.CharField(
        source="get_state_display", read_only=True, help_text="状态（中文）"
    )
    explain = serializers.SerializerMethodField(
        help_text="计算过程：起算、规则、跳过的休息日、中止、延长、届满"
    )
    pauses = PauseSerializer(many=True, read_only=True)
    extensions = ExtensionSerializer(many=True, read_only=True)
    reminders = ReminderSerializer(many=True, read_only=True)

    class Meta:
        model = Deadline
        fields = [
            "id", "kind", "label", "subject_type", "subject_id", "organisation", "owner",
            "start_at", "unit", "amount", "rule_source", "lead_times", "due_at", "state",
            "state_label", "explain", "pauses", "extensions", "reminders",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.DictField())
    def get_explain(self, obj) -> dict:
        return obj.explanation


class DeadlineReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="原因"
    )


class ExtendSerializer(serializers.Serializer):
    approver = serializers.IntegerField(
        help_text="审批人用户 id：执行期限为本院院长/副院长（本院监督领导），纠纷期限为承办单位的监督领导；"
        "由其本人审批后期限才顺延"
    )
    reason = serializers.CharField(max_length=200, help_text="延长理由")
    new_due_date = serializers.DateField(required=False, help_text="新的届满日期")
    amount = serializers.IntegerField(required=False, min_value=1, help_text="或：延长的期间")
    unit = serializers.ChoiceField(
        choices=UNIT_CHOICES,
        default="calendar_days",
        help_text="期间单位",
    )


class ExtensionRequestSerializer(serializers.ModelSerializer):
    requested_by = serializers.StringRelatedField(help_text="申请人")
    approver = serializers.StringRelatedField(help_text="审批人")
    approver_id = serializers.IntegerField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = DeadlineExtensionRequest
        fields = [
            "id", "deadline", "requested_by", "requested_at", "approver", "approver_id",
            "reason", "new_due_date", "amount", "unit", "status", "status_label", "decided_at",
            "decision_note",
        ]  # fmt: skip
        read_only_fields = fields


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="审批意见"
    )
