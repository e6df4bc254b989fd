"""Reads for deadlines, always through the organisation scope."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone

from organisations.selectors import get_for_user_or_404, scope_queryset

from .engine import resolve_rule
from .models import Deadline, DeadlineRule, period_text
from .registry import all_kinds, get_kind


def _base() -> QuerySet[Deadline]:
    return Deadline.objects.select_related("owner", "organisation", "content_type")


def deadlines_for(subject) -> QuerySet[Deadline]:
    """Every deadline of one record, with what its partial shows prefetched. The caller
    has already checked the user may see `subject`."""
    return (
        _base()
        .filter(content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk)
        .prefetch_related("reminders", "pauses", "extensions__approved_by")
        .order_by("due_at")
    )


def overdue_for_user(user) -> QuerySet[Deadline]:
    """Overdue work the user may see: marked missed and not done since, or past due and not
    yet swept. A clock done late (closed as missed) is history, not work to do."""
    now = timezone.now()
    overdue = Q(state=Deadline.State.MISSED, closed_at__isnull=True) | Q(
        state=Deadline.State.PENDING, due_at__lt=now
    )
    return scope_queryset(_base().filter(overdue), user).order_by("due_at")


OPEN = "open"  # the list's default: pending or paused, soonest first


def deadline_list_for_user(
    user, *, state: str = "", kind: str = "", mine: bool = False, due: str = ""
) -> QuerySet[Deadline]:
    queryset = scope_queryset(_base(), user)
    if state == OPEN:
        queryset = queryset.filter(state__in=Deadline.OPEN_STATES)
    elif state:
        queryset = queryset.filter(state=state)
    if due:
        now = timezone.localtime()
        start = now.replace(hour=0, minute=0, second=0, microsecond=0)
        until = start + timedelta(days=1 if due == "today" else 8)
        # still running and ending today (or within the week), not already past
        queryset = queryset.filter(state=Deadline.State.PENDING, due_at__gte=now, due_at__lt=until)
    if kind:
        queryset = queryset.filter(kind=kind)
    if mine:
        queryset = queryset.filter(owner=user)
    return queryset.order_by("due_at", "pk")


def deadline_page_queryset(user, params) -> tuple[QuerySet[Deadline], dict]:
    """The deadline list for the query `params` (a QueryDict or dict), and the filters it
    used. The page and the home page's counts both read it, so they agree. With no
    parameters it opens on the open deadlines, soonest first."""
    state = params.get("state", OPEN if not params else "")
    mine = params.get("mine") == "1"
    overdue = params.get("overdue") == "1"
    due = params.get("due", "") if params.get("due") in ("today", "week") else ""
    if overdue:
        queryset = overdue_for_user(user)
        if mine:
            queryset = queryset.filter(owner=user)
    else:
        queryset = deadline_list_for_user(user, state=state, mine=mine, due=due)
    return queryset, {"state": state, "mine": mine, "overdue": overdue, "due": due}


def deadline_get_for_user(user, pk) -> Deadline:
    return get_for_user_or_404(
        _base().prefetch_related("reminders", "pauses", "extensions__approved_by"), user, pk=pk
    )


def rule_table(organisation) -> list[dict]:
    """Every registered kind with its statutory value and the value in force for
    `organisation` (its own local rule, an ancestor's, its region's, or the statutory)."""
    rows = []
    for kind in all_kinds():
        effective = resolve_rule(kind.kind, organisation) if organisation else None
        rows.append(
            {
                "kind": kind.kind,
                "label": str(kind.label),
                "basis": str(kind.basis),
                "statutory": period_text(kind.amount, kind.unit),
                "statutory_lead_times": list(kind.lead_times),
                "effective": period_text(effective.amount, effective.unit) if effective else "",
                "effective_lead_times": list(effective.lead_times) if effective else [],
                "source": effective.source if effective else "statutory",
                "source_label": effective.source_label if effective else "法定",
                "stricter": bool(
                    effective and effective.source == "local" and effective.unit == kind.unit
                    and effective.amount < kind.amount
                ),
            }
        )  # fmt: skip
    return rows


def local_rules() -> QuerySet[DeadlineRule]:
    return DeadlineRule.objects.select_related("organisation", "region").order_by("kind")


def approvers_for(deadline: Deadline):
    """Users who may approve an extension: the approving unit's supervisors when the kind
    names one, else supervisors or admins whose scope reaches the deadline's organisation
    (same organisation subtree or region subtree)."""
    from organisations.models import User
    from organisations.roles import Role

    kind = get_kind(deadline.kind)
    if kind is not None and kind.approving_unit is not None:
        # The named unit's own supervisors only (e.g. the court's president).
        return (
            User.objects.filter(
                memberships__role=Role.SUPERVISOR,
                memberships__organisation=kind.approving_unit(deadline),
                memberships__is_active=True,
            )
            .distinct()
            .order_by("full_name", "username")
        )
    organisation = deadline.organisation
    region_path = organisation.region.path
    steplen = organisation.region.steplen
    org_prefixes = [
        organisation.path[:i] for i in range(steplen, len(organisation.path) + 1, steplen)
    ]
    region_prefixes = [region_path[:i] for i in range(steplen, len(region_path) + 1, steplen)]
    return (
        User.objects.filter(
            Q(
                memberships__role=Role.SUPERVISOR,
                memberships__organisation__region__path__in=region_prefixes,
            )
            | Q(memberships__role=Role.ADMIN, memberships__organisation__path__in=org_prefixes),
            memberships__is_active=True,
        )
        .distinct()
        .order_by("full_name", "username")
    )


def extension_requests_for(deadline: Deadline) -> QuerySet:
    return deadline.extension_requests.select_related("requested_by", "approver")


def extension_requests_to_decide(user) -> QuerySet:
    """Requests that name `user` as approver (only they may decide them)."""
    from .models import DeadlineExtensionRequest

    return DeadlineExtensionRequest.objects.filter(approver=user).select_related(
        "deadline", "deadline__organisation", "requested_by", "approver"
    )


def extension_request_visible_to(user) -> QuerySet:
    """Requests the user may read: those naming them, and those on deadlines in scope."""
    from .models import DeadlineExtensionRequest

    visible = scope_queryset(Deadline.objects.all(), user).values("pk")
    return DeadlineExtensionRequest.objects.filter(
        Q(approver=user) | Q(deadline__in=visible)
    ).select_related("deadline", "deadline__organisation", "requested_by", "approver")


def extension_request_get_for_user(user, pk):
    from django.shortcuts import get_object_or_404

    return get_object_or_404(extension_request_visible_to(user), pk=pk)
