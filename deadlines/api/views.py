import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from organisations.models import User

from .. import services
from ..models import Deadline
from ..selectors import deadline_list_for_user
from .serializers import DeadlineReasonSerializer, DeadlineSerializer, ExtendSerializer


class DeadlineFilter(django_filters.FilterSet):
    due_before = django_filters.IsoDateTimeFilter(field_name="due_at", lookup_expr="lte")
    due_after = django_filters.IsoDateTimeFilter(field_name="due_at", lookup_expr="gte")

    class Meta:
        model = Deadline
        fields = ["state", "kind", "owner", "organisation", "content_type", "object_id"]


class DeadlineViewSet(viewsets.ReadOnlyModelViewSet):
    """Deadlines in the caller's scope, each with its explanation. Workflow actions are
    explicit endpoints: meet, pause, resume, cancel, extend."""

    serializer_class = DeadlineSerializer
    filterset_class = DeadlineFilter

    def get_queryset(self):
        return deadline_list_for_user(self.request.user).prefetch_related(
            "pauses", "extensions__approved_by", "reminders"
        )

    def _done(self, deadline):
        deadline.refresh_from_db()
        return Response(self.get_serializer(self.get_queryset().get(pk=deadline.pk)).data)

    @extend_schema(request=None, responses=DeadlineSerializer)
    @action(detail=True, methods=["post"])
    def meet(self, request, pk=None):
        deadline = self.get_object()
        services.deadline_meet(deadline, actor=request.user)
        return self._done(deadline)

    @extend_schema(request=DeadlineReasonSerializer, responses=DeadlineSerializer)
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        deadline = self.get_object()
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
        services.deadline_resume(deadline, actor=request.user)
        return self._done(deadline)

    @extend_schema(request=DeadlineReasonSerializer, responses=DeadlineSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        deadline = self.get_object()
        data = DeadlineReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.deadline_cancel(
            deadline, actor=request.user, reason=data.validated_data.get("reason", "")
        )
        return self._done(deadline)

    @extend_schema(request=ExtendSerializer, responses=DeadlineSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        deadline = self.get_object()
        data = ExtendSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        services.deadline_extend(
            deadline,
            actor=request.user,
            approved_by=get_object_or_404(User, pk=values["approved_by"]),
            reason=values["reason"],
            new_due_at=values.get("new_due_date"),
            amount=values.get("amount"),
            unit=values["unit"],
        )
        return self._done(deadline)
