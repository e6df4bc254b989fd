"""API for 督办 (supervision): what the supervision page lists. Flag and unflag are
`POST /api/cases/disputes/{id}/flag/` with {"flagged": true|false}."""

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action

from cases import selectors

from .serializers import DispatchSerializer, DisputeSerializer


class SupervisionViewSet(viewsets.GenericViewSet):
    """Flagged disputes, overdue disputes and overdue dispatches in the caller's scope."""

    serializer_class = DisputeSerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.flagged_disputes(self.request.user)

    def _page(self, queryset, serializer_class):
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(serializer_class(page, many=True).data)

    @extend_schema(responses=DisputeSerializer(many=True))
    @action(detail=False, methods=["get"])
    def flagged(self, request):
        queryset = selectors.flagged_disputes(request.user).prefetch_related(
            "dispute_parties__party"
        )
        return self._page(queryset, DisputeSerializer)

    @extend_schema(responses=DisputeSerializer(many=True))
    @action(detail=False, methods=["get"], url_path="overdue-disputes")
    def overdue_disputes(self, request):
        queryset = selectors.overdue_disputes(request.user).prefetch_related(
            "dispute_parties__party"
        )
        return self._page(queryset, DisputeSerializer)

    @extend_schema(responses=DispatchSerializer(many=True))
    @action(detail=False, methods=["get"], url_path="overdue-dispatches")
    def overdue_dispatches(self, request):
        return self._page(selectors.overdue_dispatches(request.user), DispatchSerializer)
