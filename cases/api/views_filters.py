"""API for saved list filters (常用筛选): the caller's own only; another's answers 404."""

from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from cases import services
from cases.models import SavedFilter
from cases.services.filters import saved_filter_update


class SavedFilterSerializer(serializers.ModelSerializer):
    name = serializers.CharField(max_length=60)
    query = serializers.CharField(
        max_length=1000, allow_blank=True, help_text="纠纷清单的查询串，如 status=dispatched"
    )

    class Meta:
        model = SavedFilter
        fields = ["id", "name", "query", "created_at"]
        read_only_fields = ["id", "created_at"]
        # Uniqueness per user is the service's business (saving a name again replaces it).
        validators = []


class SavedFilterViewSet(viewsets.ModelViewSet):
    serializer_class = SavedFilterSerializer
    lookup_value_regex = r"\d+"
    filter_backends = []
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return SavedFilter.objects.filter(user=self.request.user).order_by("name", "pk")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = services.saved_filter_save(user=request.user, **serializer.validated_data)
        return Response(SavedFilterSerializer(saved).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        saved = self.get_object()
        serializer = self.get_serializer(saved, data=request.data, partial=kwargs.get("partial"))
        serializer.is_valid(raise_exception=True)
        if not serializer.validated_data:
            # e.g. a form body with neither field: nothing would change, say so.
            raise serializers.ValidationError({"non_field_errors": ["请提供 name 或 query。"]})
        data = {"name": saved.name, "query": saved.query, **serializer.validated_data}
        saved = saved_filter_update(user=request.user, pk=saved.pk, **data)
        return Response(SavedFilterSerializer(saved).data)

    def destroy(self, request, *args, **kwargs):
        saved = self.get_object()
        services.saved_filter_delete(user=request.user, pk=saved.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
