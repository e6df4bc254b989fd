"""API of coercive measures, objections and campaigns, under /api/enforcement/:

- measures/ (list, detail, create = request or decide; {id}/approve/ refuse/ execute/ end/
  family-notified/ cancel/)
- objections/ (list, detail, create = receive; {id}/register/ not-accept/ decide/ serve/
  withdraw/ extend/)
- campaigns/ (list, detail, create; {id}/totals/ tag/ untag/ cases/)

Scoped through the case (a campaign through its organiser and courts): outside the caller's
scope a record — or a case, party, objection, measure or user named in a body — answers
404 or a field error that names nothing; a refused step 409 with the reason; a broken legal
limit 400 on its field. Money is a decimal string.
"""

import django_filters
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from common.api import MoneyField, StrictFilterBackend
from common.api_schema import error_responses
from enforcement import selectors_campaigns as sel
from enforcement.models import (
    Campaign,
    CaseParty,
    CoerciveMeasure,
    MeasureKind,
    MeasureStatus,
    Objection,
    ObjectionKind,
    ObjectionStatus,
)
from enforcement.selectors import case_get_for_user, courts_visible_to, enforcement_scope
from enforcement.services import campaigns as campaign_services
from enforcement.services import measures as measure_services
from enforcement.services import objections as objection_services

# --- serializers ---------------------------------------------------------------------------


class MeasuresDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(help_text=_("文书编号"))
    title = serializers.CharField()
    status = serializers.CharField()


class MeasureSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    subject_name = serializers.CharField(source="subject_label", read_only=True)
    amount = MoneyField(read_only=True, allow_null=True)
    requested_by = serializers.StringRelatedField()
    approver = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    approver_name = serializers.StringRelatedField(source="approver", allow_null=True)
    decided_by = serializers.StringRelatedField(allow_null=True)
    document = MeasuresDocumentSerializer(allow_null=True, read_only=True)
    campaign = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    actions = serializers.SerializerMethodField(help_text=_("当前用户可办理的步骤"))

    class Meta:
        model = CoerciveMeasure
        fields = [
            "id", "case", "kind", "kind_label", "status", "status_label", "subject",
            "subject_name", "responsible_person", "reason", "hours", "detention_may_follow",
            "amount", "days", "place", "assisting_court", "needs_approval", "requested_by",
            "requested_at", "approver", "approver_name", "decided_by", "decided_at",
            "decision_note", "document", "started_at", "ends_on", "ended_at", "end_note",
            "family_notified_at", "family_notice_note", "campaign", "actions",
        ]  # fmt: skip
        read_only_fields = fields

    def get_actions(self, measure) -> list[str]:
        request = self.context.get("request")
        return measure_services.measure_actions(measure, request.user) if request else []


class MeasureCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=MeasureKind.choices)
    subject = serializers.IntegerField(min_value=1, help_text=_("本案当事人 id"))
    responsible_person = serializers.CharField(max_length=60, required=False, allow_blank=True,
                                               default="")  # fmt: skip
    reason = serializers.CharField(max_length=4000)
    approver = serializers.IntegerField(
        min_value=1, required=False, allow_null=True,
        help_text=_("审批的院长（用户 id）；拘传、罚款、拘留、搜查、移送拒执罪必填"),
    )  # fmt: skip
    hours = serializers.IntegerField(min_value=1, max_value=1000, required=False, allow_null=True)
    detention_may_follow = serializers.BooleanField(required=False, default=False)
    amount = MoneyField(required=False, allow_null=True, min_value=0)
    days = serializers.IntegerField(min_value=1, max_value=1000, required=False, allow_null=True)
    place = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    assisting_court = serializers.CharField(max_length=120, required=False, allow_blank=True,
                                            default="")  # fmt: skip


class MeasureNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class MeasureExecuteSerializer(serializers.Serializer):
    started_at = serializers.DateTimeField(required=False, allow_null=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class MeasureEndSerializer(serializers.Serializer):
    ended_at = serializers.DateTimeField(required=False, allow_null=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class MeasureFamilySerializer(serializers.Serializer):
    notified_at = serializers.DateTimeField(required=False, allow_null=True)
    note = serializers.CharField(max_length=200)


class ObjectionSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    recorded_by = serializers.StringRelatedField()

    class Meta:
        model = Objection
        fields = [
            "id", "case", "kind", "kind_label", "status", "status_label", "applicant_name",
            "applicant_party", "matter", "received_on", "parent", "measure", "registered_on",
            "decided_on", "decision", "served_on", "recorded_by", "recorded_at",
        ]  # fmt: skip
        read_only_fields = fields


class ObjectionCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=ObjectionKind.choices)
    applicant_name = serializers.CharField(max_length=120)
    applicant_party = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    matter = serializers.CharField(max_length=4000)
    received_on = serializers.DateField()
    parent = serializers.IntegerField(min_value=1, required=False, allow_null=True,
                                      help_text=_("复议：被复议的执行异议 id"))  # fmt: skip
    measure = serializers.IntegerField(min_value=1, required=False, allow_null=True,
                                       help_text=_("罚款、拘留决定复议：措施 id"))  # fmt: skip


class ObjectionDateSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True)


