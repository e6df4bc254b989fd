"""The court-and-year choice the court figures pages share (mediation, enforcement, credit):
one court of those the reader may see, and a year from 2000 to this one."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 2000


class CourtYearForm(forms.Form):
    court = forms.TypedChoiceField(label=_("法院"), coerce=int, required=False)
    years_ahead = 0  # how far past this year a figure may already count something

    def __init__(self, *args, courts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["court"].choices = [(court.pk, court.name) for court in courts]
        self.fields["year"] = forms.IntegerField(
            label=_("年度"),
            required=False,
            min_value=FIRST_YEAR,
            max_value=timezone.localdate().year + self.years_ahead,
        )
