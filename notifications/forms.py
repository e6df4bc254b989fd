from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import notification_kinds
from .models import NotificationPreference


class PreferenceForm(forms.ModelForm):
    muted_kinds = forms.MultipleChoiceField(
        label=_("以下类型不发邮件/短信（站内仍显示）"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = NotificationPreference
        fields = [
            "email_enabled",
            "sms_enabled",
            "digest",
            "quiet_hours",
            "quiet_start",
            "quiet_end",
            "muted_kinds",
        ]
        widgets = {
            "quiet_start": forms.TimeInput(attrs={"type": "time"}),
            "quiet_end": forms.TimeInput(attrs={"type": "time"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["muted_kinds"].choices = notification_kinds()
