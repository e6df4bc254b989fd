from decimal import Decimal

from rest_framework import serializers

from cases.limits import (
    ANSWER_MAX_LENGTH,
    FACTS_MAX_LENGTH,
    FLAG_NOTE_MAX_LENGTH,
    NOTE_MAX_LENGTH,
)
from cases.models import (
    Category,
    Difficulty,
    Dispatch,
    Dispute,
    DisputeEvent,
    Party,
    PartyRole,
    ReferralTarget,
    RiskLevel,
    SourceChannel,
)
from common.api import MoneyField
from organisations.models import Organisation, Region, User


class PartySerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = [
            "id",
            "kind",
            "name",
            "id_number_masked",
            "phone_masked",
            "credit_code",
            "legal_representative",
        ]
        read_only_fields = fields


class DisputePartySerializer(serializers.Serializer):
    role = serializers.CharField(read_only=True, help_text="applicant / respondent / other")
    party = PartySerializer(read_only=True)


class DispatchSerializer(serializers.ModelSerializer):
    responder_name = serializers.CharField(source="responder.name", read_only=True)
    dispute_reference = serializers.CharField(source="dispute.reference", read_only=True)
    seconds_to_accept = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="应哨用时（秒）；未应哨为 null"
    )

    class Meta:
        model = Dispatch
        fields = [
            "id",
            "dispute",
            "dispute_reference",
            "responder",
            "responder_name",
            "is_lead",
            "status",
            "instructions",
            "dispatched_at",
            "accept_due_at",
            "deadline",
            "accepted_at",
            "answered_at",
            "answer",
            "hand_back_reason",
            "seconds_to_accept",
        ]
        read_only_fields = fields


class EventSerializer(serializers.ModelSerializer):
    """One step of a dispute's timeline (时间线)."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    organisation_name = serializers.CharField(
        source="organisation.name", read_only=True, allow_null=True, default=None
    )
    data = serializers.DictField(
        read_only=True,
        help_text="随事件而定，例如 registered: {source_channel, linked_to}；"
        "rated: {score, satisfied}；bundled / escalated: {bundle, title / to}",
    )

    class Meta:
        model = DisputeEvent
        fields = [
            "id",
            "kind",
            "kind_display",
            "at",
            "actor_name",
            "organisation",
            "organisation_name",
            "dispatch",
            "note",
            "data",
        ]
        read_only_fields = fields


class DisputeSerializer(serializers.ModelSerializer):
    parties = DisputePartySerializer(source="dispute_parties", many=True, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    amount_in_dispute = MoneyField(read_only=True, allow_null=True)
    # Blank until triage / referral: the schema says so ("" is one of the values).
    difficulty = serializers.ChoiceField(
        choices=Difficulty.choices, allow_blank=True, read_only=True
    )
    referral_target = serializers.ChoiceField(
        choices=ReferralTarget.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Dispute
        fields = [
            "id",
            "reference",
            "organisation",
            "source_channel",
            "source_reference",
            "category",
            "facts",
            "amount_in_dispute",
            "region",
            "place",
            "risk_level",
            "status",
            "status_display",
            "difficulty",
            "lead_organisation",
            "coordinator",
            "assignee",
            "triage_due_at",
            "due_at",
            "registered_at",
            "resolved_at",
            "closed_at",
            "is_flagged",
            "bundle",
            "referral_target",
            "parties",
        ]
        read_only_fields = fields


class PartyInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=PartyRole.choices, default=PartyRole.APPLICANT)
    kind = serializers.ChoiceField(choices=Party.Kind.choices, default=Party.Kind.PERSON)
    name = serializers.CharField(max_length=120)
    id_number = serializers.CharField(
        max_length=18, required=False, allow_blank=True, write_only=True
    )
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, write_only=True)
    credit_code = serializers.CharField(max_length=18, required=False, allow_blank=True)
    legal_representative = serializers.CharField(max_length=60, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)


class DisputeCreateSerializer(serializers.Serializer):
    source_channel = serializers.ChoiceField(choices=SourceChannel.choices)
    category = serializers.ChoiceField(choices=Category.choices)
    facts = serializers.CharField(max_length=FACTS_MAX_LENGTH)
    parties = PartyInputSerializer(many=True)
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    amount_in_dispute = MoneyField(required=False, allow_null=True, min_value=Decimal("0"))
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, default=RiskLevel.ORDINARY)
    source_reference = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default=""
    )


class TriageSerializer(serializers.Serializer):
    difficulty = serializers.ChoiceField(choices=Difficulty.choices)
    duty_note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    lead_organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    coordinator = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )
    due_at = serializers.DateTimeField(required=False, allow_null=True)
    note = serializers.CharField(
        max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class DispatchTargetSerializer(serializers.Serializer):
    responder = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(is_active=True)
    )
    deadline = serializers.DateTimeField(required=False, allow_null=True)
    instructions = serializers.CharField(
        max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class DispatchRequestSerializer(serializers.Serializer):
    targets = DispatchTargetSerializer(many=True)
    note = serializers.CharField(
        max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class DisputeReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=NOTE_MAX_LENGTH)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=ANSWER_MAX_LENGTH)


class ReferSerializer(serializers.Serializer):
    target = serializers.ChoiceField(choices=ReferralTarget.choices)
    note = serializers.CharField(
        max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class FlagSerializer(serializers.Serializer):
    flagged = serializers.BooleanField(default=True)
    note = serializers.CharField(
        max_length=FLAG_NOTE_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class ReviewResultSerializer(serializers.Serializer):
    dispute = DisputeSerializer()
    rating_url = serializers.CharField(help_text="群众评价链接（仅此一次返回）")
    sms_text = serializers.CharField()
