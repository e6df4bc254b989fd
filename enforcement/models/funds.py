"""The case-fund ledger (案款, 一案一账号): one account per case, an append-only list of
entries, and the records the entries belong to (receipts, disbursements).

- FundAccount: the case's account; `balance` is what the court holds for the case. A
  database CheckConstraint keeps it >= 0; services update it under select_for_update in
  the same transaction as the entry, so the balance is always the sum of the entries.
- FundEntry: one movement of money, signed (+ in, − out), numbered per case, with the
  balance after it. Entries are never edited or deleted (a PostgreSQL trigger refuses it);
  a mistake is corrected by a reversing entry (kind REVERSAL, `reverses` the original).
- FundReceipt: money that arrived (扣划, 主动缴纳, 拍卖款, 担保人代偿 …). Each receipt runs a
  payout clock (enforcement.funds_disbursement) met when all of it has left the account.
- FundDisbursement: money leaving to a party — a payout to an applicant (发放) or a refund
  to the debtor (退还): requested by one person, approved by another (a supervisor or the
  configured role), then paid with the payout date and the bank reference. Drawn on one
  receipt, so the disbursement cycle (receipt → payout) is known per receipt.
Fees (执行费 etc.) are entries of kind FEE, with their fee kind.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .core import MONEY, CaseParty, EnforcementCase

ZERO = Decimal("0.00")


class FundAccount(models.Model):
    """The case's account (一案一账号). `balance` >= 0 is enforced by the database."""

    case = models.OneToOneField(
        EnforcementCase,
        verbose_name=_("执行案件"),
        on_delete=models.PROTECT,
        related_name="fund_account",
    )
    balance = models.DecimalField(_("账户余额（元）"), **MONEY, default=ZERO)
    # the number of the last entry (entries are numbered 1, 2, 3 … per case)
    last_entry_number = models.PositiveIntegerField(_("最后分录号"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    audit_organisation_field = "case__court"

    class Meta:
        verbose_name = _("案款账户")
        verbose_name_plural = _("案款账户")
        constraints = [
            models.CheckConstraint(
                condition=Q(balance__gte=0), name="enf_fund_balance_not_negative"
            )
        ]

    def __str__(self):
        return f"{self.case} 案款账户"


class ReceiptSource(models.TextChoices):
    DEDUCTION = "deduction", _("扣划")
    VOLUNTARY = "voluntary", _("自动履行/主动缴纳")
    AUCTION = "auction", _("拍卖、变卖价款")
    GUARANTOR = "guarantor", _("担保人代偿")
    OTHER = "other", _("其他")


class FundReceipt(models.Model):
    """Money received into the case's account."""

    case = models.ForeignKey(
        EnforcementCase,
        verbose_name=_("执行案件"),
        on_delete=models.PROTECT,
        related_name="fund_receipts",
    )
    amount = models.DecimalField(_("到账金额（元）"), **MONEY)
    source = models.CharField(_("来源"), max_length=16, choices=ReceiptSource.choices)
    received_on = models.DateField(_("到账日期"))
    payer = models.CharField(_("交款人"), max_length=120, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    # The measure the money came from (e.g. a deduction on a frozen account). A plain
    # reference so the ledger does not depend on the assets module's models.
    control_kind = models.CharField(_("来源措施类型"), max_length=40, blank=True)
    control_id = models.PositiveBigIntegerField(_("来源措施编号"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    audit_organisation_field = "case__court"

    class Meta:
        verbose_name = _("案款到账")
        verbose_name_plural = _("案款到账")
        ordering = ["received_on", "id"]
        indexes = [
            models.Index(fields=["case", "received_on"], name="enf_fund_receipt_case_idx"),
            # the court's year (enforcement/figures.py): the receipts of a period
            models.Index(fields=["received_on"], name="enf_fund_receipt_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="enf_fund_receipt_positive"),
            models.CheckConstraint(
                condition=Q(control_id__isnull=True) | ~Q(control_kind=""),
                name="enf_fund_receipt_control_kind",
            ),
        ]

    def __str__(self):
        return f"{self.case} {self.get_source_display()} {self.amount} ({self.received_on})"

    def get_absolute_url(self) -> str:
        # the payout clock's reminders link to the case's funds page
        return reverse("enforcement:funds", args=[self.case_id])


class DisbursementKind(models.TextChoices):
    PAYOUT = "payout", _("发放申请执行人")
    REFUND = "refund", _("退还被执行人")


class DisbursementStatus(models.TextChoices):
    REQUESTED = "requested", _("待审批")
    APPROVED = "approved", _("已批准待支付")
    PAID = "paid", _("已支付")
    REFUSED = "refused", _("不予批准")
    CANCELLED = "cancelled", _("已撤回")
    RETURNED = "returned", _("已冲正（退回）")


# money reserved against the balance but not yet paid
PENDING_DISBURSEMENT = (DisbursementStatus.REQUESTED, DisbursementStatus.APPROVED)


class FundDisbursement(models.Model):
    """Money leaving the account to a party, drawn on one receipt."""

    case = models.ForeignKey(
        EnforcementCase,
        verbose_name=_("执行案件"),
        on_delete=models.PROTECT,
        related_name="fund_disbursements",
    )
    receipt = models.ForeignKey(
        FundReceipt,
        verbose_name=_("对应到账"),
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    kind = models.CharField(
        _("类型"), max_length=8, choices=DisbursementKind.choices, default=DisbursementKind.PAYOUT
    )
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=DisbursementStatus.choices,
        default=DisbursementStatus.REQUESTED,
    )
    payee = models.ForeignKey(
        CaseParty, verbose_name=_("权利人"), on_delete=models.PROTECT, related_name="+"
    )
    # who actually receives the money: the payee, or their representative (代表人)
    recipient = models.ForeignKey(
        CaseParty,
        verbose_name=_("领款人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=500, blank=True)
    paid_on = models.DateField(_("支付日期"), null=True, blank=True)
    bank_reference = models.CharField(_("银行流水号"), max_length=64, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    audit_organisation_field = "case__court"

    class Meta:
        verbose_name = _("案款发放/退还")
        verbose_name_plural = _("案款发放/退还")
        ordering = ["requested_at", "id"]
        indexes = [
            models.Index(fields=["case", "status"], name="enf_fund_disb_case_idx"),
            models.Index(fields=["receipt", "status"], name="enf_fund_disb_receipt_idx"),
            # the court's year (enforcement/figures.py): the payouts made in a period
            models.Index(
                fields=["paid_on"], condition=Q(status="paid"), name="enf_fund_disb_paid_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="enf_fund_disb_positive"),
            models.CheckConstraint(
                condition=~Q(status="paid") | (Q(paid_on__isnull=False) & ~Q(bank_reference="")),
                name="enf_fund_disb_paid_has_date_ref",
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("requested_by")),
                name="enf_fund_disb_four_eyes",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name} {self.amount}"

    @property
    def name(self) -> str:
        return self.payee.name

    @property
    def via_representative(self) -> bool:
        return self.recipient_id != self.payee_id


class EntryKind(models.TextChoices):
    RECEIPT = "receipt", _("到账")
    PAYOUT = "payout", _("发放")
    REFUND = "refund", _("退还")
    FEE = "fee", _("费用")
    REVERSAL = "reversal", _("冲正")


OUTGOING_KINDS = (EntryKind.PAYOUT, EntryKind.REFUND, EntryKind.FEE)


class FeeKind(models.TextChoices):
    ENFORCEMENT_FEE = "enforcement_fee", _("执行费")
    APPRAISAL = "appraisal", _("评估费")
    AUCTION = "auction", _("拍卖辅助费")
    OTHER = "other", _("其他费用")


class FundEntry(models.Model):
    """One movement of money on the case's account. Never edited: reversed."""

    case = models.ForeignKey(
        EnforcementCase,
        verbose_name=_("执行案件"),
        on_delete=models.PROTECT,
        related_name="fund_entries",
    )
    number = models.PositiveIntegerField(_("分录号"))
    kind = models.CharField(_("类型"), max_length=8, choices=EntryKind.choices)
    # signed: + money in, − money out
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    balance_after = models.DecimalField(_("余额（元）"), **MONEY)
    occurred_on = models.DateField(_("发生日期"))
    receipt = models.ForeignKey(
        FundReceipt,
        verbose_name=_("对应到账"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
    )
    disbursement = models.ForeignKey(
        FundDisbursement,
        verbose_name=_("对应发放"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
    )
    fee_kind = models.CharField(_("费用类型"), max_length=16, choices=FeeKind.choices, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("冲正的分录"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    reason = models.CharField(_("事由"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记账人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("记账时间"), default=timezone.now)

    audit_organisation_field = "case__court"

    class Meta:
        verbose_name = _("案款分录")
        verbose_name_plural = _("案款分录")
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="enf_fund_entry_number"),
            models.CheckConstraint(
                condition=Q(balance_after__gte=0), name="enf_fund_entry_balance_not_negative"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="receipt", amount__gt=0, receipt__isnull=False, reverses__isnull=True)
                    | Q(kind__in=["payout", "refund"], amount__lt=0, disbursement__isnull=False,
                        receipt__isnull=False, reverses__isnull=True)
                    | Q(kind="fee", amount__lt=0, reverses__isnull=True) & ~Q(fee_kind="")
                    | Q(kind="reversal", reverses__isnull=False) & ~Q(amount=0) & ~Q(reason="")
                ),
                name="enf_fund_entry_kind_shape",
            ),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.case} #{self.number} {self.get_kind_display()} {self.amount}"


class DirectPaymentEvidence(models.TextChoices):
    APPLICANT_STATEMENT = "applicant_statement", _("申请执行人书面确认")
    IN_PERSON = "in_person", _("申请执行人当面确认（笔录）")
    TRANSFER_RECORD = "transfer_record", _("转账凭证经申请执行人认可")


class DirectPayment(models.Model):
    """The debtor paid an applicant directly, outside the court's account (直接履行): the
    applicant's confirmation is the evidence. It counts towards what the applicant was
    ordered to receive, never touches the ledger, and is withdrawn (not deleted) if the
    confirmation turns out wrong."""

    case = models.ForeignKey(
        EnforcementCase, verbose_name=_("执行案件"), on_delete=models.PROTECT,
        related_name="direct_payments",
    )  # fmt: skip
    payee = models.ForeignKey(
        CaseParty, verbose_name=_("申请执行人"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    paid_on = models.DateField(_("履行日期"))
    evidence = models.CharField(_("确认方式"), max_length=24, choices=DirectPaymentEvidence.choices)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("撤销人"), on_delete=models.PROTECT,
        related_name="+", null=True, blank=True,
    )  # fmt: skip
    withdrawal_reason = models.CharField(_("撤销理由"), max_length=500, blank=True)

    audit_organisation_field = "case__court"

    class Meta:
        verbose_name = _("直接履行")
        verbose_name_plural = _("直接履行")
        ordering = ["paid_on", "id"]
        indexes = [models.Index(fields=["case", "paid_on"], name="enf_direct_payment_case_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="enf_direct_payment_positive"),
        ]

    def __str__(self):
        return f"{self.case} {self.payee} {self.amount} ({self.paid_on})"

    def get_absolute_url(self) -> str:
        return reverse("enforcement:funds", args=[self.case_id])
