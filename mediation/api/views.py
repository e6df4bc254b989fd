"""API: scoped viewsets; every workflow step is an explicit POST (409 when refused,
400 with field errors for bad input, 404 outside the caller's scope)."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from mediation import selectors, services
from mediation.models import Source

from .serializers import (
    AgreementCreateSerializer,
    AgreementSerializer,
    ConsentExtendSerializer,
    FailReasonSerializer,
    IssuedDocumentSerializer,
    MediationCaseCreateSerializer,
    MediationCaseSerializer,
    MediationSessionLogSerializer,
    MediationSessionSerializer,
    MediatorAssignSerializer,
    MediatorReassignSerializer,
    MediatorSerializer,
    MediatorSuggestionSerializer,
    ReceiptSignSerializer,
    WithdrawNoteSerializer,
)


class MediationCaseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Mediation cases the caller may see: their committee's, their own as mediator, and
    those a court in their scope delegated or entrusted. Filters: status, source, open=1,
    mine=1, q (reference, court reference, party name)."""

    serializer_class = MediationCaseSerializer

    def get_queryset(self):
        params = self.request.query_params
        filters = {
            "status": params.get("status", ""),
            "source": params.get("source", ""),
            "open": params.get("open") == "1",
            "mine": params.get("mine") == "1",
            "q": params.get("q", "")[:60],
        }
        return selectors.case_list(self.request.user, filters=filters).prefetch_related(
            "case_parties__party"
        )

    def _case(self):
        return selectors.case_get_for_user(self.request.user, self.kwargs["pk"])

    def _ok(self, case, code=status.HTTP_200_OK):
        fresh = selectors.case_get_for_user(self.request.user, case.pk)
        return Response(MediationCaseSerializer(fresh).data, status=code)

    @extend_schema(request=MediationCaseCreateSerializer, responses={201: MediationCaseSerializer})
    def create(self, request, *args, **kwargs):
        serializer = MediationCaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        source = data.pop("source")
        court = data.pop("court", None)
        court_reference = data.pop("court_reference", "")
        simplified = data.pop("simplified_procedure", False)
        data["parties"] = [dict(p) for p in data["parties"]]
        if source == Source.COURT_DELEGATED:
            case = services.mediation_case_delegate(
                court=court, court_reference=court_reference, actor=request.user, **data
            )
        elif source == Source.COURT_ENTRUSTED:
            case = services.mediation_case_entrust(
                court=court,
                court_reference=court_reference,
                simplified_procedure=simplified,
                actor=request.user,
                **data,
            )
        else:
            case = services.mediation_case_request(source=source, actor=request.user, **data)
        return self._ok(case, status.HTTP_201_CREATED)

    @extend_schema(request=ReceiptSignSerializer, responses=MediationCaseSerializer)
    @action(detail=True, methods=["post"], url_path="sign-receipt", url_name="sign-receipt")
    def sign_receipt(self, request, pk=None):
        serializer = ReceiptSignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = services.mediation_receipt_sign(
            case=self._case(),
            actor=request.user,
            signed_at=serializer.validated_data.get("signed_at"),
        )
        return self._ok(case)

    @extend_schema(request=None, responses=MediatorSuggestionSerializer(many=True))
    # a plain list, not paginated (the schema said a page: found by the schemathesis run)
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def suggestions(self, request, pk=None):
        return Response(
            MediatorSuggestionSerializer(
                selectors.mediator_suggestions(self._case()), many=True
            ).data
        )

    @extend_schema(request=MediatorAssignSerializer, responses=MediationCaseSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        serializer = MediatorAssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = services.mediator_assign(
            case=self._case(), actor=request.user, **serializer.validated_data
        )
        return self._ok(case)

    @extend_schema(methods=["get"], request=None, responses=MediationSessionSerializer(many=True))
    @extend_schema(
        methods=["post"],
        request=MediationSessionLogSerializer,
        responses={201: MediationSessionSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def sessions(self, request, pk=None):
        case = self._case()
        if request.method == "GET":
            return Response(
                MediationSessionSerializer(selectors.case_sessions(case), many=True).data
            )
        serializer = MediationSessionLogSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["attendees"] = [dict(a) for a in data.get("attendees", [])]
        session = services.session_log(case=case, actor=request.user, **data)
        return Response(MediationSessionSerializer(session).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        },
        responses={201: None},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def files(self, request, pk=None):
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": ["请上传文件。"]})
        stored = services.mediation_file_add(case=self._case(), actor=request.user, upload=upload)
        return Response(
            {"id": stored.pk, "name": stored.original_name}, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=ConsentExtendSerializer, responses=MediationCaseSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        serializer = ConsentExtendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        case = self._case()
        services.mediation_extend_with_consent(
            case=case,
            actor=request.user,
            days=data["days"],
            manner=data["manner"],
            consenting_parties=list(data["consenting_parties"]),
            note=data["note"],
        )
        return self._ok(case)

    @extend_schema(request=FailReasonSerializer, responses=MediationCaseSerializer)
    @action(detail=True, methods=["post"])
    def fail(self, request, pk=None):
        serializer = FailReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = services.mediation_fail(
            case=self._case(), actor=request.user, reason=serializer.validated_data["reason"]
        )
        return self._ok(case)

    @extend_schema(request=None, responses={201: IssuedDocumentSerializer})
    @action(detail=True, methods=["post"], url_path="termination-document")
    def termination_document(self, request, pk=None):
        """Issue the 终止调解告知书 of a failed mediation (400 when incomplete or not failed)."""
        document = services.termination_document_generate(case=self._case(), actor=request.user)
        return Response(IssuedDocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=WithdrawNoteSerializer, responses=MediationCaseSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        serializer = WithdrawNoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = services.mediation_withdraw(
            case=self._case(), actor=request.user, note=serializer.validated_data["note"]
        )
        return self._ok(case)

    @extend_schema(methods=["get"], request=None, responses=AgreementSerializer)
    @extend_schema(
        methods=["post"], request=AgreementCreateSerializer, responses={201: AgreementSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def agreement(self, request, pk=None):
        case = self._case()
        if request.method == "GET":
            agreement = selectors.case_agreement(case)
            if agreement is None:
                raise Http404
            return Response(AgreementSerializer(agreement).data)
        serializer = AgreementCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        agreement = services.mediation_agree(
            case=case,
            actor=request.user,
            terms=data["terms"],
            is_oral=data["is_oral"],
            concluded_at=data.get("concluded_at"),
            obligations=[
                {**dict(o), "instalments": [dict(i) for i in o.get("instalments", [])]}
                for o in data["obligations"]
            ],
        )
        return Response(
            AgreementSerializer(selectors.case_agreement(agreement.case)).data,
            status=status.HTTP_201_CREATED,
        )


class MediatorViewSet(viewsets.ReadOnlyModelViewSet):
    """The roster: mediators kept by, serving, or invited by an organisation in the caller's
    scope. Filters: court (its invited mediators), specialty, language, q."""

    serializer_class = MediatorSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("court", int),
            OpenApiParameter("specialty", str),
            OpenApiParameter("language", str),
            OpenApiParameter("q", str),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        court = params.get("court")
        if court is not None and not court.isdigit():
            raise ValidationError({"court": [_("请填写法院的编号。")]})
        return selectors.roster(
            self.request.user,
            court=int(court) if court and court.isdigit() else None,
            specialty=params.get("specialty", ""),
            language=params.get("language", ""),
            q=params.get("q", "")[:30],
            active=params.get("active", "1") == "1",
        )

    @extend_schema(request=MediatorReassignSerializer, responses={200: None})
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        """Bulk reassignment of the mediator's open cases, with a reason."""
        mediator = selectors.mediator_get_for_user(request.user, pk)
        serializer = MediatorReassignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = services.mediators_reassign_bulk(
            from_mediator=mediator, actor=request.user, **serializer.validated_data
        )
        return Response(
            {
                "moved": [case.pk for case in result["moved"]],
                "kept": [{"case": case.pk, "reason": str(why)} for case, why in result["kept"]],
            }
        )
