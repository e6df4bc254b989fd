"""Forms of the measures, objections and campaigns pages: parse; the services decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.forms import BootstrapForm

from .models import MeasureKind, ObjectionKind

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class MeasureRequestForm(BootstrapForm):
    id_prefix = "measure"

    kind = forms.ChoiceField(label=_("措施"), choices=MeasureKind.choices)
    subject = forms.TypedChoiceField(label=_("对象"), coerce=int)
    responsible_person = forms.CharField(
        label=_("单位的主要负责人或直接责任人员"), max_length=60, required=False,
        help_text=_("对单位被执行人的负责人拘传、罚款、拘留时填写"),
    )  # fmt: skip
    reason = forms.CharField(label=_("事实和理由"), widget=forms.Textarea(attrs={"rows": 3}))
    approver = forms.TypedChoiceField(
        label=_("审批人（院长）"), coerce=int, required=False, empty_value=None,
        help_text=_("拘传、罚款、拘留、搜查、移送拒执罪须经院长批准"),
    )  # fmt: skip
    hours = forms.IntegerField(label=_("询问时间上限（小时）"), required=False, min_value=1,
                               max_value=24, help_text=_("拘传：不超过8小时；可能拘留的不超过24小时"))  # fmt: skip
    detention_may_follow = forms.BooleanField(label=_("案情复杂、可能采取拘留措施"), required=False)
    amount = forms.DecimalField(
        label=_("金额（元）"), required=False, max_digits=14, decimal_places=2, min_value=0,
        help_text=_("罚款：个人不超过10万元，单位5万元以上100万元以下；悬赏金额"),
    )  # fmt: skip
    days = forms.IntegerField(label=_("拘留日数"), required=False, min_value=1, max_value=365,
                              help_text=_("不超过15日"))  # fmt: skip
    place = forms.CharField(
        label=_("地点/执行机关"), max_length=120, required=False,
        help_text=_("搜查场所、拘留所、移送的公安机关或曝光媒体"),
    )  # fmt: skip
    assisting_court = forms.CharField(
        label=_("协助执行法院（异地拘留）"), max_length=120, required=False
    )

    def __init__(self, *args, subjects, approvers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [
            (p.pk, f"{p.get_role_display()} {p.name}") for p in subjects
        ]
        self.fields["approver"].choices = [("", "—")] + [(u.pk, str(u)) for u in approvers]


class NoteForm(BootstrapForm):
    note = forms.CharField(label=_("意见/理由"), max_length=300, required=False)


class ExecuteForm(BootstrapForm):
    started_at = forms.DateTimeField(
        label=_("开始时间"), required=False, widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS,
        help_text=_("不填为现在"),
    )  # fmt: skip
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class EndForm(BootstrapForm):
    ended_at = forms.DateTimeField(
        label=_("结束时间"), required=False, widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS,
        help_text=_("不填为现在"),
    )  # fmt: skip
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class FamilyForm(BootstrapForm):
    notified_at = forms.DateTimeField(
        label=_("通知时间"), required=False, widget=DATETIME_WIDGET,
        input_formats=DATETIME_FORMATS,
    )  # fmt: skip
    note = forms.CharField(label=_("通知了谁、以何种方式"), max_length=200)


class ObjectionForm(BootstrapForm):
    id_prefix = "objection"

    kind = forms.ChoiceField(label=_("类型"), choices=ObjectionKind.choices)
    applicant_name = forms.CharField(label=_("异议人/复议申请人"), max_length=120)
    applicant_party = forms.TypedChoiceField(
        label=_("本案当事人"), coerce=int, required=False, empty_value=None
    )
    matter = forms.CharField(label=_("事项和理由"), widget=forms.Textarea(attrs={"rows": 3}))
    received_on = forms.DateField(label=_("收到申请日期"), widget=DATE_WIDGET)
    parent = forms.TypedChoiceField(
        label=_("被复议的执行异议"), coerce=int, required=False, empty_value=None
    )
    measure = forms.TypedChoiceField(
        label=_("被复议的罚款/拘留决定"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, parties, parents, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applicant_party"].choices = [("", "—")] + [
            (p.pk, f"{p.get_role_display()} {p.name}") for p in parties
        ]
        self.fields["parent"].choices = [("", "—")] + [(o.pk, str(o)) for o in parents]
        self.fields["measure"].choices = [("", "—")] + [(m.pk, str(m)) for m in measures]


class ObjectionStepForm(BootstrapForm):
    """One form for the objection's steps; each step reads the fields it needs."""

    on = forms.DateField(label=_("日期"), required=False, widget=DATE_WIDGET)
    upheld = forms.TypedChoiceField(
        label=_("裁定"), required=False, coerce=lambda v: v == "1",
        choices=[("1", _("异议/复议成立")), ("0", _("驳回"))],
    )  # fmt: skip
    text = forms.CharField(
        label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    approver = forms.TypedChoiceField(label=_("审批人（院长）"), coerce=int, required=False,
                                      empty_value=None)  # fmt: skip

    def __init__(self, *args, approvers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approver"].choices = [("", "—")] + [(u.pk, str(u)) for u in approvers]

    def add_service_errors(self, exc):
        """The services call the step's text `reason`: it is this form's `text`."""
        if hasattr(exc, "error_dict") and "reason" in exc.error_dict:
            errors = dict(exc.error_dict)
            errors["text"] = errors.pop("reason")
            exc = ValidationError(errors)
        super().add_service_errors(exc)


class CampaignForm(BootstrapForm):
    id_prefix = "campaign"

    name = forms.CharField(label=_("名称"), max_length=80,
                           help_text=_("如：雷霆执行·2025·夏季风暴"))  # fmt: skip
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE_WIDGET)
    courts = forms.TypedMultipleChoiceField(
        label=_("参加法院"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, courts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["courts"].choices = [(c.pk, c.name) for c in courts]
