"""Serializers of the credit API. Personal data leaves only masked (ID numbers); money is a
decimal string; a case party is named by id and checked against the caller's scope by the
view (outside it: 404)."""

from rest_framework import serializers

from common.api import MoneyField
from enforcement.models import CaseParty, EnforcementCase
from organisations.models import User

from ..models import (
    Ability,
    AbilityFinding,
    BoundRole,
    Certificate,
    CorrectionRequest,
    CreditReview,
    Grade,
    Ground,
    Listing,
    OneTimeLifting,
    Removal,
    Restoration,
    Restriction,
    Trigger,
    VoluntaryPerformance,
)


class DocumentBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    number = serializers.CharField()
    status = serializers.CharField()
    verification_code = serializers.CharField(source="verification_code_display")


SANCTION_FIELDS = [
    "id", "case", "case_number", "case_party", "debtor", "court", "court_name",
    "enforcing_court", "enforcing_court_name", "debtor_kind", "debtor_name", "debtor_id_masked", "debtor_credit_code", "debtor_sex",
    "debtor_legal_representative", "starts_on", "ends_on", "publication",
    "publication_label", "published_at", "lifted_at", "feed_version", "decision_document",
    "created_at",
]  # fmt: skip


class _SanctionSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.case_number", read_only=True)
    court_name = serializers.CharField(source="court.name", read_only=True)
    # `court` decided the entry; the case's court now acts on it (after a move, the receiver)
    enforcing_court = serializers.IntegerField(source="case.court_id", read_only=True)
    enforcing_court_name = serializers.CharField(source="case.court.name", read_only=True)
    publication_label = serializers.CharField(source="get_publication_display", read_only=True)
    decision_document = DocumentBriefSerializer(read_only=True, allow_null=True)


class ListingSerializer(_SanctionSerializer):
    ground_label = serializers.CharField(source="get_ground_display", read_only=True)
    grade_label = serializers.CharField(source="get_grade_display", read_only=True)

    class Meta:
        model = Listing
        fields = [
            *SANCTION_FIELDS, "ground", "ground_label", "grade", "grade_label", "repeated",
            "ability_finding", "duty", "conduct", "performance", "decided_on", "base_years",
            "extra_years", "grace_until",
        ]  # fmt: skip
        read_only_fields = fields


class RestrictionSerializer(_SanctionSerializer):
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Restriction
        fields = [
            *SANCTION_FIELDS, "state", "state_label", "basis", "listing", "reasons",
            "requested_by", "requested_at", "approver", "decided_at", "decision_note",
        ]  # fmt: skip
        read_only_fields = fields


class AbilityFindingSerializer(serializers.ModelSerializer):
    class Meta:
        model = AbilityFinding
        fields = ["id", "case", "case_party", "finding", "reasons", "found_on", "found_by"]
        read_only_fields = fields


class FindingCreateSerializer(serializers.Serializer):
    case_party = serializers.PrimaryKeyRelatedField(queryset=CaseParty.objects.all())
    finding = serializers.ChoiceField(choices=Ability.choices)
    reasons = serializers.CharField()
    found_on = serializers.DateField(required=False, allow_null=True)


class BoundPersonInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=BoundRole.choices)
    name = serializers.CharField(max_length=120)
    id_number = serializers.CharField(required=False, allow_blank=True, default="")


class ListingCreateSerializer(serializers.Serializer):
    case_party = serializers.PrimaryKeyRelatedField(queryset=CaseParty.objects.all())
    ability_finding = serializers.PrimaryKeyRelatedField(queryset=AbilityFinding.objects.all())
    ground = serializers.ChoiceField(choices=Ground.choices)
    grade = serializers.ChoiceField(choices=Grade.choices)
    duty = serializers.CharField()
    conduct = serializers.CharField()
    performance = serializers.CharField(required=False, default="全部未履行", max_length=60)
    repeated = serializers.BooleanField(required=False, default=False)
    extra_years = serializers.IntegerField(required=False, default=0, min_value=0, max_value=3)
    grace_months = serializers.IntegerField(required=False, default=0, min_value=0, max_value=3)
    decided_on = serializers.DateField(required=False, allow_null=True)
    security_sufficient = serializers.BooleanField(required=False, default=False)
    seized_assets_cover = serializers.BooleanField(required=False, default=False)
    later_in_order = serializers.BooleanField(required=False, default=False)
    approver = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )
    bound_persons = BoundPersonInput(many=True, required=False, default=list)


