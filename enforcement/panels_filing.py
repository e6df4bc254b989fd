"""Filing's sections of the case page (enforcement/panels.py): the application (period
flag, target, priorities, representatives, urging) with the late-payment interest, and the
time limit (assignment clock, 6-month limit with suspensions and extensions). Each context
function costs a few queries whatever the case's size (counts are aggregated; the parties
themselves are listed by the case page)."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from deadlines.models import Deadline

from . import conf
from .case_data import shared
from .interest import case_late_interest
from .models import CONCLUDED_STATUSES, CaseParty, CaseStatus, EnforcementRole
from .panels import CasePanel, register_panel
from .selectors import court_roles
from .selectors_filing import ASSIGNMENT, NOTICE_ISSUE, TIME_LIMIT, time_limit_clocks
from .services.filing import priorities, priority_clock
from .services.time_limit import extension_refusal, extension_window
from .states import ASSIGNING_STAFF, COURT_STAFF, FILING_STAFF


def _priority_rows(case) -> list[dict]:
    rows = []
    for key in priorities(case):
        clocks = []
        for kind, label in ((ASSIGNMENT, _("确定承办人")), (TIME_LIMIT, _("执行期限"))):
            clock = conf.get("ENFORCEMENT_PRIORITY_CLOCKS").get(key, {}).get(kind)
            if clock:
                unit = {"months": _("个月"), "calendar_days": _("日"),
                        "working_days": _("个工作日")}[clock["unit"]]  # fmt: skip
                clocks.append(f"{label} {clock['amount']}{unit}")
        rows.append({"key": key, "label": str(conf.PRIORITY_LABELS[key]), "clocks": clocks,
                     "clocks_text": _("，").join(clocks)})  # fmt: skip
    return rows


def _party_counts(case) -> dict:
    data = shared(case)
    if data is None:
        return CaseParty.objects.filter(case=case).aggregate(
            applicants=Count("pk", filter=Q(role=EnforcementRole.APPLICANT)),
            debtors=Count("pk", filter=Q(role=EnforcementRole.DEBTOR)),
            representatives=Count("pk", filter=Q(is_representative=True)),
            represented=Count("pk", filter=Q(represented_by__isnull=False)),
        )
    parties = data.parties  # the case page has them all already
    return {
        "applicants": sum(p.role == EnforcementRole.APPLICANT for p in parties),
        "debtors": sum(p.role == EnforcementRole.DEBTOR for p in parties),
        "representatives": sum(p.is_representative for p in parties),
        "represented": sum(p.represented_by_id is not None for p in parties),
    }


def application_context(case, user) -> dict:
    counts = _party_counts(case)
    today = timezone.localdate()
    # a matter performed under urging or a concluded case owes no running interest here
    settled = case.status == CaseStatus.URGING_PERFORMED or case.status in CONCLUDED_STATUSES
    interest = None if settled else case_late_interest(case, until=today)
    roles = court_roles(user, case.court)
    return {
        "case": case,
        "counts": counts,
        "priority_rows": _priority_rows(case),
        "interest": interest,
        "interest_until": today,
        "is_urging": case.status in (CaseStatus.URGING, CaseStatus.URGING_PERFORMED),
        "may_file": bool(roles & FILING_STAFF),
        "workspace_url": _workspace_url(case),
    }


def _workspace_url(case) -> str:
    from django.urls import reverse

    return reverse("enforcement:filing_case", args=[case.pk])


def _clock_row(clock: Deadline | None) -> dict | None:
    if clock is None:
        return None
    now = timezone.now()
    late = clock.state == Deadline.State.MISSED or (
        clock.state == Deadline.State.PENDING and clock.due_at < now
    )
    return {
        "deadline": clock,
        "due_on": timezone.localtime(clock.due_at).date(),
        "late": late,
        "days_left": (timezone.localtime(clock.due_at).date() - timezone.localdate()).days,
        "pauses": list(clock.pauses.all()),
        "extensions": list(clock.extensions.all()),
        "requests": [r for r in clock.extension_requests.all() if r.status == "pending"],
        "priority": clock.rule_source == "explicit",
    }


def time_limit_context(case, user) -> dict | None:
    if case.status in (CaseStatus.URGING, CaseStatus.URGING_PERFORMED):
        return None
    clocks = time_limit_clocks(case)
    latest: dict[str, Deadline] = {}
    for clock in clocks:
        latest.setdefault(clock.kind, clock)
    limit = latest.get(TIME_LIMIT)
    roles = court_roles(user, case.court)
    refusal = extension_refusal(case) if limit is not None else None
    window = extension_window(limit) if limit is not None else None
    return {
        "case": case,
        "assignment": _clock_row(latest.get(ASSIGNMENT)),
        "time_limit": _clock_row(limit),
        "notice_issue": _clock_row(latest.get(NOTICE_ISSUE)),
        "extension_refusal": refusal,
        "extension_opens_on": window[0] if window else None,
        "may_ask_extension": bool(roles & COURT_STAFF) and refusal is None,
        "may_assign": bool(roles & ASSIGNING_STAFF),
        "priority_limit": priority_clock(case, TIME_LIMIT),
        "workspace_url": _workspace_url(case),
    }


def next_steps(case) -> list[str]:
    from .services.urging import next_steps as urging_steps

    steps = urging_steps(case)
    if case.status == CaseStatus.FILED:
        steps.append(_("确定承办人"))
    return steps


def register() -> None:
    register_panel(CasePanel(
        key="filing_application", order=10,
        template="enforcement/filing/panels/application.html", context=application_context,
    ))  # fmt: skip
    register_panel(CasePanel(
        key="filing_time_limit", order=20,
        template="enforcement/filing/panels/time_limit.html", context=time_limit_context,
    ))  # fmt: skip
