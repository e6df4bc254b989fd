"""Serializers of the assets API. Money is a decimal string ("31232.00"); a JSON number is
refused (common.api.MoneyField). Identifiers are only ever shown masked."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.api import MoneyField
from enforcement.inquiry.providers import provider_label
from enforcement.models import (
    AssetClue,
    AssetControl,
    AssetFinding,
    AssetInquiry,
    AssetKind,
    ControlAction,
    InquiryTarget,
    Measure,
)


def _name(user) -> str:
    return str(user) if user else ""


class InquiryTargetSerializer(serializers.ModelSerializer):
    debtor_name = serializers.CharField(source="debtor.name", read_only=True)
    provider_label = serializers.SerializerMethodField()
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = InquiryTarget
        fields = [
            "id", "debtor", "debtor_name", "provider", "provider_label", "status",
            "status_label", "attempts", "answered_on", "finished_at", "findings_count", "error",
        ]  # fmt: skip
        read_only_fields = fields

    def get_provider_label(self, obj) -> str:
        return provider_label(obj.provider)


class InquiryProgressSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text=_("查控对象（被执行人 × 渠道）总数"))
    done = serializers.IntegerField(help_text=_("已反馈"))
    failed = serializers.IntegerField(help_text=_("查询失败"))
    running = serializers.IntegerField(help_text=_("查询中"))
    pending = serializers.IntegerField(help_text=_("待查询"))


class InquirySerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    purpose_label = serializers.CharField(source="get_purpose_display", read_only=True)
    requested_by_name = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()
    targets = InquiryTargetSerializer(many=True, read_only=True)

    class Meta:
        model = AssetInquiry
        fields = [
            "id", "case", "purpose", "purpose_label", "status", "status_label",
            "requested_by", "requested_by_name", "requested_at", "started_at", "finished_at",
            "findings_count", "new_findings_count", "note", "progress", "targets",
        ]  # fmt: skip
        read_only_fields = fields

    def get_requested_by_name(self, obj) -> str:
        return _name(obj.requested_by)

    @extend_schema_field(InquiryProgressSerializer)
    def get_progress(self, obj) -> dict:
        total = getattr(obj, "targets_total", 0)
        done = getattr(obj, "targets_done", 0)
        failed = getattr(obj, "targets_failed", 0)
        running = getattr(obj, "targets_running", 0)
        return {
            "total": total,
            "done": done,
            "failed": failed,
            "running": running,
            "pending": total - done - failed - running,
        }


class InquiryListSerializer(InquirySerializer):
    class Meta(InquirySerializer.Meta):
        fields = [f for f in InquirySerializer.Meta.fields if f != "targets"]
        read_only_fields = fields


class InquiryCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField(help_text=_("执行案件 id"))
    debtor = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=_("被执行人（本案当事人 id）；不填则查询全部被执行人"),
    )


class FindingSerializer(serializers.ModelSerializer):
    debtor_name = serializers.CharField(source="debtor.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    asset_status_label = serializers.CharField(source="get_asset_status_display", read_only=True)
    balance = MoneyField(read_only=True, allow_null=True)
    estimated_value = MoneyField(read_only=True, allow_null=True)
    measures = serializers.ListField(
        child=serializers.ChoiceField(choices=Measure.choices),
        source="control_measures",
        read_only=True,
        help_text=_("可对该财产采取的控制措施"),
    )

    class Meta:
        model = AssetFinding
        fields = [
            "id", "inquiry", "case", "debtor", "debtor_name", "provider", "kind", "kind_label",
            "institution", "identifier_masked", "description", "balance", "estimated_value",
            "asset_status", "asset_status_label", "is_new", "found_on", "measures",
        ]  # fmt: skip
        read_only_fields = fields


class ClueSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    submitted_by_name = serializers.SerializerMethodField()
    checked_by_name = serializers.SerializerMethodField()
    estimated_value = MoneyField(read_only=True, allow_null=True)

    class Meta:
        model = AssetClue
        fields = [
            "id", "case", "submitted_by", "submitted_by_name", "debtor", "kind", "kind_label",
            "institution", "identifier_masked", "description", "urgent", "received_at",
            "status", "status_label", "checked_at", "checked_by", "checked_by_name", "result",
            "estimated_value",
        ]  # fmt: skip
        read_only_fields = fields

    def get_submitted_by_name(self, obj) -> str:
        return obj.submitted_by.name if obj.submitted_by_id else ""

    def get_checked_by_name(self, obj) -> str:
        return _name(obj.checked_by)


class ClueCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField(help_text=_("执行案件 id"))
    kind = serializers.ChoiceField(choices=AssetKind.choices)
    description = serializers.CharField(max_length=2000)
    institution = serializers.CharField(max_length=120, required=False, allow_blank=True)
    identifier = serializers.CharField(
        max_length=60, required=False, allow_blank=True, write_only=True,
        help_text=_("账号/车牌/权证号等；保存后只显示脱敏形式"),
    )  # fmt: skip
    urgent = serializers.BooleanField(required=False, default=False)
    submitted_by = serializers.IntegerField(required=False, allow_null=True,
                                            help_text=_("提供线索的申请执行人（本案当事人 id）"))  # fmt: skip
    debtor = serializers.IntegerField(required=False, allow_null=True)
    received_at = serializers.DateTimeField(required=False, allow_null=True)


class ClueCheckSerializer(serializers.Serializer):
    found = serializers.BooleanField(help_text=_("true 属实；false 不实"))
    result = serializers.CharField(max_length=2000)
    estimated_value = MoneyField(required=False, allow_null=True)


class ControlActionSerializer(serializers.ModelSerializer):
    action_label = serializers.CharField(source="get_action_display", read_only=True)
    amount = MoneyField(read_only=True, allow_null=True)
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = ControlAction
        fields = ["id", "action", "action_label", "on", "amount", "months", "expires_on",
                  "fund_receipt", "note", "actor", "actor_name", "at"]  # fmt: skip
        read_only_fields = fields

    def get_actor_name(self, obj) -> str:
        return _name(obj.actor)


class ControlSerializer(serializers.ModelSerializer):
    measure_label = serializers.CharField(source="get_measure_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    asset_class_label = serializers.CharField(source="get_asset_class_display", read_only=True)
    amount = MoneyField(read_only=True, allow_null=True)
    deducted_amount = MoneyField(read_only=True)
    frozen_remaining = MoneyField(read_only=True)
    appraised_value = MoneyField(read_only=True, allow_null=True)
    auction_proceeds = MoneyField(read_only=True, allow_null=True)
    actions = ControlActionSerializer(many=True, read_only=True)

    class Meta:
        model = AssetControl
        fields = [
            "id", "case", "debtor", "finding", "clue", "measure", "measure_label",
            "asset_class", "asset_class_label", "kind", "kind_label", "institution",
            "identifier_masked", "description", "status", "status_label", "amount",
            "deducted_amount", "frozen_remaining", "deductible_on", "appraised_value",
            "appraised_on", "appraiser", "auction_proceeds", "auctioned_on", "effective_on",
            "period_months", "expires_on", "renewals", "ruling_number", "ended_on",
            "end_reason", "actions",
        ]  # fmt: skip
        read_only_fields = fields


class ControlImposeSerializer(serializers.Serializer):
    finding = serializers.IntegerField(required=False, allow_null=True,
                                       help_text=_("查控结果 id（与 clue 二选一）"))  # fmt: skip
    clue = serializers.IntegerField(required=False, allow_null=True,
                                    help_text=_("核查属实的财产线索 id"))  # fmt: skip
    amount = MoneyField(required=False, allow_null=True,
                        help_text=_("冻结金额（仅冻结存款），不超过余额和尚欠金额"))  # fmt: skip
    months = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=36,
                                      help_text=_("期限（月），不超过法定最长期限；默认按本院规则"))  # fmt: skip
    effective_on = serializers.DateField(required=False, allow_null=True)
    ruling_number = serializers.CharField(max_length=60, required=False, allow_blank=True)

    def validate(self, attrs):
        if bool(attrs.get("finding")) == bool(attrs.get("clue")):
            raise serializers.ValidationError(
                {"finding": [_("请选择一项查控结果或一条财产线索。")]}
            )
        return attrs


class DeductSerializer(serializers.Serializer):
    amount = MoneyField()
    deducted_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class AppraiseSerializer(serializers.Serializer):
    value = MoneyField()
    appraised_on = serializers.DateField(required=False, allow_null=True)
    appraiser = serializers.CharField(max_length=120)


class AuctionSerializer(serializers.Serializer):
    proceeds = MoneyField()
    auctioned_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class RenewSerializer(serializers.Serializer):
    months = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=36,
                                      help_text=_("续行期限（月），不超过原期限；默认同原期限"))  # fmt: skip
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class LiftSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)
    lifted_on = serializers.DateField(required=False, allow_null=True)
