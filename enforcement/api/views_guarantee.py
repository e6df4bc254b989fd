"""API of the enforcement guarantee, under /api/enforcement/guarantee/{case id}/…
(enf-guarantee).

Scoped through the case (case_get_for_user: outside the court's scope → 404). Bad input →
400 with field errors (no consent, a period over a year, a bad ID number or credit code, an
amount that is not a positive string of yuan); a refusal (the wrong state, the period not
ended, the guarantee period over) → 409 with the reason; not the named approver or a role
that may not act (a higher court's supervisor reads only) → 403.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.statemachine import TransitionNotAllowed
from enforcement.models import EnforcementCase, GuaranteeStatus
from enforcement.selectors import case_get_for_user, enforcement_scope
from enforcement.services import guarantee as service
from organisations.models import User

from .serializers_guarantee import (
    GuaranteeEnforceInput,
    GuaranteeNoteInput,
    GuaranteeOfferInput,
    GuaranteeOverviewSerializer,
    GuaranteeReceiptInput,
    GuaranteeReceiptSerializer,
    GuaranteeRecordSerializer,
)


def overview(case: EnforcementCase) -> dict:
    guarantees = list(
        case.guarantees.select_related("decision", "enforcement_ruling").order_by("-pk")
    )
    for guarantee in guarantees:
        guarantee.received = service.guarantor_received(guarantee)
    return {
        "case": case.pk,
        "case_number": case.case_number,
        "status": case.status,
        "latest_suspension_day": service.latest_suspension_day(),
        "guarantees": guarantees,
    }


class CaseGuaranteeViewSet(viewsets.GenericViewSet):
    """The case's enforcement guarantee (执行担保): offer, the president's decision,
    discharge, enforcement against the guarantor, the guarantor's payments."""

    serializer_class = GuaranteeOverviewSerializer
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
        return Response(GuaranteeOverviewSerializer(overview(case)).data, status=code)

    def _current(self, case, *states):
        record = case.guarantees.filter(status__in=states).order_by("-pk").first()
        if record is None:
            raise TransitionNotAllowed(_("本案没有处于该状态的执行担保。"))
        return record

    @extend_schema(responses=GuaranteeOverviewSerializer)
    def retrieve(self, request, pk=None):
        """GET: the case's guarantees (newest first) and the latest day a suspension asked
        today may run to."""
        return self._overview(self._case(pk))

    @extend_schema(request=GuaranteeOfferInput, responses={201: GuaranteeRecordSerializer})
    @action(detail=True, methods=["post"])
    def offer(self, request, pk=None):
        """A guarantee offered with the applicant's consent, for the named president to
        approve (enforcement then suspended until `suspension_until`, at most a year)."""
        case = self._case(pk)
        data = self._input(GuaranteeOfferInput)
        data["approver"] = User.objects.filter(pk=data["approver"]).first()
        created = service.guarantee_offer(case=case, actor=request.user, **data)
        created.received = service.guarantor_received(created)
        return Response(GuaranteeRecordSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=GuaranteeNoteInput, responses=GuaranteeOverviewSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """The named president approves, as themselves: enforcement suspended."""
        case = self._case(pk)
        data = self._input(GuaranteeNoteInput)
        service.guarantee_approve(guarantee=self._current(case, GuaranteeStatus.OFFERED),
                                  actor=request.user, **data)  # fmt: skip
        return self._overview(case)

    @extend_schema(request=GuaranteeNoteInput, responses=GuaranteeOverviewSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        """The named president refuses, with the reasons."""
        case = self._case(pk)
        data = self._input(GuaranteeNoteInput)
        service.guarantee_refuse(guarantee=self._current(case, GuaranteeStatus.OFFERED),
                                 actor=request.user, **data)  # fmt: skip
        return self._overview(case)

    @extend_schema(request=GuaranteeNoteInput, responses=GuaranteeOverviewSerializer)
    @action(detail=True, methods=["post"])
    def discharge(self, request, pk=None):
        """The debtor performed during the suspension: the guarantee discharged,
        enforcement resumed."""
        case = self._case(pk)
        data = self._input(GuaranteeNoteInput)
        service.guarantee_discharge(guarantee=self._current(case, GuaranteeStatus.SUSPENDED),
                                    actor=request.user, **data)  # fmt: skip
        return self._overview(case)

    @extend_schema(request=GuaranteeEnforceInput, responses=GuaranteeOverviewSerializer)
    @action(detail=True, methods=["post"])
    def enforce(self, request, pk=None):
        """On the applicant's application, enforcement resumes against the guaranteed
        property or the guarantor (joined as 担保人, up to the guaranteed amount, told); for
        a settlement's guarantee, once the settlement was found broken."""
        case = self._case(pk)
        data = self._input(GuaranteeEnforceInput)
        current = self._current(case, GuaranteeStatus.SUSPENDED, GuaranteeStatus.SECURING)
        service.guarantee_enforce(guarantee=current, actor=request.user, **data)
        return self._overview(case)

    @extend_schema(request=GuaranteeReceiptInput, responses={201: GuaranteeReceiptSerializer})
    @action(detail=True, methods=["post"])
    def receipts(self, request, pk=None):
        """What the guarantor paid, into the case's fund ledger (source "guarantor")."""
        case = self._case(pk)
        data = self._input(GuaranteeReceiptInput)
        receipt = service.guarantee_receipt_record(
            guarantee=self._current(case, GuaranteeStatus.ENFORCED), actor=request.user, **data
        )
        return Response(GuaranteeReceiptSerializer(receipt).data, status=status.HTTP_201_CREATED)
