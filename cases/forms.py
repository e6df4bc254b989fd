"""Forms: parse and validate input for the pages; the services do the rest."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.validators import validate_credit_code, validate_id_number, validate_mobile
from organisations.models import Organisation, Region, User
from organisations.roles import Role

from .limits import (
    ANSWER_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    FACTS_MAX_LENGTH,
    FLAG_NOTE_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    SEARCH_MAX_LENGTH,
)
from .models import Category, Difficulty, Party, PartyRole, ReferralTarget, RiskLevel, SourceChannel

RESPONDER_KINDS = (
    Organisation.Kind.DEPARTMENT,
    Organisation.Kind.COMMUNITY,
    Organisation.Kind.JUSTICE_OFFICE,
    Organisation.Kind.MEDIATION_COMMITTEE,
    Organisation.Kind.LEGAL_SERVICE_STATION,
    Organisation.Kind.GOVERNANCE_CENTRE,
)


def bootstrap(form: forms.BaseForm) -> forms.BaseForm:
    """Give every widget its Bootstrap class (templates stay free of widget tweaking)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
    return form


class BootstrapForm(forms.Form):
    """A form styled for Bootstrap: fields with errors get `is-invalid`.

    `id_prefix` keeps element ids unique when several small forms share a page (the
    dispute page has four fields called "note"); the field names stay as they are.
    """

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        if self.id_prefix:
            kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self._errors or ():
            if name in self.fields:
                widget = self.fields[name].widget
                classes = widget.attrs.get("class", "").split()
                if "is-invalid" not in classes:
                    widget.attrs["class"] = " ".join([*classes, "is-invalid"])

    def add_service_errors(self, exc: ValidationError) -> None:
        """A service's ValidationError beside the fields it names (the rest above the form)."""
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, exc.error_list)

    def call_service(self, call):
        """Run `call()`, a service acting on this form's cleaned data, and put its refusal
        on the form: an illegal transition above it (status 409), a ValidationError beside
        the fields it names (400). Returns (the service's result or None, status): 200 when
        the service took it."""
        from common.statemachine import TransitionNotAllowed

        try:
            return call(), 200
        except TransitionNotAllowed as exc:
            self.add_error(None, exc.message)
            return None, 409
        except ValidationError as exc:
            self.add_service_errors(exc)
            return None, 400

    def focus_first_error(self) -> None:
        """Put the cursor in the first field with an error when the page comes back."""
        for name in self.fields:
            if name in self.errors and not self.fields[name].widget.is_hidden:
                self.fields[name].widget.attrs["autofocus"] = True
                return

    def ask_to_reselect_files(self, files) -> None:
        """Browsers cannot keep chosen files across a re-rendered page: say so beside each
        file field the user had filled in."""
        for name, field in self.fields.items():
            if isinstance(field, forms.FileField) and files.getlist(name):
                self.add_error(name, _("浏览器无法保留已选的文件，请重新选择附件。"))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _regions_for(user):
    organisation = user.primary_organisation
    if user.is_superuser or organisation is None:
        return Region.objects.all()
    # the district around the user's organisation
    region = organisation.region
    anchor = (
        Region.objects.get_ancestors(region).filter(level=Region.Level.COUNTY).first() or region
    )
    return Region.objects.filter(path__startswith=anchor.path)


