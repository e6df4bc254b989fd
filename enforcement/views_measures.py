"""Pages of coercive measures, objections and campaigns.

Thin: fetch through the scoped getters (404 outside scope), call one service, re-render the
form with the errors by their fields (400), say why a refused step was refused (409)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.statemachine import TransitionNotAllowed
from deadlines.selectors import deadlines_for

from . import selectors_campaigns as sel
from .forms_measures import (
    CampaignForm,
    EndForm,
    ExecuteForm,
    FamilyForm,
    MeasureRequestForm,
    NoteForm,
    ObjectionForm,
    ObjectionStepForm,
)
from .models import MeasureKind, ObjectionKind, ObjectionStatus
from .selectors import case_get_for_user, court_roles, courts_visible_to, enforcement_scope
from .services import campaigns as campaign_services
from .services import measures as measure_services
from .services import objections as objection_services
from .services.notices import may_act, require_staff


def _back(case_pk: int):
    return redirect(reverse("enforcement:detail", args=[case_pk]) + "#measures")


# --- measures -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def measure_new(request, pk):
    case = case_get_for_user(request.user, pk)
    require_staff(case, request.user)
    subjects = list(case.case_parties.select_related("party").order_by("role", "position", "pk"))
    approvers = list(sel.presidents_of(case.court, exclude=request.user))
    form = MeasureRequestForm(
        request.POST or None, subjects=subjects, approvers=approvers,
        initial={"kind": request.GET.get("kind", MeasureKind.APPEARANCE), "hours": 8},
    )  # fmt: skip
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            subject_pk = data.pop("subject")
            subject = next(p for p in subjects if p.pk == subject_pk)
            approver_pk = data.pop("approver")
            approver = next((u for u in approvers if u.pk == approver_pk), None)
            measure, taken = form.call_service(
                lambda: measure_services.measure_request(
                    case=case, subject=subject, approver=approver, actor=request.user, **data
                )
            )
            if taken == 200:
                messages.success(
                    request,
                    _("已提交%(k)s申请，待%(a)s审批。") % {"k": measure.get_kind_display(),
                                                          "a": approver}
                    if measure.needs_approval
                    else _("已决定%(k)s。") % {"k": measure.get_kind_display()},
                )  # fmt: skip
                return redirect(measure.get_absolute_url())
            status = taken
    form.focus_first_error()
    return render(
        request, "enforcement/measures/measure_form.html",
        {"case": case, "form": form, "limits": measure_services.limits()}, status=status,
    )  # fmt: skip


@require_GET
@login_required
def measure_detail(request, pk):
    measure = sel.measure_get_for_user(request.user, pk)
    actions = measure_services.measure_actions(measure, request.user)
    return render(
        request,
        "enforcement/measures/measure.html",
        {
            "case": measure.case, "measure": measure, "actions": actions,
            "clocks": list(deadlines_for(measure)), "reviews": list(measure.reviews.all()),
            "note_form": NoteForm(), "execute_form": ExecuteForm(prefix="execute"),
            "end_form": EndForm(prefix="end"), "family_form": FamilyForm(prefix="family"),
        },
    )  # fmt: skip


MEASURE_STEPS = {
    "approve": (NoteForm, ""),
    "refuse": (NoteForm, ""),
    "cancel": (NoteForm, ""),
    "execute": (ExecuteForm, "execute"),
    "end": (EndForm, "end"),
    "family": (FamilyForm, "family"),
}


@require_POST
@login_required
def measure_step(request, pk, step):
    measure = sel.measure_get_for_user(request.user, pk)
    if step not in MEASURE_STEPS:
        raise Http404
    form_class, prefix = MEASURE_STEPS[step]
    form = form_class(request.POST, prefix=prefix or None)
    status = 400
    if form.is_valid():
        data = form.cleaned_data

        def run():
            if step == "approve":
                return measure_services.measure_approve(measure=measure, actor=request.user,
                                                        note=data["note"])  # fmt: skip
            if step == "refuse":
                return measure_services.measure_refuse(measure=measure, actor=request.user,
                                                       note=data["note"])  # fmt: skip
            if step == "cancel":
                return measure_services.measure_cancel(measure=measure, actor=request.user,
                                                       note=data["note"])  # fmt: skip
            if step == "execute":
                return measure_services.measure_execute(
                    measure=measure, actor=request.user, started_at=data["started_at"],
                    note=data["note"],
                )  # fmt: skip
            if step == "end":
                return measure_services.measure_end(
                    measure=measure, actor=request.user, ended_at=data["ended_at"],
                    note=data["note"],
                )  # fmt: skip
            return measure_services.measure_family_notified(
                measure=measure, actor=request.user, notified_at=data["notified_at"],
                note=data["note"],
            )  # fmt: skip

        _done, taken = form.call_service(run)
        if taken == 200:
            messages.success(request, _("已办理。"))
            return redirect(measure.get_absolute_url())
        status = taken
    measure.refresh_from_db()
    forms = {"note_form": NoteForm(), "execute_form": ExecuteForm(prefix="execute"),
             "end_form": EndForm(prefix="end"), "family_form": FamilyForm(prefix="family")}  # fmt: skip
    key = {"approve": "note_form", "refuse": "note_form", "cancel": "note_form"}.get(
        step, f"{step}_form"
    )
    forms[key] = form
    actions = measure_services.measure_actions(measure, request.user)
    shown = ("approve" if step == "refuse" else step) in actions
    return render(
        request, "enforcement/measures/measure.html",
        {"case": measure.case, "measure": measure, "step": step, "actions": actions,
         "clocks": list(deadlines_for(measure)), "reviews": list(measure.reviews.all()),
         # a step the measure's state no longer offers has no form on the page: its
         # refusal is said above the page instead
         "refused_form": None if shown else form, **forms},
        status=status,
    )  # fmt: skip


@require_GET
@login_required
def measures_awaiting(request):
    """The president's inbox: requests naming them as approver."""
    return render(
        request, "enforcement/measures/awaiting.html",
        {"measures": list(sel.measures_awaiting(request.user)[:200])},
    )  # fmt: skip


