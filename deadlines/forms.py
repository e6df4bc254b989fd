from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organisations.models import User

from .models import UNIT_CHOICES


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)


class ExtendForm(forms.Form):
    """A request for an extension; the approver named here decides it on their own page."""

    approver = forms.ModelChoiceField(label=_("审批人"), queryset=User.objects.none())
    new_due_date = forms.DateField(
        label=_("新的届满日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    amount = forms.IntegerField(label=_("或延长"), min_value=1, required=False)
    unit = forms.ChoiceField(
        label=pgettext_lazy("时间单位", "单位"), choices=UNIT_CHOICES, initial="calendar_days"
    )
    reason = forms.CharField(label=_("延长理由"), max_length=200)

    def __init__(self, *args, approvers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approver"].queryset = (
            approvers if approvers is not None else User.objects.none()
        )

    def clean(self):
        data = super().clean()
        if not data.get("new_due_date") and not data.get("amount"):
            raise forms.ValidationError(_("请填写新的届满日期或延长的期间。"))
        return data


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("审批意见"), max_length=200, required=False)
