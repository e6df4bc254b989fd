"""Pages of the credit app for court staff: the credit desk (what waits for me, removals
due and late), a debtor's record across cases, each record's page with its steps, and the
forms a case offers (finding, listing, restriction, removal, restoration, certificate).

Thin: parse, call one service, redirect. Out of scope → 404; a refused step → the page
again with the reason (409 from the state machine shows as a message); bad input → the
form re-rendered with field errors (400)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from audit.selectors import history_for
from common.statemachine import TransitionNotAllowed
from enforcement.models import CaseStatus
from enforcement.selectors import acting_roles, case_get_for_user, courts_visible_to

from . import forms, selectors, services
from .figures import figures_menu_visible
from .models import Ability, Certificate, Restriction
from .services._common import approver_missing, is_president
from .services.corrections import higher_court
from .states import (
    COURT_STAFF,
    correction_machine,
    removal_machine,
    restoration_machine,
    restriction_machine,
    review_machine,
)


def _render(request, template, context, status=200):
    return render(request, template, context, status=status)


def _attempt(request, call, form=None):
    """Run the service; (result, None) or (None, why) after putting the errors where the
    user sees them (on the form, else as a message)."""
    try:
        return call(), None
    except ValidationError as exc:
        if form is not None:
            form.add_service_errors(exc)
        else:
            for message in exc.messages:
                messages.error(request, message)
        return None, "invalid"
    except TransitionNotAllowed as exc:
        messages.error(request, exc.message)
        return None, "conflict"


# --- the desk and lists -------------------------------------------------------------------


@login_required
def home(request):
    user = request.user
    context = {
        "to_decide": selectors.to_decide(user),
        "open_removals": list(selectors.open_removals(user)[:50]),
        "late_rows": selectors.late_removals_by_owner(user),
        "listings": list(selectors.listings_for_user(user).order_by("-created_at")[:20]),
        "now": timezone.now(),
        "may_register_voluntary": courts_visible_to(user).exists(),
        "may_read_figures": figures_menu_visible(user),
    }
    return _render(request, "credit/home.html", context)


@login_required
def late_removals(request):
    removals = selectors.late_removals(request.user).order_by("due_at")[:200]
    return _render(
        request,
        "credit/late.html",
        {"removals": removals, "rows": selectors.late_removals_by_owner(request.user),
         "now": timezone.now()},
    )  # fmt: skip


@login_required
def debtor(request, party_pk):
    record = selectors.debtor_record(request.user, party_pk)
    return _render(request, "credit/debtor.html",
                   {"record": record, "party": record.party, "now": timezone.now()})  # fmt: skip


# --- forms a case offers --------------------------------------------------------------------


def _case_form(request, case_pk, form_class, template_title, call, *, extra=None, success=None):
    case = case_get_for_user(request.user, case_pk)
    if not (acting_roles(request.user, case.court) & COURT_STAFF):
        messages.error(request, _("您无权办理该案件的信用惩戒事项。"))
        return redirect("credit:home")
    form = form_class(request.POST or None, case=case, **(extra or {}))
    if request.method == "POST" and form.is_valid():
        result, failure = _attempt(request, lambda: call(case, form.cleaned_data), form)
        if failure is None:
            messages.success(request, _("已办理。"))
            return redirect(success(result) if success else "credit:home")
    status = 400 if request.method == "POST" else 200
    return _render(request, "credit/form.html",
                   {"form": form, "case": case, "title": template_title}, status)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def finding_new(request, case_pk):
    def call(case, data):
        return services.ability_finding_record(
            case_party=data["case_party"], finding=data["finding"], reasons=data["reasons"],
            actor=request.user,
        )  # fmt: skip

    return _case_form(request, case_pk, forms.FindingForm, _("履行能力认定（失信/失能）"), call,
                      success=lambda f: reverse("credit:debtor", args=[f.debtor_id]))  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def listing_new(request, case_pk):
    def call(case, data):
        debtor = data["case_party"]
        finding = (
            debtor.ability_findings.filter(finding=Ability.UNWILLING).order_by("-pk").first()
            or debtor.ability_findings.order_by("-pk").first()
        )
        return services.listing_impose(
            case_party=debtor,
            ground=data["ground"],
            grade=data["grade"],
            ability_finding=finding,
            duty=data["duty"],
            conduct=data["conduct"],
            performance=data["performance"],
            repeated=data["repeated"],
            extra_years=data.get("extra_years") or 0,
            grace_months=data.get("grace_months") or 0,
            exclusions=services.Exclusions(
                security_sufficient=data["security_sufficient"],
                seized_assets_cover=data["seized_assets_cover"],
                later_in_order=data["later_in_order"],
            ),
            approver=data.get("approver"),
            actor=request.user,
        )

    return _case_form(request, case_pk, forms.ListingForm, _("纳入失信被执行人名单"), call,
                      success=lambda listing: listing.get_absolute_url())  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def restriction_new(request, case_pk):
    def call(case, data):
        return services.restriction_request(
            case_party=data["case_party"], reasons=data["reasons"], approver=data["approver"],
            actor=request.user,
        )  # fmt: skip

    return _case_form(request, case_pk, forms.RestrictionForm, _("申请签发限制消费令"), call,
                      success=lambda r: r.get_absolute_url())  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def removal_new(request, case_pk):
    def call(case, data):
        removals = services.removals_start(
            case=case, trigger=data["trigger"], reason=data["reason"],
            fact_at=data.get("fact_at"), approver=data.get("approver"), actor=request.user,
        )  # fmt: skip
        if not removals:
            raise TransitionNotAllowed(_("该案件没有需要依此事由删除或解除的信用惩戒措施。"))
        return removals

    return _case_form(request, case_pk, forms.RemovalForm, _("删除失信信息/解除限制消费"), call,
                      success=lambda removals: removals[0].get_absolute_url())  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def restoration_new(request, case_pk):
    def call(case, data):
        return services.restoration_apply(
            case_party=data["case_party"], basis=data["basis"], evidence=data["evidence"],
            applicant_name=data["applicant_name"], on_behalf=data["on_behalf"],
            actor=request.user,
        )  # fmt: skip

    return _case_form(request, case_pk, forms.RestorationForm, _("信用修复申请"), call,
                      success=lambda r: r.get_absolute_url())  # fmt: skip


@login_required
@require_POST
def performance_certificate(request, case_pk):
    case = case_get_for_user(request.user, case_pk)
    certificate, failure = _attempt(
        request, lambda: services.certificate_performance_issue(case=case, actor=request.user)
    )
    if failure is None:
        messages.success(
            request, _("履行完毕证明已出具：%(n)s") % {"n": certificate.document.number}
        )
        return redirect(certificate.get_absolute_url())
    return redirect("credit:home")


@login_required
@require_http_methods(["GET", "POST"])
def voluntary_new(request):
    courts = courts_visible_to(request.user).order_by("name")
    if not courts.exists():  # the desk shows the button only to court staff; so does the page
        raise Http404
    form = forms.VoluntaryForm(request.POST or None, courts=courts)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def call():
            record = services.voluntary_performance_record(
                court=data["court"],
                party_data={"name": data["name"], "kind": data["kind"],
                            "id_number": data["id_number"], "credit_code": data["credit_code"]},
                basis_document=data["basis_document"], duty=data["duty"],
                amount=data.get("amount"), performed_on=data["performed_on"],
                public=data["public"], actor=request.user,
            )  # fmt: skip
            return services.certificate_voluntary_issue(
                voluntary_performance=record, actor=request.user
            )

        certificate, failure = _attempt(request, call, form)
        if failure is None:
            messages.success(request, _("已登记并出具自动履行证明。"))
            return redirect(certificate.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return _render(request, "credit/form.html",
                   {"form": form, "title": _("自动履行登记（守信激励）")}, status)  # fmt: skip


# --- record pages ---------------------------------------------------------------------------


def _may_act(user, record) -> bool:
    """The record's court's staff; for a listing or restriction, the staff of its case's
    court now (`enforcing_court`): the court that decided it only reads it once the case
    has been moved away."""
    court = getattr(record, "enforcing_court", None) or record.court
    return bool(acting_roles(user, court) & COURT_STAFF)


@login_required
def listing_detail(request, pk, forms_=None, status=200):
    listing = selectors.listing_get_for_user(request.user, pk)
    may_act = _may_act(request.user, listing)
    forms_ = forms_ or {}
    context = {
        "listing": listing,
        "restrictions": list(listing.restrictions.select_related("case", "court", "approver")),
        "removals": list(listing.removals.select_related("owner", "court")),
        "corrections": list(listing.corrections.select_related("court")),
        # after a move the work on it is the receiving court's: no links that 404
        "credit_held": selectors.held_courts(request.user),
        "case_court_id": listing.case.court_id,
        "bound": list(listing.bound_persons.all()),
        "history": history_for(listing)[:20],
        "may_act": may_act,
        "age": listing.age_on(listing.decided_on),
    }
    if may_act and listing.is_live:
        context["grade_form"] = forms_.get("grade") or forms.GradeForm(
            initial={"grade": listing.grade}
        )
        context["correction_form"] = forms_.get("correction") or forms.CorrectionForm()
    return _render(request, "credit/listing_detail.html", context, status)


@login_required
@require_POST
def listing_grade(request, pk):
    listing = selectors.listing_get_for_user(request.user, pk)
    form = forms.GradeForm(request.POST)
    if form.is_valid():
        _result, failure = _attempt(
            request,
            lambda: services.listing_grade_change(
                listing=listing, actor=request.user, **form.cleaned_data
            ),  # fmt: skip
            form,
        )
        if failure != "invalid":
            return redirect(listing.get_absolute_url())
    return listing_detail(request, pk, {"grade": form}, status=400)


def _correction_receive(request, sanction, detail, pk):
    form = forms.CorrectionForm(request.POST)
    if form.is_valid():
        correction, failure = _attempt(
            request,
            lambda: services.correction_receive(
                sanction=sanction, actor=request.user, **form.cleaned_data
            ),  # fmt: skip
            form,
        )
        if failure is None:
            return redirect(correction.get_absolute_url())
        if failure == "conflict":
            return redirect(sanction.get_absolute_url())
    return detail(request, pk, {"correction": form}, status=400)


@login_required
@require_POST
def listing_correction(request, pk):
    listing = selectors.listing_get_for_user(request.user, pk)
    return _correction_receive(request, listing, listing_detail, pk)


def _lifting_approver_form(lifting, data=None):
    return forms.ApproverForm(data, court=lifting.court, auto_id=f"lifting{lifting.pk}_%s")


@login_required
def restriction_detail(request, pk, forms_=None, status=200):
    restriction = selectors.restriction_get_for_user(request.user, pk)
    forms_ = forms_ or {}
    actions = {t.name for t in restriction_machine.available(restriction, request.user)}
    is_approver = restriction.approver_id == request.user.pk
    held = selectors.held_courts(request.user)
    liftings = list(restriction.one_time_liftings.select_related("approver", "court"))
    for lifting in liftings:
        # 报请审批: a lifting that came with the moved case, by its (receiving) court's staff
        if approver_missing(lifting) and acting_roles(request.user, lifting.court) & COURT_STAFF:
            failed = forms_.get("lifting_approver")
            lifting.approver_form = (
                failed[1] if failed and failed[0] == lifting.pk
                else _lifting_approver_form(lifting)
            )  # fmt: skip
    context = {
        "restriction": restriction,
        "is_approver": is_approver and "approve" in actions,
        "refuse_form": forms_.get("refuse") or forms.RequiredNoteForm(),
        "liftings": liftings,
        "removals": list(restriction.removals.select_related("owner", "court")),
        "bound": list(restriction.bound_persons.all()),
        "history": history_for(restriction)[:20],
        "may_act": _may_act(request.user, restriction),
        "credit_held": held,
        "case_court_id": restriction.case.court_id,
    }
    if approver_missing(restriction) and context["may_act"]:
        context["approver_form"] = forms_.get("approver") or forms.ApproverForm(
            court=restriction.court
        )
    if context["may_act"] and restriction.state == Restriction.State.IN_FORCE:
        context["lifting_form"] = forms_.get("lifting") or forms.LiftingForm(
            court=restriction.enforcing_court
        )
        context["correction_form"] = forms_.get("correction") or forms.CorrectionForm()
    return _render(request, "credit/restriction_detail.html", context, status)


@login_required
@require_POST
def restriction_decide(request, pk, decision):
    if decision not in ("approve", "refuse"):
        raise Http404
    restriction = selectors.restriction_get_for_user(request.user, pk)
    if decision == "approve":
        _result, failure = _attempt(
            request,
            lambda: services.restriction_approve(
                restriction=restriction, actor=request.user, note=request.POST.get("note", "")
            ),  # fmt: skip
        )
        if failure is None:
            messages.success(request, _("限制消费令已签发。"))
        return redirect(restriction.get_absolute_url())
    form = forms.RequiredNoteForm(request.POST)
    if form.is_valid():
        _result, failure = _attempt(
            request,
            lambda: services.restriction_refuse(
                restriction=restriction, actor=request.user, note=form.cleaned_data["note"]
            ),  # fmt: skip
            form,
        )
        if failure != "invalid":
            return redirect(restriction.get_absolute_url())
    return restriction_detail(request, pk, {"refuse": form}, status=400)


@login_required
@require_POST
def restriction_approver(request, pk):
    """报请审批 of a restriction order that came with a moved case, waiting for approval."""
    restriction = selectors.restriction_get_for_user(request.user, pk)
    form = forms.ApproverForm(request.POST, court=restriction.court)
    if form.is_valid():
        _result, failure = _attempt(
            request,
            lambda: services.restriction_approver_name(
                restriction=restriction, actor=request.user,
                approver=form.cleaned_data["approver"],
            ),
            form,
        )  # fmt: skip
        if failure is None:
            messages.success(request, _("已报请审批。"))
        if failure != "invalid":
            return redirect(restriction.get_absolute_url())
    return restriction_detail(request, pk, {"approver": form}, status=400)


@login_required
@require_POST
def restriction_lifting(request, pk):
    restriction = selectors.restriction_get_for_user(request.user, pk)
    form = forms.LiftingForm(request.POST, court=restriction.enforcing_court)
    if form.is_valid():
        _result, failure = _attempt(
            request,
            lambda: services.one_time_lifting_request(
                restriction=restriction, actor=request.user, **form.cleaned_data
            ),  # fmt: skip
            form,
        )
        if failure != "invalid":
            return redirect(restriction.get_absolute_url())
    return restriction_detail(request, pk, {"lifting": form}, status=400)


@login_required
@require_POST
def lifting_approver(request, pk):
    """报请审批 of a one-time lifting that came with a moved case, waiting for approval."""
    lifting = selectors.lifting_get_for_user(request.user, pk)
    form = _lifting_approver_form(lifting, request.POST)
    if form.is_valid():
        _result, failure = _attempt(
            request,
            lambda: services.one_time_lifting_approver_name(
                lifting=lifting, actor=request.user, approver=form.cleaned_data["approver"]
            ),
            form,
        )  # fmt: skip
        if failure is None:
            messages.success(request, _("已报请审批。"))
        if failure != "invalid":
            return redirect(lifting.restriction.get_absolute_url())
    return restriction_detail(
        request, lifting.restriction_id, {"lifting_approver": (lifting.pk, form)}, status=400
    )


@login_required
@require_POST
def lifting_decide(request, pk, decision):
    if decision not in ("approve", "refuse"):
        raise Http404
    lifting = selectors.lifting_get_for_user(request.user, pk)
    note = request.POST.get("note", "")
    call = services.one_time_lifting_approve if decision == "approve" else (
        services.one_time_lifting_refuse
    )  # fmt: skip
    _attempt(request, lambda: call(lifting=lifting, actor=request.user, note=note))
    return redirect(lifting.restriction.get_absolute_url())


@login_required
@require_POST
def restriction_correction(request, pk):
    restriction = selectors.restriction_get_for_user(request.user, pk)
    return _correction_receive(request, restriction, restriction_detail, pk)


@login_required
def removal_detail(request, pk, approver_form=None, status=200):
    removal = selectors.removal_get_for_user(request.user, pk)
    actions = {t.name for t in removal_machine.available(removal, request.user)}
    case = removal.case
    context = {
        "removal": removal,
        "case": case,
        "may_certify": (
            case.status == CaseStatus.PERFORMED
            and removal.state == removal.State.DONE
            and _may_act(request.user, removal)
            and not Certificate.objects.filter(
                case=case, kind=Certificate.Kind.PERFORMANCE
            ).exists()
        ),
        "sanction": removal.sanction,
        "may_execute": "execute" in actions,
        "is_approver": (
            removal.approver_id == request.user.pk
            and "approve" in actions
            and is_president(request.user, removal.court)
        ),
        "history": history_for(removal)[:20],
        "now": timezone.now(),
    }
    if approver_missing(removal) and _may_act(request.user, removal):
        context["approver_form"] = approver_form or forms.ApproverForm(court=removal.court)
    return _render(request, "credit/removal_detail.html", context, status)


@login_required
@require_POST
def removal_step(request, pk, step):
    if step not in ("execute", "approve", "refuse", "approver"):
        raise Http404
    removal = selectors.removal_get_for_user(request.user, pk)
    if step == "approver":
        form = forms.ApproverForm(request.POST, court=removal.court)
        if form.is_valid():
            _result, failure = _attempt(
                request,
                lambda: services.removal_approver_name(
                    removal=removal, actor=request.user, approver=form.cleaned_data["approver"]
                ),  # fmt: skip
                form,
            )
            if failure is None:
                messages.success(request, _("已报请审批。"))
            if failure != "invalid":
                return redirect(removal.get_absolute_url())
        return removal_detail(request, pk, approver_form=form, status=400)
    note = request.POST.get("note", "")
    calls = {
        "execute": lambda: services.removal_execute(removal=removal, actor=request.user),
        "approve": lambda: services.removal_approve(
            removal=removal, actor=request.user, note=note
        ),  # fmt: skip
        "refuse": lambda: services.removal_refuse(removal=removal, actor=request.user, note=note),
    }
    _result, failure = _attempt(request, calls[step])
    if failure is None:
        messages.success(request, _("已办理。"))
    return redirect(removal.get_absolute_url())


@login_required
def restoration_detail(request, pk, forms_=None, status=200):
    restoration = selectors.restoration_get_for_user(request.user, pk)
    actions = {t.name for t in restoration_machine.available(restoration, request.user)}
    context = {
        "restoration": restoration,
        "decide_form": (forms_ or {}).get("decide") or forms.RestorationDecideForm(),
        "may_decide": "grant" in actions,
        "certificates": list(restoration.certificates.select_related("document")),
        "history": history_for(restoration)[:20],
        "may_act": _may_act(request.user, restoration),
    }
    return _render(request, "credit/restoration_detail.html", context, status)


@login_required
@require_POST
def restoration_decide(request, pk):
    restoration = selectors.restoration_get_for_user(request.user, pk)
    form = forms.RestorationDecideForm(request.POST)
    if form.is_valid():
        _result, failure = _attempt(
            request,
            lambda: services.restoration_decide(
                restoration=restoration, actor=request.user, **form.cleaned_data
            ),  # fmt: skip
            form,
        )
        if failure != "invalid":
            return redirect(restoration.get_absolute_url())
    return restoration_detail(request, pk, {"decide": form}, status=400)


@login_required
@require_POST
def restoration_certificate(request, pk):
    restoration = selectors.restoration_get_for_user(request.user, pk)
    certificate, failure = _attempt(
        request,
        lambda: services.certificate_restoration_issue(restoration=restoration, actor=request.user),
    )
    if failure is None:
        return redirect(certificate.get_absolute_url())
    return redirect(restoration.get_absolute_url())


@login_required
def correction_detail(request, pk, forms_=None, status=200):
    correction = selectors.correction_get_for_user(request.user, pk)
    forms_ = forms_ or {}
    actions = {t.name for t in correction_machine.available(correction, request.user)}
    reviews = list(correction.reviews.select_related("court"))
    open_review = next((r for r in reviews if r.state == "under_review"), None)
    context = {
        "correction": correction,
        "sanction": correction.sanction,
        "actions": actions,
        "decide_form": forms_.get("decide") or forms.CorrectionDecideForm(),
        "reviews": reviews,
        "history": history_for(correction)[:20],
    }
    if correction.decided_at and open_review is None and _may_act(request.user, correction):
        context["review_form"] = forms_.get("review") or forms.ReviewForm()
    if open_review and review_machine.available(open_review, request.user):
        context["open_review"] = open_review
        context["review_decide_form"] = forms_.get("review_decide") or forms.ReviewDecideForm()
    context["higher_court"] = higher_court(correction.court)
    return _render(request, "credit/correction_detail.html", context, status)


@login_required
@require_POST
def correction_step(request, pk, step):
    if step not in ("fix", "decide", "review", "review_decide"):
        raise Http404
    correction = selectors.correction_get_for_user(request.user, pk)
    if step == "fix":
        _attempt(request, lambda: services.correction_fix(correction=correction,
                                                          actor=request.user))  # fmt: skip
        return redirect(correction.get_absolute_url())
    if step == "decide":
        form = forms.CorrectionDecideForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            amendment = {k: data[k] for k in ("grade", "conduct") if data.get(k)}

            def call():
                return services.correction_decide(
                    correction=correction, justified=data["justified"], reasons=data["reasons"],
                    remedy=data["remedy"], amendment=amendment, actor=request.user,
                )  # fmt: skip

        name = "decide"
    elif step == "review":
        form = forms.ReviewForm(request.POST)
        if form.is_valid():

            def call():
                return services.review_apply(correction=correction, actor=request.user,
                                             **form.cleaned_data)  # fmt: skip

        name = "review"
    else:  # review_decide
        form = forms.ReviewDecideForm(request.POST)
        review = correction.reviews.filter(state="under_review").first()
        if form.is_valid() and review is not None:

            def call():
                return services.review_decide(review=review, actor=request.user,
                                              **form.cleaned_data)  # fmt: skip

        name = "review_decide"
    if form.is_valid():
        _result, failure = _attempt(request, call, form)
        if failure != "invalid":
            return redirect(correction.get_absolute_url())
    return correction_detail(request, pk, {name: form}, status=400)


@login_required
def certificate_detail(request, pk):
    certificate = selectors.certificate_get_for_user(request.user, pk)
    return _render(request, "credit/certificate_detail.html",
                   {"certificate": certificate, "history": history_for(certificate)[:20]})  # fmt: skip