class ObjectionServeSerializer(serializers.Serializer):
    served_on = serializers.DateField()


class ObjectionReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ObjectionDecideSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    decision = serializers.CharField(max_length=4000)
    decided_on = serializers.DateField(required=False, allow_null=True)


class ObjectionExtendSerializer(serializers.Serializer):
    approver = serializers.IntegerField(min_value=1, help_text=_("审批的院长（用户 id）"))
    reason = serializers.CharField(max_length=200)


class ObjectionExtensionSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("延长申请 id（在期限接口中审批）"))
    state = serializers.CharField()


class CampaignSerializer(serializers.ModelSerializer):
    organiser_name = serializers.CharField(source="organiser.name", read_only=True)
    courts = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "name", "organiser", "organiser_name", "courts", "starts_on", "ends_on",
                  "description", "created_at"]  # fmt: skip
        read_only_fields = fields


class CampaignCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    organiser = serializers.IntegerField(min_value=1, help_text=_("组织单位（法院）id"))
    courts = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1,
                                   max_length=500)  # fmt: skip
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True,
                                        default="")  # fmt: skip


class CampaignTotalRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.CharField(help_text=_("数量或金额（金额为两位小数的字符串）"))


class CampaignTotalsSerializer(serializers.Serializer):
    campaign = serializers.IntegerField()
    rows = CampaignTotalRowSerializer(many=True)
    totals = serializers.DictField(child=serializers.CharField(), help_text=_("key → 值"))


class CampaignTagSerializer(serializers.Serializer):
    cases = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1,
                                  max_length=500)  # fmt: skip


class CampaignTagResultSerializer(serializers.Serializer):
    tagged = serializers.ListField(child=serializers.IntegerField())
    skipped = serializers.DictField(child=serializers.CharField(), help_text=_("案件 id → 原因"))


class CampaignUntagSerializer(serializers.Serializer):
    case = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(max_length=200)


class CampaignCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case_number = serializers.CharField()
    court = serializers.CharField(source="court.name")
    status = serializers.CharField()


# --- helpers --------------------------------------------------------------------------------


def _party(case, pk, field):
    if pk is None:
        return None
    party = CaseParty.objects.filter(case=case, pk=pk).select_related("party").first()
    if party is None:
        raise ValidationError({field: [_("不是本案当事人。")]})
    return party


def _approver(case, pk, field="approver"):
    if pk is None:
        return None
    user = sel.presidents_of(case.court).filter(pk=pk).first()
    if user is None:
        raise ValidationError({field: [_("审批人须为本院院长或副院长。")]})
    return user


# --- measures -------------------------------------------------------------------------------


class MeasureFilter(django_filters.FilterSet):
    case = django_filters.NumberFilter(field_name="case_id")
    kind = django_filters.ChoiceFilter(choices=MeasureKind.choices)
    status = django_filters.ChoiceFilter(choices=MeasureStatus.choices)
    campaign = django_filters.NumberFilter(field_name="campaign_id")
    awaiting_me = django_filters.BooleanFilter(method="filter_awaiting", label=_("待我审批"))

    class Meta:
        model = CoerciveMeasure
        fields = ["case", "kind", "status", "campaign"]

    def filter_awaiting(self, queryset, name, value):
        if value:
            return queryset.filter(approver=self.request.user, status=MeasureStatus.REQUESTED)
        return queryset


class _RecordStepMixin:
    """One step on the record: validate the input, call the service with the record (as
    `record_kwarg`) and the caller, answer the record afresh. `renames` passes only those
    fields, under the service's names ({input field: service argument})."""

    record_kwarg: str

    def _step(self, serializer_class, service, **renames):
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        record = self.get_object()
        values = data.validated_data
        arguments = (
            {target: values.get(source) for source, target in renames.items()}
            if renames
            else dict(values)
        )
        service(**{self.record_kwarg: record}, actor=self.request.user, **arguments)
        return self._out(record)