class GradeSerializer(serializers.Serializer):
    grade = serializers.ChoiceField(choices=Grade.choices)
    reasons = serializers.CharField()


class RestrictionCreateSerializer(serializers.Serializer):
    case_party = serializers.PrimaryKeyRelatedField(queryset=CaseParty.objects.all())
    reasons = serializers.CharField()
    approver = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    bound_persons = BoundPersonInput(many=True, required=False, default=list)


class CreditNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CreditRequiredNoteSerializer(serializers.Serializer):
    note = serializers.CharField()


class LiftingSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = OneTimeLifting
        fields = [
            "id", "restriction", "need", "reasons", "starts_on", "ends_on", "state",
            "state_label", "requested_by", "requested_at", "approver", "decided_at",
            "decision_note",
        ]  # fmt: skip
        read_only_fields = fields


class LiftingCreateSerializer(serializers.Serializer):
    need = serializers.CharField(max_length=60)
    reasons = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    approver = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())


class RemovalSerializer(serializers.ModelSerializer):
    trigger_label = serializers.CharField(source="get_trigger_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    is_late = serializers.BooleanField(read_only=True)

    class Meta:
        model = Removal
        fields = [
            "id", "listing", "restriction", "case", "trigger", "trigger_label", "reason",
            "fact_at", "state", "state_label", "owner", "approver", "decided_at",
            "decision_note", "due_at", "done_at", "done_by", "is_late",
        ]  # fmt: skip
        read_only_fields = fields


class RemovalApproverSerializer(serializers.Serializer):
    approver = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())


class RestrictionApproverSerializer(serializers.Serializer):
    approver = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        help_text="报请审批：签发限制消费令的本院（案件移送后为承办法院）院长或副院长的用户 id",
    )


class LiftingApproverSerializer(serializers.Serializer):
    approver = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        help_text="报请审批：批准单次解禁的本院（案件移送后为承办法院）院长或副院长的用户 id",
    )


class RemovalCreateSerializer(serializers.Serializer):
    case = serializers.PrimaryKeyRelatedField(queryset=EnforcementCase.objects.all())
    case_party = serializers.PrimaryKeyRelatedField(
        queryset=CaseParty.objects.all(), required=False, allow_null=True
    )
    trigger = serializers.ChoiceField(
        choices=[c for c in Trigger.choices if c[0] not in ("expiry", "restoration", "correction")]
    )
    reason = serializers.CharField()
    fact_at = serializers.DateTimeField(required=False, allow_null=True)
    approver = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )


class LateRowSerializer(serializers.Serializer):
    owner_name = serializers.CharField()
    open_late = serializers.IntegerField()
    done_late = serializers.IntegerField()
    total = serializers.IntegerField()


class RestorationSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Restoration
        fields = [
            "id", "debtor", "case", "applicant_name", "on_behalf", "basis", "evidence",
            "applied_at", "state", "state_label", "decision_reasons", "decided_by",
            "decided_at",
        ]  # fmt: skip
        read_only_fields = fields


class RestorationCreateSerializer(serializers.Serializer):
    case_party = serializers.PrimaryKeyRelatedField(queryset=CaseParty.objects.all())
    basis = serializers.ChoiceField(choices=Restoration.Basis.choices)
    evidence = serializers.CharField()
    applicant_name = serializers.CharField(required=False, allow_blank=True, default="")
    on_behalf = serializers.BooleanField(required=False, default=False)


class RestorationDecisionSerializer(serializers.Serializer):
    grant = serializers.BooleanField()
    reasons = serializers.CharField()


class CorrectionSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = CorrectionRequest
        fields = [
            "id", "listing", "restriction", "applicant_name", "grounds", "received_at",
            "state", "state_label", "remedy", "amendment", "decision_reasons", "decided_at",
            "fixed_at",
        ]  # fmt: skip
        read_only_fields = fields


