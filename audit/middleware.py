from common.logscrub import scrub_path
from common.network import client_ip

from .context import audit_context


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
        # X-Forwarded-For counts only from a trusted proxy (common.network).
        with audit_context(channel=channel, ip=client_ip(request), path=path[:255]):
            return self.get_response(request)
