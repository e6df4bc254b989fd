from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
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
from common.redaction import scrub_secrets
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
    """A party as this dispute recorded it: the name and phone are the link's, never what
    another organisation recorded for the same person."""

    role = serializers.CharField(read_only=True, help_text="applicant / respondent / other")
    party = serializers.SerializerMethodField()

    @extend_schema_field(PartySerializer)
    def get_party(self, link) -> dict:
        party = link.party
        return {
            "id": party.pk,
            "kind": party.kind,
            "name": link.name,
            "id_number_masked": party.id_number_masked,
            "phone_masked": link.phone_masked,
            "credit_code": party.credit_code,
            "legal_representative": party.legal_representative,
        }


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
            "round",
            "accepted_late",
            "answered_late",
            "redispatched_from",
            "dispatched_by_organisation",
        ]
        read_only_fields = fields


class EventSerializer(serializers.ModelSerializer):
    """One step of a dispute's timeline (时间线)."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    actor_display = serializers.SerializerMethodField(help_text="操作人；系统步骤为“系统”")
    organisation_name = serializers.CharField(
        source="organisation.name",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="操作人代表的单位",
    )
    data = serializers.DictField(
        read_only=True,
        help_text="随事件而定，例如 registered: {source_channel, linked_to}；"
        "rated: {score, satisfied}；bundled / escalated: {bundle, title / to}；"
        "accepted / answered: {late}",
    )

    class Meta:
        model = DisputeEvent
        fields = [
            "id",
            "kind",
            "kind_display",
            "at",
            "actor_name",
            "actor_display",
            "organisation",
            "organisation_name",
            "dispatch",
            "note",
            "data",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["note"] = scrub_secrets(data["note"])  # a pasted rating link stays private
        return data

    def get_actor_display(self, obj) -> str:
        return obj.actor_display


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


class RedispatchSerializer(serializers.Serializer):
    responder = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(is_active=True), help_text="改派给的单位"
    )
    deadline = serializers.DateTimeField(required=False, allow_null=True)
    instructions = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


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


class PersonSearchSerializer(serializers.Serializer):
    q = serializers.CharField(help_text="身份证号码或手机号码", max_length=40)

    def validate_q(self, value):
        from cases.selectors import person_search_key

        key = person_search_key(value)
        if key is None:
            raise serializers.ValidationError(_("请输入18位身份证号码或11位手机号码。"))
        return key
