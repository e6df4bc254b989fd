"""django-filter filtersets for the API (the pages use the same selector filters)."""

import django_filters
from django.utils.translation import gettext as _
from rest_framework import serializers

from .models import Dispatch, Dispute


class DisputeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="全文搜索（姓名、编号、地点、事实）")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="已超期")
    responder = django_filters.NumberFilter(
        field_name="dispatches__responder", distinct=True, label="应哨单位"
    )
    registered_from = django_filters.DateFilter(field_name="registered_at", lookup_expr="date__gte")
    registered_to = django_filters.DateFilter(field_name="registered_at", lookup_expr="date__lte")
    import_batch = django_filters.NumberFilter(field_name="import_batches", label="导入批次")

    class Meta:
        model = Dispute
        fields = [
            "status",
            "category",
            "source_channel",
            "risk_level",
            "organisation",
            "is_flagged",
            "bundle",
        ]

    def search(self, queryset, name, value):
        from .selectors import person_search_key, search_filter

        if person_search_key(value) is not None:
            # the number would already be in the access log: say how to search instead
            raise serializers.ValidationError(
                {"q": [_("按身份证号或电话查找请使用 POST /api/cases/disputes/search/。")]}
            )
        return search_filter(queryset, value)

    def filter_overdue(self, queryset, name, value):
        from .selectors import overdue_disputes

        if value:
            return queryset.filter(pk__in=overdue_disputes(self.request.user).values("pk"))
        return queryset


class DispatchFilter(django_filters.FilterSet):
    class Meta:
        model = Dispatch
        fields = ["status", "responder", "dispute"]
