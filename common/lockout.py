"""django-axes lockout answers: the lockout page for people, the JSON error format for the API."""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_parameters, get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request, original_response=None, credentials=None):
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "code": "locked_out",
                "detail": _("登录失败次数过多，已暂时锁定，请稍后再试。"),
                "fields": {},
            },
            status=429,
        )
    return render(request, "registration/locked_out.html", status=429)


class PerAddressLimitDatabaseHandler(AxesDatabaseHandler):
    """axes counts every lockout parameter set against one AXES_FAILURE_LIMIT. We lock a
    user name at one address after AXES_FAILURE_LIMIT failures (so nobody can lock a clerk
    out from elsewhere) and a whole address after AXES_IP_FAILURE_LIMIT failures over any
    user names (password spraying; an office behind one NAT address needs the higher limit).
    The per-address count is scaled onto the common limit: it reaches the common limit
    exactly when it reaches AXES_IP_FAILURE_LIMIT."""

    def get_failures(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        filters = get_client_parameters(
            username, request.axes_ip_address, request.axes_user_agent, request, credentials
        )
        limit = settings.AXES_FAILURE_LIMIT
        address_limit = settings.AXES_IP_FAILURE_LIMIT
        worst = 0
        for filter_kwargs in filters:
            failures = (
                AccessAttempt.objects.filter(**filter_kwargs).aggregate(
                    total=Sum("failures_since_start")
                )["total"]
                or 0
            )
            if set(filter_kwargs) == {"ip_address"}:
                failures = failures * limit // address_limit
            worst = max(worst, failures)
        return worst
