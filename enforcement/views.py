"""Enforcement pages: the officer's workbench (我的案件), the court's list and the case page.
Thin: parse, call one selector or service, render."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.selectors import COUNT_LIMIT, bounded_count, estimated_count
from common.statemachine import TransitionNotAllowed

from . import selectors_lists as lists
from .case_page import case_page
from .forms_lists import BulkAssignForm, CourtListForm, assign_officer_select
from .home import workbench_tiles
from .panels import next_steps_for_many
from .presenters_lists import case_cards, case_rows, court_table_rows, workbench_table_rows
from .selectors import COURT_KINDS, acting_roles, case_get_for_user
from .services.assignment import case_assign
from .states import ASSIGNING_STAFF

PAGE_SIZE = 50


def _next_url(request, page) -> str:
    if not page.has_more:
        return ""
    params = request.GET.copy()
    params["after"] = page.next_cursor
    return f"?{params.urlencode()}"


def _rows(cases) -> list:
    """Each row's next legal step (its soonest clock, then what the parts say is due) and
    its display values, for the whole page at once."""
    cases = list(cases)
    for case, steps in zip(cases, next_steps_for_many(cases), strict=True):
        case.next_steps = steps
    return case_rows(cases)


@login_required
@require_GET
def workbench(request):
    """我的案件: the officer's open cases, overdue first, then soonest due."""
    read = lists.workbench_read(request.user, after=request.GET.get("after", ""), size=PAGE_SIZE)
    page = read.page
    rows = _rows(page.items)
    return render(
        request,
        "enforcement/workbench.html",
        {
            "page": page,
            "rows": rows,
            "table_rows": workbench_table_rows(rows),
            "cards": case_cards(rows),
            "next_url": _next_url(request, page),
            "is_first_page": not request.GET.get("after"),
            "tiles": workbench_tiles(request.user, read.figures)
            if not request.GET.get("after")
            else [],
        },
    )


# The unfiltered list of a court whose estimate is past this is not counted at all: the
# planner's figure for "the court's cases" is close, and far above the bound.
SURELY_LARGE = 10 * (COUNT_LIMIT + 1)


def _list_total(user, queryset, page, *, is_first: bool, filtered: bool) -> dict:
    """Exact up to the bound (the database stops counting there), else the planner's
    estimate: never a COUNT over the whole table (as the disputes' list does)."""
    if not is_first:
        return {"exact_total": None, "estimate": None}
    if not page.has_more:
        return {"exact_total": len(page.items), "estimate": None}
    if page.total is not None:  # the page read every match
        return {"exact_total": page.total, "estimate": None}
    estimate = None
    if not filtered:  # a filter's estimate may be far off: count up to the bound first
        estimate = _scope_estimate(user, queryset)
    if estimate is None or estimate < SURELY_LARGE:
        bounded = bounded_count(queryset)
        if bounded <= COUNT_LIMIT:
            return {"exact_total": bounded, "estimate": None}
        if estimate is None:
            estimate = estimated_count(queryset)
    estimate = max(estimate or 0, COUNT_LIMIT + 1)
    if estimate >= 1000:
        magnitude = 10 ** (len(str(estimate)) - 3)
        estimate = round(estimate / magnitude) * magnitude
    return {"exact_total": None, "estimate": estimate, "estimate_display": f"{estimate:,}"}


def _scope_estimate(user, queryset) -> int | None:
    """The planner's estimate of the unfiltered list (the cases of the courts in the user's
    scope), kept for five minutes by those courts: an estimate is rounded to three figures
    anyway, and asking the planner cost the first page a query and a compile a visit."""
    scope = "all" if user.is_superuser else ",".join(map(str, sorted(lists.court_ids_for(user))))
    digest = hashlib.sha1(scope.encode(), usedforsecurity=False).hexdigest()
    key = f"enforcement:list-estimate:{digest}"
    estimate = cache.get(key)
    if estimate is None:
        estimate = estimated_count(queryset)
        if estimate is not None:
            cache.set(key, estimate, 300)
    return estimate


