"""API for 批量导入: upload a file, read its status and masked preview, confirm, and download
the error report. The same services and scope as the import pages."""

from urllib.parse import quote

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from cases.imports import (
    import_batch_confirm,
    import_batch_get_for_user,
    import_batch_list_for_user,
    import_batch_upload,
    import_progress,
)
from cases.models import ImportBatch, SourceChannel
from common.api_schema import error_responses
from organisations.roles import Role
from organisations.selectors import organisation_get_for_user, roles_in_scope_of

IMPORT_ROLES = {Role.CLERK, Role.SUPERVISOR, Role.ADMIN}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportPreviewRowSerializer(serializers.Serializer):
    """One row of the preview; personal data masked."""

    row = serializers.IntegerField()
    source_reference = serializers.CharField()
    registered_at = serializers.CharField()
    applicant = serializers.CharField()
    phone = serializers.CharField()
    category = serializers.CharField()
    organisation = serializers.CharField()
    facts = serializers.CharField()
    ok = serializers.BooleanField()
    errors = serializers.ListField(child=serializers.CharField())


class ImportBatchSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    preview = ImportPreviewRowSerializer(many=True, read_only=True)
    has_error_report = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField(help_text="导入中已处理的行数（仅导入中）")

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "organisation",
            "source_channel",
            "original_name",
            "file_size",
            "sha256",
            "status",
            "status_display",
            "total_rows",
            "valid_rows",
            "error_rows",
            "created_count",
            "skipped_count",
            "preview",
            "file_problem",
            "failure",
            "duplicate_of",
            "has_error_report",
            "progress",
            "created_at",
            "confirmed_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_has_error_report(self, batch) -> bool:
        return bool(batch.error_report)

    def get_progress(self, batch) -> int | None:
        return import_progress(batch)


class ImportBatchListSerializer(ImportBatchSerializer):
    """The list leaves out the preview (bulky)."""

    class Meta(ImportBatchSerializer.Meta):
        fields = [f for f in ImportBatchSerializer.Meta.fields if f != "preview"]
        read_only_fields = fields


class ImportUploadSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(
        min_value=1, required=False, help_text="导入单位；默认本人所在单位"
    )
    source_channel = serializers.ChoiceField(
        choices=SourceChannel.choices, default=SourceChannel.HOTLINE_12345
    )
    file = serializers.FileField(help_text=".xlsx 或 .csv")


class ImportBatchViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Import batches of organisations the caller may see."""

    serializer_class = ImportBatchSerializer
    parser_classes = [MultiPartParser]
    lookup_value_regex = r"\d+"
    filterset_fields = ["status"]

    def get_queryset(self):
        return import_batch_list_for_user(self.request.user)

    def get_serializer_class(self):
        return ImportBatchListSerializer if self.action == "list" else ImportBatchSerializer

    def get_object(self):
        return import_batch_get_for_user(self.request.user, self.kwargs["pk"])

    def _require_import_role(self, organisation):
        if not (roles_in_scope_of(self.request.user, organisation) & IMPORT_ROLES):
            raise PermissionDenied

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer},
        responses={201: ImportBatchSerializer, **error_responses(404)},
    )
    def create(self, request, *args, **kwargs):
        serializer = ImportUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organisation_pk = data.get("organisation") or getattr(
            request.user.primary_organisation, "pk", None
        )
        if organisation_pk is None:
            raise serializers.ValidationError({"organisation": ["请选择导入单位。"]})
        # An organisation outside the caller's scope answers 404, as on the import page.
        organisation = organisation_get_for_user(request.user, organisation_pk)
        self._require_import_role(organisation)
        batch = import_batch_upload(
            organisation=organisation,
            actor=request.user,
            uploaded_file=data["file"],
            source_channel=data["source_channel"],
        )
        return Response(ImportBatchSerializer(batch).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ImportBatchSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """确认导入 a valid batch (applied now if small, else by the worker); 409 otherwise."""
        batch = self.get_object()
        self._require_import_role(batch.organisation)
        batch = import_batch_confirm(batch=batch, actor=request.user)
        return Response(
            ImportBatchSerializer(import_batch_get_for_user(request.user, batch.pk)).data
        )

    @extend_schema(
        responses={
            (200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="错误报告（.xlsx）")
        }
    )
    @action(detail=True, methods=["get"], url_path="error-report")
    def error_report(self, request, pk=None):
        batch = self.get_object()
        if not batch.error_report:
            raise Http404
        with batch.error_report.open("rb") as handle:
            content = handle.read()
        stem = batch.original_name.rsplit(".", 1)[0]
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = (
            f"attachment; filename*=UTF-8''{quote(stem + '_错误报告.xlsx')}"
        )
        return response
