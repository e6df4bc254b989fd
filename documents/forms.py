from django import forms
from django.utils.translation import gettext_lazy as _


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("撤销原因"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text=_("记入审计；公开核验页只显示撤销日期，不显示原因"),
    )
