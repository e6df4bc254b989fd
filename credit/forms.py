"""Forms of the credit pages. Choices of debtor and approver come from the case's court;
the services check everything again (a form is only the first reader)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import BootstrapForm
from enforcement.models import EnforcementRole
from organisations.models import User
from organisations.roles import Role

from .models import Ability, CorrectionRequest, Grade, Ground, Restoration, Trigger

TEXTAREA = {"rows": 3}


def presidents_of(court):
    """院长/副院长: the court's own supervisors."""
    return User.objects.filter(
        memberships__organisation=court,
        memberships__role=Role.SUPERVISOR,
        memberships__is_active=True,
        is_active=True,
    ).distinct()


class _CaseForm(BootstrapForm):
    """A form about one case: its debtors to choose from."""

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        if "case_party" in self.fields:
            debtors = case.case_parties.filter(role=EnforcementRole.DEBTOR)
            self.fields["case_party"].queryset = debtors
            only = list(debtors[:2])
            if len(only) == 1:  # one debtor: already chosen
                self.fields["case_party"].initial = only[0].pk
        if "approver" in self.fields:
            self.fields["approver"].queryset = presidents_of(case.court)


class FindingForm(_CaseForm):
    id_prefix = "finding"
    case_party = forms.ModelChoiceField(label=_("被执行人"), queryset=None)
    finding = forms.ChoiceField(label=_("认定结论"), choices=Ability.choices)
    reasons = forms.CharField(label=_("认定理由"), widget=forms.Textarea(attrs=TEXTAREA))


