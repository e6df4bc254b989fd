"""The credit API (/api/credit/…). Scoped like the pages: outside the caller's courts 404
(a case party, case or sanction named in the body too); a step the record's state does not
allow 409; bad input 400 with field errors."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api_schema import error_responses
from enforcement.selectors import case_get_for_user, courts_visible_to

from .. import selectors, services
from ..models import Listing, Restriction
from . import serializers as s


def _case_party(user, case_party):
    """The case party, if the caller may see its case (else 404)."""
    case_get_for_user(user, case_party.case_id)
    return case_party


class _Scoped(viewsets.GenericViewSet):
    selector = None

    def get_queryset(self):
        return type(self).selector(self.request.user).order_by("-pk")

    def get_object(self):
        try:
            return self.get_queryset().get(pk=self.kwargs["pk"])
        except (self.get_queryset().model.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc

    def _fresh(self, instance, code=status.HTTP_200_OK):
        instance = self.get_queryset().get(pk=instance.pk)
        return Response(self.get_serializer(instance).data, status=code)


class FindingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Scoped):
    """失信/失能 findings. POST records one (失能 is recorded and never listed)."""

    serializer_class = s.AbilityFindingSerializer
    selector = staticmethod(selectors.findings_for_user)

    @extend_schema(
        request=s.FindingCreateSerializer,
        responses={201: s.AbilityFindingSerializer, **error_responses(404)},
    )
    def create(self, request):
        data = _valid(s.FindingCreateSerializer, request)
        finding = services.ability_finding_record(
            case_party=_case_party(request.user, data["case_party"]),
            finding=data["finding"],
            reasons=data["reasons"],
            found_on=data.get("found_on"),
            actor=request.user,
        )
        return self._fresh(finding, status.HTTP_201_CREATED)


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ListingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Scoped):
    """Dishonest-list entries (失信被执行人名单) of the caller's courts. POST lists a debtor
    (grounds, exclusions, finding, period; the restriction request to `approver` with it)."""

    serializer_class = s.ListingSerializer
    selector = staticmethod(selectors.listings_for_user)

    @extend_schema(
        request=s.ListingCreateSerializer,
        responses={201: s.ListingSerializer, **error_responses(404)},
    )
    def create(self, request):
        data = _valid(s.ListingCreateSerializer, request)
        case_party = _case_party(request.user, data["case_party"])
        listing = services.listing_impose(
            case_party=case_party,
            ground=data["ground"],
            grade=data["grade"],
            ability_finding=data["ability_finding"],
            duty=data["duty"],
            conduct=data["conduct"],
            performance=data["performance"],
            repeated=data["repeated"],
            extra_years=data["extra_years"],
            grace_months=data["grace_months"],
            decided_on=data.get("decided_on"),
            exclusions=services.Exclusions(
                security_sufficient=data["security_sufficient"],
                seized_assets_cover=data["seized_assets_cover"],
                later_in_order=data["later_in_order"],
            ),
            approver=data.get("approver"),
            bound_persons=data["bound_persons"],
            actor=request.user,
        )
        return self._fresh(listing, status.HTTP_201_CREATED)

    @extend_schema(request=s.GradeSerializer, responses={200: s.ListingSerializer})
    @action(detail=True, methods=["post"])
    def grade(self, request, pk=None):
        data = _valid(s.GradeSerializer, request)
        listing = services.listing_grade_change(
            listing=self.get_object(), actor=request.user, **data
        )
        return self._fresh(listing)


class RestrictionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Scoped):
    """Consumption restriction orders (限制消费令). POST asks the president (`approver`);
    only that person approves or refuses."""

    serializer_class = s.RestrictionSerializer
    selector = staticmethod(selectors.restrictions_for_user)

    @extend_schema(
        request=s.RestrictionCreateSerializer,
        responses={201: s.RestrictionSerializer, **error_responses(404)},
    )
    def create(self, request):
        data = _valid(s.RestrictionCreateSerializer, request)
        restriction = services.restriction_request(
            case_party=_case_party(request.user, data["case_party"]),
            reasons=data["reasons"],
            approver=data["approver"],
            bound_persons=data["bound_persons"],
            actor=request.user,
        )
        return self._fresh(restriction, status.HTTP_201_CREATED)

    @extend_schema(request=s.CreditNoteSerializer, responses={200: s.RestrictionSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        data = _valid(s.CreditNoteSerializer, request)
        return self._fresh(
            services.restriction_approve(
                restriction=self.get_object(), actor=request.user, note=data["note"]
            )
        )

    @extend_schema(request=s.CreditRequiredNoteSerializer, responses={200: s.RestrictionSerializer})
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        data = _valid(s.CreditRequiredNoteSerializer, request)
        return self._fresh(
            services.restriction_refuse(
                restriction=self.get_object(), actor=request.user, note=data["note"]
            )
        )

    @extend_schema(
        request=s.RestrictionApproverSerializer, responses={200: s.RestrictionSerializer}
    )
    @action(detail=True, methods=["post"])
    def approver(self, request, pk=None):
        """报请审批: name the court's president who signs a restriction order waiting for
        approval when none of its court is named (the case moved to another court before the
        decision: the order went with it, the original court's president was taken off)."""
        data = _valid(s.RestrictionApproverSerializer, request)
        return self._fresh(
            services.restriction_approver_name(
                restriction=self.get_object(), actor=request.user, **data
            )
        )

    @extend_schema(request=s.LiftingCreateSerializer, responses={201: s.LiftingSerializer})
    @action(detail=True, methods=["post"], url_path="one-time-lifting")
    def one_time_lifting(self, request, pk=None):
        """单次解禁: a stated need, dates and reasons; the named president decides at
        /api/credit/liftings/{id}/approve/."""
        data = _valid(s.LiftingCreateSerializer, request)
        lifting = services.one_time_lifting_request(
            restriction=self.get_object(), actor=request.user, **data
        )
        return Response(s.LiftingSerializer(lifting).data, status=status.HTTP_201_CREATED)


class LiftingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Scoped):
    """One-time liftings (单次解禁) of the caller's courts: the named president approves or
    refuses; `approver` names one when none of the lifting's court is (after a move)."""

    serializer_class = s.LiftingSerializer
    selector = staticmethod(selectors.liftings_for_user)

    @extend_schema(request=s.LiftingApproverSerializer, responses={200: s.LiftingSerializer})
    @action(detail=True, methods=["post"])
    def approver(self, request, pk=None):
        """报请审批: name the court's president who decides a one-time lifting waiting for
        approval when none of its court is named (it came with a case moved to this court)."""
        data = _valid(s.LiftingApproverSerializer, request)
        return self._fresh(
            services.one_time_lifting_approver_name(
                lifting=self.get_object(), actor=request.user, **data
            )
        )

    @extend_schema(request=s.CreditNoteSerializer, responses={200: s.LiftingSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        data = _valid(s.CreditNoteSerializer, request)
        return self._fresh(
            services.one_time_lifting_approve(
                lifting=self.get_object(), actor=request.user, note=data["note"]
            )
        )

    @extend_schema(request=s.CreditRequiredNoteSerializer, responses={200: s.LiftingSerializer})
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        data = _valid(s.CreditRequiredNoteSerializer, request)
        return self._fresh(
            services.one_time_lifting_refuse(
                lifting=self.get_object(), actor=request.user, note=data["note"]
            )
        )


class RemovalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Scoped):
    """Removals (3 working days from the fact). POST starts them for a case's live
    sanctions the trigger covers; `late` says how many are late and by whom."""

    serializer_class = s.RemovalSerializer
    selector = staticmethod(selectors.removals_for_user)

    @extend_schema(
        request=s.RemovalCreateSerializer,
        responses={201: s.RemovalSerializer(many=True), **error_responses(404)},
    )
    def create(self, request):
        data = _valid(s.RemovalCreateSerializer, request)
        case = case_get_for_user(request.user, data["case"].pk)
        case_party = data.get("case_party")
        if case_party is not None and case_party.case_id != case.pk:
            raise Http404
        removals = services.removals_start(
            case=case,
            case_party=case_party,
            trigger=data["trigger"],
            reason=data["reason"],
            fact_at=data.get("fact_at"),
            approver=data.get("approver"),
            actor=request.user,
        )
        if not removals:
            from common.statemachine import TransitionNotAllowed

            raise TransitionNotAllowed("该案件没有需要依此事由删除或解除的信用惩戒措施。")
        fresh = self.get_queryset().filter(pk__in=[r.pk for r in removals]).order_by("pk")
        return Response(s.RemovalSerializer(fresh, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CreditNoteSerializer, responses={200: s.RemovalSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        data = _valid(s.CreditNoteSerializer, request)
        return self._fresh(
            services.removal_approve(removal=self.get_object(), actor=request.user, **data)
        )

    @extend_schema(request=s.CreditRequiredNoteSerializer, responses={200: s.RemovalSerializer})
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        data = _valid(s.CreditRequiredNoteSerializer, request)
        return self._fresh(
            services.removal_refuse(removal=self.get_object(), actor=request.user, **data)
        )

    @extend_schema(request=s.RemovalApproverSerializer, responses={200: s.RemovalSerializer})
    @action(detail=True, methods=["post"])
    def approver(self, request, pk=None):
        """报请审批: name the court's president who approves a removal waiting for approval
        when none of its court is named (after the case moved to another court)."""
        data = _valid(s.RemovalApproverSerializer, request)
        return self._fresh(
            services.removal_approver_name(removal=self.get_object(), actor=request.user, **data)
        )

    @extend_schema(request=None, responses={200: s.RemovalSerializer})
    @action(detail=True, methods=["post"])
    def execute(self, request, pk=None):
        return self._fresh(services.removal_execute(removal=self.get_object(), actor=request.user))

    @extend_schema(responses={200: s.LateRowSerializer(many=True)})
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def late(self, request):
        """Late removals (open past the due moment, or done after it) by officer."""
        rows = selectors.late_removals_by_owner(request.user)
        return Response(s.LateRowSerializer(rows, many=True).data)


class RestorationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Scoped):
    """Credit restoration (信用修复): apply with evidence; decide with reasons; certificate."""

    serializer_class = s.RestorationSerializer
    selector = staticmethod(selectors.restorations_for_user)

    @extend_schema(
        request=s.RestorationCreateSerializer,
        responses={201: s.RestorationSerializer, **error_responses(404)},
    )
    def create(self, request):
        data = _valid(s.RestorationCreateSerializer, request)
        restoration = services.restoration_apply(
            case_party=_case_party(request.user, data.pop("case_party")),
            actor=request.user,
            **data,
        )
        return self._fresh(restoration, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.RestorationDecisionSerializer, responses={200: s.RestorationSerializer}
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = _valid(s.RestorationDecisionSerializer, request)
        return self._fresh(
            services.restoration_decide(restoration=self.get_object(), actor=request.user, **data)
        )

    @extend_schema(request=None, responses={201: s.CertificateSerializer})
    @action(detail=True, methods=["post"])
    def certificate(self, request, pk=None):
        certificate = services.certificate_restoration_issue(
            restoration=self.get_object(), actor=request.user
        )
        return Response(s.CertificateSerializer(certificate).data, status=status.HTTP_201_CREATED)


class CorrectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Scoped):
    """Correction requests (15 days to review, 3 working days to fix) and 复议 (apply
    within 10 days; the court above decides within 15 at /api/credit/reviews/{id}/decide/)."""

    serializer_class = s.CorrectionSerializer
    selector = staticmethod(selectors.corrections_for_user)

    @extend_schema(
        request=s.CorrectionCreateSerializer,
        responses={201: s.CorrectionSerializer, **error_responses(404)},
    )
    def create(self, request):
        data = _valid(s.CorrectionCreateSerializer, request)
        if data.get("listing"):
            sanction = selectors.listing_get_for_user(request.user, data["listing"].pk)
        else:
            sanction = selectors.restriction_get_for_user(request.user, data["restriction"].pk)
        correction = services.correction_receive(
            sanction=sanction,
            applicant_name=data["applicant_name"],
            grounds=data["grounds"],
            received_at=data.get("received_at"),
            actor=request.user,
        )
        return self._fresh(correction, status.HTTP_201_CREATED)

    @extend_schema(request=s.CorrectionDecideSerializer, responses={200: s.CorrectionSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = _valid(s.CorrectionDecideSerializer, request)
        return self._fresh(
            services.correction_decide(correction=self.get_object(), actor=request.user, **data)
        )

    @extend_schema(request=None, responses={200: s.CorrectionSerializer})
    @action(detail=True, methods=["post"])
    def fix(self, request, pk=None):
        return self._fresh(
            services.correction_fix(correction=self.get_object(), actor=request.user)
        )

    @extend_schema(request=s.ReviewCreateSerializer, responses={201: s.ReviewSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        data = _valid(s.ReviewCreateSerializer, request)
        review = services.review_apply(correction=self.get_object(), actor=request.user, **data)
        return Response(s.ReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class ReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Scoped):
    serializer_class = s.ReviewSerializer
    selector = staticmethod(selectors.reviews_for_user)

    @extend_schema(request=s.ReviewDecideSerializer, responses={200: s.ReviewSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = _valid(s.ReviewDecideSerializer, request)
        return self._fresh(
            services.review_decide(review=self.get_object(), actor=request.user, **data)
        )


class CertificateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Scoped):
    """Certificates (履行完毕证明, 自动履行证明, 信用修复证明): each document verifies at
    /v/<code>/ and /api/documents/verify/<code>/."""

    serializer_class = s.CertificateSerializer
    selector = staticmethod(selectors.certificates_for_user)

    @extend_schema(
        request=s.PerformanceCertificateSerializer,
        responses={201: s.CertificateSerializer, **error_responses(404)},
    )
    @action(detail=False, methods=["post"])
    def performance(self, request):
        data = _valid(s.PerformanceCertificateSerializer, request)
        case = case_get_for_user(request.user, data["case"].pk)
        case_party = data.get("case_party")
        if case_party is not None and case_party.case_id != case.pk:
            raise Http404
        certificate = services.certificate_performance_issue(
            case=case, case_party=case_party, actor=request.user
        )
        return self._fresh(certificate, status.HTTP_201_CREATED)


class VoluntaryPerformanceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Scoped):
    """The 守信激励 register: parties who performed without enforcement."""

    serializer_class = s.VoluntarySerializer

    def get_queryset(self):
        from ..models import VoluntaryPerformance

        return selectors._scoped(VoluntaryPerformance.objects.all(), self.request.user).order_by(
            "-pk"
        )

    @extend_schema(
        request=s.VoluntaryCreateSerializer,
        responses={201: s.VoluntarySerializer, **error_responses(404)},
    )
    def create(self, request):
        data = _valid(s.VoluntaryCreateSerializer, request)
        court = courts_visible_to(request.user).filter(pk=data["court"]).first()
        if court is None:
            raise Http404
        record = services.voluntary_performance_record(
            court=court,
            party_data={
                "name": data["name"],
                "kind": data["kind"],
                "id_number": data["id_number"],
                "credit_code": data["credit_code"],
            },
            basis_document=data["basis_document"],
            duty=data["duty"],
            amount=data.get("amount"),
            performed_on=data["performed_on"],
            public=data["public"],
            actor=request.user,
        )
        return self._fresh(record, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: s.CertificateSerializer})
    @action(detail=True, methods=["post"])
    def certificate(self, request, pk=None):
        certificate = services.certificate_voluntary_issue(
            voluntary_performance=self.get_object(), actor=request.user
        )
        return Response(s.CertificateSerializer(certificate).data, status=status.HTTP_201_CREATED)


class DebtorViewSet(viewsets.GenericViewSet):
    """A debtor's credit record across all cases: full detail within the caller's courts,
    only the published entries of other courts; 404 when there is nothing to see."""

    serializer_class = s.DebtorRecordSerializer
    queryset = Listing.objects.none()

    def retrieve(self, request, pk=None):
        record = selectors.debtor_record(request.user, pk)
        elsewhere = [{"kind": "listing", **_public(item)} for item in record.public_listings] + [
            {"kind": "restriction", **_public(item)} for item in record.public_restrictions
        ]
        data = {
            "party": record.party,
            "listings": record.listings,
            "restrictions": record.restrictions,
            "findings": record.findings,
            "removals": record.removals,
            "certificates": record.certificates,
            "published_elsewhere": elsewhere,
        }
        return Response(s.DebtorRecordSerializer(data).data)


def _public(sanction: Listing | Restriction) -> dict:
    return {
        "court": sanction.court,
        "case": sanction.case,
        "debtor_name": sanction.debtor_name,
        "publication": sanction.publication,
        "starts_on": sanction.starts_on,
    }
