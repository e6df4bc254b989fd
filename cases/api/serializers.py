from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

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
    seconds_to_accept = serializers.IntegerField(read_only=True, help_text="应哨用时（秒）")

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
    actor_display = serializers.SerializerMethodField(help_text="操作人；系统步骤为“系统”")
    organisation_name = serializers.CharField(
        source="organisation.name", read_only=True, default=None, help_text="操作人代表的单位"
    )

    class Meta:
        model = DisputeEvent
        fields = [
            "id",
            "kind",
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
        return obj.actor_name or str(_("系统"))


class DisputeSerializer(serializers.ModelSerializer):
    parties = DisputePartySerializer(source="dispute_parties", many=True, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

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
    facts = serializers.CharField()
    parties = PartyInputSerializer(many=True)
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    place = serializers.CharField(required=False, allow_blank=True, default="")
    amount_in_dispute = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, default=RiskLevel.ORDINARY)
    source_reference = serializers.CharField(required=False, allow_blank=True, default="")


class TriageSerializer(serializers.Serializer):
    difficulty = serializers.ChoiceField(choices=Difficulty.choices)
    duty_note = serializers.CharField(required=False, allow_blank=True, default="")
    lead_organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    coordinator = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )
    due_at = serializers.DateTimeField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DispatchTargetSerializer(serializers.Serializer):
    responder = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(is_active=True)
    )
    deadline = serializers.DateTimeField(required=False, allow_null=True)
    instructions = serializers.CharField(required=False, allow_blank=True, default="")


class DispatchRequestSerializer(serializers.Serializer):
    targets = DispatchTargetSerializer(many=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RedispatchSerializer(serializers.Serializer):
    responder = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(is_active=True), help_text="改派给的单位"
    )
    deadline = serializers.DateTimeField(required=False, allow_null=True)
    instructions = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DisputeReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField()


class ReferSerializer(serializers.Serializer):
    target = serializers.ChoiceField(choices=ReferralTarget.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class FlagSerializer(serializers.Serializer):
    flagged = serializers.BooleanField(default=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


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
