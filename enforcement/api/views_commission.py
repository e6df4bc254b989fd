"""API of commission and cross-enforcement, under /api/enforcement/commission/{case id}/…
(enf-commission).

Scoped through the case (case_get_for_user): the sending court, the receiving court of an
open commission, a court the case was moved away from (read) and the higher courts; any
other court → 404 and no name. Bad input → 400 with field errors; the wrong state → 409
with the reason; the wrong side (the sending court registering, the receiving court
withdrawing) → 403.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from enforcement.models import Commission, EnforcementCase
from enforcement.selectors import case_get_for_user, enforcement_scope
from enforcement.selectors_commission import commissions_of_case, transfers_of_case
from enforcement.services import commission as service

from .serializers_commission import (
    CommissionFinishInput,
    CommissionOverviewSerializer,
    CommissionProgressInput,
    CommissionReasonInput,
    CommissionRecordSerializer,
    CommissionRegisterInput,
    CommissionReportSerializer,
    CommissionRequestInput,
    CommissionTransferInput,
    CommissionTransferSerializer,
)


def overview(case: EnforcementCase) -> dict:
    return {
        "case": case.pk,
        "case_number": case.case_number,
        "court": case.court_id,
        "commissions": commissions_of_case(case),
        "transfers": transfers_of_case(case),
    }


class CaseCommissionViewSet(viewsets.GenericViewSet):
    """The case's commissions (委托执行) and its moves between courts (交叉/指定/提级执行)."""

    serializer_class = CommissionOverviewSerializer
    lookup_value_regex = r"\d+"
    queryset = EnforcementCase.objects.none()

    def get_queryset(self):
        return enforcement_scope(self.request.user)

    def _case(self, pk) -> EnforcementCase:
        return case_get_for_user(self.request.user, pk)

    def _input(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _commission(self, case, data) -> Commission:
        commission = (
            Commission.objects.filter(case=case, pk=data.pop("commission"))
            .select_related("receiving_court", "sending_court")
            .first()
        )
        if commission is None:
            raise ValidationError({"commission": [_("本案没有该委托执行。")]})
        return commission

    def _record(self, commission, code=status.HTTP_200_OK):
        fresh = commissions_of_case(commission.case).get(pk=commission.pk)
        return Response(CommissionRecordSerializer(fresh).data, status=code)

    @extend_schema(responses=CommissionOverviewSerializer)
    def retrieve(self, request, pk=None):
        """GET: the case's commissions with the receiving court's reports, and its moves."""
        case = self._case(pk)
        return Response(CommissionOverviewSerializer(overview(case)).data)

    @extend_schema(request=CommissionRequestInput, responses={201: CommissionRecordSerializer})
    @action(detail=True, methods=["post"], url_path="requests")
    def requests(self, request, pk=None):
        """The sending court commissions the case to another court; the receiving court's
        clocks start (7 days to file, 15 to start, 30 to report) and the commission letter is
        issued."""
        case = self._case(pk)
        created = service.commission_request(
            case=case, actor=request.user, **self._input(CommissionRequestInput)
        )
        return self._record(created, status.HTTP_201_CREATED)

    @extend_schema(request=CommissionRegisterInput, responses=CommissionRecordSerializer)
    @action(detail=True, methods=["post"])
    def register(self, request, pk=None):
        """The receiving court files the commission and names its officer."""
        case = self._case(pk)
        data = self._input(CommissionRegisterInput)
        commission = self._commission(case, data)
        return self._record(service.commission_register(commission=commission,
                                                        actor=request.user, **data))  # fmt: skip

    @extend_schema(request=CommissionReasonInput, responses=CommissionRecordSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        """The receiving court refuses the commission, with reasons."""
        case = self._case(pk)
        data = self._input(CommissionReasonInput)
        commission = self._commission(case, data)
        return self._record(service.commission_refuse(commission=commission,
                                                      actor=request.user, **data))  # fmt: skip

    @extend_schema(request=CommissionProgressInput, responses={201: CommissionReportSerializer})
    @action(detail=True, methods=["post"])
    def reports(self, request, pk=None):
        """The receiving court reports progress (the first report meets the 30-day clock)."""
        case = self._case(pk)
        data = self._input(CommissionProgressInput)
        commission = self._commission(case, data)
        report = service.commission_report(commission=commission, actor=request.user, **data)
        return Response(CommissionReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CommissionFinishInput, responses=CommissionRecordSerializer)
    @action(detail=True, methods=["post"])
    def finish(self, request, pk=None):
        """The receiving court finishes (办结) or returns (退回, `returned`) the commission."""
        case = self._case(pk)
        data = self._input(CommissionFinishInput)
        commission = self._commission(case, data)
        done = service.commission_finish(commission=commission, actor=request.user, **data)
        return Response(CommissionRecordSerializer(commissions_of_case(case).get(pk=done.pk)).data)

    @extend_schema(request=CommissionReasonInput, responses=CommissionRecordSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The sending court withdraws its commission, with reasons."""
        case = self._case(pk)
        data = self._input(CommissionReasonInput)
        commission = self._commission(case, data)
        return self._record(service.commission_withdraw(commission=commission,
                                                        actor=request.user, **data))  # fmt: skip

    @extend_schema(request=CommissionTransferInput, responses={201: CommissionTransferSerializer})
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        """A higher court's supervisor moves the case to another court and officer (交叉执行,
        指定执行; to their own court: 提级执行). The case keeps its number."""
        case = self._case(pk)
        data = self._input(CommissionTransferInput)
        moved = service.case_transfer(case=case, actor=request.user, **data)
        return Response(CommissionTransferSerializer(moved).data, status=status.HTTP_201_CREATED)
