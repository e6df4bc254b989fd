"""OpenAPI schema: every operation documents the error responses it can give."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorSerializer(serializers.Serializer):
    """The one error body every endpoint answers with."""

    code = serializers.CharField()
    detail = serializers.CharField()
    # Messages, or for a list of nested items {index: {field: messages}}.
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.JSONField()),
        help_text=_("字段 → 错误信息"),
    )


ERROR_DESCRIPTIONS = {
    400: _("输入有误（字段错误）"),
    401: _("未登录"),
    403: _("无权操作"),
    404: _("不存在或不在本人可见范围内"),
    409: _("当前状态不允许此操作"),
    413: _("提交的数据过大"),
    415: _("不支持的内容类型"),
    429: _("请求过于频繁"),
}


def error_responses(*codes) -> dict:
    """`extend_schema(responses={200: X, **error_responses(400, 404, 409)})`."""
    return {
        code: OpenApiResponse(response=ErrorSerializer, description=str(ERROR_DESCRIPTIONS[code]))
        for code in codes
    }


class ErrorDocumentingAutoSchema(AutoSchema):
    """Every operation documents the errors it can answer, in the one error format.

    400 wherever input is read (body or query), 401/403 unless the view is public, 404 on
    paths with an id, 409 on state-changing calls, 413/415 where a body is sent; a view
    that throttles documents 429. Explicit `responses` entries win.
    """

    def _error_codes(self) -> list[int]:
        codes = [400]
        if self.view.get_permissions() and not all(
            isinstance(p, AllowAny) for p in self.view.get_permissions()
        ):
            codes += [401, 403]
        if "{" in self.path:
            codes.append(404)
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes += [409, 413, 415]
        if getattr(self.view, "throttle_classes", None):
            codes.append(429)
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(
                    OpenApiResponse(
                        response=ErrorSerializer, description=str(ERROR_DESCRIPTIONS[code])
                    ),
                    str(code),
                    direction=direction,
                )
        return responses
