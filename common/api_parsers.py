"""Request parsers of the API (the REST_FRAMEWORK setting imports them; keep this module free
of imports of rest_framework.views, which reads that setting while it loads)."""

import io

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.parsers import FormParser, JSONParser


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("提交的数据过大。")
    default_code = "payload_too_large"


def _read_limited(stream):
    """The body as a fresh stream, or PayloadTooLarge past DATA_UPLOAD_MAX_MEMORY_SIZE.

    Django enforces that limit only when a form post is read through request.POST / .body;
    DRF's JSON and form parsers read the raw stream, so they check it here."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if stream is None or limit is None:
        return stream
    content = stream.read(limit + 1)
    if len(content) > limit:
        raise PayloadTooLarge()
    return io.BytesIO(content)


class SizeLimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return super().parse(_read_limited(stream), media_type, parser_context)


class SizeLimitedFormParser(FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return super().parse(_read_limited(stream), media_type, parser_context)