class MeasureViewSet(_RecordStepMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Coercive measures (强制措施): request (or decide) one, approve/refuse as the named
    president, record it carried out and ended; detention's family notice."""

    serializer_class = MeasureSerializer
    filter_backends = [StrictFilterBackend]
    filterset_class = MeasureFilter
    record_kwarg = "measure"

    def get_queryset(self):
        return (
            sel.measures_visible_to(self.request.user)
            .select_related("case", "case__court", "subject", "requested_by", "approver",
                            "decided_by", "document")
            .order_by("-pk")
        )  # fmt: skip

    def _out(self, measure, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=measure.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(request=MeasureCreateSerializer,
                   responses={201: MeasureSerializer, **error_responses(404, 409)})  # fmt: skip
    def create(self, request, *args, **kwargs):
        data = MeasureCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        case = case_get_for_user(request.user, d.pop("case"))
        d["subject"] = _party(case, d.pop("subject"), "subject")
        d["approver"] = _approver(case, d.pop("approver", None))
        measure = measure_services.measure_request(case=case, actor=request.user, **d)
        return self._out(measure, status.HTTP_201_CREATED)

    @extend_schema(request=MeasureNoteSerializer, responses=MeasureSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._step(MeasureNoteSerializer, measure_services.measure_approve, note="note")

    @extend_schema(request=MeasureNoteSerializer, responses=MeasureSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self._step(MeasureNoteSerializer, measure_services.measure_refuse, note="note")

    @extend_schema(request=MeasureExecuteSerializer, responses=MeasureSerializer)
    @action(detail=True, methods=["post"])
    def execute(self, request, pk=None):
        return self._step(MeasureExecuteSerializer, measure_services.measure_execute)

    @extend_schema(request=MeasureEndSerializer, responses=MeasureSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        return self._step(MeasureEndSerializer, measure_services.measure_end)

    @extend_schema(request=MeasureFamilySerializer, responses=MeasureSerializer)
    @action(detail=True, methods=["post"], url_path="family-notified")
    def family_notified(self, request, pk=None):
        return self._step(MeasureFamilySerializer, measure_services.measure_family_notified)

    @extend_schema(request=MeasureNoteSerializer, responses=MeasureSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._step(MeasureNoteSerializer, measure_services.measure_cancel, note="note")


# --- objections -----------------------------------------------------------------------------


class ObjectionFilter(django_filters.FilterSet):
    case = django_filters.NumberFilter(field_name="case_id")
    kind = django_filters.ChoiceFilter(choices=ObjectionKind.choices)
    status = django_filters.ChoiceFilter(choices=ObjectionStatus.choices)

    class Meta:
        model = Objection
        fields = ["case", "kind", "status"]


class ObjectionViewSet(_RecordStepMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Objections (执行异议), reviews (复议) and reviews of fines and detention, with their
    clocks (see the deadlines API for the clocks and the extension's approval)."""

    serializer_class = ObjectionSerializer
    filter_backends = [StrictFilterBackend]
    filterset_class = ObjectionFilter
    record_kwarg = "objection"

    def get_queryset(self):
        return (
            sel.objections_visible_to(self.request.user)
            .select_related("recorded_by")
            .order_by("-pk")
        )

    def _out(self, objection, code=status.HTTP_200_OK):
        return Response(
            ObjectionSerializer(self.get_queryset().get(pk=objection.pk)).data, status=code
        )

    @extend_schema(request=ObjectionCreateSerializer,
                   responses={201: ObjectionSerializer, **error_responses(404, 409)})  # fmt: skip
    def create(self, request, *args, **kwargs):
        data = ObjectionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        case = case_get_for_user(request.user, d.pop("case"))
        d["applicant_party"] = _party(case, d.pop("applicant_party", None), "applicant_party")
        parent_pk, measure_pk = d.pop("parent", None), d.pop("measure", None)
        d["parent"] = case.objections.filter(pk=parent_pk).first() if parent_pk else None
        if parent_pk and d["parent"] is None:
            raise ValidationError({"parent": [_("请选择本案被复议的执行异议。")]})
        d["measure"] = case.coercive_measures.filter(pk=measure_pk).first() if measure_pk else None
        if measure_pk and d["measure"] is None:
            raise ValidationError({"measure": [_("请选择本案已作出的罚款或拘留决定。")]})
        objection = objection_services.objection_receive(case=case, actor=request.user, **d)
        return self._out(objection, status.HTTP_201_CREATED)

    @extend_schema(request=ObjectionDateSerializer, responses=ObjectionSerializer)
    @action(detail=True, methods=["post"])
    def register(self, request, pk=None):
        return self._step(
            ObjectionDateSerializer, objection_services.objection_register, on="registered_on"
        )

    @extend_schema(request=ObjectionReasonSerializer, responses=ObjectionSerializer)
    @action(detail=True, methods=["post"], url_path="not-accept")
    def not_accept(self, request, pk=None):
        return self._step(
            ObjectionReasonSerializer, objection_services.objection_not_accept, reason="reason"
        )

    @extend_schema(request=ObjectionDecideSerializer, responses=ObjectionSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        return self._step(ObjectionDecideSerializer, objection_services.objection_decide)

    @extend_schema(request=ObjectionServeSerializer, responses=ObjectionSerializer)
    @action(detail=True, methods=["post"])
    def serve(self, request, pk=None):
        return self._step(ObjectionServeSerializer, objection_services.objection_serve)

    @extend_schema(request=ObjectionReasonSerializer, responses=ObjectionSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._step(
            ObjectionReasonSerializer, objection_services.objection_withdraw, reason="note"
        )

    @extend_schema(request=ObjectionExtendSerializer,
                   responses={201: ObjectionExtensionSerializer})  # fmt: skip
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        data = ObjectionExtendSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        objection = self.get_object()
        approver = _approver(objection.case, data.validated_data["approver"])
        extension = objection_services.review_extension_request(
            objection=objection, actor=request.user, approver=approver,
            reason=data.validated_data["reason"],
        )  # fmt: skip
        return Response({"id": extension.pk, "state": extension.status},
                        status=status.HTTP_201_CREATED)  # fmt: skip


# --- campaigns ------------------------------------------------------------------------------


class CampaignViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Campaigns (专项行动): a named period over some courts; tag cases; totals computed
    from the records."""

    serializer_class = CampaignSerializer

    def get_queryset(self):
        return (
            sel.campaigns_visible_to(self.request.user).prefetch_related("courts").order_by("-pk")
        )

    @extend_schema(request=CampaignCreateSerializer,
                   responses={201: CampaignSerializer, **error_responses(404)})  # fmt: skip
    def create(self, request, *args, **kwargs):
        data = CampaignCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        visible = courts_visible_to(request.user)
        organiser = visible.filter(pk=d.pop("organiser")).first()
        if organiser is None:
            raise ValidationError({"organiser": [_("请选择您所在或监督的法院。")]})
        wanted = set(d.pop("courts"))
        courts = list(visible.filter(pk__in=wanted))
        if len(courts) != len(wanted):
            raise ValidationError({"courts": [_("只能选择您所在或监督的法院。")]})
        campaign = campaign_services.campaign_create(
            organiser=organiser, courts=courts, actor=request.user, **d
        )
        return Response(CampaignSerializer(self.get_queryset().get(pk=campaign.pk)).data,
                        status=status.HTTP_201_CREATED)  # fmt: skip

    @extend_schema(responses=CampaignTotalsSerializer)
    @action(detail=True, methods=["get"])
    def totals(self, request, pk=None):
        campaign = self.get_object()
        totals = sel.campaign_totals(campaign, request.user)
        rows = [{"key": k, "label": str(label), "value": str(v)} for k, label, v in totals.rows]
        return Response({"campaign": campaign.pk, "rows": rows,
                         "totals": {r["key"]: r["value"] for r in rows}})  # fmt: skip

    @extend_schema(responses=CampaignCaseSerializer(many=True))
    @action(detail=True, methods=["get"])
    def cases(self, request, pk=None):
        campaign = self.get_object()
        page = self.paginate_queryset(sel.campaign_cases(campaign, request.user))
        return self.get_paginated_response(CampaignCaseSerializer(page, many=True).data)

    @extend_schema(request=CampaignTagSerializer, responses=CampaignTagResultSerializer)
    @action(detail=True, methods=["post"])
    def tag(self, request, pk=None):
        data = CampaignTagSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = self.get_object()
        wanted = set(data.validated_data["cases"])
        cases = list(enforcement_scope(request.user).filter(pk__in=wanted)
                     .select_related("court", "court__region"))  # fmt: skip
        if len(cases) != len(wanted):
            raise ValidationError({"cases": [_("有案件不存在或不在您的可见范围内。")]})
        tagged, skipped = campaign_services.campaign_tag_cases(
            campaign=campaign, cases=cases, actor=request.user
        )
        return Response({"tagged": [c.pk for c in tagged],
                         "skipped": {str(c.pk): str(reason) for c, reason in skipped}})  # fmt: skip

    @extend_schema(request=CampaignUntagSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def untag(self, request, pk=None):
        data = CampaignUntagSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = self.get_object()
        try:
            case = case_get_for_user(request.user, data.validated_data["case"])
        except Http404 as exc:
            raise ValidationError({"case": [_("该案不在此专项行动中。")]}) from exc
        campaign_services.campaign_untag_case(campaign=campaign, case=case, actor=request.user,
                                              reason=data.validated_data["reason"])  # fmt: skip
        return Response(status=status.HTTP_204_NO_CONTENT)
