"""The assets page of a case (财产查控): inquiries with live progress, findings, clues and
controls, and the officer's steps on them. Thin views: parse a form, call one service.
Bad input re-renders the page with the form's errors beside its fields (400); a refusal
(wrong state, the deduction wait, no right) becomes a message and a redirect back."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from common.statemachine import TransitionNotAllowed

from . import forms_assets as forms
from .models import AssetClass, CaseParty, EnforcementRole, Measure
from .panels_assets import asset_context
from .selectors import case_get_for_user
from .services import clues as clue_services
from .services import controls as control_services
from .services import inquiries as inquiry_services
from .states_assets import control_machine


def _parties(case):
    parties = list(CaseParty.objects.filter(case=case).order_by("role", "position", "pk"))
    return (
        [p for p in parties if p.role == EnforcementRole.APPLICANT],
        [p for p in parties if p.role == EnforcementRole.DEBTOR],
    )


STEP_TITLES = {
    "deduct": _lazy("扣划"),
    "appraise": _lazy("评估"),
    "auction": _lazy("拍卖"),
    "renew": _lazy("续行"),
    "lift": _lazy("解除"),
}


def _steps_for(control) -> list[str]:
    """The steps a live control may take next (the state machine, without the actor)."""
    names = {t.name for t in control_machine.available(control)}
    steps = []
    if control.asset_class == AssetClass.DEPOSIT:
        if control.frozen_remaining > 0:
            steps.append("deduct")  # shown before the wait too: refused with the date
    else:
        steps.append("appraise")
        if "auction" in names:
            steps.append("auction")
    if "renew" in names:
        steps.append("renew")
    steps.append("lift")
    return steps


def _case_url(case) -> str:
    try:
        return case.get_absolute_url()
    except NoReverseMatch:  # the case page is another part's
        return ""


def _page(request, case, *, bound=None, status=200):
    bound = bound or {}
    applicants, debtors = _parties(case)
    context = asset_context(case, request.user)
    for finding in context["findings"]:
        finding.measure_choices = [(m, Measure(m).label) for m in finding.control_measures]
        finding.control_form = bound.get(f"control-f{finding.pk}") or forms.ControlForm(
            initial={"measure": finding.control_measures[0]} if finding.control_measures else None
        )
    for clue in context["clues"]:
        clue.check_form = bound.get(f"check-{clue.pk}") or forms.ClueCheckForm(
            auto_id=f"id_check{clue.pk}_%s"
        )
        clue.control_form = bound.get(f"control-c{clue.pk}") or forms.ControlForm(
            auto_id=f"id_clue{clue.pk}_%s"
        )
    for control in context["active_controls"]:
        control.step_forms = []
        for name in _steps_for(control):
            form = bound.get(f"{name}-{control.pk}") or CONTROL_STEPS[name][0](
                auto_id=f"id_{name}{control.pk}_%s"
            )
            form.title = STEP_TITLES[name]
            control.step_forms.append((name, form))
    context.update(
        case_url=_case_url(case),
        debtors=debtors,
        inquiry_form=bound.get("inquiry") or forms.InquiryStartForm(debtors=debtors),
        clue_form=bound.get("clue") or forms.ClueForm(applicants=applicants, debtors=debtors),
    )
    if request.headers.get("HX-Request") and request.GET.get("fragment") == "inquiries":
        return render(request, "enforcement/assets/partials/inquiries.html", context)
    return render(request, "enforcement/assets/page.html", context, status=status)


@login_required
def assets_page(request, pk):
    case = case_get_for_user(request.user, pk)
    return _page(request, case)


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def step(view):
    """POST-only; the view returns (form_key, form) to re-render with errors, or None."""

    @wraps(view)
    @login_required
    def wrapper(request, pk, **kwargs):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        case = case_get_for_user(request.user, pk)
        try:
            failed = view(request, case, **kwargs)
        except TransitionNotAllowed as exc:
            messages.error(request, exc.message)
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("无权执行此操作。"))
        else:
            if failed is not None:
                key, form = failed
                return _page(request, case, bound={key: form}, status=400)
        return redirect("enforcement:assets", pk=case.pk)

    return wrapper


def _run(request, key, form, call, success):
    if not form.is_valid():
        return key, form
    try:
        call(form.cleaned_data)
    except ValidationError as exc:
        _add_errors(form, exc)
        return key, form
    messages.success(request, success)
    return None


def _get(queryset, pk):
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


@step
def inquiry_start(request, case):
    _applicants, debtors = _parties(case)
    form = forms.InquiryStartForm(request.POST, debtors=debtors)
    by_pk = {d.pk: d for d in debtors}
    return _run(
        request, "inquiry", form,
        lambda d: inquiry_services.inquiry_start(
            case=case, actor=request.user, debtor=by_pk.get(d["debtor"])
        ),
        _("已发起网络查控，结果反馈后自动显示。"),
    )  # fmt: skip


@step
def clue_record(request, case):
    applicants, debtors = _parties(case)
    form = forms.ClueForm(request.POST, applicants=applicants, debtors=debtors)
    by_pk = {p.pk: p for p in (*applicants, *debtors)}

    def call(d):
        clue_services.clue_record(
            case=case, actor=request.user, kind=d["kind"], description=d["description"],
            institution=d["institution"], identifier=d["identifier"], urgent=d["urgent"],
            submitted_by=by_pk.get(d["submitted_by"]), debtor=by_pk.get(d["debtor"]),
        )  # fmt: skip

    return _run(request, "clue", form, call, _("财产线索已登记，请在期限内核查。"))


@step
def clue_check(request, case, clue_pk):
    clue = _get(case.asset_clues.all(), clue_pk)
    form = forms.ClueCheckForm(request.POST)
    return _run(
        request, f"check-{clue.pk}", form,
        lambda d: clue_services.clue_check(
            clue=clue, actor=request.user, found=d["found"], result=d["result"],
            estimated_value=d["estimated_value"],
        ),
        _("核查结果已记录。"),
    )  # fmt: skip


def _impose(request, case, *, key, finding=None, clue=None):
    form = forms.ControlForm(request.POST)
    return _run(
        request, key, form,
        lambda d: control_services.control_impose(
            case=case, actor=request.user, measure=d["measure"], finding=finding, clue=clue,
            amount=d["amount"], months=d["months"], effective_on=d["effective_on"],
            ruling_number=d["ruling_number"],
        ),
        _("控制措施已登记，到期前将提醒续行。"),
    )  # fmt: skip


@step
def finding_control(request, case, finding_pk):
    finding = _get(case.asset_findings.all(), finding_pk)
    return _impose(request, case, key=f"control-f{finding.pk}", finding=finding)


@step
def clue_control(request, case, clue_pk):
    clue = _get(case.asset_clues.all(), clue_pk)
    return _impose(request, case, key=f"control-c{clue.pk}", clue=clue)


CONTROL_STEPS = {
    "deduct": (
        forms.DeductForm,
        lambda c, u, d: control_services.control_deduct(
            control=c, actor=u, amount=d["amount"], deducted_on=d["deducted_on"], note=d["note"]
        ),
        _("已扣划，款项已记入案款。"),
    ),
    "appraise": (
        forms.AppraiseForm,
        lambda c, u, d: control_services.control_appraise(
            control=c,
            actor=u,
            value=d["value"],
            appraised_on=d["appraised_on"],
            appraiser=d["appraiser"],
        ),  # fmt: skip
        _("评估结果已记录。"),
    ),
    "auction": (
        forms.AuctionForm,
        lambda c, u, d: control_services.control_auction(
            control=c,
            actor=u,
            proceeds=d["proceeds"],
            auctioned_on=d["auctioned_on"],
            note=d["note"],
        ),  # fmt: skip
        _("拍卖成交已记录，价款已记入案款。"),
    ),
    "renew": (
        forms.RenewForm,
        lambda c, u, d: control_services.control_renew(
            control=c, actor=u, months=d["months"], note=d["note"]
        ),
        _("已续行。"),
    ),
    "lift": (
        forms.LiftForm,
        lambda c, u, d: control_services.control_lift(control=c, actor=u, reason=d["reason"]),
        _("已解除。"),
    ),
}


@step
def control_step(request, case, control_pk, action):
    if action not in CONTROL_STEPS:
        raise Http404
    control = _get(case.asset_controls.all(), control_pk)
    form_class, call, success = CONTROL_STEPS[action]
    return _run(
        request, f"{action}-{control.pk}", form_class(request.POST),
        lambda d: call(control, request.user, d), success,
    )  # fmt: skip
