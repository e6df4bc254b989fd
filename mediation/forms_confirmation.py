"""Forms for the agreement document and the judicial confirmation pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import BootstrapForm
from organisations.models import Organisation

from .models import SubjectMatter


class AgreementDocumentForm(BootstrapForm):
    """The three elements of the 调解协议书 the agreement record does not hold."""

    id_prefix = "agreementdoc"
    issues = forms.CharField(
        label=_("争议事项"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    responsibilities = forms.CharField(
        label=_("各方当事人的责任"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    performance_method = forms.CharField(
        label=_("履行方式"), required=False, max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("如：银行转账、现金当面交付")}),
    )  # fmt: skip


class ConfirmationApplyForm(BootstrapForm):
    id_prefix = "confirmapply"
    court = forms.ModelChoiceField(
        label=_("受理法院"),
        queryset=Organisation.objects.filter(
            kind__in=[Organisation.Kind.COURT, Organisation.Kind.TRIBUNAL], is_active=True
        ).order_by("name"),
    )
    subject_matter = forms.ChoiceField(label=_("协议事项"), choices=SubjectMatter.choices)
    applicants = forms.MultipleChoiceField(
        label=_("共同申请的当事人"), widget=forms.CheckboxSelectMultiple
    )
    applied_on = forms.DateField(
        label=_("申请日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applicants"].choices = [(str(p.pk), p.name) for p in parties]


class ReasonForm(BootstrapForm):
    id_prefix = "confirmreason"
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))


class ConfirmForm(BootstrapForm):
    id_prefix = "confirmruling"
    judge = forms.CharField(label=_("审判员"), max_length=60)
    court_clerk_name = forms.CharField(label=_("书记员"), max_length=60)
    ruling_text = forms.CharField(
        label=_("裁定内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("留空则使用确认调解协议有效的标准表述。"),
    )  # fmt: skip


class ExtensionForm(BootstrapForm):
    id_prefix = "confirmextend"
    approver = forms.ModelChoiceField(label=_("审批人（院长）"), queryset=None)
    reason = forms.CharField(label=_("延长理由"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, approvers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approver"].queryset = approvers
