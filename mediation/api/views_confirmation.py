"""API for the agreement's document and judicial confirmation (司法确认). Scoped like the
pages: outside the caller's scope 404; a refused step 409; bad input or a missing legally
required element 400 with the reasons."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from mediation import confirmation_selectors as cselectors
from mediation import selectors, services
from mediation.models import (
    Agreement,
    JudicialConfirmation,
    MediationParty,
    SubjectMatter,
)
from organisations.models import Organisation, User

from .serializers import IssuedDocumentSerializer


class AgreementDocumentSerializer(serializers.Serializer):
    issues = serializers.CharField(required=False, allow_blank=True, default="")
    responsibilities = serializers.CharField(required=False, allow_blank=True, default="")
    performance_method = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )


class JudicialConfirmationSerializer(serializers.ModelSerializer):
    case = serializers.IntegerField(source="agreement.case_id", read_only=True)
    court_name = serializers.CharField(source="court.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = JudicialConfirmation
        fields = [
            "id", "agreement", "case", "court", "court_name", "status", "status_label",
            "subject_matter", "applicants", "applied_on", "case_number", "accepted_at",
            "judge", "court_clerk_name", "ruled_at", "reason", "ruling_text",
            "is_enforceable_basis",
        ]  # fmt: skip
        read_only_fields = fields


class ConfirmationApplySerializer(serializers.Serializer):
    agreement = serializers.PrimaryKeyRelatedField(queryset=Agreement.objects.all())
    court = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    applicants = serializers.PrimaryKeyRelatedField(
        queryset=MediationParty.objects.all(), many=True
    )
    subject_matter = serializers.ChoiceField(choices=SubjectMatter.choices)
    applied_on = serializers.DateField(required=False, allow_null=True)


class ConfirmationReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ConfirmationRulingSerializer(serializers.Serializer):
    judge = serializers.CharField(max_length=60)
    court_clerk_name = serializers.CharField(max_length=60)
    ruling_text = serializers.CharField(required=False, allow_blank=True, default="")


class ConfirmationExtendSerializer(serializers.Serializer):
    approver = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    reason = serializers.CharField()


class ConfirmationExtensionRequestResult(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


class ConfirmationRulingResult(serializers.Serializer):
    confirmation = JudicialConfirmationSerializer()
    document = IssuedDocumentSerializer()


class MediationAgreementViewSet(viewsets.GenericViewSet):
    """Agreements, read through their case's scope."""

    queryset = Agreement.objects.none()
    serializer_class = AgreementDocumentSerializer

    @extend_schema(request=AgreementDocumentSerializer, responses={201: IssuedDocumentSerializer})
    @action(detail=True, methods=["post"])
    def document(self, request, pk=None):
        """Generate the 调解协议书 (400 listing each missing legally required element)."""
        agreement = cselectors.agreement_get_for_user(request.user, pk)
        agreement = selectors.case_agreement(agreement.case)
        serializer = AgreementDocumentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = services.agreement_document_generate(
            agreement=agreement, actor=request.user, **serializer.validated_data
        )
        return Response(IssuedDocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class JudicialConfirmationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Judicial confirmations the caller may see (the court applied to, the mediation
    case's scope). Filter: status."""

    serializer_class = JudicialConfirmationSerializer

    def get_queryset(self):
        status_filter = self.request.query_params.get("status", "")
        return cselectors.confirmation_list(self.request.user, status=status_filter)

    def _confirmation(self):
        return cselectors.confirmation_get_for_user(self.request.user, self.kwargs["pk"])

    def _ok(self, confirmation, code=status.HTTP_200_OK):
        fresh = cselectors.confirmation_get_for_user(self.request.user, confirmation.pk)
        return Response(JudicialConfirmationSerializer(fresh).data, status=code)

    @extend_schema(
        request=ConfirmationApplySerializer, responses={201: JudicialConfirmationSerializer}
    )
    def create(self, request, *args, **kwargs):
        """Record the parties' joint application (400 with the reason when late, excluded
        or not joint)."""
        serializer = ConfirmationApplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        agreement = cselectors.agreement_get_for_user(request.user, data["agreement"].pk)
        confirmation = services.confirmation_apply(
            agreement=Agreement.objects.select_related("case").get(pk=agreement.pk),
            court=data["court"],
            actor=request.user,
            applicants=data["applicants"],
            subject_matter=data["subject_matter"],
            applied_on=data.get("applied_on"),
        )
        return self._ok(confirmation, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: JudicialConfirmationSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._ok(
            services.confirmation_accept(confirmation=self._confirmation(), actor=request.user)
        )

    @extend_schema(
        request=ConfirmationReasonSerializer, responses={200: JudicialConfirmationSerializer}
    )
    @action(detail=True, methods=["post"], url_path="refuse-acceptance")
    def refuse_acceptance(self, request, pk=None):
        serializer = ConfirmationReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._ok(
            services.confirmation_refuse_acceptance(
                confirmation=self._confirmation(), actor=request.user, **serializer.validated_data
            )
        )

    @extend_schema(request=ConfirmationRulingSerializer, responses={200: ConfirmationRulingResult})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        serializer = ConfirmationRulingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        confirmation = self._confirmation()
        document = services.confirmation_confirm(
            confirmation=confirmation, actor=request.user, **serializer.validated_data
        )
        fresh = cselectors.confirmation_get_for_user(request.user, confirmation.pk)
        return Response(
            {
                "confirmation": JudicialConfirmationSerializer(fresh).data,
                "document": IssuedDocumentSerializer(document).data,
            }
        )

    @extend_schema(
        request=ConfirmationReasonSerializer, responses={200: JudicialConfirmationSerializer}
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        serializer = ConfirmationReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._ok(
            services.confirmation_reject(
                confirmation=self._confirmation(), actor=request.user, **serializer.validated_data
            )
        )

    @extend_schema(
        request=ConfirmationExtendSerializer, responses={201: ConfirmationExtensionRequestResult}
    )
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        """Ask the court president for the one 10-day extension of the ruling period; the
        president decides it at /api/deadline-extension-requests/{id}/approve/."""
        serializer = ConfirmationExtendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        extension_request = services.confirmation_ruling_extension_request(
            confirmation=self._confirmation(), actor=request.user, **serializer.validated_data
        )
        return Response(
            {"id": extension_request.pk, "status": extension_request.status},
            status=status.HTTP_201_CREATED,
        )


__all__ = ["JudicialConfirmationViewSet", "MediationAgreementViewSet"]
