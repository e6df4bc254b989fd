"""The lists' forms: the court's filters and bulk assignment."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import BootstrapForm

from .models import CaseStatus, CaseType

SEARCH_MAX_LENGTH = 60
PRIORITY_CHOICES = [
    ("enterprise", _("涉企绿色通道")),
    ("livelihood", _("涉民生案件")),
    ("small_claim", _("小额快执")),
]


class CourtListForm(BootstrapForm):
    q = forms.CharField(
        label=_("案号或当事人"),
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        help_text=_("案号可用全角或半角括号，可只输入开头；不含数字时按当事人姓名/名称开头查找"),
    )
    status = forms.ChoiceField(label=_("状态"), required=False)
    officer = forms.ModelChoiceField(label=_("承办人"), queryset=None, required=False)
    case_type = forms.ChoiceField(label=_("案件类型"), required=False)
    year = forms.IntegerField(label=_("立案年度"), required=False, min_value=1949, max_value=2100)
    priority = forms.ChoiceField(label=_("优先类别"), required=False)
    overdue = forms.BooleanField(label=_("有超期期限"), required=False)
    application_late = forms.BooleanField(label=_("超过申请执行期间"), required=False)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        blank = [("", _("全部"))]
        self.fields["officer"].queryset = officers
        self.fields["officer"].empty_label = _("全部")
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
