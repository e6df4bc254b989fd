"""Forms for agreement compliance, complaint meetings and legal consultations (phone-first:
few fields, native date inputs)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import BootstrapForm
from cases.models import Category
from common.validators import validate_mobile

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PaymentForm(BootstrapForm):
    id_prefix = "payment"

    instalment = forms.IntegerField(widget=forms.HiddenInput)
    amount = forms.DecimalField(
        label=_("付款金额（元）"), max_digits=14, decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "500.00"}),
    )  # fmt: skip
    paid_on = forms.DateField(label=_("付款日期"), widget=DATE_WIDGET, initial=timezone.localdate)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class MeetingForm(BootstrapForm):
    id_prefix = "meeting"

    organisation = forms.TypedChoiceField(label=_("组织单位"), coerce=int)
    held_on = forms.DateField(label=_("日期"), widget=DATE_WIDGET, initial=timezone.localdate)
    place = forms.CharField(
        label=_("地点"), max_length=120,
        widget=forms.TextInput(attrs={"placeholder": _("如：团结社区红色驿站")}),
    )  # fmt: skip
    attendees = forms.CharField(
        label=_("参加人员"), widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如：居民代表、物业公司、业委会、社区工作人员、法律专家"),
    )  # fmt: skip
    issues = forms.CharField(
        label=_("反映的问题"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一个问题；可写成“问题 / 反映人”，如：小区沙坑积水 / 王大妈"),
    )  # fmt: skip
    notes = forms.CharField(
        label=_("会议情况"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]

    def issue_rows(self) -> list[dict]:
        rows = []
        for line in (self.cleaned_data.get("issues") or "").splitlines():
            summary, _sep, raised_by = line.partition("/")
            if summary.strip():
                rows.append({"summary": summary.strip(), "raised_by": raised_by.strip()})
        return rows


class IssueForm(BootstrapForm):
    id_prefix = "issue"

    summary = forms.CharField(label=_("反映的问题"), max_length=200)
    raised_by = forms.CharField(label=_("反映人"), max_length=120, required=False)
    category = forms.ChoiceField(
        label=_("纠纷类别"), choices=[("", "—")] + list(Category.choices), required=False
    )
    details = forms.CharField(
        label=_("具体情况"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConsultationForm(BootstrapForm):
    id_prefix = "consultation"

    expert = forms.TypedChoiceField(label=_("首席法律咨询专家"), coerce=int)
    asked_on = forms.DateField(label=_("咨询日期"), widget=DATE_WIDGET, initial=timezone.localdate)
    asker_name = forms.CharField(label=_("咨询人"), max_length=60)
    asker_phone = forms.CharField(
        label=_("联系电话"), max_length=20, required=False, validators=[validate_mobile],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )  # fmt: skip
    topic = forms.CharField(label=_("咨询事项"), max_length=120)
    question = forms.CharField(label=_("咨询问题"), widget=forms.Textarea(attrs={"rows": 3}))
    answer = forms.CharField(label=_("解答意见"), widget=forms.Textarea(attrs={"rows": 4}))
    follow_up = forms.CharField(
        label=_("后续跟进"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    dispute = forms.CharField(
        label=_("关联矛盾纠纷编号"), max_length=40, required=False,
        help_text=_("可选，如 JF2026-0001-000012"),
    )  # fmt: skip

    def __init__(self, *args, experts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].choices = [(e.pk, e.name) for e in experts]
