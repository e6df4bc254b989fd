"""Reads for the judicial confirmation: who sees an application (the court applied to —
its users and those whose scope reaches it — and whoever sees the mediation case), the
court clerk's list, and the enforceable bases the enforcement app will take."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404

from documents.models import IssuedDocument
from organisations.selectors import organisations_visible_to

from .models import Agreement, ConfirmationStatus, JudicialConfirmation
from .selectors import case_get_for_user, mediation_scope

RELATED = ("court", "agreement__case__organisation", "agreement__case__mediator", "recorded_by")


def confirmation_scope(user) -> QuerySet[JudicialConfirmation]:
    if not user or not user.is_authenticated:
        return JudicialConfirmation.objects.none()
    if user.is_superuser:
        return JudicialConfirmation.objects.all()
    return JudicialConfirmation.objects.filter(
        Q(court__in=organisations_visible_to(user).values("pk"))
        | Q(agreement__case__in=mediation_scope(user).values("pk"))
    )


def confirmation_get_for_user(user, pk) -> JudicialConfirmation:
    """The one permission-checked fetch: out of scope answers 404."""
    try:
        return confirmation_scope(user).select_related(*RELATED, "court__region").get(pk=pk)
    except (JudicialConfirmation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def confirmation_list(user, *, status: str = "") -> QuerySet[JudicialConfirmation]:
    queryset = confirmation_scope(user).select_related(*RELATED)
    if status in ConfirmationStatus.values:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-recorded_at", "-pk")


def confirmations_for_agreement(agreement) -> QuerySet[JudicialConfirmation]:
    return agreement.confirmations.select_related("court").order_by("-recorded_at", "-pk")


def agreement_get_for_user(user, pk) -> Agreement:
    """An agreement is read by whoever may read its case (documents' downloads use this)."""
    try:
        agreement = Agreement.objects.only("pk", "case_id").get(pk=pk)
    except (Agreement.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    case_get_for_user(user, agreement.case_id)
    return agreement


def case_documents(case) -> QuerySet[IssuedDocument]:
    """The documents about the case, its agreement and its confirmations (for the history)."""
    return IssuedDocument.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(case), object_id=case.pk)
        | Q(
            content_type=ContentType.objects.get_for_model(Agreement),
            object_id__in=Agreement.objects.filter(case=case).values("pk"),
        )
        | Q(
            content_type=ContentType.objects.get_for_model(JudicialConfirmation),
            object_id__in=JudicialConfirmation.objects.filter(agreement__case=case).values("pk"),
        )
    )


def enforceable_bases_for_user(user) -> QuerySet[JudicialConfirmation]:
    """Agreements a court confirmed (司法确认), which may be enforced like a judgment: the
    enforcement app takes its 执行依据 from here, within the caller's scope."""
    return (
        confirmation_scope(user)
        .filter(status=ConfirmationStatus.CONFIRMED, is_enforceable_basis=True)
        .select_related(*RELATED)
        .prefetch_related("agreement__obligations__obligor", "agreement__obligations__obligee")
        .order_by("-ruled_at", "-pk")
    )
