"""NUL characters in requests: PostgreSQL text cannot hold them (psycopg refuses the query).

- Query parameters (``?q=…%00``, filters, paging) lose their NUL characters before any view
  reads them: every list and search reads ``request.GET`` (DRF's ``query_params`` too), so
  one place covers them all, today's and tomorrow's.
- Posted text is the forms' and serializers' business: Django's and DRF's CharField refuse
  NUL with a field error. Where a view reads a posted value by hand, the database refusal
  is answered here with a 400 and a clear message instead of a 500.
"""

from django.http import JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

NUL = "\x00"


def _without_nul(query: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        cleaned.setlist(key.replace(NUL, ""), [value.replace(NUL, "") for value in values])
    cleaned._mutable = False
    return cleaned


def _is_nul_refusal(exception: Exception) -> bool:
    # psycopg2: "A string literal cannot contain NUL (0x00) characters."; psycopg 3 says
    # "PostgreSQL text fields cannot contain NUL (0x00) bytes".
    return isinstance(exception, ValueError) and "NUL (0x00)" in str(exception)


class NulCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query_string = request.META.get("QUERY_STRING", "")
        if "%00" in query_string or NUL in query_string:
            request.GET = _without_nul(request.GET)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not _is_nul_refusal(exception):
            return None
        message = _("提交的内容含有不允许的空字符（NUL），请删除后重试。")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        return render(request, "errors/400.html", {"message": message}, status=400)
