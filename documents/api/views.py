"""Public verification by API: the same facts as the page, the same per-address budget."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors
from ..ratelimit import verification_limited


class DocumentVerificationSerializer(serializers.Serializer):
    found = serializers.BooleanField(help_text="是否找到该核验码的文书")
    title = serializers.CharField(help_text="文书名称，如 人民调解协议书")
    number = serializers.CharField(help_text="文书编号")
    issued_on = serializers.DateField(help_text="出具日期（北京时间）")
    organisation = serializers.CharField(help_text="出具单位")
    parties = serializers.ListField(
        child=serializers.CharField(), help_text="当事人姓名（脱敏，如 王**）"
    )
    status = serializers.ChoiceField(
        choices=["issued", "revoked", "superseded"],
        help_text="issued 有效 / revoked 已撤销 / superseded 已被替换",
    )
    status_label = serializers.CharField(help_text="状态（中文）")
    revoked_on = serializers.DateField(allow_null=True, help_text="撤销日期，未撤销为 null")
    superseded_by = serializers.CharField(
        allow_blank=True, help_text="替换它的文书编号，未被替换为空"
    )


class NotFoundSerializer(serializers.Serializer):
    found = serializers.BooleanField(help_text="false")
    detail = serializers.CharField(help_text="未找到该核验码对应的文书")


def _date(moment):
    return timezone.localtime(moment).date() if moment else None


class DocumentVerifyAPIView(APIView):
    """GET /api/documents/verify/<code>/ — no login; throttled per address (429)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        operation_id="documents_verify",
        summary="核验文书（公开）",
        responses={
            200: DocumentVerificationSerializer,
            404: NotFoundSerializer,
            429: OpenApiResponse(description="查询过于频繁"),
        },
    )
    def get(self, request, code):
        if verification_limited(request):
            return Response(
                {"code": "throttled", "detail": _("查询过于频繁，请稍后再试。")},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": "60"},
            )
        facts = selectors.document_verify(code)
        if facts is None:
            return Response(
                {"found": False, "detail": _("未找到该核验码对应的文书。")},
                status=status.HTTP_404_NOT_FOUND,
            )
        payload = DocumentVerificationSerializer(
            {
                "found": True,
                "title": facts.title,
                "number": facts.number,
                "issued_on": _date(facts.issued_at),
                "organisation": facts.organisation,
                "parties": facts.parties,
                "status": facts.status,
                "status_label": facts.status_label,
                "revoked_on": _date(facts.revoked_at),
                "superseded_by": facts.superseded_by_number,
            }
        ).data
        return Response(payload)
