"""API for filing: bases, confirmations taken as a basis, cases (application, urging,
filing, assignment, suspension, the time limit's extension, late-payment interest). Scoped
like the pages: outside the caller's courts 404; a refused role 403; an illegal step 409;
bad input 400 with field errors. Money is a string of yuan."""

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from common.api_parsers import SizeLimitedJSONParser
from common.api_schema import error_responses
from enforcement.interest import Payment, case_late_interest
from enforcement.models import PRE_FILING_STATUSES, EnforcementCase
from enforcement.selectors import case_get_for_user, courts_visible_to, enforcement_scope
from enforcement.selectors_filing import (
    bases_for_user,
    basis_get_for_user,
    confirmation_get_for_user,
    enforceable_confirmations,
)
from enforcement.services import assignment, filing, time_limit, urging
from organisations.models import Organisation, User

from . import serializers_filing as s
from . import views_lists as lists_api

# the writes carry nested lists (deadlines, parties, representatives, payments), which a
# form encoding cannot say: JSON only (anything else is a 415)
JSON_ONLY = [SizeLimitedJSONParser]


def _visible_court(user, pk) -> Organisation:
    court = courts_visible_to(user).filter(pk=pk).first()
    if court is None:
        raise Http404
    return court


def _user(pk, field):
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None:
        raise ValidationError({field: ["没有这个用户。"]})
    return user


class BasisViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """执行依据 recorded at the caller's courts. `?number=` finds a document number in
    either bracket form (（2026）蒙0302民初88号 = (2026)蒙0302民初88号)."""

    serializer_class = s.BasisSerializer
    parser_classes = JSON_ONLY

    @extend_schema(parameters=[OpenApiParameter("number", str, description="文书编号")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return bases_for_user(None)
        params = s.BasisFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return bases_for_user(self.request.user, number=params.validated_data.get("number", ""))

    def get_object(self):
        return basis_get_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(
        request=s.BasisCreateSerializer,
        responses={201: s.BasisSerializer, **error_responses(404)},
    )
    def create(self, request, *args, **kwargs):
        """登记执行依据 (400 naming each missing field; 404 for a court outside one's scope)."""
        data = s.BasisCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        court = _visible_court(request.user, values.pop("court"))
        basis = filing.basis_record(
            court=court, actor=request.user,
            **{**values, "deadlines": [dict(d) for d in values["deadlines"]]},
        )  # fmt: skip
        return Response(
            s.BasisSerializer(basis_get_for_user(request.user, basis.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class ConfirmationViewSet(viewsets.ReadOnlyModelViewSet):
    """Judicial confirmations (司法确认) ruled valid at the caller's courts, which a clerk
    takes as the basis in one step (`take`); the detail shows what will be carried over."""

    serializer_class = s.ConfirmationSerializer
    parser_classes = JSON_ONLY

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return enforceable_confirmations(None)
        user = self.request.user
        return enforceable_confirmations(user).filter(
            court__in=courts_visible_to(user).values("pk")
        )

    def get_object(self):
        confirmation = confirmation_get_for_user(self.request.user, self.kwargs["pk"])
        if not courts_visible_to(self.request.user).filter(pk=confirmation.court_id).exists():
            raise Http404
        return confirmation

    @extend_schema(responses=s.ConfirmationDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        confirmation = self.get_object()
        parties = filing.confirmation_parties(confirmation)
        target = filing.confirmation_target(confirmation)
        data = {
            **s.ConfirmationSerializer(confirmation).data,
            "deadlines": s.DeadlineInputSerializer(
                filing.confirmation_deadlines(confirmation), many=True
            ).data,
            "target_kind": target["target_kind"],
            "principal": str(target["principal"]),
            "act_description": target["act_description"],
            "parties": [
                {"position": i, "role": p["role"], "name": p["name"],
                 "share": None if p["share"] is None else str(p["share"]),
                 "phone_masked": p["phone_sealed"].masked}
                for i, p in enumerate(parties)
            ],
        }  # fmt: skip
        return Response(data)

    @extend_schema(request=s.ConfirmationTakeSerializer, responses={201: s.BasisSerializer})
    @action(detail=True, methods=["post"])
    def take(self, request, pk=None):
        """The confirmed agreement as the 执行依据, in one step (the same basis if taken
        before at that court)."""
        confirmation = self.get_object()
        data = s.ConfirmationTakeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        court_pk = data.validated_data.get("court")
        court = _visible_court(request.user, court_pk) if court_pk else None
        basis = filing.basis_from_confirmation(
            confirmation=confirmation, actor=request.user, court=court
        )
        return Response(
            s.BasisSerializer(basis_get_for_user(request.user, basis.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class EnforcementCaseViewSet(mixins.CreateModelMixin, lists_api.EnforcementCaseViewSet):
    """The court's list and the case (the read API, enforcement/api/views_lists.py), plus
    filing's writes: create = the application (filed at once, or urged first with the
    applicant's consent: no number, in no list), and the workflow actions below. Their
    answers are the case as filing sees it (parties with shares, clocks)."""

    parser_classes = JSON_ONLY

    def get_serializer_class(self):
        if self.action == "create":
            return s.CaseSerializer
        return super().get_serializer_class()

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list" and not self.request.query_params.get("status"):
            # urging matters have no number and are in no list unless asked for by status
            queryset = queryset.exclude(status__in=PRE_FILING_STATUSES)
        return queryset

    def _case(self):
        return case_get_for_user(self.request.user, self.kwargs["pk"])

    def _fresh(self, case) -> EnforcementCase:
        return (
            enforcement_scope(self.request.user)
            .select_related("court", "basis__court", "officer")
            .prefetch_related("case_parties", "basis__performance_deadlines")
            .get(pk=case.pk)
        )

    def _ok(self, case, code=status.HTTP_200_OK):
        return Response(s.CaseSerializer(self._fresh(case)).data, status=code)

    @extend_schema(
        request=s.ApplicationCreateSerializer,
        responses={201: s.CaseSerializer, **error_responses(404)},
    )
    def create(self, request, *args, **kwargs):
        """申请执行: `procedure=file` files it (a number, the clocks); `procedure=urging`
        records the applicant's consent and urges first (no number). Late applications are
        accepted and flagged. Applicants' shares must sum to the money target."""
        data = s.ApplicationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        basis = basis_get_for_user(request.user, values.pop("basis"))
        if "parties" in values:
            values["parties"] = [dict(p) for p in values["parties"]]
        values["representatives"] = [dict(r) for r in values.get("representatives", [])]
        case = filing.application_register(basis=basis, actor=request.user, **values)
        return self._ok(case, status.HTTP_201_CREATED)

    # --- urging

    @extend_schema(request=s.UrgingNoticesSerializer, responses={201: s.CaseDocumentsSerializer})
    @action(detail=True, methods=["post"], url_path="urging-notices")
    def urging_notices(self, request, pk=None):
        """Issue the 执前督促告知书 and 履行通知书; the window starts (400 listing every
        missing element; 409 if not under urging or already sent)."""
        data = s.UrgingNoticesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = self._case()
        documents = urging.urging_notices_issue(case=case, actor=request.user,
                                                **data.validated_data)  # fmt: skip
        fresh = self._fresh(case)
        return Response(
            {"case": s.CaseSerializer(fresh).data,
             "documents": s.EnforcementDocumentSerializer(documents, many=True).data},
            status=status.HTTP_201_CREATED,
        )  # fmt: skip

    @extend_schema(request=s.UrgingPerformedSerializer, responses=s.CaseDocumentsSerializer)
    @action(detail=True, methods=["post"], url_path="urging-performed")
    def urging_performed(self, request, pk=None):
        """Performed under urging: the 履行完毕证明, no number, no case."""
        data = s.UrgingPerformedSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = self._case()
        certificate = urging.urging_performed(case=case, actor=request.user,
                                              **data.validated_data)  # fmt: skip
        fresh = self._fresh(case)
        return Response(
            {"case": s.CaseSerializer(fresh).data,
             "documents": s.EnforcementDocumentSerializer([certificate], many=True).data}
        )  # fmt: skip

    @extend_schema(request=s.EnforcementNoteSerializer, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"])
    def file(self, request, pk=None):
        """Not performed under urging: file it in one step (the number, the clocks)."""
        data = s.EnforcementNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = urging.urging_file(case=self._case(), actor=request.user, **data.validated_data)
        return self._ok(case)

    # --- assignment

    @extend_schema(responses=s.SuggestionSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="officer-suggestions", pagination_class=None,
            filter_backends=[])  # fmt: skip
    def officer_suggestions(self, request, pk=None):
        """The court's officers, fewest open cases first (the first is suggested)."""
        case = self._case()
        return Response(
            s.SuggestionSerializer(assignment.officer_suggestions(case.court), many=True).data
        )

    @extend_schema(request=s.AssignSerializer, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        data = s.AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = self._case()
        officer = _user(data.validated_data["officer"], "officer")
        done = assignment.case_assign(case=case, officer=officer, actor=request.user,
                                      note=data.validated_data["note"])  # fmt: skip
        return self._ok(done)

    @extend_schema(request=s.ReassignSerializer, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        data = s.ReassignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = self._case()
        officer = _user(data.validated_data["officer"], "officer")
        done = assignment.case_reassign(case=case, officer=officer, actor=request.user,
                                        reason=data.validated_data["reason"])  # fmt: skip
        return self._ok(done)

    @extend_schema(
        request=s.BulkAssignSerializer,
        responses={200: s.BulkAssignResultSerializer, **error_responses(404)},
    )
    @action(detail=False, methods=["post"], url_path="bulk-assign")
    def bulk_assign(self, request):
        """Assign several cases at once (to one officer, or each to the least-loaded);
        each case is assigned or refused with its reason. A case outside scope: 404."""
        data = s.BulkAssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        wanted = list(dict.fromkeys(values["cases"]))
        cases = {c.pk: c for c in enforcement_scope(request.user).filter(pk__in=wanted)}
        if len(cases) != len(wanted):
            raise Http404
        officer = _user(values["officer"], "officer") if values.get("officer") else None
        result = assignment.cases_assign_bulk(
            cases=[cases[pk] for pk in wanted], actor=request.user, officer=officer,
            note=values["note"],
        )  # fmt: skip
        return Response(
            {
                "assigned": [{"case": c.pk, "case_number": c.case_number, "officer": o.pk}
                             for c, o in result["assigned"]],
                "refused": [{"case": c.pk, "reason": str(r)} for c, r in result["refused"]],
            }
        )  # fmt: skip

    @extend_schema(request=s.RepresentativesSerializer, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"])
    def representatives(self, request, pk=None):
        """The representative (a case party id) represents these applicants."""
        data = s.RepresentativesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = self._case()
        filing.representatives_set(
            case=case, actor=request.user,
            representative=data.validated_data["representative"],
            represented=data.validated_data["represented"],
        )  # fmt: skip
        return self._ok(case)

    # --- the time limit

    @extend_schema(request=s.ReasonSerializer, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        """中止执行 (the time limit stops)."""
        data = s.ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._ok(time_limit.case_suspend(case=self._case(), actor=request.user,
                                                **data.validated_data))  # fmt: skip

    @extend_schema(request=s.EnforcementNoteSerializer, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"], url_path="end-suspension")
    def end_suspension(self, request, pk=None):
        """恢复执行 (the time limit runs again, the suspended days not counted)."""
        data = s.EnforcementNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._ok(time_limit.case_suspension_end(case=self._case(), actor=request.user,
                                                       **data.validated_data))  # fmt: skip

    @extend_schema(request=s.ExtensionAskSerializer,
                   responses={201: s.ExtensionRequestResultSerializer})  # fmt: skip
    @action(detail=True, methods=["post"], url_path="time-limit-extension")
    def time_limit_extension(self, request, pk=None):
        """Ask the president to extend the 6-month limit by 3 months: only within its last
        5 days (409 with the reason otherwise). The president approves, as themselves, at
        /api/deadline-extension-requests/{id}/approve/."""
        data = s.ExtensionAskSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = self._case()
        approver = _user(data.validated_data["approver"], "approver")
        created = time_limit.time_limit_extension_request(
            case=case, actor=request.user, approver=approver, reason=data.validated_data["reason"]
        )
        return Response(s.ExtensionRequestResultSerializer(created).data,
                        status=status.HTTP_201_CREATED)  # fmt: skip

    # --- late-payment interest

    @extend_schema(methods=["get"], parameters=[s.InterestQuerySerializer],
                   responses=s.LateInterestSerializer)  # fmt: skip
    @extend_schema(methods=["post"], request=s.InterestInputSerializer,
                   responses=s.LateInterestSerializer)  # fmt: skip
    @action(detail=True, methods=["get", "post"], url_path="late-interest", pagination_class=None,
            filter_backends=[])  # fmt: skip
    def late_interest(self, request, pk=None):
        """加倍部分债务利息 to `until` (today by default): outstanding × 0.0175 % a day, to
        the fen, explained. POST with `payments` to compute with given payments."""
        case = self._case()
        source = request.query_params if request.method == "GET" else request.data
        serializer_class = s.InterestQuerySerializer if request.method == "GET" else (
            s.InterestInputSerializer
        )  # fmt: skip
        data = serializer_class(data=source)
        data.is_valid(raise_exception=True)
        until = data.validated_data.get("until") or timezone.localdate()
        payments = None
        if request.method == "POST" and data.validated_data.get("payments"):
            payments = [Payment(p["paid_on"], p["amount"]) for p in data.validated_data["payments"]]
        try:
            result = case_late_interest(case, until=until, payments=payments)
        except ValueError as exc:
            raise ValidationError({"payments": [str(exc)]}) from exc
        if result is None:
            raise ValidationError({"until": ["本案没有金钱给付内容，或尚未确定迟延履行期间。"]})
        return Response(
            s.LateInterestSerializer({**result.__dict__, "explanation": result.explanation}).data
        )
