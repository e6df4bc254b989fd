"""API of asset inquiry and control, under /api/enforcement/:

- inquiries/ (list, detail with progress per debtor × provider, create = start; findings/)
- findings/ (read)
- clues/ (list, detail, create; check/)
- controls/ (list, detail; freeze/ seal/ seize/ from a finding or a checked clue;
  {id}/deduct/ appraise/ auction/ renew/ lift/)

Everything is scoped through its case: outside the caller's courts a record — or a case,
finding or clue named in a request body — answers 404. An illegal step (a state, the
freeze-to-deduct wait, an inquiry still running) answers 409 with the reason; bad input
400 with field errors.
"""

import django_filters
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from common.api import StrictFilterBackend
from common.api_schema import error_responses
from enforcement import selectors_assets as selectors
from enforcement.models import (
    AssetClue,
    AssetControl,
    AssetFinding,
    AssetInquiry,
    AssetKind,
    CaseParty,
    ClueStatus,
    ControlStatus,
    InquiryStatus,
    Measure,
)
from enforcement.selectors import case_get_for_user
from enforcement.services import clues as clue_services
from enforcement.services import controls as control_services
from enforcement.services import inquiries as inquiry_services

from . import serializers_assets as s


def _party(case, pk, field):
    if pk is None:
        return None
    party = CaseParty.objects.filter(case=case, pk=pk).first()
    if party is None:
        raise ValidationError({field: ["请选择本案的当事人。"]})
    return party


class InquiryFilter(django_filters.FilterSet):
    case = django_filters.NumberFilter(field_name="case_id")
    status = django_filters.ChoiceFilter(choices=InquiryStatus.choices)

    class Meta:
        model = AssetInquiry
        fields = ["case", "status"]


class InquiryViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Online inquiries (网络查控). POST starts one (the worker runs it; poll the detail for
    progress); GET {id}/ shows each debtor × provider's state."""

    filter_backends = [StrictFilterBackend]
    filterset_class = InquiryFilter

    def get_queryset(self):
        queryset = selectors.with_progress(selectors.inquiry_scope(self.request.user))
        queryset = queryset.select_related("requested_by").order_by("-pk")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("targets__debtor")
        return queryset

    def get_serializer_class(self):
        return s.InquirySerializer if self.action == "retrieve" else s.InquiryListSerializer

    @extend_schema(
        request=s.InquiryCreateSerializer,
        responses={201: s.InquirySerializer, **error_responses(404)},
    )
    def create(self, request, *args, **kwargs):
        data = s.InquiryCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = case_get_for_user(request.user, data.validated_data["case"])
        debtor = _party(case, data.validated_data.get("debtor"), "debtor")
        inquiry = inquiry_services.inquiry_start(case=case, actor=request.user, debtor=debtor)
        fresh = self.get_queryset().prefetch_related("targets__debtor").get(pk=inquiry.pk)
        return Response(s.InquirySerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.FindingSerializer(many=True)})
    # the inquiry's findings come whole, unpaginated and unfiltered, as the schema says
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def findings(self, request, pk=None):
        inquiry = self.get_object()
        rows = AssetFinding.objects.filter(inquiry=inquiry).select_related("debtor")
        return Response(s.FindingSerializer(rows.order_by("kind", "pk"), many=True).data)


class FindingFilter(django_filters.FilterSet):
    case = django_filters.NumberFilter(field_name="case_id")
    inquiry = django_filters.NumberFilter(field_name="inquiry_id")
    kind = django_filters.ChoiceFilter(choices=AssetKind.choices)
    is_new = django_filters.BooleanFilter()

    class Meta:
        model = AssetFinding
        fields = ["case", "inquiry", "kind", "is_new"]


class FindingViewSet(viewsets.ReadOnlyModelViewSet):
    """What the inquiries found (查控结果); account numbers masked."""

    serializer_class = s.FindingSerializer
    filter_backends = [StrictFilterBackend]
    filterset_class = FindingFilter

    def get_queryset(self):
        return selectors.finding_scope(self.request.user).order_by("-pk")


class ClueFilter(django_filters.FilterSet):
    case = django_filters.NumberFilter(field_name="case_id")
    status = django_filters.ChoiceFilter(choices=ClueStatus.choices)

    class Meta:
        model = AssetClue
        fields = ["case", "status"]


class ClueViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The applicant's asset clues (财产线索), checked within 7 days (3 if urgent)."""

    serializer_class = s.ClueSerializer
    filter_backends = [StrictFilterBackend]
    filterset_class = ClueFilter

    def get_queryset(self):
        return selectors.clue_scope(self.request.user).order_by("-pk")

    @extend_schema(
        request=s.ClueCreateSerializer, responses={201: s.ClueSerializer, **error_responses(404)}
    )
    def create(self, request, *args, **kwargs):
        data = s.ClueCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        case = case_get_for_user(request.user, d.pop("case"))
        clue = clue_services.clue_record(
            case=case,
            actor=request.user,
            submitted_by=_party(case, d.pop("submitted_by", None), "submitted_by"),
            debtor=_party(case, d.pop("debtor", None), "debtor"),
            **d,
        )
        return Response(
            s.ClueSerializer(self.get_queryset().get(pk=clue.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=s.ClueCheckSerializer, responses={200: s.ClueSerializer})
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        clue = self.get_object()
        data = s.ClueCheckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        clue_services.clue_check(clue=clue, actor=request.user, **data.validated_data)
        return Response(s.ClueSerializer(self.get_queryset().get(pk=clue.pk)).data)


class ControlFilter(django_filters.FilterSet):
    case = django_filters.NumberFilter(field_name="case_id")
    status = django_filters.ChoiceFilter(choices=ControlStatus.choices)
    measure = django_filters.ChoiceFilter(choices=Measure.choices)

    class Meta:
        model = AssetControl
        fields = ["case", "status", "measure"]


class ControlViewSet(viewsets.ReadOnlyModelViewSet):
    """Controls over assets (冻结、查封、扣押) with their steps."""

    serializer_class = s.ControlSerializer
    filter_backends = [StrictFilterBackend]
    filterset_class = ControlFilter

    def get_queryset(self):
        return (
            selectors.control_scope(self.request.user)
            .prefetch_related("actions__actor")
            .order_by("-pk")
        )

    def _detail(self, control, code=status.HTTP_200_OK):
        return Response(
            s.ControlSerializer(self.get_queryset().get(pk=control.pk)).data, status=code
        )

    def _impose(self, request, measure):
        data = s.ControlImposeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        finding = clue = None
        if d.get("finding"):
            finding = selectors.finding_scope(request.user).filter(pk=d["finding"]).first()
            if finding is None:
                raise Http404
            case = finding.case
        else:
            clue = selectors.clue_scope(request.user).filter(pk=d["clue"]).first()
            if clue is None:
                raise Http404
            case = clue.case
        control = control_services.control_impose(
            case=case, actor=request.user, measure=measure, finding=finding, clue=clue,
            amount=d.get("amount"), months=d.get("months"), effective_on=d.get("effective_on"),
            ruling_number=d.get("ruling_number", ""),
        )  # fmt: skip
        return self._detail(control, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.ControlImposeSerializer,
        responses={201: s.ControlSerializer, **error_responses(404)},
    )
    @action(detail=False, methods=["post"])
    def freeze(self, request):
        return self._impose(request, Measure.FREEZE)

    @extend_schema(
        request=s.ControlImposeSerializer,
        responses={201: s.ControlSerializer, **error_responses(404)},
    )
    @action(detail=False, methods=["post"])
    def seal(self, request):
        return self._impose(request, Measure.SEAL)

    @extend_schema(
        request=s.ControlImposeSerializer,
        responses={201: s.ControlSerializer, **error_responses(404)},
    )
    @action(detail=False, methods=["post"])
    def seize(self, request):
        return self._impose(request, Measure.SEIZE)

    def _step(self, request, serializer_class, call):
        control = self.get_object()
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        call(control, dict(data.validated_data))
        return self._detail(control)

    @extend_schema(request=s.DeductSerializer, responses={200: s.ControlSerializer})
    @action(detail=True, methods=["post"])
    def deduct(self, request, pk=None):
        return self._step(request, s.DeductSerializer, lambda c, d: control_services.control_deduct(
            control=c, actor=request.user, **d))  # fmt: skip

    @extend_schema(request=s.AppraiseSerializer, responses={200: s.ControlSerializer})
    @action(detail=True, methods=["post"])
    def appraise(self, request, pk=None):
        return self._step(request, s.AppraiseSerializer, lambda c, d: control_services.control_appraise(
            control=c, actor=request.user, **d))  # fmt: skip

    @extend_schema(request=s.AuctionSerializer, responses={200: s.ControlSerializer})
    @action(detail=True, methods=["post"])
    def auction(self, request, pk=None):
        return self._step(request, s.AuctionSerializer, lambda c, d: control_services.control_auction(
            control=c, actor=request.user, **d))  # fmt: skip

    @extend_schema(request=s.RenewSerializer, responses={200: s.ControlSerializer})
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        return self._step(request, s.RenewSerializer, lambda c, d: control_services.control_renew(
            control=c, actor=request.user, **d))  # fmt: skip

    @extend_schema(request=s.LiftSerializer, responses={200: s.ControlSerializer})
    @action(detail=True, methods=["post"])
    def lift(self, request, pk=None):
        return self._step(request, s.LiftSerializer, lambda c, d: control_services.control_lift(
            control=c, actor=request.user, **d))  # fmt: skip
