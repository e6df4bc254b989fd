"""Forms of the notices pages: parse and validate; the services decide the rest."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import BootstrapForm, bootstrap

from .models import AssetCategory, CheckResult, ElectronicChannel, NoticeKind, ServiceMethod

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NoticeIssueForm(BootstrapForm):
    id_prefix = "issue"

    kinds = forms.MultipleChoiceField(
        label=_("发出文书"), widget=forms.CheckboxSelectMultiple, choices=NoticeKind.choices
    )
    report_days = forms.IntegerField(
        label=_("被执行人报告财产期限（日）"),
        required=False,
        help_text=_("报告财产令载明的期限，自发出之日起算"),
    )

    def __init__(self, *args, kinds: list[str], days_range: tuple[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = [(k, NoticeKind(k).label) for k in kinds]
        low, high = days_range
        field = self.fields["report_days"]
        field.min_value, field.max_value = low, high
        field.validators += [MinValueValidator(low), MaxValueValidator(high)]
        field.widget.attrs.update({"min": low, "max": high, "inputmode": "numeric"})
        if NoticeKind.ASSET_REPORT_ORDER not in kinds:
            del self.fields["report_days"]


class ServiceRecordForm(BootstrapForm):
    id_prefix = "service"

    recipient = forms.TypedChoiceField(label=_("受送达人"), coerce=int)
    method = forms.ChoiceField(label=_("送达方式"), choices=ServiceMethod.choices)
    served_on = forms.DateField(label=_("送达日期"), widget=DATE_WIDGET)
    channel = forms.ChoiceField(
        label=_("电子送达渠道"),
        choices=[("", "—")] + list(ElectronicChannel.choices),
        required=False,
    )
    electronic_address = forms.CharField(
        label=_("手机号码/邮箱/平台账号"),
        max_length=120,
        required=False,
        help_text=_("短信送达留空则用案件登记的手机号码"),
    )
    address = forms.CharField(
        label=_("送达地址/公告载体"),
        max_length=200,
        required=False,
        help_text=_("直接、邮寄、留置送达的地址；公告送达的报纸或网站"),
    )
    receipt_name = forms.CharField(label=_("签收人"), max_length=60, required=False)
    receipt_relation = forms.CharField(
        label=_("签收人身份"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("本人、同住成年家属、法定代表人…")}),
    )
    tracking_number = forms.CharField(label=_("邮件单号"), max_length=40, required=False)
    witnesses = forms.CharField(label=_("见证人"), max_length=120, required=False)
    proof = forms.FileField(
        label=_("送达凭证（回执、照片、截图）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,.pdf"}),
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, recipients, **kwargs):
        kwargs.setdefault("initial", {"served_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["recipient"].choices = [
            (p.pk, f"{p.get_role_display()}：{p.name}") for p in recipients
        ]


class AssetReportForm(BootstrapForm):
    id_prefix = "report"

    debtor = forms.TypedChoiceField(label=_("报告人（被执行人）"), coerce=int)
    received_on = forms.DateField(label=_("收到报告日期"), widget=DATE_WIDGET)
    summary = forms.CharField(
        label=_("报告内容摘要"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    no_assets = forms.BooleanField(label=_("报告无财产可供执行"), required=False)

    def __init__(self, *args, debtors, **kwargs):
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["debtor"].choices = [(p.pk, p.name) for p in debtors]


class AssetItemForm(forms.Form):
    category = forms.ChoiceField(
        label=_("财产类别"), choices=[("", "—")] + list(AssetCategory.choices), required=False
    )
    description = forms.CharField(label=_("财产情况"), max_length=300, required=False)
    value = forms.DecimalField(
        label=_("价值/余额（元）"), max_digits=14, decimal_places=2, min_value=0, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)
        self.fields["value"].widget.attrs["inputmode"] = "decimal"


AssetItemFormSet = formset_factory(AssetItemForm, extra=3, max_num=50)


class AssetReportCheckForm(BootstrapForm):
    id_prefix = "check"

    result = forms.ChoiceField(
        label=_("核查结果"), choices=CheckResult.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("核查情况"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("与网络查控结果比对的情况；不实的写明不实之处"),
    )


class RevokeForm(BootstrapForm):
    id_prefix = "revoke"

    reason = forms.CharField(label=_("撤销原因"), max_length=200)