class DisputeForm(BootstrapForm):
    source_channel = forms.ChoiceField(label=_("来源渠道"), choices=SourceChannel.choices)
    category = forms.ChoiceField(label=_("纠纷类别"), choices=Category.choices)
    risk_level = forms.ChoiceField(
        label=_("风险等级"), choices=RiskLevel.choices, initial=RiskLevel.ORDINARY
    )
    region = forms.ModelChoiceField(label=_("发生地区划"), queryset=Region.objects.none())
    place = forms.CharField(label=_("发生地点"), max_length=200, required=False)
    facts = forms.CharField(
        label=_("基本事实"), max_length=FACTS_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )
    amount_in_dispute = forms.DecimalField(
        label=_("争议金额（元）"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    source_reference = forms.CharField(label=_("来源编号"), max_length=64, required=False)
    attachments = MultipleFileField(label=_("附件（照片、PDF、Word）"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _regions_for(user).order_by("path")
        if user.primary_organisation:
            self.fields["region"].initial = user.primary_organisation.region_id


class PartyForm(BootstrapForm):
    role = forms.ChoiceField(label=_("诉讼地位"), choices=PartyRole.choices)
    kind = forms.ChoiceField(label=_("类型"), choices=Party.Kind.choices, initial=Party.Kind.PERSON)
    name = forms.CharField(label=_("姓名/名称"), max_length=120)
    id_number = forms.CharField(
        label=_("身份证号码"), max_length=18, required=False, validators=[validate_id_number]
    )
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=18,
        required=False,
        validators=[validate_credit_code],
    )
    phone = forms.CharField(
        label=_("联系电话"), max_length=20, required=False, validators=[validate_mobile]
    )
    address = forms.CharField(label=_("住址"), max_length=200, required=False)

    # A row the clerk added but never typed in is not a party: its role and kind selects
    # carry defaults, so only these fields say whether the row was used.
    IDENTIFYING_FIELDS = ("name", "id_number", "credit_code", "phone", "address")

    def has_changed(self):
        return any(
            (self.data.get(self.add_prefix(name)) or "").strip() for name in self.IDENTIFYING_FIELDS
        )

    def clean(self):
        data = super().clean()
        if data.get("kind") == Party.Kind.PERSON and data.get("credit_code"):
            self.add_error("credit_code", _("自然人请填写身份证号码。"))
        if data.get("kind") == Party.Kind.ORGANISATION and data.get("id_number"):
            self.add_error("id_number", _("法人或其他组织请填写统一社会信用代码。"))
        return data


class BasePartyFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        filled = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not filled:
            raise forms.ValidationError(_("请至少填写一位当事人。"))


PartyFormSet = formset_factory(
    PartyForm, formset=BasePartyFormSet, extra=0, min_num=1, can_delete=True
)


class GridReportForm(BootstrapForm):
    """The phone form: few fields, a photo."""

    category = forms.ChoiceField(label=_("什么问题"), choices=Category.choices)
    facts = forms.CharField(
        label=_("情况描述"), max_length=FACTS_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    name = forms.CharField(label=_("反映人姓名"), max_length=60)
    phone = forms.CharField(
        label=_("反映人电话"), max_length=20, required=False, validators=[validate_mobile]
    )
    photos = MultipleFileField(
        label=_("现场照片"),
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )


# --- loop steps (one form per step; each field's errors show beside it) ---------------


class TriageForm(BootstrapForm):
    id_prefix = "triage"

    difficulty = forms.ChoiceField(label=_("难易程度"), choices=Difficulty.choices)
    duty_note = forms.CharField(label=_("职责研判"), max_length=200, required=False)
    lead_organisation = forms.ModelChoiceField(
        label=_("主责单位"), queryset=Organisation.objects.none(), required=False
    )
    coordinator = forms.ModelChoiceField(
        label=_("牵头领导"), queryset=User.objects.none(), required=False
    )
    due_at = forms.DateTimeField(
        label=_("办结期限"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("留空按难易程度的默认时限"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_organisation"].queryset = Organisation.objects.filter(
            kind__in=RESPONDER_KINDS, is_active=True
        ).order_by("path")
        self.fields["coordinator"].queryset = User.objects.filter(
            memberships__role=Role.SUPERVISOR, memberships__is_active=True, is_active=True
        ).distinct()


class RedispatchForm(BootstrapForm):
    """改派 a handed-back dispatch to another unit, with its own answer deadline."""

    id_prefix = "redispatch"

    responder = forms.ModelChoiceField(label=_("改派单位"), queryset=Organisation.objects.none())
    deadline = forms.DateTimeField(
        label=_("答卷期限"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("留空使用研判确定的办结期限"),
    )
    instructions = forms.CharField(
        label=_("交办要求"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = Organisation.objects.filter(kind__in=RESPONDER_KINDS, is_active=True)
        if exclude is not None:
            queryset = queryset.exclude(pk=exclude)
        self.fields["responder"].queryset = queryset.order_by("kind", "name")

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        if deadline and deadline <= timezone.now():
            raise forms.ValidationError(_("答卷期限应晚于当前时间。"))
        return deadline


class DispatchForm(BootstrapForm):
    id_prefix = "dispatch"

    responders = forms.ModelMultipleChoiceField(
        label=_("应哨单位"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = forms.DateTimeField(
        label=_("答卷期限"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("留空使用研判确定的办结期限"),
    )
    instructions = forms.CharField(
        label=_("交办要求"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responders"].queryset = Organisation.objects.filter(
            kind__in=RESPONDER_KINDS, is_active=True
        ).order_by("kind", "name")

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        if deadline and deadline <= timezone.now():
            raise forms.ValidationError(_("答卷期限应晚于当前时间。"))
        return deadline


class AnswerForm(BootstrapForm):
    id_prefix = "answer"

    answer = forms.CharField(
        label=_("处置情况"), max_length=ANSWER_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )
    attachments = MultipleFileField(label=_("附件"))


class ReasonForm(BootstrapForm):
    reason = forms.CharField(
        label=_("理由"), max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )


class HandBackForm(ReasonForm):
    """退回 by a responder: why this is not theirs to do."""

    id_prefix = "hand_back"

    reason = forms.CharField(
        label=_("退回理由"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("退回理由（如非本单位职责）")}),
    )


class SendBackForm(ReasonForm):
    """交卷·退回重办: why the answers are not good enough."""

    id_prefix = "send_back"

    reason = forms.CharField(
        label=_("退回重办理由"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NoteForm(BootstrapForm):
    note = forms.CharField(
        label=_("说明"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class ReviewForm(NoteForm):
    """交卷·确认化解, with an optional review note."""

    id_prefix = "review"

    note = forms.CharField(
        label=_("审核意见"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("审核意见（可选）")}),
    )


class CloseForm(NoteForm):
    """销号 without a rating: the reason is required."""

    id_prefix = "close"

    note = forms.CharField(
        label=_("销号理由"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"placeholder": _("销号理由（如无法回访）")}),
    )


class FlagForm(BootstrapForm):
    """督办 (flagged=1, with an opinion) or its withdrawal (flagged=0)."""

    id_prefix = "flag"

    flagged = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")],
        coerce=lambda value: value == "1",
        empty_value=False,
        required=False,
        widget=forms.HiddenInput,
    )
    note = forms.CharField(label=_("督办意见"), max_length=FLAG_NOTE_MAX_LENGTH, required=False)


class ReferForm(BootstrapForm):
    id_prefix = "refer"

    target = forms.ChoiceField(label=_("移交去向"), choices=ReferralTarget.choices)
    note = forms.CharField(label=_("说明"), max_length=NOTE_MAX_LENGTH, required=False)


class RatingForm(BootstrapForm):
    score = forms.TypedChoiceField(
        label=_("您对办理结果满意吗？"),
        coerce=int,
        choices=[(5, _("满意")), (3, _("基本满意")), (1, _("不满意"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    comment = forms.CharField(
        label=_("意见建议"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class BundleForm(BootstrapForm):
    title = forms.CharField(label=_("共性问题"), max_length=120)
    description = forms.CharField(
        label=_("情况说明"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class EscalateForm(BootstrapForm):
    id_prefix = "escalate"

    escalated_to = forms.ModelChoiceField(
        label=_("上报至"), queryset=Organisation.objects.filter(is_active=True)
    )
    note = forms.CharField(label=_("说明"), max_length=NOTE_MAX_LENGTH, required=False)


class ResultForm(BootstrapForm):
    id_prefix = "result"

    result = forms.CharField(
        label=_("办理结果"), max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )


class ListFilterForm(BootstrapForm):
    q = forms.CharField(label=_("搜索"), max_length=SEARCH_MAX_LENGTH, required=False)
    status = forms.ChoiceField(label=_("状态"), required=False)
    category = forms.ChoiceField(label=_("类别"), required=False)
    source_channel = forms.ChoiceField(label=_("来源"), required=False)
    risk_level = forms.ChoiceField(label=_("风险"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("登记单位"), queryset=Organisation.objects.none(), required=False
    )
    responder = forms.ModelChoiceField(
        label=_("应哨单位"), queryset=Organisation.objects.none(), required=False
    )
    overdue = forms.BooleanField(label=_("已超期"), required=False)
    due_today = forms.BooleanField(label=_("今日到期"), required=False)
    open = forms.BooleanField(label=_("在办"), required=False)
    mine = forms.BooleanField(label=_("我登记的"), required=False)
    flagged = forms.BooleanField(label=_("督办"), required=False)
    # the home page's "overdue by unit" links to one unit exactly (not its subtree)
    unit = forms.ModelChoiceField(
        label=_("单位"), queryset=Organisation.objects.none(), required=False,
        widget=forms.HiddenInput,
    )  # fmt: skip
    date_from = forms.DateField(
        label=_("登记自"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("登记至"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    # The disputes one bulk import created (the link from a finished import).
    import_batch = forms.IntegerField(
        label=_("导入批次"), required=False, min_value=1, widget=forms.HiddenInput
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import DisputeStatus

        blank = [("", _("全部"))]
        self.fields["status"].choices = blank + list(DisputeStatus.choices)
        self.fields["category"].choices = blank + list(Category.choices)
        self.fields["source_channel"].choices = blank + list(SourceChannel.choices)
        self.fields["risk_level"].choices = blank + list(RiskLevel.choices)
        self.fields["organisation"].queryset = organisations
        self.fields["unit"].queryset = organisations
        self.fields["responder"].queryset = Organisation.objects.filter(
            kind__in=RESPONDER_KINDS
        ).order_by("name")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("“登记至”早于“登记自”，没有纠纷能符合，请调整日期。"))
        return data

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = dict(self.cleaned_data)
        for key in ("organisation", "responder", "unit"):
            data[key] = data[key].pk if data.get(key) else None
        return {k: v for k, v in data.items() if v not in (None, "", False)}
