from common.logscrub import scrub_path

from .context import audit_context


def client_ip(request) -> str | None:
    # Behind the production proxy the client address is the first X-Forwarded-For entry.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if path.startswith("/api/"):
            channel = "api"
        elif path.startswith("/admin/"):
            channel = "admin"
        else:
            channel = "page"
        # a secret in the URL (the rating link's token) never reaches an audit row
        path = scrub_path(request.path, request.path_info)
        with audit_context(channel=channel, ip=client_ip(request), path=path[:255]):
            return self.get_response(request)
