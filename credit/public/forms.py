from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.challenge import ChallengeForm
from common.validators import (
    normalise_credit_code,
    normalise_id_number,
    validate_credit_code,
    validate_id_number,
)

PURPOSE = "credit.lookup"


class LookupForm(ChallengeForm):
    """Name plus ID number or credit code: an exact identity, never a name alone."""

    challenge_purpose = PURPOSE

    name = forms.CharField(
        label=_("被执行人姓名/名称"),
        max_length=120,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    identity = forms.CharField(
        label=_("身份证号码/统一社会信用代码"),
        max_length=30,
        help_text=_("自然人填写18位身份证号码，单位填写18位统一社会信用代码。"),
        widget=forms.TextInput(
            attrs={"class": "form-control", "autocomplete": "off", "spellcheck": "false"}
        ),
    )

    def clean_name(self):
        # "胡 某某" and "胡某某" are one name; the middle dot of minority names is kept
        return "".join(self.cleaned_data["name"].split())

    def clean_identity(self):
        raw = self.cleaned_data["identity"]
        as_id = normalise_id_number(raw)
        if len(as_id) == 18 and as_id[:17].isdigit():
            try:
                validate_id_number(as_id)
            except ValidationError:
                pass
            else:
                self.identity_kind = "person"
                return as_id
        as_code = normalise_credit_code(raw)
        try:
            validate_credit_code(as_code)
        except ValidationError:
            pass
        else:
            self.identity_kind = "organisation"
            return as_code
        raise ValidationError(_("请填写正确的18位身份证号码或统一社会信用代码。"), code="identity")
