"""API for a dispute's attachments: list, upload, download — scoped like the dispute.

Uploading goes through `attachment_add` (type, size and content checks, audit entry).
Staff of the registering organisation attach to the dispute; a responder attaches to their
own open dispatch of it (答卷材料)."""

from urllib.parse import quote

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from cases import selectors, services
from cases.models import ACTIVE_DISPATCH_STATUSES, Attachment
from organisations.roles import Role
from organisations.selectors import roles_in_scope_of

UPLOAD_ROLES = {Role.CLERK, Role.GRID_WORKER, Role.SUPERVISOR, Role.ADMIN}
DISPUTE_ID = OpenApiParameter("dispute_pk", OpenApiTypes.INT, OpenApiParameter.PATH)


class AttachmentSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    uploaded_by_name = serializers.CharField(source="uploaded_by", read_only=True)

    class Meta:
        model = Attachment
        fields = [
            "id",
            "dispute",
            "dispatch",
            "kind",
            "kind_display",
            "original_name",
            "content_type",
            "size",
            "uploaded_by",
            "uploaded_by_name",
            "uploaded_at",
        ]
        read_only_fields = fields


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    kind = serializers.ChoiceField(
        choices=Attachment.Kind.choices, default=Attachment.Kind.DOCUMENT
    )


@extend_schema(parameters=[DISPUTE_ID])
class DisputeAttachmentViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = AttachmentSerializer
    parser_classes = [MultiPartParser]
    pagination_class = None
    lookup_value_regex = r"\d+"

    def _dispute(self):
        return selectors.dispute_get_for_user(self.request.user, self.kwargs["dispute_pk"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request
            return Attachment.objects.none()
        return (
            self._dispute().attachments.select_related("uploaded_by").order_by("uploaded_at", "pk")
        )

    @extend_schema(
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer},
    )
    def create(self, request, *args, **kwargs):
        dispute = self._dispute()
        serializer = AttachmentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        dispatch = None
        kind = serializer.validated_data["kind"]
        if not (roles_in_scope_of(request.user, dispute.organisation) & UPLOAD_ROLES):
            dispatch = (
                selectors.inbox_scope(request.user)
                .filter(dispute=dispute, status__in=ACTIVE_DISPATCH_STATUSES)
                .first()
            )
            if dispatch is None:
                raise PermissionDenied("只有登记单位或正在办理的应哨单位可以上传附件。")
            kind = Attachment.Kind.ANSWER
        try:
            with transaction.atomic():
                attachment = services.attachment_add(
                    dispute=dispute,
                    actor=request.user,
                    upload=serializer.validated_data["file"],
                    kind=kind,
                    dispatch=dispatch,
                )
        except DjangoValidationError as error:
            # the service speaks of the page form's field (attachments); here it is `file`
            errors = error.message_dict
            if "attachments" in errors:
                errors["file"] = errors.pop("attachments")
            raise ValidationError(errors) from error
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={(200, "*/*"): OpenApiResponse(OpenApiTypes.BINARY, description="文件本身")},
    )
    @action(detail=True, methods=["get"])
    def download(self, request, dispute_pk=None, pk=None):
        attachment = self.get_object()
        response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
        response["Content-Disposition"] = (
            f"attachment; filename*=UTF-8''{quote(attachment.original_name)}"
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
