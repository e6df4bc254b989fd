"""API serializers. Money is a string of yuan ("12000.50"), never a JSON number."""

from rest_framework import serializers

from cases.api.serializers import PartyInputSerializer
from cases.models import Category
from common.api import MoneyField
from mediation.models import (
    Agreement,
    Attendee,
    Extension,
    Instalment,
    Language,
    MediationCase,
    MediationParty,
    Mediator,
    Obligation,
    Session,
    Source,
)
from organisations.models import Organisation


class MediatorSerializer(serializers.ModelSerializer):
    open_load = serializers.IntegerField(read_only=True, help_text="在办案件数")
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Mediator
        fields = [
            "id", "name", "kind", "kind_display", "title", "specialties", "languages",
            "organisation", "serves", "rosters", "is_active", "open_load",
        ]  # fmt: skip
        read_only_fields = fields


class CasePartySerializer(serializers.ModelSerializer):
    id_number_masked = serializers.CharField(source="party.id_number_masked", read_only=True)

    class Meta:
        model = MediationParty
        fields = ["id", "role", "name", "phone_masked", "id_number_masked"]
        read_only_fields = fields


class MediationCaseSerializer(serializers.ModelSerializer):
    amount_in_dispute = MoneyField(allow_null=True, read_only=True)
    parties = CasePartySerializer(source="case_parties", many=True, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    source_display = serializers.CharField(source="get_source_display", read_only=True)

    class Meta:
        model = MediationCase
        fields = [
            "id", "reference", "organisation", "source", "source_display", "court",
            "court_reference", "simplified_procedure", "dispute", "category", "facts",
            "amount_in_dispute", "language", "status", "status_display", "mediator",
            "received_at", "receipt_signed_at", "ended_at", "end_reason", "parties",
        ]  # fmt: skip
        read_only_fields = fields


class MediationCaseCreateSerializer(serializers.Serializer):
    source = serializers.ChoiceField(
        choices=[
            Source.COURT_DELEGATED,
            Source.COURT_ENTRUSTED,
            Source.PARTY_REQUEST,
            Source.COMPLAINT_MEETING,
        ]  # fmt: skip
    )
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    court = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    court_reference = serializers.CharField(required=False, allow_blank=True, default="")
    simplified_procedure = serializers.BooleanField(required=False, default=False)
    category = serializers.ChoiceField(choices=Category.choices)
    facts = serializers.CharField()
    amount_in_dispute = MoneyField(required=False, allow_null=True)
    language = serializers.ChoiceField(choices=Language.choices, default=Language.MANDARIN)
    parties = PartyInputSerializer(many=True)


class ReceiptSignSerializer(serializers.Serializer):
    signed_at = serializers.DateTimeField(required=False, allow_null=True)


class MediatorAssignSerializer(serializers.Serializer):
    mediator = serializers.PrimaryKeyRelatedField(queryset=Mediator.objects.all())
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class MediatorSuggestionSerializer(serializers.Serializer):
    mediator = MediatorSerializer()
    load = serializers.IntegerField()
    specialty_match = serializers.BooleanField()
    language_match = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())


class SessionAttendeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attendee
        fields = ["kind", "name", "party"]
        extra_kwargs = {"party": {"required": False, "allow_null": True}}


class MediationSessionSerializer(serializers.ModelSerializer):
    attendees = SessionAttendeeSerializer(many=True, read_only=True)

    class Meta:
        model = Session
        fields = [
            "id", "held_at", "is_planned", "place", "mediators", "attendees", "record",
            "next_steps", "next_session_at", "logged_by", "logged_at",
        ]  # fmt: skip
        read_only_fields = fields


class MediationSessionLogSerializer(serializers.Serializer):
    held_at = serializers.DateTimeField(required=False, allow_null=True)
    place = serializers.CharField(required=False, allow_blank=True, default="")
    record = serializers.CharField(required=False, allow_blank=True, default="")
    attendees = SessionAttendeeSerializer(many=True, required=False, default=list)
    next_steps = serializers.CharField(required=False, allow_blank=True, default="")
    next_session_at = serializers.DateTimeField(required=False, allow_null=True)
    planned = serializers.BooleanField(required=False, default=False)


class ConsentExtendSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=366)
    manner = serializers.ChoiceField(choices=Extension.Manner.choices)
    consenting_parties = serializers.PrimaryKeyRelatedField(
        queryset=MediationParty.objects.all(), many=True
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class FailReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class WithdrawNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AgreementInstalmentSerializer(serializers.ModelSerializer):
    amount = MoneyField()

    class Meta:
        model = Instalment
        fields = ["amount", "due_date"]


class AgreementObligationSerializer(serializers.ModelSerializer):
    amount = MoneyField(required=False, allow_null=True)
    instalments = AgreementInstalmentSerializer(many=True, required=False, default=list)

    class Meta:
        model = Obligation
        fields = [
            "obligor", "obligee", "kind", "amount", "act", "due_date", "guarantor_name",
            "instalments",
        ]  # fmt: skip
        extra_kwargs = {
            "obligor": {"queryset": MediationParty.objects.all()},
            "obligee": {"queryset": MediationParty.objects.all()},
        }


class AgreementSerializer(serializers.ModelSerializer):
    obligations = AgreementObligationSerializer(many=True, read_only=True)
    document_generated = serializers.SerializerMethodField(help_text="调解协议书是否已生成")

    class Meta:
        model = Agreement
        fields = ["id", "concluded_at", "terms", "is_oral", "obligations", "document_generated"]
        read_only_fields = fields

    def get_document_generated(self, agreement) -> bool:
        return agreement.document_generated_at is not None


class AgreementCreateSerializer(serializers.Serializer):
    terms = serializers.CharField()
    is_oral = serializers.BooleanField(required=False, default=False)
    concluded_at = serializers.DateTimeField(required=False, allow_null=True)
    obligations = AgreementObligationSerializer(many=True, required=False, default=list)


class MediatorReassignSerializer(serializers.Serializer):
    to_mediator = serializers.PrimaryKeyRelatedField(
        queryset=Mediator.objects.all(), required=False, allow_null=True
    )
    reason = serializers.CharField()
    mark_left = serializers.BooleanField(required=False, default=False)


class IssuedDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    number = serializers.CharField()
    status = serializers.CharField()
    issued_at = serializers.DateTimeField()
    verification_code = serializers.CharField(source="verification_code_display")
    sha256 = serializers.CharField()
