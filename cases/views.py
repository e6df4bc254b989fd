"""Pages of the cases app: thin — parse, call one service or selector, render."""

import secrets
from contextlib import contextmanager
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from audit.selectors import history_for
from common.downloads import stored_file_response
from common.statemachine import TransitionNotAllowed
from common.throttling import throttle_page
from common.views import safe_next_url
from organisations.roles import Role
from organisations.selectors import organisations_visible_to, roles_in_scope_of

from . import selectors, services
from .forms import (
    AnswerForm,
    BundleForm,
    CloseForm,
    DispatchForm,
    DisputeForm,
    EscalateForm,
    FlagForm,
    GridReportForm,
    HandBackForm,
    ListFilterForm,
    PartyFormSet,
    RatingForm,
    RedispatchForm,
    ReferForm,
    ResultForm,
    ReviewForm,
    SendBackForm,
    TriageForm,
)
from .models import Attachment, Bundle, Category, DispatchStatus, PartyRole, SourceChannel
from .states import (
    CENTRE_ROLES,
    dispatch_actions,
    dispatch_machine,
    dispute_actions,
    dispute_machine,
)

PAGE_SIZE = 50
RATING_SESSION_KEY = "cases_rating_links"


def _errors_to_messages(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


class StepInvalid(Exception):
    """Bad input for a loop step: its page is shown again with `form` bound as `name`."""

    def __init__(self, name: str, form):
        super().__init__(name)
        self.name = name
        self.form = form


@contextmanager
def _form_step(request, form, *, name: str, refusal: str | None = None):
    """Run the block (one service call) with `form`'s cleaned data, in a transaction.

    A refusal (the step is not open to this user now) wins over the input: the form is not
    on the page to show errors beside. Bad input — the form's own errors or a service's
    ValidationError — is put beside the fields and `StepInvalid` re-renders the page.
    """
    if refusal:
        raise TransitionNotAllowed(refusal)
    if form.is_valid():
        try:
            with transaction.atomic():
                yield form.cleaned_data
            return
        except ValidationError as exc:
            form.add_service_errors(exc)
    form.ask_to_reselect_files(request.FILES)
    form.focus_first_error()
    raise StepInvalid(name, form)


def loop_step(view=None, *, page=None):
    """POST-only loop actions.

    Bad input (`StepInvalid`) re-renders `page(request, *args, forms=…, status=400)`, the
    page the form came from, with the bound form. Refusals — the state machine's
    `TransitionNotAllowed`, `PermissionDenied`, and validation errors of steps without a
    form — become a page message and a redirect back.
    """

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            try:
                try:
                    return view(request, *args, **kwargs)
                except StepInvalid as invalid:
                    if page is None:
                        raise ValidationError(invalid.form.errors) from invalid
                    forms = {invalid.name: invalid.form}
                    return page(request, *args, forms=forms, status=400, **kwargs)
            except TransitionNotAllowed as exc:
                messages.error(request, exc.message)
            except ValidationError as exc:
                _errors_to_messages(request, exc)
            except PermissionDenied as exc:
                messages.error(request, str(exc) or _("无权执行此操作。"))
            return redirect(
                safe_next_url(
                    request,
                    request.POST.get("next"),
                    request.headers.get("Referer"),
                    fallback=reverse("cases:list"),
                )
            )

        return wrapper

    return decorate(view) if view is not None else decorate


# --- list ----------------------------------------------------------------------------------


PERSON_SEARCH_SESSION_KEY = "cases_person_search"
PERSON_SEARCH_KEEP = 20  # references kept per session


def _list_redirect(request, data):
    """The list with these filters; an ID number or phone in `q` is replaced by an opaque
    reference to its blind index kept in the session, so it never appears in a URL (access
    logs, browser history, Referer) or a saved filter."""
    params = {
        key: value
        for key, value in data.items()
        if key in ListFilterForm.base_fields and value not in ("", None)
    }
    key = selectors.person_search_key(params.get("q", ""))
    if key is not None:
        del params["q"]
        refs = request.session.get(PERSON_SEARCH_SESSION_KEY, {})
        ref = secrets.token_urlsafe(9)
        refs[ref] = [key.kind, key.index, key.masked]
        request.session[PERSON_SEARCH_SESSION_KEY] = dict(list(refs.items())[-PERSON_SEARCH_KEEP:])
        params["person"] = ref
    return redirect(f"{reverse('cases:list')}?{urlencode(params)}" if params else "cases:list")


def _person_search(request) -> selectors.PersonKey | None:
    ref = request.GET.get("person", "")
    if not ref:
        return None
    stored = request.session.get(PERSON_SEARCH_SESSION_KEY, {}).get(ref)
    if stored is None:
        messages.warning(request, _("按身份证号或电话的查询已失效，请重新输入。"))
        return None
    return selectors.PersonKey(*stored)


@login_required
def dispute_list(request):
    # The filter form is posted: an ID number or phone typed into the search box must not
    # reach the query string. A GET carrying one (an old bookmark) is moved the same way.
    if request.method == "POST":
        return _list_redirect(request, request.POST)
    if selectors.person_search_key(request.GET.get("q", "")) is not None:
        return _list_redirect(request, request.GET)
    form = ListFilterForm(
        request.GET or None, organisations=organisations_visible_to(request.user).order_by("path")
    )
    filters = form.filters() if request.GET else {}
    person = _person_search(request)
    if person is not None:
        filters["person"] = person
    queryset = selectors.dispute_list(request.user, filters=filters)
    if form.is_bound and not form.is_valid():
        # filters that cannot match (the error is beside the field) show nothing, not all
        queryset = queryset.none()
    page = selectors.keyset_page(queryset, after=request.GET.get("after", ""), size=PAGE_SIZE)
    params = request.GET.copy()
    params.pop("after", None)
    is_first = not request.GET.get("after")
    context = {
        "form": form,
        "page": page,
        # what "save filter" keeps: never the reference to an ID number / phone search
        "query_string": services.saved_filter_query(params.urlencode()),
        "next_url": f"?{urlencode({**params.dict(), 'after': page.next_cursor})}"
        if page.has_more
        else "",
        "first_url": f"?{params.urlencode()}",
        "is_first_page": not request.GET.get("after"),
        **_list_total(queryset, page, is_first=is_first),
        "saved_filters": request.user.case_filters.all(),
        "person_search": person,
        "can_assign": request.user.has_role(*CENTRE_ROLES),
        "can_register": request.user.primary_organisation is not None
        and request.user.has_role(Role.CLERK, Role.GRID_WORKER, Role.ADMIN),
        "assignees": _assignable_users(request.user)[:200],
    }
    template = (
        "cases/partials/dispute_rows.html"
        if request.headers.get("HX-Request")
        else "cases/dispute_list.html"
    )
    return render(request, template, context)


def _list_total(queryset, page, *, is_first: bool) -> dict:
    """How many disputes the list holds, on its first page: exact when one page holds them
    all (free) or up to the home page's bound (the same bounded count, so the two agree);
    beyond that the planner's estimate, rounded; never a COUNT of the whole table."""
    if not is_first:
        return {"exact_total": None, "estimate": None}
    if not page.has_more:
        return {"exact_total": len(page.items), "estimate": None}
    bounded = selectors.bounded_count(queryset)
    if bounded <= selectors.COUNT_LIMIT:
        return {"exact_total": bounded, "estimate": None}
    estimate = _approximately(selectors.estimated_count(queryset))
    estimate = max(estimate or 0, selectors.COUNT_LIMIT + 1)
    # grouped with commas in either language ("约 12,300 条"), as the figure is read aloud
    return {"exact_total": None, "estimate": estimate, "estimate_display": f"{estimate:,}"}


def _approximately(estimate: int | None) -> int | None:
    """The planner's estimate rounded to three significant figures: it is not exact, so
    the page should not look as if it were."""
    if estimate is None:
        return None
    if estimate < 1000:
        return estimate
    magnitude = 10 ** (len(str(estimate)) - 3)
    return round(estimate / magnitude) * magnitude


def _assignable_users(user):
    from organisations.models import User

    return (
        User.objects.filter(
            memberships__organisation__in=organisations_visible_to(user).values("pk"),
            memberships__role__in=[Role.CLERK, Role.GRID_WORKER],
            is_active=True,
        )
        .distinct()
        .order_by("full_name")
    )


@loop_step
def dispute_bulk(request):
    """Bulk actions on the selected rows: assign to a person, or bundle (打包)."""
    ids = [int(v) for v in request.POST.getlist("ids") if v.isdigit()]
    disputes = list(selectors.dispute_scope(request.user).filter(pk__in=ids))
    if not disputes:
        messages.error(request, _("请先勾选纠纷。"))
        return redirect("cases:list")
    if request.POST.get("action") == "bundle":
        bundle = services.bundle_create(
            organisation=disputes[0].organisation,
            actor=request.user,
            title=request.POST.get("title", ""),
            disputes=disputes,
        )
        messages.success(request, _("已打包%(n)d件纠纷。") % {"n": len(disputes)})
        return redirect("cases:bundle_detail", pk=bundle.pk)
    assignee = _assignable_users(request.user).filter(pk=request.POST.get("assignee") or 0).first()
    if assignee is None:
        messages.error(request, _("请选择承办人。"))
    else:
        count = services.dispute_assign_bulk(
            disputes=disputes, actor=request.user, assignee=assignee
        )
        messages.success(request, _("已分派%(n)d件纠纷给%(who)s。") % {"n": count, "who": assignee})
    return redirect(
        safe_next_url(request, request.POST.get("next"), fallback=reverse("cases:list"))
    )


@loop_step
def saved_filter_save(request):
    saved = services.saved_filter_save(
        user=request.user, name=request.POST.get("name", ""), query=request.POST.get("query", "")
    )
    messages.success(request, _("已保存常用筛选。"))
    # back to the list as saved: an ID number or phone never rides in the address
    return redirect(f"{reverse('cases:list')}?{saved.query}")


@loop_step
def saved_filter_delete(request, pk):
    services.saved_filter_delete(user=request.user, pk=pk)
    return redirect("cases:list")


# --- intake --------------------------------------------------------------------------------


def _parties_from(formset) -> list[dict]:
    return [
        f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


IDENTITY_USE_NEW = "new"
IDENTITY_USE_EXISTING = "existing"


def _resolve_name_conflicts(request, parties) -> list:
    """An ID number on file under another name: the clerk decides, per party, to record
    the name as entered (``new``) or to file under the name recorded in their own scope
    (``existing``). Returns the conflicts still undecided; applies the decisions to
    `parties`. Names recorded outside the user's scope are never shown."""
    undecided = []
    conflicts = selectors.party_name_conflicts(
        parties=parties, visible=selectors.dispute_scope(request.user)
    )
    for conflict in conflicts:
        choice = request.POST.get(conflict.choice_field, "")
        if choice == IDENTITY_USE_EXISTING and conflict.known_names:
            parties[conflict.position]["name"] = conflict.known_names[0]
        elif choice != IDENTITY_USE_NEW:
            undecided.append(conflict)
    return undecided


def _maybe_duplicates(request, parties, facts):
    if request.POST.get("confirm_new"):
        return []
    return selectors.duplicate_candidates(request.user, parties=parties, facts=facts)


@login_required
def dispute_create(request):
    """Clerk intake (desktop): every field on one screen, keyboard order, parties formset."""
    organisation = request.user.primary_organisation
    if organisation is None or not request.user.has_role(Role.CLERK, Role.GRID_WORKER, Role.ADMIN):
        raise PermissionDenied
    form = DisputeForm(request.POST or None, request.FILES or None, user=request.user)
    formset = PartyFormSet(
        request.POST or None,
        prefix="parties",
        initial=None
        if request.POST
        else [{"role": PartyRole.APPLICANT}, {"role": PartyRole.RESPONDENT}],
    )
    duplicates = []
    name_conflicts = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        parties = _parties_from(formset)
        link_to = request.POST.get("link_to")
        if link_to:
            dispute = selectors.dispute_get_for_user(request.user, link_to)
            services.dispute_link_report(
                dispute=dispute,
                actor=request.user,
                note=form.cleaned_data["facts"],
                source_channel=form.cleaned_data["source_channel"],
            )
            messages.success(
                request, _("已关联到纠纷%(ref)s，未重复登记。") % {"ref": dispute.reference}
            )
            return redirect("cases:detail", pk=dispute.pk)
        name_conflicts = _resolve_name_conflicts(request, parties)
        if not name_conflicts:
            duplicates = _maybe_duplicates(request, parties, form.cleaned_data["facts"])
        if not name_conflicts and not duplicates:
            data = form.cleaned_data
            try:
                dispute = services.dispute_register(
                    organisation=organisation,
                    actor=request.user,
                    source_channel=data["source_channel"],
                    category=data["category"],
                    facts=data["facts"],
                    parties=parties,
                    region=data["region"],
                    place=data["place"],
                    amount_in_dispute=data["amount_in_dispute"],
                    risk_level=data["risk_level"],
                    source_reference=data["source_reference"],
                    attachments=data["attachments"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("已登记，编号%(ref)s。") % {"ref": dispute.reference})
                return redirect("cases:detail", pk=dispute.pk)
    return render(
        request,
        "cases/dispute_form.html",
        {
            "form": form,
            "formset": formset,
            "duplicates": duplicates,
            "name_conflicts": name_conflicts,
            # decisions already taken ride along while the clerk answers the next question
            "identity_choices": {
                key: value
                for key, value in request.POST.items()
                if key.startswith("identity_choice-")
                and key not in {c.choice_field for c in name_conflicts}
            },
        },
    )


@login_required
def grid_report(request):
    """Grid worker intake (phone): what, where, who, a photo."""
    organisation = request.user.primary_organisation
    if organisation is None:
        raise PermissionDenied
    form = GridReportForm(request.POST or None, request.FILES or None)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        parties = [{"role": PartyRole.APPLICANT, "name": data["name"], "phone": data["phone"]}]
        link_to = request.POST.get("link_to")
        if link_to:
            dispute = selectors.dispute_get_for_user(request.user, link_to)
            services.dispute_link_report(
                dispute=dispute,
                actor=request.user,
                note=data["facts"],
                source_channel=SourceChannel.GRID_SCREENING,
            )
            messages.success(request, _("已关联到纠纷%(ref)s。") % {"ref": dispute.reference})
            return redirect("cases:detail", pk=dispute.pk)
        duplicates = _maybe_duplicates(request, parties, data["facts"])
        if not duplicates:
            try:
                dispute = services.dispute_register(
                    organisation=organisation,
                    actor=request.user,
                    source_channel=SourceChannel.GRID_SCREENING,
                    category=data["category"],
                    facts=data["facts"],
                    parties=parties,
                    region=organisation.region,
                    place=data["place"],
                    attachments=[(photo, Attachment.Kind.PHOTO) for photo in data["photos"]],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(
                        {"attachments": "photos", "parties": "name"}.get(field, field)
                        if field in ("attachments", "parties") or field in form.fields
                        else None,
                        errors,
                    )
            else:
                messages.success(request, _("已上报，编号%(ref)s。") % {"ref": dispute.reference})
                return redirect("cases:detail", pk=dispute.pk)
    if request.method == "POST" and form.errors:
        # the page comes back with the input kept, but a browser cannot keep chosen photos
        form.ask_to_reselect_files(request.FILES)
    return render(
        request,
        "cases/grid_report.html",
        {"form": form, "duplicates": duplicates, "categories": Category},
    )


# --- detail and loop steps -----------------------------------------------------------------


def _dispute_detail_context(request, dispute, forms=None) -> dict:
    """Everything the dispute page shows; `forms` replaces step forms (bound, with errors)."""
    roles = roles_in_scope_of(request.user, dispute.organisation)
    rating_links = request.session.get(RATING_SESSION_KEY, {})
    rating_url = ""
    if str(dispute.pk) in rating_links:
        rating_url = request.build_absolute_uri(
            reverse("rate", args=[rating_links[str(dispute.pk)]])
        )
    dispatches = list(selectors.dispute_dispatches(dispute))
    may_redispatch = dispute_machine.refusal(dispute, "redispatch", request.user) is None
    bound_redispatch = (forms or {}).get("redispatch_form")

    def redispatch_form(dispatch):
        """A 改派 form for a handed-back dispatch of this round not yet sent on."""
        if not (
            may_redispatch
            and dispatch.status == DispatchStatus.HANDED_BACK
            and dispatch.round == dispute.round
            and not hasattr(dispatch, "redispatched_to")
        ):
            return None
        if bound_redispatch is not None and bound_redispatch.dispatch_pk == dispatch.pk:
            return bound_redispatch
        return RedispatchForm(exclude=dispatch.responder_id, auto_id=f"redispatch{dispatch.pk}_%s")

    step_forms = {
        "triage_form": TriageForm(initial={"lead_organisation": dispute.lead_organisation_id}),
        "dispatch_form": DispatchForm(),
        "review_form": ReviewForm(),
        "send_back_form": SendBackForm(),
        "close_form": CloseForm(),
        "refer_form": ReferForm(),
        "flag_form": FlagForm(initial={"flagged": "0" if dispute.is_flagged else "1"}),
        **(forms or {}),
    }
    return {
        "dispute": dispute,
        "parties": selectors.dispute_parties(dispute),
        "dispatches": [
            (d, dispatch_actions(d, request.user), redispatch_form(d)) for d in dispatches
        ],
        "timeline": selectors.dispute_timeline(dispute),
        "attachments": dispute.attachments.all(),
        "actions": {t.name: t for t in dispute_actions(dispute, request.user)},
        **step_forms,
        "can_flag": bool({Role.SUPERVISOR, Role.ADMIN} & roles),
        "reveal_fields": selectors.personal_fields_revealable(request.user, dispute),
        "can_issue_link": dispute.status == "resolved" and bool(CENTRE_ROLES & roles),
        "rating_url": rating_url,
        # a link is out but only its hash is kept: it can be re-issued, not shown again
        "rating_link_active": not rating_url
        and dispute.ratings.filter(used_at__isnull=True, expires_at__gt=timezone.now()).exists(),
        "rating_sms": services.rating_sms_text(dispute=dispute, url=rating_url)
        if rating_url
        else "",
        "ratings": dispute.ratings.order_by("-created_at"),
        "history": history_for(dispute)[:20],
    }


def _dispute_page(request, pk, *, forms=None, status=200):
    dispute = selectors.dispute_get_for_user(request.user, pk)
    context = _dispute_detail_context(request, dispute, forms=forms)
    return render(request, "cases/dispute_detail.html", context, status=status)


@login_required
def dispute_detail(request, pk):
    return _dispute_page(request, pk)


def _remember_rating_link(request, dispute, token):
    links = request.session.get(RATING_SESSION_KEY, {})
    links[str(dispute.pk)] = token
    request.session[RATING_SESSION_KEY] = links


@loop_step(page=_dispute_page)
def dispute_dispatch(request, pk):
    dispute = selectors.dispute_get_for_user(request.user, pk)
    with _form_step(
        request,
        DispatchForm(request.POST),
        name="dispatch_form",
        refusal=dispute_machine.refusal(dispute, "dispatch", request.user),
    ) as data:
        targets = [
            {"responder": org, "deadline": data["deadline"], "instructions": data["instructions"]}
            for org in data["responders"]
        ]
        services.dispute_dispatch(dispute=dispute, actor=request.user, targets=targets)
    messages.success(request, _("已吹哨%(n)d个单位。") % {"n": len(targets)})
    return redirect("cases:detail", pk=pk)


def _dispute_page_of_dispatch(request, pk, *, forms=None, status=200):
    dispatch = selectors.dispatch_get_for_user(request.user, pk)
    return _dispute_page(request, dispatch.dispute_id, forms=forms, status=status)


@loop_step(page=_dispute_page_of_dispatch)
def dispatch_redispatch(request, pk):
    """改派: the centre sends a handed-back dispatch on to another unit."""
    dispatch = selectors.dispatch_get_for_user(request.user, pk)
    dispute = dispatch.dispute
    form = RedispatchForm(
        request.POST, exclude=dispatch.responder_id, auto_id=f"redispatch{dispatch.pk}_%s"
    )
    form.dispatch_pk = dispatch.pk
    with _form_step(
        request,
        form,
        name="redispatch_form",
        refusal=dispute_machine.refusal(dispute, "redispatch", request.user),
    ) as data:
        created = services.dispatch_redispatch(dispatch=dispatch, actor=request.user, **data)
    messages.success(request, _("已改派至%(org)s。") % {"org": created.responder.name})
    return redirect("cases:detail", pk=dispute.pk)


@loop_step(page=_dispute_page)
def dispute_review(request, pk):
    dispute = selectors.dispute_get_for_user(request.user, pk)
    with _form_step(
        request,
        ReviewForm(request.POST),
        name="review_form",
        refusal=dispute_machine.refusal(dispute, "close_resolved", request.user),
    ) as data:
        dispute, token = services.dispute_review_close(
            dispute=dispute, actor=request.user, note=data["note"]
        )
    _remember_rating_link(request, dispute, token)
    messages.success(request, _("已交卷确认化解，请将评价链接发送给群众。"))
    return redirect("cases:detail", pk=pk)


@loop_step
def dispute_rating_link(request, pk):
    dispute = selectors.dispute_get_for_user(request.user, pk)
    if not (CENTRE_ROLES & roles_in_scope_of(request.user, dispute.organisation)):
        raise PermissionDenied
    _rating, token = services.rating_link_issue(dispute=dispute, actor=request.user)
    _remember_rating_link(request, dispute, token)
    messages.success(request, _("已生成新的评价链接，旧链接失效。"))
    return redirect("cases:detail", pk=pk)


@loop_step(page=_dispute_page)
def dispute_flag(request, pk):
    dispute = selectors.dispute_get_for_user(request.user, pk)
    may_flag = {Role.SUPERVISOR, Role.ADMIN} & roles_in_scope_of(request.user, dispute.organisation)
    with _form_step(
        request,
        FlagForm(request.POST),
        name="flag_form",
        refusal=None if may_flag else _("只有监督领导可以督办。"),
    ) as data:
        services.dispute_flag(dispute=dispute, actor=request.user, **data)
    return redirect("cases:detail", pk=pk)


# --- responders ---------------------------------------------------------------------------


@login_required
def inbox(request):
    status = request.GET.get("status", "")
    overdue = request.GET.get("overdue") == "1"
    dispatches = selectors.inbox_for_user(request.user, status=status, overdue=overdue)
    page = Paginator(dispatches, PAGE_SIZE).get_page(request.GET.get("page"))
    params = {"status": status, "overdue": "1" if overdue else ""}
    return render(
        request,
        "cases/inbox.html",
        {
            "dispatches": page.object_list,
            "page": page,
            "query_string": urlencode({k: v for k, v in params.items() if v}),
            "status": status,
            "overdue": overdue,
        },
    )


def _dispatch_detail_context(request, dispatch, forms=None) -> dict:
    """Everything the dispatch page shows; `forms` replaces step forms (bound, with errors)."""
    return {
        "dispatch": dispatch,
        "dispute": dispatch.dispute,
        "actions": {t.name: t for t in dispatch_actions(dispatch, request.user)},
        "answer_form": AnswerForm(),
        "hand_back_form": HandBackForm(),
        **(forms or {}),
        "parties": selectors.dispute_parties(dispatch.dispute),
        "reveal_fields": selectors.personal_fields_revealable(request.user, dispatch.dispute),
        "timeline": selectors.dispute_timeline(dispatch.dispute),
    }


def _dispatch_page(request, pk, *, forms=None, status=200):
    dispatch = selectors.dispatch_get_for_user(request.user, pk)
    context = _dispatch_detail_context(request, dispatch, forms=forms)
    return render(request, "cases/dispatch_detail.html", context, status=status)


@login_required
def dispatch_detail(request, pk):
    return _dispatch_page(request, pk)


@loop_step
def dispatch_accept(request, pk):
    dispatch = selectors.dispatch_get_for_user(request.user, pk)
    services.dispatch_accept(dispatch=dispatch, actor=request.user)
    messages.success(request, _("已应哨。"))
    return redirect("cases:dispatch_detail", pk=pk)


@loop_step(page=_dispatch_page)
def dispatch_answer(request, pk):
    dispatch = selectors.dispatch_get_for_user(request.user, pk)
    with _form_step(
        request,
        AnswerForm(request.POST, request.FILES),
        name="answer_form",
        refusal=dispatch_machine.refusal(dispatch, "answer", request.user),
    ) as data:
        services.dispatch_answer(
            dispatch=dispatch,
            actor=request.user,
            answer=data["answer"],
            attachments=data["attachments"],
        )
    messages.success(request, _("已答卷。"))
    return redirect("cases:dispatch_detail", pk=pk)


# --- supervision, bundles, parties ------------------------------------------------------


SUPERVISION_ROWS = 100


def _days_overdue(since) -> int:
    """Whole days past the deadline; less than a day shows as one."""
    return max(1, (timezone.now() - since).days)


def _supervision_rows(user) -> list[dict]:
    """Every overdue step in the user's scope as one row: unit, issue, days overdue, who
    holds it, and what a 催办 posts (record kind and id)."""
    rows = []
    for d in selectors.overdue_disputes(user)[:SUPERVISION_ROWS]:
        since = d.triage_due_at if d.status == "registered" and d.triage_due_at else d.due_at
        holder, _users = services.overdue_holder(d)
        rows.append(
            {
                "record": "dispute", "pk": d.pk, "dispute": d, "unit": d.organisation.name,
                "step": _("研判") if d.status == "registered" else _("办结"),
                "due": since, "days": _days_overdue(since), "holder": holder,
                "url": reverse("cases:detail", args=[d.pk]),
            }
        )  # fmt: skip
    for x in selectors.overdue_dispatches(user).select_related("dispute__assignee")[
        :SUPERVISION_ROWS
    ]:
        pending = x.status == "pending" and x.accept_due_at and x.accept_due_at < timezone.now()
        since = x.accept_due_at if pending else x.deadline
        rows.append(
            {
                "record": "dispatch", "pk": x.pk, "dispute": x.dispute, "unit": x.responder.name,
                "step": _("应哨") if pending else _("答卷"),
                "due": since, "days": _days_overdue(since), "holder": x.responder.name,
                "url": reverse("cases:dispatch_detail", args=[x.pk]),
            }
        )  # fmt: skip
    return sorted(rows, key=lambda row: -row["days"])


@login_required
def supervision(request):
    return render(
        request,
        "cases/supervision.html",
        {
            "flagged": selectors.flagged_disputes(request.user).prefetch_related(
                selectors.applicants_prefetch()
            )[:SUPERVISION_ROWS],
            "rows": _supervision_rows(request.user),
            "can_urge": request.user.has_role(Role.SUPERVISOR, Role.ADMIN),
        },
    )


@loop_step
def supervision_urge(request):
    """催办 one overdue dispute or dispatch (POST from the supervision page)."""
    pk = request.POST.get("pk", "")
    if request.POST.get("record") == "dispatch":
        record = selectors.dispatch_get_for_user(request.user, pk)
    else:
        record = selectors.dispute_get_for_user(request.user, pk)
    services.overdue_urge(record=record, actor=request.user, note=request.POST.get("note", ""))
    holder, _users = services.overdue_holder(record)
    messages.success(request, _("已催办%(holder)s。") % {"holder": holder})
    return redirect("cases:supervision")


@login_required
def bundle_list(request):
    bundles = selectors.bundle_scope(request.user).order_by("-created_at", "-pk")
    page = Paginator(bundles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/bundle_list.html",
        {
            "bundles": page.object_list,
            "page": page,
            "form": BundleForm(),
        },
    )


def _bundle_detail_context(request, bundle, forms=None) -> dict:
    """Everything the bundle page shows; `forms` replaces step forms (bound, with errors)."""
    members = bundle.disputes.select_related(*selectors.LIST_RELATED).order_by("-registered_at")
    return {
        "bundle": bundle,
        "members": members,
        "escalate_form": EscalateForm(),
        "result_form": ResultForm(),
        **(forms or {}),
    }


def _bundle_page(request, pk, *, forms=None, status=200):
    bundle = selectors.bundle_get_for_user(request.user, pk)
    context = _bundle_detail_context(request, bundle, forms=forms)
    return render(request, "cases/bundle_detail.html", context, status=status)


@login_required
def bundle_detail(request, pk):
    return _bundle_page(request, pk)


# --- one-form loop steps ------------------------------------------------------------------
# Each is: fetch the record, refuse if the step is not open, validate the form, call one
# service with the form's cleaned data, say so, redirect. A row per step says what differs.

_STEP_RECORDS = {
    # record kwarg: (page the form is on, fetch, state machine, detail URL name)
    "dispute": (_dispute_page, selectors.dispute_get_for_user, dispute_machine, "cases:detail"),
    "dispatch": (
        _dispatch_page,
        selectors.dispatch_get_for_user,
        dispatch_machine,
        "cases:dispatch_detail",
    ),
    "bundle": (_bundle_page, selectors.bundle_get_for_user, None, "cases:bundle_detail"),
}


def _simple_step(record, form_class, service, message, *, transition="", refusal=None, to=""):
    """A loop step view for `record` ("dispute", "dispatch" or "bundle").

    Guarded by the record's state machine as `transition`, or by `refusal(record, user)`
    (a reason, or None when open). The bound form is re-shown as `<id_prefix>_form`, the
    name the page's context gives it. Redirects to `to` (a URL name) or the record's page.
    """
    page, fetch, machine, detail = _STEP_RECORDS[record]
    name = f"{form_class.id_prefix}_form"

    @loop_step(page=page)
    def view(request, pk):
        obj = fetch(request.user, pk)
        why_not = (
            machine.refusal(obj, transition, request.user)
            if transition
            else refusal(obj, request.user)
        )
        with _form_step(request, form_class(request.POST), name=name, refusal=why_not) as data:
            service(**{record: obj}, actor=request.user, **data)
        messages.success(request, message)
        return redirect(to) if to else redirect(detail, pk=pk)

    return view


dispute_triage = _simple_step(
    "dispute", TriageForm, services.dispute_triage, gettext_lazy("研判完成。"), transition="triage"
)
dispute_send_back = _simple_step(
    "dispute",
    SendBackForm,
    services.dispute_send_back,
    gettext_lazy("已退回重办。"),
    transition="send_back",
)
dispute_close = _simple_step(
    "dispute", CloseForm, services.dispute_close, gettext_lazy("已销号。"), transition="close"
)
dispute_refer = _simple_step(
    "dispute", ReferForm, services.dispute_refer, gettext_lazy("已移交。"), transition="refer"
)
dispatch_hand_back = _simple_step(
    "dispatch",
    HandBackForm,
    services.dispatch_hand_back,
    gettext_lazy("已退回。"),
    transition="hand_back",
    to="cases:inbox",
)
bundle_escalate = _simple_step(
    "bundle",
    EscalateForm,
    services.bundle_escalate,
    gettext_lazy("已打包上报。"),
    refusal=lambda bundle, user: (
        None if bundle.status == Bundle.Status.OPEN else _("只有归集中的打包事项可以上报。")
    ),
)
bundle_close = _simple_step(
    "bundle",
    ResultForm,
    services.bundle_close,
    gettext_lazy("打包事项已办结，所含纠纷一并销号。"),
    refusal=lambda bundle, user: (
        None if bundle.status != Bundle.Status.CLOSED else _("打包事项已办结。")
    ),
)


@login_required
def party_detail(request, pk):
    """A party as recorded in the user's scope: names, phones and addresses come from the
    user's own disputes, never from what another organisation recorded."""
    party = selectors.party_get_for_user(request.user, pk)
    links = list(
        selectors.party_links_in_scope(request.user, party).select_related("dispute__organisation")[
            :200
        ]
    )
    names = list(dict.fromkeys(link.name for link in links if link.name))
    return render(
        request,
        "cases/party_detail.html",
        {
            "party": party,
            "links": links,
            "names": names,
            "phones": list(dict.fromkeys(link.phone_masked for link in links if link.phone_masked)),
            "addresses": list(dict.fromkeys(link.address for link in links if link.address)),
            "can_reveal": any(_clerk_of(request.user, link.dispute) for link in links[:50]),
        },
    )


def _clerk_of(user, dispute) -> bool:
    return bool({Role.CLERK, Role.ADMIN} & roles_in_scope_of(user, dispute.organisation))


@require_POST
@login_required
def party_reveal(request, pk):
    """htmx: the full ID number and the phones recorded by the disputes the user is clerk
    of (not those other organisations recorded); audited."""
    party = selectors.party_get_for_user(request.user, pk)
    links = [
        link
        for link in selectors.party_links_in_scope(request.user, party).select_related(
            "dispute__organisation"
        )[:50]
        if _clerk_of(request.user, link.dispute)
    ]
    if not links:
        raise PermissionDenied
    values = services.party_personal_data_reveal(party=party, actor=request.user, links=links)
    return render(request, "cases/partials/party_personal.html", {"party": party, "values": values})


@login_required
@require_GET
def attachment_download(request, pk):
    """The only way to a stored file: scoped like its dispute, audited, sent as a download."""
    attachment = selectors.attachment_get_for_user(request.user, pk)
    services.attachment_read(attachment=attachment, actor=request.user)
    return stored_file_response(
        attachment.file.name,
        filename=attachment.original_name,
        content_type=attachment.content_type,
        storage=attachment.file.storage,
    )


@require_POST
@login_required
def dispute_party_reveal(request, pk, link_pk):
    """htmx: one party of one dispute in full — ID number and phone for the registering
    organisation's clerk, the phone for the responder handling an active dispatch; audited."""
    dispute = selectors.dispute_get_for_user(request.user, pk)
    link = get_object_or_404(dispute.dispute_parties.select_related("party", "dispute"), pk=link_pk)
    fields = selectors.personal_fields_revealable(request.user, dispute)
    if not fields:
        raise PermissionDenied
    values = services.dispute_party_personal_data_reveal(
        link=link, actor=request.user, fields=fields
    )
    return render(
        request, "cases/partials/party_personal.html", {"party": link.party, "values": values}
    )


# --- the resident's rating page (no login) ---------------------------------------------


@never_cache  # a resident's own dispute, behind a secret link: not for a shared cache
@throttle_page("rating")
def rate(request, token):
    try:
        rating = services.rating_for_token(token)
    except services.RatingLinkInvalid as exc:
        return render(request, "cases/rate.html", {"invalid": exc.message}, status=410)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.rating_submit(token=token, **form.cleaned_data)
        except services.RatingLinkInvalid as exc:
            return render(request, "cases/rate.html", {"invalid": exc.message}, status=410)
        return render(request, "cases/rate.html", {"done": True})
    return render(
        request,
        "cases/rate.html",
        {
            "form": form,
            "dispute": rating.dispute,
            "answers": selectors.dispute_answers(rating.dispute),
            "review": selectors.dispute_review_note(rating.dispute),
        },
    )
