"""Forms of the endings pages. They parse what the clerk typed into what the services take;
the services decide the rules (the guarantor's ID number or credit code and its check
character, the phone, the amount's places and sign, the period of 1–60 months, the
undertaking; the settlement's dates, amounts and instalments) and their errors are put back
beside these fields (BootstrapForm.add_service_errors). Each form's clean() asks the
service's own check (settlement_guarantee_clean, settlement_clean) about the fields it
accepted, so every error shows on the first submit, not one layer at a time."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.forms import BootstrapForm
from cases.models import Party
from common.validators import validate_yuan_text

from .models import EnforcementGuarantee, GuaranteeKind, GuarantorKind
from .services.guarantee import MAX_GUARANTEE_PERIOD_MONTHS, settlement_guarantee_clean
from .services.settlement import settlement_clean


def _add_check_errors(form: BootstrapForm, check) -> None:
    """Run a service's check (no writes) and put its errors beside the fields that have
    none yet (a field the form refused keeps the form's message, not a second one)."""
    try:
        check()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            if field not in form.errors:
                form.add_service_errors(ValidationError({field: messages}))


def _typed(form: forms.Form, name: str):
    """A field's cleaned value, or what was typed when the form refused it."""
    if name in form.cleaned_data:
        return form.cleaned_data[name]
    return form.data.get(form.add_prefix(name), "")


def _max_length(field: str) -> int:
    return EnforcementGuarantee._meta.get_field(field).max_length


class SettlementGuaranteeForm(BootstrapForm):
    """The guarantee a settlement agreement names (执行和解协议约定的担保), the fields of the
    API's GuaranteeSettlementInput (serializers_guarantee.GuarantorInput)."""

    id_prefix = "sg"

    guarantor_kind = forms.ChoiceField(
        label=_("担保人类型"), choices=GuarantorKind.choices, widget=forms.RadioSelect,
        initial=GuarantorKind.PERSON,
    )  # fmt: skip
    guarantor_name = forms.CharField(
        label=_("担保人姓名或名称"), max_length=_max_length("guarantor_name")
    )
    guarantor_id_number = forms.CharField(
        label=_("身份证号码"), required=False, help_text=_("担保人为自然人的填写"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )  # fmt: skip
    guarantor_credit_code = forms.CharField(
        label=_("统一社会信用代码"), required=False,
        help_text=_("担保人为法人或其他组织的填写"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )  # fmt: skip
    guarantor_phone = forms.CharField(
        label=_("联系电话"), required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )  # fmt: skip
    guarantor_address = forms.CharField(
        label=_("住所/地址"), required=False, max_length=Party._meta.get_field("address").max_length
    )
    kind = forms.ChoiceField(
        label=_("担保方式"), choices=GuaranteeKind.choices, widget=forms.RadioSelect,
        initial=GuaranteeKind.UNDERTAKING,
    )  # fmt: skip
    property_description = forms.CharField(
        label=_("担保财产"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("财产担保必填：名称、数量、所在地、权属"),
    )  # fmt: skip
    amount = forms.CharField(
        label=_("担保金额（元）"), validators=[validate_yuan_text],
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "30000.00"}),
    )  # fmt: skip
    guarantee_period_months = forms.CharField(
        label=_("担保期间（月）"), required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "12"}),
    )  # fmt: skip
    undertaking = forms.BooleanField(
        label=_("担保人已向人民法院承诺：被执行人不履行和解协议时，自愿接受直接强制执行"),
        required=False,
    )
    reason = forms.CharField(
        label=_("担保的情况"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guarantee_period_months"].help_text = gettext(
            "担保书载明的月数（1–%(m)d），自和解协议最后履行期限届满之日起算；未载明的留空，按一年计"
        ) % {"m": MAX_GUARANTEE_PERIOD_MONTHS}

    # What the clerk types (the radio buttons always post their default): any of these
    # filled on the settle form means a guarantee is named there.
    TYPED = ("guarantor_name", "guarantor_id_number", "guarantor_credit_code",
             "guarantor_phone", "guarantor_address", "property_description", "amount",
             "guarantee_period_months", "undertaking", "reason")  # fmt: skip

    @classmethod
    def named_in(cls, data, prefix: str) -> bool:
        return any((data.get(f"{prefix}-{name}") or "").strip() for name in cls.TYPED)

    def clean(self):
        cleaned = super().clean()
        _add_check_errors(self, lambda: settlement_guarantee_clean(
            **{name: _typed(self, name) for name in self.fields}))  # fmt: skip
        return cleaned


class SettlementForm(BootstrapForm):
    """执行和解 on the endings page: the signing day, the terms, the amount, the instalments
    (rows of due day and amount, posted as the lists `due_on` and `amount`) and, optionally,
    the guarantee the agreement names (a SettlementGuaranteeForm with the prefix
    "guarantee", attached as `guarantee_form` when the clerk filled any of it in)."""

    id_prefix = "settle"
    ROWS = 3  # instalment rows shown; a re-rendered form shows every row posted

    signed_on = forms.CharField(
        label=_("签订日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    terms = forms.CharField(
        label=_("和解协议内容"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    total = forms.CharField(
        label=_("和解金额（元）"), required=False, validators=[validate_yuan_text],
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )  # fmt: skip
    guarantor = forms.CharField(
        label=_("担保人（仅记载）"), required=False, max_length=120,
        help_text=_("担保人承诺自愿接受直接强制执行的，请在下方“和解协议约定的担保”中登记"),
    )  # fmt: skip

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.instalment_errors: list[str] = []
        posted = data is not None
        self.guarantee_form = SettlementGuaranteeForm(
            data if posted and SettlementGuaranteeForm.named_in(data, "guarantee") else None,
            prefix="guarantee",
        )

    @property
    def instalments(self) -> list[dict]:
        dues, amounts = self.data.getlist("due_on"), self.data.getlist("amount")
        return [{"due_on": d, "amount": a}
                for d, a in zip(dues, amounts, strict=False) if d or a]  # fmt: skip

    @property
    def instalment_rows(self) -> list[dict]:
        """The rows to show: what was posted (as typed), then empty rows up to ROWS."""
        rows = self.instalments if self.is_bound else []
        return rows + [{"due_on": "", "amount": ""}] * max(self.ROWS - len(rows), 0)

    @property
    def guarantee(self) -> dict | None:
        named = self.guarantee_form
        return dict(named.cleaned_data) if named.is_bound else None

    def add_service_errors(self, exc: ValidationError) -> None:
        """The service names the instalments (shown beside their rows) and the guarantee's
        fields (put beside them on the guarantee's form) besides this form's own."""
        if not hasattr(exc, "error_dict"):
            return super().add_service_errors(exc)
        named = self.guarantee_form
        for field, errors in exc.error_dict.items():
            messages = ValidationError(errors).messages
            if field == "instalments":
                self.instalment_errors += [m for m in messages if m not in self.instalment_errors]
            elif field not in self.fields and named.is_bound and field in named.fields:
                if field not in named.errors:
                    named.add_error(field, messages)
            else:
                self.add_error(field if field in self.fields else None, messages)
        return None

    def is_valid(self) -> bool:
        # the instalments are no field of the form: their errors count too
        return super().is_valid() and not self.instalment_errors

    def clean(self):
        cleaned = super().clean()
        named = self.guarantee_form
        _add_check_errors(self, lambda: settlement_clean(
            signed_on=_typed(self, "signed_on"), terms=_typed(self, "terms"),
            total=_typed(self, "total"), instalments=self.instalments,
        ))  # fmt: skip
        if named.is_bound and not named.is_valid():
            self.add_error(None, gettext("和解协议约定的担保有误，请检查下方标出的栏目。"))
        return cleaned
