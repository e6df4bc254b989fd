"""Forms of the filing pages: parse input for the services (which validate the rules)."""

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import BootstrapForm, bootstrap
from cases.models import Party

from .models import BasisKind, EnforcementRole, TargetKind

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


def money_field(label, *, required=False, **kwargs):
    return forms.DecimalField(
        label=label, required=required, max_digits=14, decimal_places=2, min_value=0,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "0.00"}), **kwargs,
    )  # fmt: skip


class BasisForm(BootstrapForm):
    id_prefix = "basis"
    court = forms.ModelChoiceField(label=_("执行法院"), queryset=None)
    kind = forms.ChoiceField(label=_("依据类型"), choices=BasisKind.choices)
    issuing_body = forms.CharField(label=_("作出机关"), max_length=120)
    document_number = forms.CharField(
        label=_("文书编号"), max_length=60,
        help_text=_("如（2026）蒙0302民初88号；全角、半角括号均可。"),
    )  # fmt: skip
    effective_on = forms.DateField(label=_("生效日期"), **DATE)
    main_text = forms.CharField(
        label=_("主文/给付内容"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, courts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["court"].queryset = courts
        if courts is not None and courts.count() == 1:
            self.fields["court"].initial = courts.first().pk


class DeadlineRowForm(forms.Form):
    due_date = forms.DateField(label=_("履行期限届满日"), required=False, **DATE)
    amount = money_field(_("本期金额（元）"))
    description = forms.CharField(label=_("履行内容"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


DeadlineFormSet = formset_factory(DeadlineRowForm, extra=3, max_num=60)


class ApplicationForm(BootstrapForm):
    id_prefix = "application"
    procedure = forms.ChoiceField(
        label=_("办理方式"),
        choices=[("file", _("直接立案")), ("urging", _("执前督促（须申请人同意）"))],
        widget=forms.RadioSelect, initial="file",
    )  # fmt: skip
    applied_on = forms.DateField(label=_("申请执行日期"), **DATE)
    urging_consent_note = forms.CharField(
        label=_("申请人同意执前督促的方式"), max_length=200, required=False,
        help_text=_("如：申请执行人当面签署执前督促同意书。"),
    )  # fmt: skip
    target_kind = forms.ChoiceField(label=_("执行标的类型"), choices=TargetKind.choices)
    principal = money_field(_("本金（元）"))
    interest = money_field(_("利息（元）"))
    costs = money_field(_("诉讼费等费用（元）"))
    act_description = forms.CharField(
        label=_("应履行的行为"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如交付子女、返还设备、腾退房屋。"),
    )  # fmt: skip
    is_enterprise = forms.BooleanField(label=_("涉企绿色通道"), required=False)
    is_livelihood = forms.BooleanField(label=_("涉民生案件（欠薪、抚养费等）"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("applied_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class PartyRowForm(forms.Form):
    role = forms.ChoiceField(label=_("诉讼地位"), choices=[("", "—"), *EnforcementRole.choices],
                             required=False)  # fmt: skip
    kind = forms.ChoiceField(label=_("类型"), choices=Party.Kind.choices, required=False)
    name = forms.CharField(label=_("姓名/名称"), max_length=120, required=False)
    id_number = forms.CharField(label=_("身份证号码"), max_length=18, required=False)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    address = forms.CharField(label=_("送达地址"), max_length=200, required=False)
    share = money_field(_("应得份额（元）"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


PartyFormSet = formset_factory(PartyRowForm, extra=2, max_num=500)


def parties_from(formset) -> list[dict]:
    """The filled rows (a row with neither role nor name is left out)."""
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if not (data.get("role") or data.get("name")):
            continue
        rows.append({key: value for key, value in data.items() if value not in (None, "")})
    return rows


class UrgingNoticesForm(BootstrapForm):
    id_prefix = "notices"
    payment_method = forms.CharField(
        label=_("履行方式（收款账户或交付方式）"), max_length=200, required=False
    )
    contact = forms.CharField(label=_("承办人及联系方式"), max_length=100, required=False)


class UrgingPerformedForm(BootstrapForm):
    id_prefix = "performed"
    performed_on = forms.DateField(label=_("履行完毕日期"), **DATE)
    manner = forms.CharField(label=_("履行方式"), max_length=100)
    amount_paid = money_field(_("已履行金额（元）"))


class NoteForm(BootstrapForm):
    id_prefix = "note"
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class ReasonForm(BootstrapForm):
    id_prefix = "reason"
    reason = forms.CharField(label=_("事由"), max_length=200,
                             widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class OfficerChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, loads=None, **kwargs):
        self.loads = loads or {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        load = self.loads.get(obj.pk)
        name = obj.full_name or obj.username
        return (
            _("%(name)s（在办 %(n)d 件）") % {"name": name, "n": load} if load is not None else name
        )


class AssignForm(BootstrapForm):
    id_prefix = "assign"
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, suggestions=(), required=True, **kwargs):
        super().__init__(*args, **kwargs)
        officers = [s.officer for s in suggestions]
        from organisations.models import User

        self.fields = {
            "officer": OfficerChoiceField(
                label=_("承办人"),
                queryset=User.objects.filter(pk__in=[o.pk for o in officers]),
                loads={s.officer.pk: s.open_cases for s in suggestions},
                required=required,
                empty_label=_("按在办案件数自动分配") if not required else "—",
            ),
            **self.fields,
        }
        if suggestions and required:
            self.fields["officer"].initial = suggestions[0].officer.pk
        bootstrap(self)


class ReassignForm(AssignForm):
    id_prefix = "reassign"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].label = _("更换理由")
        self.fields["note"].required = True


class ExtensionForm(BootstrapForm):
    id_prefix = "extension"
    approver = forms.ModelChoiceField(label=_("审批人（院长）"), queryset=None)
    reason = forms.CharField(label=_("延长理由"), max_length=200,
                             widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args, approvers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approver"].queryset = approvers


class RepresentativesForm(BootstrapForm):
    id_prefix = "representatives"
    representative = forms.ChoiceField(label=_("代表人"))
    represented = forms.MultipleChoiceField(
        label=_("被代表的申请执行人"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, applicants=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(p.pk), p.name) for p in applicants]
        self.fields["representative"].choices = choices
        self.fields["represented"].choices = choices


class BulkAssignForm(AssignForm):
    id_prefix = "bulk"

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, required=False, **kwargs)
        self.fields["cases"] = forms.MultipleChoiceField(
            label=_("待分配案件"), widget=forms.CheckboxSelectMultiple,
            choices=[(str(c.pk), c.case_number) for c in cases],
        )  # fmt: skip
