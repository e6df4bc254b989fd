"""API of the notices: issue the 执行通知书 / 报告财产令, record service, record and check
the debtor's asset report, read a case's notices with service per recipient and the
asset-report state. Scoped like the pages: a case, notice, record or report outside the
caller's scope answers 404; a refused step 409; bad input 400 with field errors."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from common.api import MoneyField
from common.api_parsers import SizeLimitedJSONParser
from common.api_schema import error_responses
from common.downloads import stored_file_response
from documents.models import IssuedDocument
from enforcement import selectors_notices as nselectors
from enforcement.models import (
    AssetCategory,
    AssetReport,
    CaseParty,
    CheckResult,
    ElectronicChannel,
    EnforcementNotice,
    NoticeKind,
    ServiceMethod,
    ServiceRecord,
)
from enforcement.selectors import case_get_for_user
from enforcement.services import asset_reports, notice_service
from enforcement.services import notices as services

# --- read serializers -------------------------------------------------------------------------


class NoticeDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(help_text=_("文书名称"))
    number = serializers.CharField(help_text=_("文书编号"))
    status = serializers.ChoiceField(
        choices=IssuedDocument.Status.choices, help_text=_("有效/已撤销/已被替换")
    )
    verification_code = serializers.CharField(source="verification_code_display")
    pdf_url = serializers.SerializerMethodField(help_text=_("PDF 下载地址（需登录，限可见范围）"))
    docx_url = serializers.SerializerMethodField(help_text=_("Word 下载地址"))

    def get_pdf_url(self, document) -> str:
        return reverse("documents:download", args=[document.pk, "pdf"])

    def get_docx_url(self, document) -> str:
        return reverse("documents:download", args=[document.pk, "docx"])


class ServiceRecordSerializer(serializers.ModelSerializer):
    recipient_name = serializers.CharField(source="recipient.name", read_only=True)
    recipient_role = serializers.CharField(source="recipient.role", read_only=True)
    method_label = serializers.CharField(source="get_method_display", read_only=True)
    electronic_address = serializers.CharField(
        source="electronic_address_masked", read_only=True, help_text=_("电子送达地址（脱敏）")
    )
    channel = serializers.ChoiceField(
        choices=ElectronicChannel.choices, allow_blank=True, read_only=True,
        help_text=_("电子送达渠道，其他方式为空"),
    )  # fmt: skip
    proof_url = serializers.SerializerMethodField(help_text=_("送达凭证下载地址，无凭证为 null"))
    recorded_by = serializers.StringRelatedField()

    class Meta:
        model = ServiceRecord
        fields = [
            "id", "notice", "recipient", "recipient_name", "recipient_role", "method",
            "method_label", "channel", "served_on", "address", "electronic_address",
            "receipt_name", "receipt_relation", "tracking_number", "witnesses", "note",
            "proof_url", "recorded_by", "recorded_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_proof_url(self, record) -> str | None:
        if not record.proof_file:
            return None
        return reverse("api:enforcement-service-record-proof", args=[record.pk])


class RecipientServiceSerializer(serializers.Serializer):
    party = serializers.IntegerField(source="party.pk", help_text=_("执行当事人 id"))
    name = serializers.CharField(source="party.name")
    role = serializers.CharField(source="party.role")
    served = serializers.BooleanField()
    service = ServiceRecordSerializer(source="record", allow_null=True)


class NoticeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="notice.pk")
    case = serializers.IntegerField(source="notice.case_id")
    kind = serializers.ChoiceField(source="notice.kind", choices=NoticeKind.choices)
    kind_label = serializers.CharField(source="notice.get_kind_display")
    document = NoticeDocumentSerializer(source="notice.document")
    issued_at = serializers.DateTimeField(source="notice.issued_at")
    issued_by = serializers.StringRelatedField(source="notice.issued_by")
    report_days = serializers.IntegerField(source="notice.report_days", allow_null=True)
    report_due_on = serializers.DateField(source="notice.report_due_on", allow_null=True)
    live = serializers.BooleanField(help_text=_("有效（未撤销、未被替换）"))
    served = serializers.BooleanField(help_text=_("已送达全部被执行人"))
    recipients = RecipientServiceSerializer(many=True)


class ReportItemSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=AssetCategory.choices)
    description = serializers.CharField(max_length=300)
    value = MoneyField(required=False, allow_null=True, min_value=0)


class AssetReportSerializer(serializers.ModelSerializer):
    case = serializers.IntegerField(source="order.case_id", read_only=True)
    debtor_name = serializers.CharField(source="debtor.name", read_only=True)
    items = ReportItemSerializer(many=True, read_only=True)
    check_result = serializers.ChoiceField(
        choices=CheckResult.choices, allow_blank=True, read_only=True, help_text=_("未核查为空")
    )
    checked_by = serializers.StringRelatedField(allow_null=True, help_text=_("核查人"))
    recorded_by = serializers.StringRelatedField()

    class Meta:
        model = AssetReport
        fields = [
            "id", "order", "case", "debtor", "debtor_name", "received_on", "summary",
            "no_assets", "items", "status", "check_result", "check_note", "checked_at",
            "checked_by", "recorded_by", "recorded_at",
        ]  # fmt: skip
        read_only_fields = fields


class DebtorReportSerializer(serializers.Serializer):
    debtor = serializers.IntegerField(source="debtor.pk")
    name = serializers.CharField(source="debtor.name")
    report = serializers.IntegerField(source="report.pk", allow_null=True, default=None)
    received_on = serializers.DateField(source="report.received_on", allow_null=True, default=None)
    late = serializers.BooleanField(help_text=_("逾期报告"))
    overdue = serializers.BooleanField(help_text=_("期限已过仍未报告"))
    check_result = serializers.CharField(source="report.check_result", default="")


class AssetReportStateSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=["not_required", "not_ordered", "awaiting", "overdue", "received", "checked"]
    )
    label = serializers.CharField()
    flag = serializers.CharField(help_text=_("“未按期报告财产”或空"))
    not_reported_on_time = serializers.BooleanField()
    false_report = serializers.BooleanField(help_text=_("核查发现报告不实"))
    order = serializers.IntegerField(source="order.pk", allow_null=True, default=None)
    due_at = serializers.DateTimeField(allow_null=True)
    debtors = DebtorReportSerializer(many=True)


class CaseNoticesSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    case_number = serializers.CharField()
    notices = NoticeSerializer(many=True)
    asset_report = AssetReportStateSerializer()
    next_steps = serializers.ListField(child=serializers.CharField())


# --- write serializers -------------------------------------------------------------------------


class NoticeIssueSerializer(serializers.Serializer):
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=NoticeKind.choices),
        min_length=1,
        max_length=2,
        help_text=_("execution_notice 执行通知书；asset_report_order 报告财产令（金钱给付案件）"),
    )
    report_days = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=30,
        help_text=_("报告财产令的报告期限（日），默认按本院规则；须在允许范围内（默认5至10日）"),
    )


class NoticesIssuedSerializer(serializers.Serializer):
    notices = NoticeSerializer(many=True)


class NoticeReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class ServiceRecordCreateSerializer(serializers.Serializer):
    recipient = serializers.IntegerField(min_value=1, help_text=_("受送达人（执行当事人 id）"))
    method = serializers.ChoiceField(choices=ServiceMethod.choices)
    served_on = serializers.DateField()
    channel = serializers.ChoiceField(
        choices=ElectronicChannel.choices, required=False, allow_blank=True, default=""
    )
    electronic_address = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default=""
    )
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    receipt_name = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default=""
    )
    receipt_relation = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default=""
    )
    tracking_number = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default=""
    )
    witnesses = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    proof = serializers.FileField(required=False, allow_null=True, default=None)


class AssetReportCreateSerializer(serializers.Serializer):
    order = serializers.IntegerField(min_value=1, help_text=_("报告财产令（通知 id）"))
    debtor = serializers.IntegerField(min_value=1, help_text=_("被执行人（执行当事人 id）"))
    received_on = serializers.DateField()
    summary = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    no_assets = serializers.BooleanField(required=False, default=False)
    items = ReportItemSerializer(many=True, required=False, default=list, max_length=50)


class AssetReportCheckSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=CheckResult.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


# --- views ----------------------------------------------------------------------------------------


def _party_of_case(case, pk: int, field: str) -> CaseParty:
    party = CaseParty.objects.filter(case=case, pk=pk).select_related("party").first()
    if party is None:
        raise ValidationError({field: [_("不是本案当事人。")]})
    return party


def _notice_state(notice: EnforcementNotice):
    states = nselectors.notice_states(notice.case, notices=[notice])
    return states[0]


def case_notices_data(case) -> dict:
    notices = list(nselectors.notices_for_case(case))
    parties = nselectors.notice_recipients(case)
    debtors = [p for p in parties if p.role == "debtor"]
    return {
        "case": case.pk,
        "case_number": case.case_number,
        "notices": nselectors.notice_states(case, notices=notices, parties=parties),
        "asset_report": nselectors.asset_report_state(case, notices=notices, debtors=debtors),
        "next_steps": nselectors.notices_next_steps(case),
    }


class CaseNoticesViewSet(viewsets.GenericViewSet):
    """GET /api/enforcement/case-notices/{case id}/: the case's notices with service per
    recipient, the asset-report state and the next steps. POST …/issue/ issues notices."""

    serializer_class = CaseNoticesSerializer
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        return EnforcementNotice.objects.none()

    @extend_schema(responses=CaseNoticesSerializer)
    def retrieve(self, request, pk=None):
        case = case_get_for_user(request.user, pk)
        return Response(CaseNoticesSerializer(case_notices_data(case)).data)

    @extend_schema(request=NoticeIssueSerializer, responses={201: NoticesIssuedSerializer})
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        """Issue the 执行通知书 and/or the 报告财产令 (409: not in progress, already issued,
        an order in an act-only case; 400: a period out of range, a missing element)."""
        case = case_get_for_user(request.user, pk)
        serializer = NoticeIssueSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        issued = services.notices_issue(case=case, actor=request.user, **serializer.validated_data)
        states = nselectors.notice_states(case, notices=issued)
        return Response(
            NoticesIssuedSerializer({"notices": states}).data, status=status.HTTP_201_CREATED
        )


class NoticeViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One notice (document, service per recipient); revoke it; record its service."""

    serializer_class = NoticeSerializer

    def get_queryset(self):
        return nselectors.notices_visible_to(self.request.user)

    def _notice(self) -> EnforcementNotice:
        return nselectors.notice_get_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(responses=NoticeSerializer)
    def retrieve(self, request, pk=None):
        return Response(NoticeSerializer(_notice_state(self._notice())).data)

    @extend_schema(request=NoticeReasonSerializer, responses=NoticeSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """Revoke the notice's document (the order's clock is cancelled); 409 if revoked."""
        serializer = NoticeReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        notice = services.notice_revoke(
            notice=self._notice(), actor=request.user, **serializer.validated_data
        )
        return Response(NoticeSerializer(_notice_state(notice)).data)

    @extend_schema(
        request={
            "application/json": ServiceRecordCreateSerializer,
            "multipart/form-data": ServiceRecordCreateSerializer,
        },
        responses={201: ServiceRecordSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[SizeLimitedJSONParser, MultiPartParser])
    def services(self, request, pk=None):
        """Record service of the notice on one recipient (409: the notice revoked, the
        recipient already served; 400: particulars the method needs, dates, the file)."""
        notice = self._notice()
        serializer = ServiceRecordCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        recipient = _party_of_case(notice.case, data.pop("recipient"), "recipient")
        record = notice_service.service_record(
            notice=notice, recipient=recipient, actor=request.user, **data
        )
        return Response(ServiceRecordSerializer(record).data, status=status.HTTP_201_CREATED)


class ServiceRecordViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ServiceRecordSerializer

    def get_queryset(self):
        return nselectors.service_records_visible_to(self.request.user)

    def get_object(self):
        return nselectors.service_record_get_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(
        responses={(200, "*/*"): OpenApiResponse(OpenApiTypes.BINARY, description="送达凭证")}
    )
    @action(detail=True, methods=["get"])
    def proof(self, request, pk=None):
        """The proof-of-service file (audited download); 404 when there is none."""
        record = self.get_object()
        if not record.proof_file:
            raise Http404
        notice_service.service_proof_read(record=record, actor=request.user)
        return stored_file_response(
            record.proof_file.name,
            filename=record.proof_name or "proof",
            content_type=record.proof_content_type,
            storage=record.proof_file.storage,
        )


class AssetReportViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Debtors' asset reports: record one (POST), read one, check it (核查)."""

    serializer_class = AssetReportSerializer

    def get_queryset(self):
        return nselectors.asset_reports_visible_to(self.request.user)

    def get_object(self):
        return nselectors.asset_report_get_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(
        request=AssetReportCreateSerializer,
        responses={201: AssetReportSerializer, **error_responses(404)},
    )
    def create(self, request):
        """Record a debtor's report in answer to the order (409: not a live order, already
        reported; 404: an order outside the caller's scope)."""
        serializer = AssetReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        order = nselectors.notice_get_for_user(request.user, data.pop("order"))
        debtor = _party_of_case(order.case, data.pop("debtor"), "debtor")
        data["items"] = [dict(item) for item in data.get("items", [])]
        report = asset_reports.asset_report_receive(order=order, debtor=debtor, actor=request.user,
                                               **data)  # fmt: skip
        fresh = nselectors.asset_report_get_for_user(request.user, report.pk)
        return Response(AssetReportSerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AssetReportCheckSerializer, responses=AssetReportSerializer)
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        serializer = AssetReportCheckSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        asset_reports.asset_report_check(
            report=self.get_object(), actor=request.user, **serializer.validated_data
        )
        return Response(AssetReportSerializer(self.get_object()).data)
