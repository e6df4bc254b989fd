"""The court's list filters for the API (the page's form reads the same selectors)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from enforcement import selectors_lists as lists
from enforcement.forms_lists import PRIORITY_CHOICES
from enforcement.models import OPEN_STATUSES, CaseStatus, CaseType, EnforcementCase
from organisations.models import User


def _officers(request):
    if request is None:
        return User.objects.none()
    return lists.assignable_officers(request.user)


class EnforcementCaseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices, label=_("状态"))
    case_type = django_filters.ChoiceFilter(choices=CaseType.choices, label=_("案件类型"))
    officer = django_filters.ModelChoiceFilter(queryset=_officers, label=_("承办人"))
    year = django_filters.NumberFilter(field_name="number_year", label=_("立案年度"))
    priority = django_filters.ChoiceFilter(
        choices=PRIORITY_CHOICES, method="filter_priority", label=_("优先类别")
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("有超期期限"))
    application_late = django_filters.BooleanFilter(label=_("超过申请执行期间"))
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("我承办的在办案件"))
    q = django_filters.CharFilter(
        method="search", max_length=60, label=_("案号（任一括号形式，可为开头）或当事人姓名开头")
    )

    class Meta:
        model = EnforcementCase
        fields = ["status", "case_type", "officer", "year", "application_late"]

    def filter_priority(self, queryset, name, value):
        return queryset.filter(**{lists.PRIORITIES[value]: True}) if value else queryset

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = lists.overdue_filter(queryset, self.request.user)
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))

    def filter_mine(self, queryset, name, value):
        if value:
            return queryset.filter(officer=self.request.user, status__in=OPEN_STATUSES)
        return queryset

    def search(self, queryset, name, value):
        return lists.search_filter(queryset, value)
