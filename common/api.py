"""API base: one error format, cursor pagination, scoped viewsets."""

import django_filters
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from common.api_parsers import PayloadTooLarge
from common.statemachine import TransitionNotAllowed
from common.validators import validate_yuan_text


class DefaultCursorPagination(CursorPagination):
    """Cursor pagination: stable under inserts and no COUNT(*) over large tables."""

    ordering = "-pk"
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        """page_size is an integer from 1 to max_page_size; anything else is a 400, not a
        silent fall-back to the default (the schema says so too)."""
        values = request.query_params.getlist(self.page_size_query_param)
        if not values:
            return self.page_size
        value = values[-1]
        if len(values) > 1 or not value.isascii() or not value.isdigit():
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        _("请填写1到%(max)d之间的整数。") % {"max": self.max_page_size}
                    ]
                }
            )
        if not 1 <= int(value) <= self.max_page_size:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        _("请填写1到%(max)d之间的整数。") % {"max": self.max_page_size}
                    ]
                }
            )
        return int(value)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                }
        return parameters

    def decode_cursor(self, request):
        # DRF answers a malformed cursor with 404; it is bad input, so 400 on the field.
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound as exc:
            raise exceptions.ValidationError({self.cursor_query_param: [exc.detail]}) from exc


BOOLEAN_VALUES = {"true": True, "false": False}


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, except that a boolean filter given anything but true/false is a 400
    (django-filter would ignore the value and return everything)."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            for name, filter_ in filterset.filters.items():
                values = request.query_params.getlist(name)
                if isinstance(filter_, django_filters.BooleanFilter) and values:
                    if len(values) > 1 or values[0] not in BOOLEAN_VALUES:
                        raise exceptions.ValidationError({name: [_("请填写 true 或 false。")]})
        return filterset


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("当前状态不允许此操作。")
    default_code = "conflict"


def _field_errors(detail) -> dict:
    if isinstance(detail, dict):
        return {key: value if isinstance(value, list) else [value] for key, value in detail.items()}
    return {"non_field_errors": detail if isinstance(detail, list) else [detail]}


def exception_handler(exc, context):
    """Every error answers {"code": ..., "detail": ..., "fields": {...}}."""
    if isinstance(exc, TransitionNotAllowed):
        exc = Conflict(detail=exc.message, code="transition_not_allowed")
    elif isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("未找到。"))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, SuspiciousOperation):
        # e.g. TooManyFieldsSent: Django would answer an HTML 400 page.
        exc = exceptions.ParseError()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = {
            "code": "invalid",
            "detail": str(_("提交的数据有误，请检查标出的字段。")),
            "fields": _field_errors(exc.detail),
        }
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        body = {
            "code": codes if isinstance(codes, str) else "error",
            "detail": str(getattr(exc, "detail", exc)),
            "fields": {},
        }
    return Response(body, status=response.status_code, headers=dict(response.headers.items()))


# --- money --------------------------------------------------------------------------------


class MoneyField(serializers.DecimalField):
    """Yuan as a decimal string ("1234.56"). JSON numbers are refused: a float cannot be exact
    and an int invites clients to send floats next. Read back as a string too."""

    default_error_messages = {
        "not_a_string": _('金额须为字符串形式的十进制数，例如 "1234.56"，不能是数字。'),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("coerce_to_string", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_a_string")
        # the same check as the pages' money fields (common.validators)
        try:
            validate_yuan_text(data, max_digits=self.max_digits,
                               decimal_places=self.decimal_places)  # fmt: skip
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages, code=exc.code) from None
        return super().to_internal_value(data)
