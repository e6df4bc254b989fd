"""Forms for the mediation pages: parse and validate; the services do the rest."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import BootstrapForm, MultipleFileField, MultipleFileInput
from cases.models import Category, Party, PartyRole
from common.validators import validate_id_number, validate_mobile
from organisations.models import Organisation

from .models import Attendee, Extension, Language, Obligation, Source
from .services.intake import COURT_KINDS, MEDIATING_KINDS

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

# The attendees a mediator ticks most often on a phone (the rest are under "更多").
QUICK_ATTENDEES = (
    Attendee.Kind.PARTY,
    Attendee.Kind.PROPERTY_COMPANY,
    Attendee.Kind.OWNERS_COMMITTEE,
    Attendee.Kind.RESIDENTS_REPRESENTATIVE,
    Attendee.Kind.LEGAL_EXPERT,
)


class SessionForm(BootstrapForm):
    """The phone form: five things up front (when, where, who came, what was said, photos);
    next steps and the next session fold away under 更多."""

    id_prefix = "session"
    UP_FRONT = ("held_at", "place", "attendees", "record", "photos")

    held_at = forms.DateTimeField(label=_("调解时间"), widget=DATETIME_WIDGET)
    place = forms.CharField(
        label=_("地点"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("如：团结社区红色驿站")}),
    )
    attendees = forms.MultipleChoiceField(
        label=_("参加人"),
        choices=[(k.value, k.label) for k in QUICK_ATTENDEES] + [("other", _("其他"))],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    record = forms.CharField(
        label=_("调解笔录（要点）"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    photos = MultipleFileField(
        label=_("照片、材料"),
        widget=MultipleFileInput(attrs={"accept": "image/*,.pdf,.doc,.docx"}),
    )
    # --- under 更多
    next_steps = forms.CharField(
        label=_("下一步"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    next_session_at = forms.DateTimeField(
        label=_("下次调解时间"), widget=DATETIME_WIDGET, required=False,
        help_text=_("到时提醒您"),
    )  # fmt: skip
    attendee_names = forms.CharField(
        label=_("参加人姓名/单位"), max_length=300, required=False,
        help_text=_("用顿号或逗号分隔，如：金裕物业 王经理、业委会 李主任"),
    )  # fmt: skip
    planned = forms.BooleanField(label=_("这是计划中的调解（尚未举行）"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "initial", {"held_at": timezone.localtime().replace(second=0, microsecond=0)}
        )
        super().__init__(*args, **kwargs)

    def up_front(self):
        return [self[name] for name in self.UP_FRONT]

    def attendee_rows(self) -> list[dict]:
        kinds = self.cleaned_data.get("attendees") or []
        names = [
            n.strip()
            for n in (self.cleaned_data.get("attendee_names") or "")
            .replace("，", "、")
            .replace(",", "、")
            .split("、")
            if n.strip()
        ]
        rows = [{"kind": kind} for kind in kinds]
        rows += [{"kind": Attendee.Kind.OTHER, "name": name} for name in names]
        return rows


class ReceiptForm(BootstrapForm):
    id_prefix = "receipt"
    signed_at = forms.DateTimeField(
        label=_("签收时间"), widget=DATETIME_WIDGET, required=False,
        help_text=_("留空为现在；纸质回执已签的，填签收时间"),
    )  # fmt: skip


class AssignForm(BootstrapForm):
    id_prefix = "assign"
    mediator = forms.ModelChoiceField(label=_("调解员"), queryset=None)
    reason = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, mediators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediator"].queryset = mediators


class ReasonForm(BootstrapForm):
    id_prefix = "end"
    reason = forms.CharField(label=_("原因/说明"), widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(BootstrapForm):
    id_prefix = "withdraw"
    reason = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ExtendForm(BootstrapForm):
    id_prefix = "extend"
    days = forms.IntegerField(label=_("延长天数"), min_value=1, max_value=366)
    manner = forms.ChoiceField(label=_("同意方式"), choices=Extension.Manner.choices)
    consenting_parties = forms.ModelMultipleChoiceField(
        label=_("同意延长的当事人"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consenting_parties"].queryset = parties


class AgreementForm(BootstrapForm):
    """The agreement and up to three obligations (most agreements have one or two)."""

    id_prefix = "agree"
    ROWS = 3

    terms = forms.CharField(label=_("协议内容"), widget=forms.Textarea(attrs={"rows": 4}))
    is_oral = forms.BooleanField(label=_("口头协议（由调解员记录）"), required=False)

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        for row in range(self.ROWS):
            prefix = f"o{row}_"
            self.fields[prefix + "obligor"] = forms.ModelChoiceField(
                label=_("义务人"), queryset=parties, required=False
            )
            self.fields[prefix + "obligee"] = forms.ModelChoiceField(
                label=_("权利人"), queryset=parties, required=False
            )
            self.fields[prefix + "kind"] = forms.ChoiceField(
                label=_("类型"), choices=[("", "—"), *Obligation.Kind.choices], required=False
            )
            self.fields[prefix + "amount"] = forms.DecimalField(
                label=_("金额（元）"), max_digits=14, decimal_places=2, min_value=0, required=False
            )
            self.fields[prefix + "act"] = forms.CharField(
                label=_("应履行的行为"), max_length=200, required=False
            )
            self.fields[prefix + "due_date"] = forms.DateField(
                label=_("履行期限"), required=False, widget=forms.DateInput(attrs={"type": "date"})
            )
            self.fields[prefix + "instalments"] = forms.IntegerField(
                label=_("分期数"), min_value=1, max_value=60, required=False,
                help_text=_("按月等额分期，最后一期为履行期限"),
            )  # fmt: skip
            self.fields[prefix + "guarantor_name"] = forms.CharField(
                label=_("担保人"), max_length=120, required=False
            )
        from cases.forms import bootstrap

        bootstrap(self)

    def rows(self):
        return [
            [self[f"o{row}_{name}"] for name in (
                "obligor", "obligee", "kind", "amount", "act", "due_date", "instalments",
                "guarantor_name",
            )]
            for row in range(self.ROWS)
        ]  # fmt: skip

    def obligations(self) -> list[dict]:
        from .agreements import monthly_instalments

        result = []
        for row in range(self.ROWS):
            data = {
                name: self.cleaned_data.get(f"o{row}_{name}")
                for name in ("obligor", "obligee", "kind", "amount", "act", "due_date",
                             "guarantor_name")
            }  # fmt: skip
            if not any(data.values()):
                continue
            count = self.cleaned_data.get(f"o{row}_instalments")
            if count and count > 1 and data["amount"] and data["due_date"]:
                data["instalments"] = monthly_instalments(data["amount"], count, data["due_date"])
            result.append(data)
        return result


class CaseForm(BootstrapForm):
    """Registering a case: a party's request (committee), or a court's delegation /
    entrustment (court staff). Two parties up front."""

    id_prefix = "case"

    source = forms.ChoiceField(label=_("来源"), choices=())
    organisation = forms.ModelChoiceField(label=_("调解组织"), queryset=None)
    court = forms.ModelChoiceField(label=_("委派/委托法院"), queryset=None, required=False)
    court_reference = forms.CharField(label=_("法院案号"), max_length=60, required=False)
    simplified_procedure = forms.BooleanField(label=_("简易程序（委托调解 7 日）"), required=False)
    category = forms.ChoiceField(label=_("纠纷类别"), choices=Category.choices)
    language = forms.ChoiceField(label=_("调解语言"), choices=Language.choices)
    facts = forms.CharField(label=_("纠纷简要情况"), widget=forms.Textarea(attrs={"rows": 3}))
    amount_in_dispute = forms.DecimalField(
        label=_("争议金额（元）"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    applicant_name = forms.CharField(label=_("申请人姓名/名称"), max_length=120)
    applicant_id_number = forms.CharField(
        label=_("申请人身份证号码"), max_length=18, required=False, validators=[validate_id_number]
    )
    applicant_phone = forms.CharField(
        label=_("申请人电话"), max_length=20, required=False, validators=[validate_mobile]
    )
    respondent_name = forms.CharField(label=_("被申请人姓名/名称"), max_length=120)
    respondent_id_number = forms.CharField(
        label=_("被申请人身份证号码"),
        max_length=18,
        required=False,
        validators=[validate_id_number],
    )
    respondent_phone = forms.CharField(
        label=_("被申请人电话"), max_length=20, required=False, validators=[validate_mobile]
    )

    def __init__(self, *args, user, visible, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            kind__in=MEDIATING_KINDS, is_active=True
        ).order_by("path")
        courts = visible.filter(kind__in=COURT_KINDS, is_active=True).order_by("path")
        self.fields["court"].queryset = courts
        choices = [(Source.PARTY_REQUEST, Source.PARTY_REQUEST.label),
                   (Source.COMPLAINT_MEETING, Source.COMPLAINT_MEETING.label)]  # fmt: skip
        if courts.exists():
            choices = [(Source.COURT_DELEGATED, Source.COURT_DELEGATED.label),
                       (Source.COURT_ENTRUSTED, Source.COURT_ENTRUSTED.label), *choices]  # fmt: skip
        self.fields["source"].choices = choices

    def parties(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "role": role,
                "kind": Party.Kind.PERSON,
                "name": data[f"{prefix}_name"],
                "id_number": data.get(f"{prefix}_id_number") or "",
                "phone": data.get(f"{prefix}_phone") or "",
            }
            for prefix, role in (
                ("applicant", PartyRole.APPLICANT),
                ("respondent", PartyRole.RESPONDENT),
            )
        ]


class ReassignForm(BootstrapForm):
    id_prefix = "reassign"
    to_mediator = forms.ModelChoiceField(
        label=_("改派给"), queryset=None, required=False,
        help_text=_("留空则逐案按擅长领域、语言和在办数量自动选择"),
    )  # fmt: skip
    reason = forms.CharField(label=_("改派理由"), max_length=200)
    mark_left = forms.BooleanField(label=_("同时登记该调解员离岗"), required=False)

    def __init__(self, *args, mediators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_mediator"].queryset = mediators
