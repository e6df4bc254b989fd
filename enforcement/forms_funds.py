"""Forms of the case-fund page (phone-first: few fields, native date inputs, amounts typed
as text with a decimal keyboard; two places at most)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import BootstrapForm
from enforcement.models import DirectPaymentEvidence, DisbursementKind, FeeKind, ReceiptSource
from enforcement.services.funds import VIA_INDIVIDUAL, VIA_REPRESENTATIVES

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def money_field(label):
    return forms.DecimalField(
        label=label, max_digits=14, decimal_places=2, min_value=0,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "31775.00"}),
    )  # fmt: skip


class ReceiptForm(BootstrapForm):
    id_prefix = "receipt"

    amount = money_field(_("到账金额（元）"))
    source = forms.ChoiceField(label=_("来源"), choices=ReceiptSource.choices)
    received_on = forms.DateField(
        label=_("到账日期"), widget=DATE_WIDGET, initial=timezone.localdate
    )
    payer = forms.CharField(label=_("交款人"), max_length=120, required=False)
    note = forms.CharField(label=_("说明"), max_length=500, required=False)


class FeeForm(BootstrapForm):
    id_prefix = "fee"

    amount = money_field(_("费用金额（元）"))
    fee_kind = forms.ChoiceField(label=_("费用类型"), choices=FeeKind.choices)
    occurred_on = forms.DateField(label=_("日期"), widget=DATE_WIDGET, initial=timezone.localdate)
    receipt = forms.TypedChoiceField(label=_("从哪笔到账中扣除"), coerce=int, required=False,
                                     empty_value=None)  # fmt: skip
    reason = forms.CharField(label=_("说明"), max_length=500, required=False)

    def __init__(self, *args, receipts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receipt"].choices = [("", _("不指定"))] + list(receipts)


class ProposeForm(BootstrapForm):
    id_prefix = "propose"

    receipt = forms.IntegerField(widget=forms.HiddenInput)
    via = forms.ChoiceField(
        label=_("领款方式"),
        choices=[(VIA_INDIVIDUAL, _("逐人发放")), (VIA_REPRESENTATIVES, _("通过代表人发放"))],
        initial=VIA_INDIVIDUAL,
    )


class RequestForm(BootstrapForm):
    id_prefix = "request"

    receipt = forms.TypedChoiceField(label=_("从哪笔到账发放"), coerce=int)
    kind = forms.ChoiceField(label=_("类型"), choices=DisbursementKind.choices)
    payee = forms.TypedChoiceField(label=_("权利人"), coerce=int)
    amount = money_field(_("金额（元）"))
    note = forms.CharField(label=_("说明"), max_length=500, required=False)

    def __init__(self, *args, receipts=(), parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receipt"].choices = list(receipts)
        self.fields["payee"].choices = list(parties)


class BatchForm(BootstrapForm):
    """Approve / refuse / cancel every disbursement of one receipt waiting for it."""

    id_prefix = "batch"

    receipt = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("意见"), max_length=500, required=False)


class PayForm(BootstrapForm):
    id_prefix = "pay"

    receipt = forms.IntegerField(widget=forms.HiddenInput)
    # the representative (or payee) whose approved payouts this transfer covers; blank = all
    recipient = forms.IntegerField(label=_("领款人"), required=False, min_value=1)
    paid_on = forms.DateField(label=_("支付日期"), widget=DATE_WIDGET, initial=timezone.localdate)
    bank_reference = forms.CharField(label=_("银行流水号"), max_length=64)


class ReverseForm(BootstrapForm):
    id_prefix = "reverse"

    entry = forms.IntegerField(label=_("分录号"), min_value=1)
    reason = forms.CharField(label=_("冲正事由"), max_length=500)


class DirectPaymentForm(BootstrapForm):
    """直接履行: the applicant confirms the debtor paid them outside the court's account."""

    id_prefix = "direct"

    payee = forms.TypedChoiceField(label=_("申请执行人"), coerce=int)
    amount = money_field(_("确认收到金额（元）"))
    paid_on = forms.DateField(label=_("履行日期"), widget=DATE_WIDGET, initial=timezone.localdate)
    evidence = forms.ChoiceField(label=_("确认方式"), choices=DirectPaymentEvidence.choices)
    note = forms.CharField(label=_("说明"), max_length=500, required=False)

    def __init__(self, *args, applicants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payee"].choices = list(applicants)


class DirectPaymentWithdrawForm(BootstrapForm):
    id_prefix = "direct_withdraw"

    payment = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("撤销理由"), max_length=500)
