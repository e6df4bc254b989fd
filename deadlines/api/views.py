import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from organisations.models import User

from .. import services
from ..models import Deadline, DeadlineExtensionRequest
from ..selectors import (
    deadline_list_for_user,
    extension_request_visible_to,
    extension_requests_to_decide,
)
from .serializers import (
    DeadlineReasonSerializer,
    DeadlineSerializer,
    DecisionSerializer,
    ExtendSerializer,
    ExtensionRequestSerializer,
)


class DeadlineFilter(django_filters.FilterSet):
    due_before = django_filters.IsoDateTimeFilter(field_name="due_at", lookup_expr="lte")
    due_after = django_filters.IsoDateTimeFilter(field_name="due_at", lookup_expr="gte")

    class Meta:
        model = Deadline
        fields = ["state", "kind", "owner", "organisation", "content_type", "object_id"]


class DeadlineViewSet(viewsets.ReadOnlyModelViewSet):
    """Deadlines in the caller's scope, each with its explanation. Workflow actions are
    explicit endpoints: pause, resume, and extend (a request the named approver decides).
    Meeting and cancelling a clock are done by the owning app's own steps, not here."""

    serializer_class = DeadlineSerializer
    filterset_class = DeadlineFilter

    def get_queryset(self):
        return deadline_list_for_user(self.request.user).prefetch_related(
            "pauses", "extensions__approved_by", "reminders"
        )

    def _done(self, deadline):
        deadline.refresh_from_db()
        return Response(self.get_serializer(self.get_queryset().get(pk=deadline.pk)).data)

    @extend_schema(request=DeadlineReasonSerializer, responses=DeadlineSerializer)
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        deadline = self.get_object()
        services.require_generic_handling(deadline)
        data = DeadlineReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.deadline_pause(
            deadline, actor=request.user, reason=data.validated_data.get("reason", "")
        )
        return self._done(deadline)

    @extend_schema(request=None, responses=DeadlineSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        deadline = self.get_object()
        services.require_generic_handling(deadline)
        services.deadline_resume(deadline, actor=request.user)
        return self._done(deadline)

    @extend_schema(request=ExtendSerializer, responses={201: ExtensionRequestSerializer})
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        """Ask for an extension; only the named approver can approve it (as themselves)."""
        deadline = self.get_object()
        services.require_generic_handling(deadline)
        data = ExtendSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        created = services.deadline_extension_request(
            deadline,
            actor=request.user,
            approver=get_object_or_404(User, pk=values["approver"]),
            reason=values["reason"],
            new_due_at=values.get("new_due_date"),
            amount=values.get("amount"),
            unit=values["unit"],
        )
        return Response(ExtensionRequestSerializer(created).data, status=status.HTTP_201_CREATED)


class ExtensionRequestViewSet(viewsets.ReadOnlyModelViewSet):
    """Extension requests naming the caller as approver, or on deadlines in their scope
    (?mine=1: only those awaiting the caller). Approve/refuse: the named approver only."""

    serializer_class = ExtensionRequestSerializer
    filterset_fields = ["status", "deadline"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return DeadlineExtensionRequest.objects.none()
        if self.request.query_params.get("mine"):
            return extension_requests_to_decide(self.request.user)
        return extension_request_visible_to(self.request.user)

    def _decided(self, request, decide):
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decided = decide(self.get_object(), actor=request.user, note=data.validated_data["note"])
        return Response(ExtensionRequestSerializer(decided).data)

    @extend_schema(request=DecisionSerializer, responses=ExtensionRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decided(request, services.deadline_extension_approve)

    @extend_schema(request=DecisionSerializer, responses=ExtensionRequestSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self._decided(request, services.deadline_extension_refuse)
