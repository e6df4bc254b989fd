"""Forms of the assets page. They only parse; the services validate the law and money."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AssetKind, Measure

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"})
TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}


def money_field(label, required=True):
    return forms.DecimalField(
        label=label,
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=required,
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "decimal"}),
    )


class InquiryStartForm(forms.Form):
    debtor = forms.TypedChoiceField(
        label=_("被执行人"), coerce=int, required=False, empty_value=None,
        widget=forms.Select(attrs=SELECT),
    )  # fmt: skip

    def __init__(self, *args, debtors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["debtor"].choices = [("", _("全部被执行人"))] + [
            (d.pk, d.name) for d in debtors
        ]


class ClueForm(forms.Form):
    kind = forms.ChoiceField(label=_("财产类型"), choices=AssetKind.choices,
                             widget=forms.Select(attrs=SELECT))  # fmt: skip
    description = forms.CharField(label=_("线索内容"), max_length=2000,
                                  widget=forms.Textarea(attrs={**TEXT, "rows": 2}))  # fmt: skip
    institution = forms.CharField(label=_("开户/登记机构、所在地"), max_length=120, required=False,
                                  widget=forms.TextInput(attrs=TEXT))  # fmt: skip
    identifier = forms.CharField(label=_("账号/编号"), max_length=60, required=False,
                                 widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off"}))  # fmt: skip
    urgent = forms.BooleanField(label=_("情况紧急（三日内核查）"), required=False,
                                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))  # fmt: skip
    submitted_by = forms.TypedChoiceField(label=_("提供人"), coerce=int, required=False,
                                          empty_value=None, widget=forms.Select(attrs=SELECT))  # fmt: skip
    debtor = forms.TypedChoiceField(label=_("被执行人"), coerce=int, required=False,
                                    empty_value=None, widget=forms.Select(attrs=SELECT))  # fmt: skip

    def __init__(self, *args, applicants=(), debtors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submitted_by"].choices = [("", "—")] + [(p.pk, p.name) for p in applicants]
        self.fields["debtor"].choices = [("", "—")] + [(p.pk, p.name) for p in debtors]


class ClueCheckForm(forms.Form):
    found = forms.TypedChoiceField(
        label=_("核查结论"), coerce=lambda v: v == "1",
        choices=[("1", _("属实")), ("0", _("不实"))], widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    result = forms.CharField(label=_("核查结果"), max_length=2000,
                             widget=forms.Textarea(attrs={**TEXT, "rows": 2}))  # fmt: skip
    estimated_value = money_field(_("核实余额/价值（元）"), required=False)


class ControlForm(forms.Form):
    measure = forms.ChoiceField(label=_("措施"), choices=Measure.choices,
                                widget=forms.Select(attrs=SELECT))  # fmt: skip
    amount = money_field(_("冻结金额（元）"), required=False)
    months = forms.IntegerField(label=_("期限（月）"), min_value=1, max_value=36, required=False,
                                widget=forms.NumberInput(attrs=TEXT))  # fmt: skip
    effective_on = forms.DateField(label=_("生效日期"), required=False, widget=DATE)
    ruling_number = forms.CharField(label=_("裁定书文号"), max_length=60, required=False,
                                    widget=forms.TextInput(attrs=TEXT))  # fmt: skip


class DeductForm(forms.Form):
    amount = money_field(_("扣划金额（元）"))
    deducted_on = forms.DateField(label=_("扣划日期"), required=False, widget=DATE)
    note = forms.CharField(label=_("说明"), max_length=300, required=False,
                           widget=forms.TextInput(attrs=TEXT))  # fmt: skip


class AppraiseForm(forms.Form):
    value = money_field(_("评估价（元）"))
    appraised_on = forms.DateField(label=_("评估日期"), required=False, widget=DATE)
    appraiser = forms.CharField(label=_("评估机构"), max_length=120,
                                widget=forms.TextInput(attrs=TEXT))  # fmt: skip


class AuctionForm(forms.Form):
    proceeds = money_field(_("成交价（元）"))
    auctioned_on = forms.DateField(label=_("成交日期"), required=False, widget=DATE)
    note = forms.CharField(label=_("说明"), max_length=300, required=False,
                           widget=forms.TextInput(attrs=TEXT))  # fmt: skip


class RenewForm(forms.Form):
    months = forms.IntegerField(label=_("续行期限（月）"), min_value=1, max_value=36,
                                widget=forms.NumberInput(attrs=TEXT))  # fmt: skip
    note = forms.CharField(label=_("说明"), max_length=200, required=False,
                           widget=forms.TextInput(attrs=TEXT))  # fmt: skip


class LiftForm(forms.Form):
    reason = forms.CharField(label=_("解除原因"), max_length=200,
                             widget=forms.TextInput(attrs=TEXT))  # fmt: skip