class ListingForm(_CaseForm):
    id_prefix = "listing"
    case_party = forms.ModelChoiceField(label=_("被执行人"), queryset=None)
    ground = forms.ChoiceField(label=_("失信情形"), choices=Ground.choices)
    grade = forms.ChoiceField(label=_("失信等级"), choices=Grade.choices, initial=Grade.GENERAL)
    repeated = forms.BooleanField(label=_("多次失信"), required=False)
    extra_years = forms.IntegerField(
        label=_("延长期限（年）"), min_value=0, max_value=3, initial=0, required=False,
        help_text=_("情节严重或多次失信的，可延长一至三年；情形一不设固定期限"),
    )  # fmt: skip
    grace_months = forms.IntegerField(
        label=_("善意执行宽限期（月）"), min_value=0, max_value=3, initial=0, required=False,
        help_text=_("0 表示决定即公布"),
    )  # fmt: skip
    duty = forms.CharField(label=_("生效法律文书确定的义务"), widget=forms.Textarea(attrs=TEXTAREA))
    conduct = forms.CharField(
        label=_("失信被执行人行为具体情形"), widget=forms.Textarea(attrs=TEXTAREA)
    )
    performance = forms.CharField(label=_("履行情况"), initial="全部未履行", max_length=60)
    security_sufficient = forms.BooleanField(label=_("已提供充分有效担保"), required=False)
    seized_assets_cover = forms.BooleanField(
        label=_("已查封、扣押、冻结的财产足以清偿债务"), required=False
    )
    later_in_order = forms.BooleanField(label=_("属于履行顺序在后的被执行人"), required=False)
    approver = forms.ModelChoiceField(
        label=_("签发限制消费令的院长"), queryset=None, required=False,
        help_text=_("纳入失信名单必须同时限制消费；已有限制消费令的可不选"),
    )  # fmt: skip

    def __init__(self, *args, findings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.findings = findings


class RestrictionForm(_CaseForm):
    id_prefix = "restriction"
    case_party = forms.ModelChoiceField(label=_("被执行人"), queryset=None)
    reasons = forms.CharField(
        label=_("限制消费理由"), widget=forms.Textarea(attrs=TEXTAREA),
        initial=_("被执行人未按执行通知书指定的期间履行生效法律文书确定的给付义务。"),
    )  # fmt: skip
    approver = forms.ModelChoiceField(label=_("审批签发的院长"), queryset=None)


REMOVAL_TRIGGERS = [
    (value, label)
    for value, label in Trigger.choices
    if value not in (Trigger.EXPIRY, Trigger.RESTORATION, Trigger.CORRECTION)
]


class RemovalForm(_CaseForm):
    id_prefix = "removal"
    trigger = forms.ChoiceField(label=_("删除事由"), choices=REMOVAL_TRIGGERS)
    reason = forms.CharField(label=_("事由说明"), widget=forms.Textarea(attrs=TEXTAREA))
    fact_at = forms.DateTimeField(
        label=_("事由发生时间"), required=False, help_text=_("留空为现在；三个工作日自此起算"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )  # fmt: skip
    approver = forms.ModelChoiceField(
        label=_("审批人（院长）"), queryset=None, required=False,
        help_text=_("申请执行人申请、终本后两次查控无财产、提供担保须经审批"),
    )  # fmt: skip


class ApproverForm(BootstrapForm):
    """报请审批: a president of the record's court — a removal's, a restriction order's or a
    one-time lifting's waiting for approval (after a move, the receiving court). Several on
    one page (a restriction's liftings) each take their own `auto_id`."""

    id_prefix = "approver"
    approver = forms.ModelChoiceField(label=_("审批人（本院院长）"), queryset=None)

    def __init__(self, *args, court, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approver"].queryset = presidents_of(court)


class RestorationForm(_CaseForm):
    id_prefix = "restoration"
    case_party = forms.ModelChoiceField(label=_("被执行人"), queryset=None)
    basis = forms.ChoiceField(label=_("修复依据"), choices=Restoration.Basis.choices)
    evidence = forms.CharField(label=_("证明材料"), widget=forms.Textarea(attrs=TEXTAREA))
    applicant_name = forms.CharField(label=_("申请人"), required=False, max_length=120)
    on_behalf = forms.BooleanField(label=_("由承办人代为申请"), required=False)


class NoteForm(BootstrapForm):
    id_prefix = "note"
    note = forms.CharField(label=_("意见"), required=False, max_length=200)


class RequiredNoteForm(BootstrapForm):
    id_prefix = "refuse"
    note = forms.CharField(label=_("理由"), max_length=200)


class GradeForm(BootstrapForm):
    id_prefix = "grade"
    grade = forms.ChoiceField(label=_("失信等级"), choices=Grade.choices)
    reasons = forms.CharField(label=_("变更理由"), widget=forms.Textarea(attrs={"rows": 2}))


class LiftingForm(BootstrapForm):
    id_prefix = "lifting"
    need = forms.CharField(label=_("事由类别"), max_length=60, help_text=_("如：就医乘机"))
    reasons = forms.CharField(label=_("具体理由"), widget=forms.Textarea(attrs={"rows": 2}))
    starts_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))
    approver = forms.ModelChoiceField(label=_("审批人（院长）"), queryset=User.objects.none())

    def __init__(self, *args, court, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approver"].queryset = presidents_of(court)


class CorrectionForm(BootstrapForm):
    id_prefix = "correction"
    applicant_name = forms.CharField(label=_("申请人"), max_length=120)
    grounds = forms.CharField(label=_("申请理由"), widget=forms.Textarea(attrs={"rows": 2}))


class CorrectionDecideForm(BootstrapForm):
    id_prefix = "decide"
    justified = forms.TypedChoiceField(
        label=_("审查结论"), coerce=lambda v: v == "yes",
        choices=[("yes", _("理由成立")), ("no", _("理由不成立"))],
    )  # fmt: skip
    remedy = forms.ChoiceField(
        label=_("纠正方式"), required=False,
        choices=[("", "—"), *CorrectionRequest.Remedy.choices],
    )  # fmt: skip
    grade = forms.ChoiceField(
        label=_("更正后的等级"), required=False, choices=[("", "—"), *Grade.choices]
    )
    conduct = forms.CharField(
        label=_("更正后的行为情形"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reasons = forms.CharField(label=_("审查意见"), widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(BootstrapForm):
    id_prefix = "review"
    applicant_name = forms.CharField(label=_("复议申请人"), max_length=120)
    grounds = forms.CharField(label=_("复议理由"), widget=forms.Textarea(attrs={"rows": 2}))


class ReviewDecideForm(BootstrapForm):
    id_prefix = "reviewdecide"
    reverse = forms.TypedChoiceField(
        label=_("复议决定"), coerce=lambda v: v == "yes",
        choices=[("no", _("维持原决定")), ("yes", _("撤销原决定"))],
    )  # fmt: skip
    reasons = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))


class RestorationDecideForm(BootstrapForm):
    id_prefix = "restdecide"
    grant = forms.TypedChoiceField(
        label=_("决定"), coerce=lambda v: v == "yes",
        choices=[("yes", _("准予信用修复")), ("no", _("不予修复"))],
    )  # fmt: skip
    reasons = forms.CharField(label=_("决定理由"), widget=forms.Textarea(attrs={"rows": 2}))


class VoluntaryForm(BootstrapForm):
    id_prefix = "voluntary"
    court = forms.ModelChoiceField(label=_("法院"), queryset=None)
    kind = forms.ChoiceField(
        label=_("类型"), choices=[("person", _("自然人")), ("organisation", _("法人/其他组织"))]
    )
    name = forms.CharField(label=_("姓名/名称"), max_length=120)
    id_number = forms.CharField(label=_("身份证号码"), required=False, max_length=18)
    credit_code = forms.CharField(label=_("统一社会信用代码"), required=False, max_length=18)
    basis_document = forms.CharField(label=_("生效法律文书"), max_length=120)
    duty = forms.CharField(label=_("履行的义务"), widget=forms.Textarea(attrs={"rows": 2}))
    amount = forms.DecimalField(
        label=_("履行金额（元）"), required=False, max_digits=14, decimal_places=2, min_value=0
    )
    performed_on = forms.DateField(
        label=_("履行日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    public = forms.BooleanField(label=_("同意列入守信激励名单公开"), required=False, initial=True)

    def __init__(self, *args, courts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["court"].queryset = courts
