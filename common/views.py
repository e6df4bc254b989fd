import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache

logger = logging.getLogger(__name__)


def _database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True, connection.vendor
    except Exception as exc:  # noqa: BLE001 - health must answer, whatever broke
        logger.warning("healthz: database check failed: %s", type(exc).__name__)
        return False, type(exc).__name__


def _broker_ok() -> tuple[bool, str]:
    from config.celery_app import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            return True, conn.transport_cls if isinstance(conn.transport_cls, str) else "ok"
    except Exception as exc:  # noqa: BLE001
        logger.warning("healthz: broker check failed: %s", type(exc).__name__)
        return False, type(exc).__name__


@never_cache
def healthz(request):
    database_ok, database_info = _database_ok()
    broker_ok, broker_info = _broker_ok()
    healthy = database_ok and broker_ok
    body = {
        "status": "ok" if healthy else "degraded",
        "database": {"ok": database_ok, "detail": database_info},
        "broker": {"ok": broker_ok, "detail": broker_info},
    }
    if settings.DEBUG:
        body["broker"]["url_scheme"] = settings.CELERY_BROKER_URL.split(":", 1)[0]
    return JsonResponse(body, status=200 if healthy else 503)


@cache_control(public=True, max_age=7 * 24 * 60 * 60)
def favicon(request):
    """/favicon.ico, which browsers ask for on every site whatever the page links (the page
    links the static copy): answered from static/ so it is not a 404 in every log."""
    path = finders.find("favicon.ico")
    if not path:
        raise Http404
    return FileResponse(open(path, "rb"), content_type="image/x-icon")


def _api_error(request, status: int, code: str, detail) -> JsonResponse | None:
    """Under /api/ errors raised outside DRF (unknown path, a body Django refuses) answer in
    the API's one error format, not with an HTML page."""
    if not request.path.startswith("/api/"):
        return None
    return JsonResponse({"code": code, "detail": str(detail), "fields": {}}, status=status)


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        return _api_error(request, 413, "payload_too_large", _("提交的数据过大。")) or render(
            request, "errors/400.html", status=413
        )
    return _api_error(request, 400, "parse_error", _("请求格式有误。")) or render(
        request, "errors/400.html", status=400
    )


def permission_denied(request, exception=None):
    return _api_error(request, 403, "permission_denied", _("无权执行此操作。")) or render(
        request, "errors/403.html", status=403
    )


def page_not_found(request, exception=None):
    return _api_error(request, 404, "not_found", _("未找到。")) or render(
        request, "errors/404.html", status=404
    )


def server_error(request):
    return _api_error(request, 500, "server_error", _("服务器内部错误。")) or render(
        request, "errors/500.html", status=500
    )


def safe_next_url(request, *candidates: str | None, fallback: str) -> str:
    """The first candidate that is a URL on this site (never an open redirect), else
    `fallback`."""
    for candidate in candidates:
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
    return fallback


@login_required
def approvals(request):
    """待我审批: every request that names the user as the one to decide it."""
    from .approvals import awaiting_for

    return render(request, "common/approvals.html", {"groups": awaiting_for(request.user)})
