"""Reads for agreement compliance, complaint meetings and legal consultations."""

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from deadlines.models import Deadline
from mediation.models import (
    Agreement,
    ComplaintMeeting,
    Instalment,
    LegalConsultation,
    MeetingIssue,
)
from organisations.selectors import get_for_user_or_404, scope_queryset

INSTALMENT_KIND = "mediation.instalment"

PAID = "paid"
OVERDUE = "overdue"
PENDING = "pending"
INSTALMENT_STATUS_LABELS = {PAID: _("已履行"), OVERDUE: _("逾期未履行"), PENDING: _("待履行")}

IN_PROGRESS = "in_progress"
FULFILLED = "fulfilled"
DEFAULTED = "defaulted"
AGREEMENT_STATUS_LABELS = {
    IN_PROGRESS: _("履行中"),
    FULFILLED: _("已履行"),
    DEFAULTED: _("未按期履行"),
}


def instalments_with_status(agreement: Agreement) -> list[Instalment]:
    """The agreement's instalments, each with `paid`, `owed`, `clock_state`, `status` and
    `status_label`, and its payments: three queries whatever their number."""
    content_type = ContentType.objects.get_for_model(Instalment)
    clock_state = (
        Deadline.objects.filter(
            content_type=content_type, object_id=OuterRef("pk"), kind=INSTALMENT_KIND
        )
        .order_by("-pk")
        .values("state")[:1]
    )
    paid = (
        Instalment.objects.filter(pk=OuterRef("pk"))
        .annotate(total=Sum("payments__amount"))
        .values("total")[:1]
    )
    rows = list(
        Instalment.objects.filter(obligation__agreement=agreement)
        .select_related("obligation__obligor", "obligation__obligee")
        .prefetch_related("payments")
        .annotate(
            paid_total=Coalesce(
                Subquery(paid), Value(Decimal("0.00")), output_field=DecimalField()
            ),
            clock_state=Subquery(clock_state),
        )
        .order_by("obligation_id", "number")
    )
    for row in rows:
        row.owed = row.amount - row.paid_total
        if row.owed <= 0:
            row.status = PAID
        elif row.clock_state == Deadline.State.MISSED:
            row.status = OVERDUE
        else:
            row.status = PENDING
        row.status_label = INSTALMENT_STATUS_LABELS[row.status]
    return rows


def agreement_compliance_status(instalments: list[Instalment]) -> str:
    if any(row.status == OVERDUE for row in instalments):
        return DEFAULTED
    if instalments and all(row.status == PAID for row in instalments):
        return FULFILLED
    return IN_PROGRESS


def meeting_list(user):
    return (
        scope_queryset(ComplaintMeeting.objects.all(), user)
        .select_related("organisation")
        .order_by("-held_on", "-pk")
    )


def meeting_get_for_user(user, pk) -> ComplaintMeeting:
    return get_for_user_or_404(ComplaintMeeting.objects.all(), user, pk=pk)


def meeting_issues(meeting: ComplaintMeeting):
    """The issues with the dispute each became (status, resolution) in one query."""
    return MeetingIssue.objects.filter(meeting=meeting).select_related("dispute").order_by("pk")


def consultation_list(user):
    """Consultations of the experts' organisations in the user's scope, and the expert's
    own wherever they are kept."""
    if not user or not user.is_authenticated:
        return LegalConsultation.objects.none()
    scoped = scope_queryset(LegalConsultation.objects.all(), user).values("pk")
    return (
        LegalConsultation.objects.filter(Q(pk__in=scoped) | Q(expert__user=user))
        .select_related("expert", "organisation", "dispute")
        .order_by("-asked_on", "-pk")
    )


def consultation_get_for_user(user, pk) -> LegalConsultation:
    consultation = consultation_list(user).filter(pk=pk).first()
    if consultation is None:
        raise Http404
    return consultation


def instalment_scope(user):
    """Instalments of the agreements of the mediation cases the user may see."""
    from mediation.selectors import mediation_scope

    return Instalment.objects.filter(obligation__agreement__case__in=mediation_scope(user))


def instalment_get_for_user(user, pk) -> Instalment:
    instalment = (
        instalment_scope(user).select_related("obligation__agreement__case").filter(pk=pk).first()
    )
    if instalment is None:
        raise Http404
    return instalment


def meeting_issues_for_user(user):
    return MeetingIssue.objects.filter(meeting__in=meeting_list(user).values("pk"))
