"""`GET /api/approvals/`: 待我审批 for API clients — the requests that name the caller as the
one to decide them (common.approvals), by kind, oldest first. Deciding goes through each
record's own endpoint."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .approvals import awaiting_for


class AwaitingItemSerializer(serializers.Serializer):
    title = serializers.CharField()
    detail = serializers.CharField(help_text="案号 · 申请人")
    requested_at = serializers.DateTimeField(allow_null=True)
    url = serializers.CharField(help_text="the record's page, where it is decided")


class AwaitingGroupSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text="measures, final, relief, guarantee, restrictions, removals, liftings, extensions"
    )
    label = serializers.CharField()
    count = serializers.IntegerField(help_text="all of them; `items` holds the oldest 100")
    items = AwaitingItemSerializer(many=True)


class ApprovalsView(APIView):
    @extend_schema(responses=AwaitingGroupSerializer(many=True))
    def get(self, request):
        return Response(AwaitingGroupSerializer(awaiting_for(request.user), many=True).data)
