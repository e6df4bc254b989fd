"""The lists' forms: the court's filters and bulk assignment."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import BootstrapForm
from common.widgets import QuickCheckboxInput, QuickNumberInput, QuickSelect, QuickTextInput

from .models import CaseStatus, CaseType

SEARCH_MAX_LENGTH = 60
PRIORITY_CHOICES = [
    ("enterprise", _("涉企绿色通道")),
    ("livelihood", _("涉民生案件")),
    ("small_claim", _("小额快执")),
]


def officer_options(officers) -> list[tuple[int, str]]:
    """(id, name) of each officer, as a user is named (`User.__str__`: the full name, else
    the username): read once a request, as plain rows, for the filter's and the bulk
    assignment's selects."""
    return [
        (pk, full_name or username)
        for pk, full_name, username in officers.values_list("pk", "full_name", "username")
    ]


def assign_officer_select(options) -> str:
    """The bulk assignment's officer select (the court's list, every request), written by
    the quick widget rather than a template loop over the officers."""
    widget = QuickSelect(
        attrs={"id": "assign-officer", "class": "form-select form-select-sm",
               "style": "max-width: 14rem"},
        choices=[("", _("选择承办人")), *options],
    )  # fmt: skip
    return widget.render("officer", None)


class CourtListForm(BootstrapForm):
    """The court's list's filters (on every request of the list: its widgets write their
    HTML in Python, common/widgets.py)."""

    q = forms.CharField(
        label=_("案号或当事人"),
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        help_text=_("案号可用全角或半角括号，可只输入开头；不含数字时按当事人姓名/名称开头查找"),
        widget=QuickTextInput,
    )
    status = forms.ChoiceField(label=_("状态"), required=False, widget=QuickSelect)
    officer = forms.ModelChoiceField(
        label=_("承办人"), queryset=None, required=False, widget=QuickSelect
    )
    case_type = forms.ChoiceField(label=_("案件类型"), required=False, widget=QuickSelect)
    year = forms.IntegerField(
        label=_("立案年度"), required=False, min_value=1949, max_value=2100,
        widget=QuickNumberInput,
    )  # fmt: skip
    priority = forms.ChoiceField(label=_("优先类别"), required=False, widget=QuickSelect)
    overdue = forms.BooleanField(label=_("有超期期限"), required=False, widget=QuickCheckboxInput)
    application_late = forms.BooleanField(
        label=_("超过申请执行期间"), required=False, widget=QuickCheckboxInput
    )

    def __init__(self, *args, officers, options=None, **kwargs):
        """`officers`: whom the filter accepts (a queryset); `options`: their
        `officer_options`, if the caller read them already (else read here)."""
        super().__init__(*args, **kwargs)
        blank = [("", _("全部"))]
        self.fields["officer"].queryset = officers
        self.fields["officer"].empty_label = _("全部")
        # the select lists the officers read once, not the queryset afresh
        options = officer_options(officers) if options is None else options
        self.fields["officer"].widget.choices = blank + list(options)
        self.fields["status"].choices = blank + list(CaseStatus.choices)
        self.fields["case_type"].choices = blank + list(CaseType.choices)
        self.fields["priority"].choices = blank + PRIORITY_CHOICES

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value not in ("", None)}


class BulkAssignForm(BootstrapForm):
    ids = forms.TypedMultipleChoiceField(
        label=_("案件"), coerce=int, choices=(), error_messages={"required": _("请先勾选案件。")}
    )
    officer = forms.ModelChoiceField(
        label=_("承办人"), queryset=None, error_messages={"required": _("请选择承办人。")}
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        # any id is accepted here; the scope decides which cases it names
        self.fields["ids"].valid_value = lambda value: True
