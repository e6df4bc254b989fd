from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from organisations.roles import Role

from .selectors import job_label, job_overview, outbox_backlog, recent_runs


@login_required
def job_runs(request):
    """Periodic jobs: last run, duration, items, failures. Supervisors and admins."""
    if not request.user.has_role(Role.SUPERVISOR, Role.ADMIN):
        raise PermissionDenied
    name = request.GET.get("job", "")
    return render(
        request,
        "jobs/job_runs.html",
        {
            "jobs": job_overview(),
            "runs": recent_runs(name),
            "job": job_label(name) if name else "",
            "outbox": outbox_backlog(),
        },
    )
