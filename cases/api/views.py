"""API: scoped viewsets; every loop step is an explicit POST endpoint (409 when refused)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from cases import selectors, services
from cases.filters import DispatchFilter, DisputeFilter
from organisations.roles import Role

from .serializers import (
    AnswerSerializer,
    DispatchRequestSerializer,
    DispatchSerializer,
    DisputeCreateSerializer,
    DisputeReasonSerializer,
    DisputeSerializer,
    EventSerializer,
    FlagSerializer,
    NoteSerializer,
    PersonSearchSerializer,
    RedispatchSerializer,
    ReferSerializer,
    ReviewResultSerializer,
    TriageSerializer,
)


class DisputeViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Disputes the caller may see (registering scope, or dispatched to their organisation)."""

    serializer_class = DisputeSerializer
    filterset_class = DisputeFilter
    ordering_fields = ["registered_at", "id"]

    def get_queryset(self):
        return (
            selectors.dispute_scope(self.request.user)
            .select_related(*selectors.LIST_RELATED)
            .prefetch_related("dispute_parties__party")
        )

    def _dispute(self):
        return selectors.dispute_get_for_user(self.request.user, self.kwargs["pk"])

    def _ok(self, dispute):
        return Response(
            DisputeSerializer(selectors.dispute_get_for_user(self.request.user, dispute.pk)).data
        )

    @extend_schema(request=DisputeCreateSerializer, responses={201: DisputeSerializer})
    def create(self, request, *args, **kwargs):
        serializer = DisputeCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = request.user.primary_organisation
        if organisation is None or not request.user.has_role(
            Role.CLERK, Role.GRID_WORKER, Role.ADMIN
        ):
            raise PermissionDenied
        dispute = services.dispute_register(
            organisation=organisation, actor=request.user, **serializer.validated_data
        )
        return Response(DisputeSerializer(dispute).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TriageSerializer, responses=DisputeSerializer)
    @action(detail=True, methods=["post"])
    def triage(self, request, pk=None):
        serializer = TriageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._ok(
            services.dispute_triage(
                dispute=self._dispute(), actor=request.user, **serializer.validated_data
            )
        )

    @extend_schema(
        request=DispatchRequestSerializer, responses={201: DispatchSerializer(many=True)}
    )
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def dispatch_to(self, request, pk=None):
        serializer = DispatchRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = services.dispute_dispatch(
            dispute=self._dispute(), actor=request.user, **serializer.validated_data
        )
        return Response(DispatchSerializer(created, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=NoteSerializer, responses=ReviewResultSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """交卷·确认化解; answers the one-time rating link for the resident."""
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        dispute, token = services.dispute_review_close(
            dispute=self._dispute(), actor=request.user, **serializer.validated_data
        )
        url = request.build_absolute_uri(reverse("rate", args=[token]))
        return Response(
            {
                "dispute": DisputeSerializer(dispute).data,
                "rating_url": url,
                "sms_text": services.rating_sms_text(dispute=dispute, url=url),
            }
        )

    @extend_schema(request=DisputeReasonSerializer, responses=DisputeSerializer)
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        serializer = DisputeReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._ok(
            services.dispute_send_back(
                dispute=self._dispute(), actor=request.user, **serializer.validated_data
            )
        )

    @extend_schema(request=NoteSerializer, responses=DisputeSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._ok(
            services.dispute_close(
                dispute=self._dispute(), actor=request.user, **serializer.validated_data
            )
        )

    @extend_schema(request=ReferSerializer, responses=DisputeSerializer)
    @action(detail=True, methods=["post"])
    def refer(self, request, pk=None):
        serializer = ReferSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._ok(
            services.dispute_refer(
                dispute=self._dispute(), actor=request.user, **serializer.validated_data
            )
        )

    @extend_schema(request=FlagSerializer, responses=DisputeSerializer)
    @action(detail=True, methods=["post"])
    def flag(self, request, pk=None):
        serializer = FlagSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._ok(
            services.dispute_flag(
                dispute=self._dispute(), actor=request.user, **serializer.validated_data
            )
        )

    @extend_schema(responses=EventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def timeline(self, request, pk=None):
        """The whole timeline, oldest first (a list, not paginated)."""
        return Response(
            EventSerializer(selectors.dispute_timeline(self._dispute()), many=True).data
        )

    @extend_schema(request=PersonSearchSerializer, responses=DisputeSerializer(many=True))
    @action(detail=False, methods=["post"])
    def search(self, request):
        """Disputes in scope with a party of this ID number or phone. POST, so the number
        stays out of URLs and access logs (a GET ``?q=`` with one is refused)."""
        serializer = PersonSearchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        queryset = selectors.person_filter(
            self.filter_queryset(self.get_queryset()), serializer.validated_data["q"]
        )
        page = self.paginate_queryset(queryset)
        if page is not None:
            return self.get_paginated_response(DisputeSerializer(page, many=True).data)
        return Response(DisputeSerializer(queryset, many=True).data)


class DispatchViewSet(viewsets.ReadOnlyModelViewSet):
    """Dispatches: a responder's inbox (?inbox=1) or every dispatch of disputes in scope."""

    serializer_class = DispatchSerializer
    filterset_class = DispatchFilter

    def get_queryset(self):
        if self.request.query_params.get("inbox"):
            return selectors.inbox_scope(self.request.user)
        return selectors.dispatch_scope(self.request.user)

    def _dispatch(self):
        return selectors.dispatch_get_for_user(self.request.user, self.kwargs["pk"])

    def _ok(self, dispatch):
        return Response(
            DispatchSerializer(selectors.dispatch_get_for_user(self.request.user, dispatch.pk)).data
        )

    @extend_schema(request=None, responses=DispatchSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._ok(services.dispatch_accept(dispatch=self._dispatch(), actor=request.user))

    @extend_schema(request=AnswerSerializer, responses=DispatchSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._ok(
            services.dispatch_answer(
                dispatch=self._dispatch(), actor=request.user, **serializer.validated_data
            )
        )

    @extend_schema(request=DisputeReasonSerializer, responses=DispatchSerializer)
    @action(detail=True, methods=["post"], url_path="hand-back")
    def hand_back(self, request, pk=None):
        serializer = DisputeReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._ok(
            services.dispatch_hand_back(
                dispatch=self._dispatch(), actor=request.user, **serializer.validated_data
            )
        )

    @extend_schema(request=RedispatchSerializer, responses={201: DispatchSerializer})
    @action(detail=True, methods=["post"])
    def redispatch(self, request, pk=None):
        """改派: the centre sends a handed-back dispatch on to another unit."""
        serializer = RedispatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = services.dispatch_redispatch(
            dispatch=self._dispatch(), actor=request.user, **serializer.validated_data
        )
        return Response(
            DispatchSerializer(selectors.dispatch_get_for_user(request.user, created.pk)).data,
            status=status.HTTP_201_CREATED,
        )
