"""API for agreement compliance (履行), complaint meetings (吐槽大会) and legal
consultations (法律咨询): scoped like the rest of mediation (404 outside the caller's
scope), 400 with field errors for bad input."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from cases.selectors import dispute_get_for_user
from mediation import selectors, selectors_compliance, services
from mediation.models import MediatorKind

from .serializers_compliance import (
    AgreementComplianceSerializer,
    ComplaintMeetingCreateSerializer,
    ComplaintMeetingSerializer,
    InstalmentPaymentCreateSerializer,
    InstalmentPaymentSerializer,
    IssueDisputeSerializer,
    LegalConsultationCreateSerializer,
    LegalConsultationSerializer,
    MeetingIssueInputSerializer,
    MeetingIssueSerializer,
)


def compliance_data(case) -> dict:
    agreement = selectors.case_agreement(case)
    if agreement is None:
        raise Http404
    rows = selectors_compliance.instalments_with_status(agreement)
    state = selectors_compliance.agreement_compliance_status(rows)
    return {
        "case": case.pk,
        "status": state,
        "status_label": str(selectors_compliance.AGREEMENT_STATUS_LABELS[state]),
        "instalments": rows,
    }


class AgreementComplianceViewSet(viewsets.GenericViewSet):
    """GET /api/mediation/compliance/{case id}/: the agreement's instalments, what was paid,
    and whether it is 履行中 / 已履行 / 未按期履行."""

    serializer_class = AgreementComplianceSerializer

    def get_queryset(self):
        return selectors.mediation_scope(self.request.user)

    def retrieve(self, request, pk=None):
        case = selectors.case_get_for_user(request.user, pk)
        return Response(AgreementComplianceSerializer(compliance_data(case)).data)


class InstalmentViewSet(viewsets.GenericViewSet):
    """POST /api/mediation/instalments/{id}/payments/: record a payment (part or whole)."""

    serializer_class = InstalmentPaymentSerializer

    def get_queryset(self):
        return selectors_compliance.instalment_scope(self.request.user)

    @extend_schema(
        request=InstalmentPaymentCreateSerializer, responses={201: InstalmentPaymentSerializer}
    )
    @action(detail=True, methods=["post"])
    def payments(self, request, pk=None):
        instalment = selectors_compliance.instalment_get_for_user(request.user, pk)
        serializer = InstalmentPaymentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        payment = services.instalment_record_payment(
            instalment=instalment, actor=request.user, **serializer.validated_data
        )
        return Response(InstalmentPaymentSerializer(payment).data, status=status.HTTP_201_CREATED)


class ComplaintMeetingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Complaint meetings of the organisations in the caller's scope, with their issues and
    the state of the dispute each became."""

    serializer_class = ComplaintMeetingSerializer

    def get_queryset(self):
        return selectors_compliance.meeting_list(self.request.user).prefetch_related(
            "issues__dispute"
        )

    @extend_schema(
        request=ComplaintMeetingCreateSerializer, responses={201: ComplaintMeetingSerializer}
    )
    def create(self, request, *args, **kwargs):
        from organisations.selectors import organisations_visible_to

        serializer = ComplaintMeetingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisation = (
            organisations_visible_to(request.user).filter(pk=data.pop("organisation")).first()
        )
        if organisation is None:
            raise ValidationError({"organisation": [_("找不到该单位。")]})
        meeting = services.complaint_meeting_create(
            organisation=organisation,
            actor=request.user,
            issues=[dict(i) for i in data.pop("issues", [])],
            **data,
        )
        fresh = self.get_queryset().get(pk=meeting.pk)
        return Response(ComplaintMeetingSerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MeetingIssueInputSerializer, responses={201: MeetingIssueSerializer})
    @action(detail=True, methods=["post"])
    def issues(self, request, pk=None):
        meeting = selectors_compliance.meeting_get_for_user(request.user, pk)
        serializer = MeetingIssueInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        issue = services.meeting_issue_add(
            meeting=meeting, actor=request.user, **serializer.validated_data
        )
        return Response(MeetingIssueSerializer(issue).data, status=status.HTTP_201_CREATED)


class MeetingIssueViewSet(viewsets.GenericViewSet):
    """POST /api/mediation/meeting-issues/{id}/register-dispute/: the issue becomes a
    dispute of the cases loop (once)."""

    serializer_class = MeetingIssueSerializer

    def get_queryset(self):
        return selectors_compliance.meeting_issues_for_user(self.request.user)

    @extend_schema(request=IssueDisputeSerializer, responses={201: MeetingIssueSerializer})
    @action(detail=True, methods=["post"], url_path="register-dispute", url_name="register-dispute")
    def register_dispute(self, request, pk=None):
        issue = self.get_queryset().filter(pk=pk).first()
        if issue is None:
            raise Http404
        serializer = IssueDisputeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.meeting_issue_to_dispute(
            issue=issue,
            actor=request.user,
            category=serializer.validated_data.get("category", ""),
        )
        fresh = self.get_queryset().select_related("dispute").get(pk=issue.pk)
        return Response(MeetingIssueSerializer(fresh).data, status=status.HTTP_201_CREATED)


class LegalConsultationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Legal consultations answered by chief legal experts of the organisations in the
    caller's scope (and the expert's own). Create: the expert records their own."""

    serializer_class = LegalConsultationSerializer

    def get_queryset(self):
        return selectors_compliance.consultation_list(self.request.user)

    @extend_schema(
        request=LegalConsultationCreateSerializer, responses={201: LegalConsultationSerializer}
    )
    def create(self, request, *args, **kwargs):
        serializer = LegalConsultationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        expert_id = data.pop("expert", None)
        experts = selectors.mediator_scope(request.user).filter(
            kind=MediatorKind.CHIEF_LEGAL_EXPERT
        )
        expert = (
            experts.filter(pk=expert_id).first()
            if expert_id is not None
            else experts.filter(user=request.user).first()
        )
        if expert is None:
            raise ValidationError({"expert": [_("请选择首席法律咨询专家。")]})
        dispute_id = data.pop("dispute", None)
        dispute = None
        if dispute_id is not None:
            try:
                dispute = dispute_get_for_user(request.user, dispute_id)
            except Http404:
                raise ValidationError({"dispute": [_("找不到该矛盾纠纷。")]}) from None
        consultation = services.legal_consultation_record(
            expert=expert, actor=request.user, dispute=dispute, **data
        )
        fresh = self.get_queryset().get(pk=consultation.pk)
        return Response(LegalConsultationSerializer(fresh).data, status=status.HTTP_201_CREATED)