# --- objections -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def objection_new(request, pk):
    case = case_get_for_user(request.user, pk)
    require_staff(case, request.user)
    parties = list(case.case_parties.order_by("role", "position", "pk"))
    parents = list(case.objections.filter(kind=ObjectionKind.OBJECTION))
    measures = list(case.coercive_measures.filter(kind__in=(MeasureKind.FINE,
                                                            MeasureKind.DETENTION)))  # fmt: skip
    form = ObjectionForm(request.POST or None, parties=parties, parents=parents,
                         measures=measures, initial={"kind": request.GET.get("kind", "objection")})  # fmt: skip
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["applicant_party"] = next(
                (p for p in parties if p.pk == data["applicant_party"]), None)  # fmt: skip
            data["parent"] = next((o for o in parents if o.pk == data["parent"]), None)
            data["measure"] = next((m for m in measures if m.pk == data["measure"]), None)
            objection, taken = form.call_service(
                lambda: objection_services.objection_receive(case=case, actor=request.user, **data)
            )
            if taken == 200:
                messages.success(request, _("已登记%(k)s。") % {"k": objection.get_kind_display()})
                return redirect(objection.get_absolute_url())
            status = taken
    form.focus_first_error()
    return render(request, "enforcement/measures/objection_form.html",
                  {"case": case, "form": form}, status=status)  # fmt: skip


def _objection_context(objection, user, form=None):
    acting = may_act(objection.case, user)
    return {
        "case": objection.case, "objection": objection, "may_act": acting,
        "clocks": list(deadlines_for(objection)),
        "form": form or ObjectionStepForm(
            approvers=sel.presidents_of(objection.case.court, exclude=user)),
        "statuses": ObjectionStatus,
    }  # fmt: skip


@require_GET
@login_required
def objection_detail(request, pk):
    objection = sel.objection_get_for_user(request.user, pk)
    return render(request, "enforcement/measures/objection.html",
                  _objection_context(objection, request.user))  # fmt: skip


OBJECTION_STEPS = ("register", "not_accept", "decide", "serve", "withdraw", "extend")


