"""The enforcement read API: a case in the lists, and the case page's content. Money is a
string of yuan ("31232.00"); phones only masked; no ID numbers."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.api import MoneyField
from deadlines.models import Deadline
from enforcement.models import CaseParty, EnforcementCase, LegalBasis, PerformanceDeadline


class CasePageNameSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True, source="__str__")


class CasePageNextDeadlineSerializer(serializers.Serializer):
    """The soonest clock still to be met on the case."""

    id = serializers.IntegerField(read_only=True, source="next_deadline_id")
    kind = serializers.CharField(read_only=True, source="next_deadline_kind")
    label = serializers.CharField(read_only=True, source="next_deadline_label")
    due_at = serializers.DateTimeField(read_only=True, source="next_due_at")


class CasePagePriorityMixin(serializers.Serializer):
    priorities = serializers.SerializerMethodField(
        help_text="enterprise / livelihood / small_claim"
    )

    def get_priorities(self, case) -> list[str]:
        return [
            name
            for name, flag in (
                ("enterprise", case.is_enterprise),
                ("livelihood", case.is_livelihood),
                ("small_claim", case.is_small_claim),
            )
            if flag
        ]


class EnforcementCaseListSerializer(CasePagePriorityMixin, serializers.ModelSerializer):
    court = CasePageNameSerializer(read_only=True)
    officer = CasePageNameSerializer(read_only=True, allow_null=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    amount_ordered = MoneyField(read_only=True)
    next_deadline = serializers.SerializerMethodField()

    class Meta:
        model = EnforcementCase
        fields = [
            "id", "case_number", "case_type", "status", "status_display", "court", "officer",
            "applied_on", "application_late", "target_kind", "amount_ordered", "priorities",
            "filed_at", "assigned_at", "created_at", "next_deadline",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(CasePageNextDeadlineSerializer(allow_null=True))
    def get_next_deadline(self, case):
        if getattr(case, "next_deadline_id", None) is None:
            return None
        return {
            "id": case.next_deadline_id,
            "kind": case.next_deadline_kind,
            "label": case.next_deadline_label,
            "due_at": self._moment(case.next_due_at),
        }

    def _moment(self, value):
        return None if value is None else self.fields["created_at"].to_representation(value)

    def to_representation(self, case):
        """The answer of the fields declared above, written out: DRF's walk over the fields
        (each looked up, checked, converted) cost about 1 ms a row, and the list and the
        workbench answer 50 rows. The same values (test_api_lists compares the two)."""
        fields = self.fields
        officer = case.officer if case.officer_id is not None else None
        return {
            "id": case.pk,
            "case_number": case.case_number,
            "case_type": case.case_type,
            "status": case.status,
            "status_display": str(case.get_status_display()),
            "court": {"id": case.court.pk, "name": str(case.court)},
            "officer": None if officer is None else {"id": officer.pk, "name": str(officer)},
            "applied_on": None if case.applied_on is None else case.applied_on.isoformat(),
            "application_late": case.application_late,
            "target_kind": case.target_kind,
            "amount_ordered": fields["amount_ordered"].to_representation(case.amount_ordered),
            "priorities": self.get_priorities(case),
            "filed_at": self._moment(case.filed_at),
            "assigned_at": self._moment(case.assigned_at),
            "created_at": self._moment(case.created_at),
            "next_deadline": self.get_next_deadline(case),
        }


class CasePagePartySerializer(serializers.ModelSerializer):
    represented_by = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    share = MoneyField(read_only=True, allow_null=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = CaseParty
        fields = [
            "id", "role", "role_display", "name", "phone_masked", "share", "is_representative",
            "represented_by",
        ]  # fmt: skip
        read_only_fields = fields


class CasePagePerformanceDeadlineSerializer(serializers.ModelSerializer):
    amount = MoneyField(read_only=True, allow_null=True)

    class Meta:
        model = PerformanceDeadline
        fields = ["number", "due_date", "amount", "description"]
        read_only_fields = fields


class CasePageBasisSerializer(serializers.ModelSerializer):
    performance_deadlines = CasePagePerformanceDeadlineSerializer(many=True, read_only=True)

    class Meta:
        model = LegalBasis
        fields = [
            "id", "kind", "issuing_body", "document_number", "effective_on", "main_text",
            "performance_deadlines",
        ]  # fmt: skip
        read_only_fields = fields


class CasePageDeadlineSerializer(serializers.ModelSerializer):
    class Meta:
        model = Deadline
        fields = ["id", "kind", "label", "state", "due_at", "closed_at"]
        read_only_fields = fields


class CasePageActionSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)


class CasePageDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    number = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    issued_at = serializers.DateTimeField(read_only=True)


class EnforcementCaseDetailSerializer(EnforcementCaseListSerializer):
    """The case page's content (panels of other parts have their own endpoints)."""

    basis = CasePageBasisSerializer(read_only=True)
    principal = MoneyField(read_only=True)
    interest = MoneyField(read_only=True)
    costs = MoneyField(read_only=True)
    parties = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    next_steps = serializers.SerializerMethodField()

    # one case: the declared fields walked as DRF does (the list's shortcut knows only its own)
    to_representation = serializers.ModelSerializer.to_representation

    class Meta(EnforcementCaseListSerializer.Meta):
        fields = [
            *EnforcementCaseListSerializer.Meta.fields,
            "basis", "principal", "interest", "costs", "late_interest_from", "act_description",
            "application_period_ends_on", "application_note", "concluded_at", "parties",
            "deadlines", "documents", "actions", "next_steps",
        ]  # fmt: skip
        read_only_fields = fields

    def _page(self):
        return self.context["case_page"]

    @extend_schema_field(CasePagePartySerializer(many=True))
    def get_parties(self, case):
        page = self._page()
        return CasePagePartySerializer(
            [*page.applicants, *page.debtors, *page.others], many=True
        ).data

    @extend_schema_field(CasePageDeadlineSerializer(many=True))
    def get_deadlines(self, case):
        page = self._page()
        return CasePageDeadlineSerializer(
            [*page.open_deadlines, *page.closed_deadlines], many=True
        ).data

    @extend_schema_field(CasePageDocumentSerializer(many=True))
    def get_documents(self, case):
        return CasePageDocumentSerializer(self._page().documents, many=True).data

    @extend_schema_field(CasePageActionSerializer(many=True))
    def get_actions(self, case):
        return CasePageActionSerializer(self._page().actions, many=True).data

    def get_next_steps(self, case) -> list[str]:
        return [str(step) for step in self._page().next_steps]
