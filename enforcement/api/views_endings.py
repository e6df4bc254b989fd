"""API of the case's endings, under /api/enforcement/endings/{case id}/… (enf-endings).

Scoped through the case (case_get_for_user: outside the court's scope → 404). Bad input →
400 with field errors; a refusal (an unmet 终本 condition — each listed —, the wrong state,
the approver is the requester) → 409 with the reason; a role that may not → 403.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from common.statemachine import TransitionNotAllowed
from enforcement.models import (
    CaseParty,
    CaseStatus,
    EnforcementCase,
    EnforcementRole,
    FinalCheckSchedule,
    FinalConclusionRequest,
    JudicialRelief,
    Settlement,
    SettlementStatus,
)
from enforcement.selectors import case_get_for_user, enforcement_scope
from enforcement.services import endings, final, final_checks, relief, settlement
from organisations.models import User

from .serializers_endings import (
    EndingsBankruptcyInput,
    EndingsBreachInput,
    EndingsDecisionInput,
    EndingsFinalRequestInput,
    EndingsFinalRequestSerializer,
    EndingsNoteInput,
    EndingsOverviewSerializer,
    EndingsPaymentInput,
    EndingsReasonInput,
    EndingsReliefInput,
    EndingsReliefSerializer,
    EndingsResumedSerializer,
    EndingsSettleInput,
    EndingsSettlementSerializer,
    EndingsTerminateInput,
)


def overview(case: EnforcementCase) -> dict:
    conditions = final.final_conditions(case) if case.status == CaseStatus.IN_PROGRESS else None
    return {
        "case": case.pk,
        "case_number": case.case_number,
        "status": case.status,
        "settlements": case.settlements.prefetch_related("instalments", "guarantees").order_by(
            "-pk"
        ),
        "final_conditions": conditions,
        "final_requests": case.final_requests.select_related("ruling").order_by("-pk"),
        "schedule": FinalCheckSchedule.objects.filter(case=case)
        .select_related("resumed_case")
        .prefetch_related(Prefetch("checks"))
        .first(),
        "reliefs": case.reliefs.order_by("-pk"),
        "endings": case.endings.select_related("document").order_by("-ended_at"),
    }


def _user(pk, field: str):
    user = User.objects.filter(pk=pk).first() if pk else None
    if user is None:
        raise ValidationError({field: [_("未找到该用户。")]})
    return user


class CaseEndingsViewSet(viewsets.GenericViewSet):
    """The case's endings: settlement, 终本, resumption, termination, 执转破, 执行完毕,
    judicial relief."""

    serializer_class = EndingsOverviewSerializer
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

    def _overview(self, case, code=status.HTTP_200_OK):
        case.refresh_from_db()
        return Response(EndingsOverviewSerializer(overview(case)).data, status=code)

    @extend_schema(responses=EndingsOverviewSerializer)
    def retrieve(self, request, pk=None):
        """GET: the settlement(s), the 终本 conditions (in progress: which hold, which are
        missing and why), the requests, the periodic checks, relief and the endings."""
        return self._overview(self._case(pk))

    @extend_schema(request=EndingsSettleInput, responses={201: EndingsSettlementSerializer})
    @action(detail=True, methods=["post"])
    def settle(self, request, pk=None):
        """Record the settlement (执行和解) with its instalments; enforcement suspended."""
        case = self._case(pk)
        data = self._input(EndingsSettleInput)
        created = settlement.settlement_record(case=case, actor=request.user, **data)
        return Response(EndingsSettlementSerializer(created).data, status=status.HTTP_201_CREATED)

    def _performing(self, case) -> Settlement:
        current = case.settlements.filter(status=SettlementStatus.PERFORMING).first()
        if current is None:
            raise TransitionNotAllowed(_("本案没有正在履行的和解协议。"))
        return current

    @extend_schema(request=EndingsPaymentInput, responses=EndingsOverviewSerializer)
    @action(detail=True, methods=["post"])
    def payments(self, request, pk=None):
        """Record a performance of the settlement (oldest instalment first); the last one
        ends the case (和解协议履行完毕)."""
        case = self._case(pk)
        data = self._input(EndingsPaymentInput)
        settlement.settlement_payment_record(settlement=self._performing(case), actor=request.user,
                                             **data)  # fmt: skip
        return self._overview(case)

    @extend_schema(request=EndingsBreachInput, responses=EndingsOverviewSerializer)
    @action(detail=True, methods=["post"])
    def breach(self, request, pk=None):
        """The settlement broken: the original basis enforced again (late applications
        flagged, measured from the settlement's last performance day)."""
        case = self._case(pk)
        data = self._input(EndingsBreachInput)
        settlement.settlement_breach(settlement=self._performing(case), actor=request.user, **data)
        return self._overview(case)

    @extend_schema(request=EndingsFinalRequestInput,
                   responses={201: EndingsFinalRequestSerializer})  # fmt: skip
    @action(detail=True, methods=["post"], url_path="final-requests")
    def final_requests(self, request, pk=None):
        """Ask the president to approve 终本; 409 listing every unmet condition."""
        case = self._case(pk)
        data = self._input(EndingsFinalRequestInput)
        data["approver"] = _user(data["approver"], "approver")
        created = final.final_request(case=case, actor=request.user, **data)
        return Response(EndingsFinalRequestSerializer(created).data,
                        status=status.HTTP_201_CREATED)  # fmt: skip

    @extend_schema(request=EndingsDecisionInput, responses=EndingsOverviewSerializer)
    @action(detail=True, methods=["post"], url_path="final-decision")
    def final_decision(self, request, pk=None):
        """The named president approves (the ruling issued, the case concluded) or refuses
        (reasons required)."""
        case = self._case(pk)
        data = self._input(EndingsDecisionInput)
        record = FinalConclusionRequest.objects.filter(case=case, pk=data["request"]).first()
        if record is None:
            raise ValidationError({"request": [_("本案没有该终本申请。")]})
        if data["approve"]:
            final.final_approve(request=record, actor=request.user, note=data["note"])
        else:
            final.final_refuse(request=record, actor=request.user, note=data["note"])
        return self._overview(case)

    @extend_schema(request=EndingsReasonInput, responses={201: EndingsResumedSerializer})
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        """恢复执行 of a 终本 case: a new 执恢 case with the court's next number."""
        case = self._case(pk)
        data = self._input(EndingsReasonInput)
        resumed = final_checks.case_resume(case=case, actor=request.user, **data)
        return Response(
            {"id": resumed.pk, "case_number": resumed.case_number, "status": resumed.status},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=EndingsTerminateInput, responses=EndingsOverviewSerializer)
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        """终结执行 on a statutory ground."""
        case = self._case(pk)
        endings.case_terminate(case=case, actor=request.user, **self._input(EndingsTerminateInput))
        return self._overview(case)

    @extend_schema(request=EndingsBankruptcyInput, responses=EndingsOverviewSerializer)
    @action(detail=True, methods=["post"])
    def bankruptcy(self, request, pk=None):
        """执转破: sent to bankruptcy review with a party's consent."""
        case = self._case(pk)
        endings.case_bankruptcy_transfer(case=case, actor=request.user,
                                         **self._input(EndingsBankruptcyInput))  # fmt: skip
        return self._overview(case)

    @extend_schema(request=EndingsNoteInput, responses=EndingsOverviewSerializer)
    @action(detail=True, methods=["post"])
    def performed(self, request, pk=None):
        """执行完毕: every control lifted; credit starts the removals."""
        case = self._case(pk)
        endings.case_performed(case=case, actor=request.user, **self._input(EndingsNoteInput))
        return self._overview(case)

    @extend_schema(request=EndingsReliefInput, responses={201: EndingsReliefSerializer})
    @action(detail=True, methods=["post"])
    def reliefs(self, request, pk=None):
        """Ask for judicial relief (capped at 36 × the province's average monthly wage)."""
        case = self._case(pk)
        data = self._input(EndingsReliefInput)
        applicant = CaseParty.objects.filter(
            case=case, pk=data.pop("applicant"), role=EnforcementRole.APPLICANT
        ).first()
        if applicant is None:
            raise ValidationError({"applicant": [_("请选择本案的申请执行人。")]})
        created = relief.relief_request(
            case=case, applicant=applicant, actor=request.user,
            approver=_user(data.pop("approver"), "approver"), **data,
        )  # fmt: skip
        return Response(EndingsReliefSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EndingsDecisionInput, responses=EndingsReliefSerializer)
    @action(detail=True, methods=["post"], url_path="relief-decision")
    def relief_decision(self, request, pk=None):
        """The named president decides a relief request."""
        case = self._case(pk)
        data = self._input(EndingsDecisionInput)
        record = JudicialRelief.objects.filter(case=case, pk=data["request"]).first()
        if record is None:
            raise ValidationError({"request": [_("本案没有该司法救助申请。")]})
        decided = relief.relief_decide(relief=record, actor=request.user,
                                       approve=data["approve"], note=data["note"])  # fmt: skip
        return Response(EndingsReliefSerializer(decided).data)
