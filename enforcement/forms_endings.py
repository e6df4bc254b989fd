"""Forms of the endings pages. They parse what the clerk typed into what the services take;
the services decide the rules (the guarantor's ID number or credit code and its check
character, the amount's places and sign, the period of 1–60 months, the undertaking) and
their errors are put back beside these fields (BootstrapForm.add_service_errors)."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.forms import BootstrapForm
from cases.models import Party
from common.validators import validate_yuan_text

from .models import EnforcementGuarantee, GuaranteeKind, GuarantorKind
from .services.guarantee import MAX_GUARANTEE_PERIOD_MONTHS


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
