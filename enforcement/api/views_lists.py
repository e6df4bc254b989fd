"""The enforcement read API: the court's list and the case (what the case page shows), and
the officer's workbench. Scoped like the pages: an outsider's detail is a 404."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.response import Response

from common.api import DefaultCursorPagination
from enforcement import selectors_lists as lists
from enforcement.case_page import case_page
from enforcement.selectors import case_get_for_user

from .filters_lists import EnforcementCaseFilter
from .serializers_lists import EnforcementCaseDetailSerializer, EnforcementCaseListSerializer


class NewestFirstPagination(DefaultCursorPagination):
    ordering = ("-created_at", "-id")


class SoonestDuePagination(DefaultCursorPagination):
    ordering = ("sort_due", "id")


class _NextDeadlinePage:
    """The soonest clock of each case on the page: one query for the page."""

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            lists.attach_next_deadlines(page)
        return page


class EnforcementCaseViewSet(_NextDeadlinePage, viewsets.ReadOnlyModelViewSet):
    """Enforcement cases of the courts in the caller's scope, newest first (cursor pages,
    no COUNT). Filters: status, case_type, officer, year, priority, overdue,
    application_late, mine, q (case number in either bracket form, exact or its start;
    else the start of a party's name). The detail is the case page's content: parties
    with masked phones, basis, deadlines, documents, the actions the caller may take."""

    pagination_class = NewestFirstPagination
    filterset_class = EnforcementCaseFilter
    ordering_fields: list = []  # the cursor's order only
    serializer_class = EnforcementCaseListSerializer

    def get_queryset(self):
        return (
            lists.court_scope(self.request.user)
            .select_related(*lists.LIST_RELATED)
            .order_by("-created_at", "-id")
        )

    def get_serializer_class(self):
        if self.action == "retrieve":
            return EnforcementCaseDetailSerializer
        return EnforcementCaseListSerializer

    @extend_schema(responses=EnforcementCaseDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        case = case_get_for_user(request.user, kwargs["pk"])
        lists.attach_next_deadlines([case])
        page = case_page(case, request.user, history=False, panels=False, open_deadlines_shown=None)
        return Response(EnforcementCaseDetailSerializer(case, context={"case_page": page}).data)


class WorkbenchViewSet(_NextDeadlinePage, mixins.ListModelMixin, viewsets.GenericViewSet):
    """我的案件: the caller's own open cases as officer, overdue first, then soonest due,
    cases with no running clock last (cursor pages)."""

    serializer_class = EnforcementCaseListSerializer
    pagination_class = SoonestDuePagination
    filter_backends: list = []

    def get_queryset(self):
        return lists.workbench_queryset(self.request.user)
