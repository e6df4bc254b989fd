"""API serializers of commission and cross-enforcement (enf-commission). Money is a string of
yuan (a JSON number is refused: common.api.MoneyField). Names are prefixed "Commission" to
keep the schema's component names unique."""

from rest_framework import serializers

from common.api import MoneyField
from enforcement.models import CaseTransfer, Commission, CommissionReport, TransferKind

MAX_PK = 2**63 - 1


class CommissionReportSerializer(serializers.ModelSerializer):
    amount_recovered = MoneyField(allow_null=True, help_text="执行到位金额（元）")

    class Meta:
        model = CommissionReport
        fields = ["id", "text", "amount_recovered", "reported_by", "reported_at"]


class CommissionClockSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="期限类型")
    label = serializers.CharField(help_text="名称")
    state = serializers.CharField(help_text="状态")
    due_at = serializers.DateTimeField(help_text="届满时间")


class CommissionRecordSerializer(serializers.ModelSerializer):
    sending_court_name = serializers.CharField(source="sending_court.name", read_only=True)
    receiving_court_name = serializers.CharField(source="receiving_court.name", read_only=True)
    reports = CommissionReportSerializer(many=True, read_only=True)
    takeover_from = serializers.DateField(
        read_only=True,
        help_text="自该日起（委托满六个月）未办结的，申请执行人可请求上级法院提级执行",
    )
    takeover_open = serializers.BooleanField(read_only=True, help_text="委托已逾六个月仍未办结")
    letter_number = serializers.CharField(
        source="letter.number", read_only=True, allow_null=True,
        help_text="委托执行函的编号（案号形式）",
    )  # fmt: skip
    letter_verification_code = serializers.CharField(
        source="letter.verification_code_display", read_only=True, allow_null=True,
        help_text="委托执行函的核验码",
    )  # fmt: skip

    class Meta:
        model = Commission
        fields = ["id", "status", "sending_court", "sending_court_name", "receiving_court",
                  "receiving_court_name", "matters", "assets_note", "requested_by",
                  "requested_at", "registered_by", "registered_at", "receiving_number",
                  "receiving_officer", "ended_by", "ended_at", "end_reason", "reports",
                  "takeover_from", "takeover_open", "letter", "letter_number",
                  "letter_verification_code"]  # fmt: skip


class CommissionTransferSerializer(serializers.ModelSerializer):
    from_court_name = serializers.CharField(source="from_court.name", read_only=True)
    to_court_name = serializers.CharField(source="to_court.name", read_only=True)

    class Meta:
        model = CaseTransfer
        fields = ["id", "kind", "from_court", "from_court_name", "to_court", "to_court_name",
                  "from_officer", "to_officer", "reason", "decided_by", "decided_at"]  # fmt: skip


class CommissionOverviewSerializer(serializers.Serializer):
    case = serializers.IntegerField(help_text="案件编号")
    case_number = serializers.CharField(help_text="案号")
    court = serializers.IntegerField(help_text="当前执行法院")
    commissions = CommissionRecordSerializer(many=True, help_text="委托执行（新的在前）")
    transfers = CommissionTransferSerializer(many=True, help_text="交叉/指定/提级执行记录")


class CommissionRequestInput(serializers.Serializer):
    receiving_court = serializers.IntegerField(min_value=1, max_value=MAX_PK, help_text="受托法院")
    matters = serializers.CharField(max_length=4000, help_text="委托事项")
    assets_note = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, default="",
        help_text="被执行人在受托地的财产或线索",
    )  # fmt: skip


class CommissionRegisterInput(serializers.Serializer):
    commission = serializers.IntegerField(min_value=1, max_value=MAX_PK, help_text="委托执行编号")
    officer = serializers.IntegerField(
        min_value=1, max_value=MAX_PK, help_text="受托承办人（受托法院的执行人员）"
    )
    receiving_number = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default="", help_text="受托案号"
    )


class CommissionReasonInput(serializers.Serializer):
    commission = serializers.IntegerField(min_value=1, max_value=MAX_PK, help_text="委托执行编号")
    reason = serializers.CharField(max_length=4000, help_text="理由")


class CommissionProgressInput(serializers.Serializer):
    commission = serializers.IntegerField(min_value=1, max_value=MAX_PK, help_text="委托执行编号")
    text = serializers.CharField(max_length=4000, help_text="执行情况")
    amount_recovered = MoneyField(
        required=False, allow_null=True, default=None, help_text="执行到位金额（元）"
    )


class CommissionFinishInput(serializers.Serializer):
    commission = serializers.IntegerField(min_value=1, max_value=MAX_PK, help_text="委托执行编号")
    result = serializers.CharField(max_length=4000, help_text="办理结果或退回理由")
    amount_recovered = MoneyField(
        required=False, allow_null=True, default=None, help_text="执行到位金额（元）"
    )
    returned = serializers.BooleanField(
        required=False, default=False, help_text="true：退回委托法院；false：办结"
    )


class CommissionTransferInput(serializers.Serializer):
    to_court = serializers.IntegerField(
        min_value=1, max_value=MAX_PK, help_text="承办法院（上级法院本院即提级执行）"
    )
    officer = serializers.IntegerField(
        min_value=1, max_value=MAX_PK, help_text="承办人（承办法院的执行人员）"
    )
    kind = serializers.ChoiceField(
        choices=[TransferKind.CROSS, TransferKind.DESIGNATED], required=False, default="",
        allow_blank=True, help_text="cross 交叉执行 / designated 指定执行（提级执行自动认定）",
    )  # fmt: skip
    reason = serializers.CharField(max_length=4000, help_text="理由")