class CorrectionCreateSerializer(serializers.Serializer):
    listing = serializers.PrimaryKeyRelatedField(
        queryset=Listing.objects.all(), required=False, allow_null=True
    )
    restriction = serializers.PrimaryKeyRelatedField(
        queryset=Restriction.objects.all(), required=False, allow_null=True
    )
    applicant_name = serializers.CharField(max_length=120)
    grounds = serializers.CharField()
    received_at = serializers.DateTimeField(required=False, allow_null=True)

    def validate(self, attrs):
        if bool(attrs.get("listing")) == bool(attrs.get("restriction")):
            raise serializers.ValidationError(
                {"listing": ["请指定一项失信名单或限制消费令（二者选一）。"]}
            )
        return attrs


class CorrectionDecideSerializer(serializers.Serializer):
    justified = serializers.BooleanField()
    reasons = serializers.CharField()
    remedy = serializers.ChoiceField(
        choices=CorrectionRequest.Remedy.choices, required=False, allow_blank=True, default=""
    )
    amendment = serializers.DictField(child=serializers.CharField(), required=False)


class ReviewSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = CreditReview
        fields = [
            "id", "correction", "court", "applicant_name", "grounds", "applied_at", "state",
            "state_label", "decision_reasons", "decided_at",
        ]  # fmt: skip
        read_only_fields = fields


class ReviewCreateSerializer(serializers.Serializer):
    applicant_name = serializers.CharField(max_length=120)
    grounds = serializers.CharField()


class ReviewDecideSerializer(serializers.Serializer):
    reverse = serializers.BooleanField()
    reasons = serializers.CharField()


class CertificateSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    document = DocumentBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Certificate
        fields = ["id", "kind", "kind_label", "party", "court", "case", "restoration",
                  "voluntary_performance", "document", "created_at"]  # fmt: skip
        read_only_fields = fields


class PerformanceCertificateSerializer(serializers.Serializer):
    case = serializers.PrimaryKeyRelatedField(queryset=EnforcementCase.objects.all())
    case_party = serializers.PrimaryKeyRelatedField(
        queryset=CaseParty.objects.all(), required=False, allow_null=True
    )


class VoluntarySerializer(serializers.ModelSerializer):
    amount = MoneyField(read_only=True, allow_null=True)

    class Meta:
        model = VoluntaryPerformance
        fields = ["id", "party", "court", "party_name", "basis_document", "duty", "amount",
                  "performed_on", "public", "recorded_at", "feed_version"]  # fmt: skip
        read_only_fields = fields


class VoluntaryCreateSerializer(serializers.Serializer):
    court = serializers.IntegerField()
    kind = serializers.ChoiceField(
        choices=[("person", "自然人"), ("organisation", "法人/其他组织")]
    )
    name = serializers.CharField(max_length=120)
    id_number = serializers.CharField(required=False, allow_blank=True, default="")
    credit_code = serializers.CharField(required=False, allow_blank=True, default="")
    basis_document = serializers.CharField(max_length=120)
    duty = serializers.CharField()
    amount = MoneyField(required=False, allow_null=True)
    performed_on = serializers.DateField()
    public = serializers.BooleanField(required=False, default=True)


class PublicSanctionSerializer(serializers.Serializer):
    """Another court's published entry: only what the public lookup shows."""

    kind = serializers.CharField()
    court_name = serializers.CharField(source="court.name")
    case_number = serializers.CharField(source="case.case_number")
    debtor_name = serializers.CharField()
    publication = serializers.CharField()
    starts_on = serializers.DateField()


class DebtorRecordSerializer(serializers.Serializer):
    party = serializers.IntegerField(source="party.pk")
    name = serializers.CharField(source="party.name")
    identifier = serializers.CharField(source="party.identifier_display")
    listings = ListingSerializer(many=True)
    restrictions = RestrictionSerializer(many=True)
    findings = AbilityFindingSerializer(many=True)
    removals = RemovalSerializer(many=True)
    certificates = CertificateSerializer(many=True)
    published_elsewhere = PublicSanctionSerializer(many=True)
