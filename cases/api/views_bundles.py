"""API for 打包 (bundles): list, create from disputes in scope, escalate, close."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases import selectors, services
from cases.limits import NOTE_MAX_LENGTH
from cases.models import Bundle, Category, Dispute
from organisations.models import Organisation


class BundleSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    escalated_to_name = serializers.CharField(
        source="escalated_to.name", read_only=True, allow_null=True, default=None
    )
    disputes = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    category = serializers.ChoiceField(choices=Category.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Bundle
        fields = [
            "id",
            "organisation",
            "title",
            "description",
            "category",
            "status",
            "status_display",
            "escalated_to",
            "escalated_to_name",
            "escalated_at",
            "closed_at",
            "result",
            "created_at",
            "disputes",
        ]
        read_only_fields = fields


class BundleCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(
        max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    category = serializers.ChoiceField(
        choices=Category.choices, required=False, allow_blank=True, default=""
    )
    disputes = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        min_length=1,
        max_length=500,
        help_text="纠纷 id；须在本人可见范围内且未办结",
    )

    def validate_disputes(self, ids):
        user = self.context["request"].user
        found = list(selectors.dispute_scope(user).filter(pk__in=ids))
        if len(found) != len(set(ids)):
            raise serializers.ValidationError("有纠纷不存在或不在可见范围内。")
        return found


class EscalateSerializer(serializers.Serializer):
    escalated_to = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(is_active=True)
    )
    note = serializers.CharField(
        max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class BundleResultSerializer(serializers.Serializer):
    result = serializers.CharField(max_length=NOTE_MAX_LENGTH)


class BundleViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """打包事项 of organisations the caller may see (the bundle pages' operations)."""

    serializer_class = BundleSerializer
    lookup_value_regex = r"\d+"
    filterset_fields = ["status"]

    def get_queryset(self):
        return selectors.bundle_scope(self.request.user).prefetch_related(
            Prefetch("disputes", queryset=Dispute.objects.only("pk", "bundle_id"))
        )

    def _respond(self, bundle, code=status.HTTP_200_OK):
        return Response(BundleSerializer(self.get_queryset().get(pk=bundle.pk)).data, status=code)

    @extend_schema(request=BundleCreateSerializer, responses={201: BundleSerializer})
    def create(self, request, *args, **kwargs):
        serializer = BundleCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        bundle = services.bundle_create(
            organisation=data["disputes"][0].organisation,
            actor=request.user,
            title=data["title"],
            description=data["description"],
            category=data["category"],
            disputes=data["disputes"],
        )
        return self._respond(bundle, status.HTTP_201_CREATED)

    @extend_schema(request=EscalateSerializer, responses=BundleSerializer)
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        serializer = EscalateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        bundle = services.bundle_escalate(
            bundle=self.get_object(), actor=request.user, **serializer.validated_data
        )
        return self._respond(bundle)

    @extend_schema(request=BundleResultSerializer, responses=BundleSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        serializer = BundleResultSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        bundle = services.bundle_close(
            bundle=self.get_object(), actor=request.user, **serializer.validated_data
        )
        return self._respond(bundle)