@require_POST
@login_required
def objection_step(request, pk, step):
    objection = sel.objection_get_for_user(request.user, pk)
    if step not in OBJECTION_STEPS:
        raise Http404
    require_staff(objection.case, request.user)
    approvers = list(sel.presidents_of(objection.case.court, exclude=request.user))
    form = ObjectionStepForm(request.POST, approvers=approvers)
    status = 400
    if form.is_valid():
        data = form.cleaned_data

        def run():
            if step == "register":
                return objection_services.objection_register(
                    objection=objection, actor=request.user, registered_on=data["on"])  # fmt: skip
            if step == "not_accept":
                return objection_services.objection_not_accept(
                    objection=objection, actor=request.user, reason=data["text"])  # fmt: skip
            if step == "decide":
                if data["upheld"] in (None, ""):
                    raise ValidationError({"upheld": [_("请选择裁定结果。")]})
                return objection_services.objection_decide(
                    objection=objection, actor=request.user, upheld=data["upheld"],
                    decision=data["text"], decided_on=data["on"],
                )  # fmt: skip
            if step == "serve":
                if data["on"] is None:
                    raise ValidationError({"on": [_("请填写送达日期。")]})
                return objection_services.objection_serve(
                    objection=objection, actor=request.user, served_on=data["on"])  # fmt: skip
            if step == "withdraw":
                return objection_services.objection_withdraw(
                    objection=objection, actor=request.user, note=data["text"])  # fmt: skip
            approver = next((u for u in approvers if u.pk == data["approver"]), None)
            if approver is None:
                raise ValidationError({"approver": [_("请选择审批的院长。")]})
            return objection_services.review_extension_request(
                objection=objection, actor=request.user, approver=approver, reason=data["text"],
            )  # fmt: skip

        _done, taken = form.call_service(run)
        if taken == 200:
            messages.success(request, _("已办理。"))
            return redirect(objection.get_absolute_url())
        status = taken
    objection.refresh_from_db()
    return render(request, "enforcement/measures/objection.html",
                  {**_objection_context(objection, request.user, form), "step": step},
                  status=status)  # fmt: skip


# --- campaigns ------------------------------------------------------------------------------


def _organiser_courts(user):
    return [
        court for court in courts_visible_to(user).select_related("region")
        if court_roles(user, court) & campaign_services.ORGANISER_ROLES
    ]  # fmt: skip


@require_http_methods(["GET", "POST"])
@login_required
def campaigns(request):
    courts = list(courts_visible_to(request.user).order_by("path"))
    if not courts:
        raise Http404
    organisers = _organiser_courts(request.user)
    form = CampaignForm(request.POST or None, courts=courts) if organisers else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            chosen = [c for c in courts if c.pk in set(data.pop("courts"))]
            # the organiser is the highest court the user organises for
            organiser = min(organisers, key=lambda c: len(c.path))
            campaign, taken = form.call_service(
                lambda: campaign_services.campaign_create(
                    organiser=organiser, courts=chosen, actor=request.user, **data
                )
            )
            if taken == 200:
                messages.success(request, _("已创建专项行动“%(n)s”。") % {"n": campaign.name})
                return redirect(campaign.get_absolute_url())
            status = taken
    return render(
        request, "enforcement/measures/campaigns.html",
        {"campaigns": list(sel.campaigns_visible_to(request.user)[:100]), "form": form},
        status=status,
    )  # fmt: skip


@require_GET
@login_required
def campaign_detail(request, pk):
    campaign = sel.campaign_get_for_user(request.user, pk)
    totals = sel.campaign_totals(campaign, request.user)
    cases = list(sel.campaign_cases(campaign, request.user)[:200])
    return render(
        request, "enforcement/measures/campaign.html",
        {"campaign": campaign, "totals": totals, "cases": cases,
         "courts": list(campaign.courts.order_by("path"))},
    )  # fmt: skip


@require_POST
@login_required
def campaign_tag(request, pk=None):
    """Tag the selected cases (ids) into the campaign (the court list's bulk form sends the
    campaign as a field; the case panel sends one case)."""
    campaign_pk = pk or request.POST.get("campaign")
    back = request.POST.get("next", "")
    try:
        campaign = sel.campaign_get_for_user(request.user, campaign_pk)
    except Http404:
        if back:
            messages.error(request, _("请选择专项行动。"))
            return redirect(back if back.startswith("/") and not back.startswith("//") else "/")
        raise
    ids = []
    for value in request.POST.getlist("ids"):
        if value.isdigit():
            ids.append(int(value))
    cases = list(
        enforcement_scope(request.user).filter(pk__in=ids).select_related("court", "court__region")
    )
    if not cases:
        messages.error(request, _("请选择案件。"))
    else:
        try:
            tagged, skipped = campaign_services.campaign_tag_cases(
                campaign=campaign, cases=cases, actor=request.user
            )
        except TransitionNotAllowed as exc:
            tagged, skipped = [], []
            messages.error(request, exc.message)
        if tagged:
            messages.success(request, _("已将%(n)s件案件纳入“%(c)s”。") % {
                "n": len(tagged), "c": campaign.name})  # fmt: skip
        for case, reason in skipped:
            messages.warning(request, f"{case.case_number or case.pk}：{reason}")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect(campaign.get_absolute_url())


@require_POST
@login_required
def campaign_untag(request, pk, case_pk):
    campaign = sel.campaign_get_for_user(request.user, pk)
    case = case_get_for_user(request.user, case_pk)
    try:
        campaign_services.campaign_untag_case(
            campaign=campaign, case=case, actor=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已移出。"))
    return redirect(campaign.get_absolute_url())