def _may_assign(user) -> bool:
    if user.is_superuser:
        return True
    return any(
        membership.organisation.kind in COURT_KINDS and membership.role in ASSIGNING_STAFF
        for membership in user.active_memberships
    )


@login_required
@require_GET
def case_list(request):
    """The court's list (clerks, supervisors, officers): filters, search, keyset pages."""
    officers = lists.assignable_officers(request.user)  # read only to check a chosen one
    options = lists.assignable_officer_options(request.user)  # one read for both selects
    form = CourtListForm(request.GET or None, officers=officers, options=options)
    queryset = lists.court_case_list(request.user, filters=form.filters())
    if form.is_bound and not form.is_valid():
        queryset = queryset.none()  # filters that cannot match show nothing, not all
    page = lists.court_list_page(queryset, after=request.GET.get("after", ""), size=PAGE_SIZE)
    rows = _rows(lists.attach_next_deadlines(page.items))
    params = request.GET.copy()
    params.pop("after", None)
    is_first = not request.GET.get("after")
    may_assign = _may_assign(request.user)
    return render(
        request,
        "enforcement/case_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "table_rows": court_table_rows(rows, selectable=may_assign),
            "cards": case_cards(rows, selectable=may_assign),
            "next_url": _next_url(request, page),
            "first_url": f"?{params.urlencode()}",
            "is_first_page": is_first,
            "filtered": bool(params),
            "may_assign": may_assign,
            "assign_officer_select": assign_officer_select(options) if may_assign else "",
            **_list_total(request.user, queryset, page, is_first=is_first, filtered=bool(params)),
        },
    )


@login_required
@require_POST
def bulk_assign(request):
    """Assign the selected cases to one officer, each through the assignment service
    (its 7-day clock met, the notice clock started, the audit entry written); a case it
    refuses is named with the reason and the others still go."""
    back = request.POST.get("next", "")
    back = back if back.startswith(reverse("enforcement:list")) else reverse("enforcement:list")
    if not _may_assign(request.user):
        raise PermissionDenied
    form = BulkAssignForm(request.POST, officers=lists.assignable_officers(request.user))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    officer = form.cleaned_data["officer"]
    cases = list(
        lists.court_scope(request.user)
        .filter(pk__in=set(form.cleaned_data["ids"]))
        .select_related("court", "court__region")
        .order_by("pk")
    )
    assigned, refused = [], []
    for case in cases:
        if not (acting_roles(request.user, case.court) & ASSIGNING_STAFF):
            refused.append(_("%(case)s：您无权分配该院案件") % {"case": case})
            continue
        try:
            with transaction.atomic():  # one refused case leaves the others assigned
                case_assign(
                    case=case, officer=officer, actor=request.user, note=form.cleaned_data["note"]
                )
        except TransitionNotAllowed as exc:
            refused.append(f"{case}：{exc.message}")
        except ValidationError as exc:
            refused.append(f"{case}：{'；'.join(exc.messages)}")
        except PermissionDenied as exc:
            refused.append(f"{case}：{exc or _('无权执行此操作。')}")
        else:
            assigned.append(case)
    missing = len(set(form.cleaned_data["ids"])) - len(cases)
    if assigned:
        messages.success(
            request,
            _("已将%(n)d件案件分配给%(who)s。") % {"n": len(assigned), "who": officer},
        )
    for reason in refused:
        messages.error(request, reason)
    if missing > 0:
        messages.error(request, _("%(n)d件所选案件不存在或不在您的范围内。") % {"n": missing})
    return redirect(back)


@login_required
@require_GET
def case_detail(request, pk):
    case = case_get_for_user(request.user, pk)
    return render(
        request,
        "enforcement/case_detail.html",
        {"page": case_page(case, request.user), "case": case},
    )
