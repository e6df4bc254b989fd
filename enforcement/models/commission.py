"""Commission and cross-enforcement (enf-commission).

- 委托执行: the enforcing (sending) court asks another court to carry out named work on its
  case (seize a vehicle there, hand over a child, question the debtor ...). The case stays
  the sending court's; the receiving court sees that one case (parties, basis) and acts on
  the commission: registers it (受托立案, within 15 days of receipt), reports progress (within
  30 days if not done), finishes or returns it, or refuses it with reasons.
- 交叉执行 / 指定执行 / 提级执行: a higher court's supervisor moves a case to another court
  (or to the higher court itself) and its team; the case keeps its number, the new court
  becomes the enforcing court, the original court keeps read access. `CaseTransfer` is the
  record of each move (who, when, why).

Rules: enforcement/services/commission.py; scope: enforcement/selectors.py
(`shared_case_condition` from enforcement/selectors_commission.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .core import EnforcementCase

USER = settings.AUTH_USER_MODEL


class CommissionStatus(models.TextChoices):
    REQUESTED = "requested", _("已委托，待受托法院立案")
    REGISTERED = "registered", _("受托法院已立案执行")
    FINISHED = "finished", _("受托事项已办结")
    RETURNED = "returned", _("已退回委托法院")
    REFUSED = "refused", _("受托法院不予受理")
    WITHDRAWN = "withdrawn", _("委托法院已撤回")


# While a commission is in one of these, the receiving court sees the case.
COMMISSION_OPEN_STATUSES = (CommissionStatus.REQUESTED, CommissionStatus.REGISTERED)
# undone this long after the commission, the applicant may ask the higher court to take over
TAKEOVER_MONTHS = 6


class Commission(models.Model):
    """委托执行: one request from the case's court to another court."""

    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="commissions")
    sending_court = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("委托法院"), on_delete=models.PROTECT,
        related_name="commissions_sent",
    )  # fmt: skip
    receiving_court = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("受托法院"), on_delete=models.PROTECT,
        related_name="commissions_received",
    )  # fmt: skip
    status = models.CharField(
        _("状态"), max_length=12, choices=CommissionStatus.choices,
        default=CommissionStatus.REQUESTED,
    )  # fmt: skip
    matters = models.TextField(_("委托事项"), help_text=_("请受托法院办理的具体事项"))
    assets_note = models.TextField(_("被执行人在受托地的财产或线索"), blank=True)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("委托时间"), default=timezone.now)
    registered_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    registered_at = models.DateTimeField(_("受托立案时间"), null=True, blank=True)
    receiving_number = models.CharField(_("受托案号"), max_length=60, blank=True)
    receiving_officer = models.ForeignKey(
        USER, verbose_name=_("受托承办人"), on_delete=models.PROTECT, related_name="+",
        null=True, blank=True,
    )  # fmt: skip
    ended_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    end_reason = models.TextField(_("结果或理由"), blank=True)
    letter = models.ForeignKey(
        "documents.IssuedDocument", verbose_name=_("委托执行函"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip

    audit_organisation_field = "sending_court"

    class Meta:
        verbose_name = _("委托执行")
        verbose_name_plural = _("委托执行")
        indexes = [
            models.Index(fields=["receiving_court", "status"], name="enf_commission_recv_idx"),
            models.Index(fields=["case", "-requested_at"], name="enf_commission_case_idx"),
        ]
        constraints = [
            # one open commission of a case to the same court at a time
            models.UniqueConstraint(
                fields=["case", "receiving_court"],
                condition=Q(status__in=["requested", "registered"]),
                name="enf_commission_one_open",
            ),
            models.CheckConstraint(
                condition=~Q(sending_court=models.F("receiving_court")),
                name="enf_commission_other_court",
            ),
        ]

    def __str__(self):
        return _("委托执行 %(number)s → %(court)s") % {
            "number": self.case.case_number,
            "court": self.receiving_court.name,
        }

    @property
    def is_open(self) -> bool:
        return self.status in COMMISSION_OPEN_STATUSES

    @property
    def takeover_from(self):
        """The day from which the applicant may ask the higher court to take the case over:
        6 months after the commission, if it is still undone (DOMAIN.md, 委托执行)."""
        from deadlines.calendar import add_months

        return add_months(timezone.localtime(self.requested_at).date(), TAKEOVER_MONTHS)

    @property
    def takeover_open(self) -> bool:
        return self.is_open and timezone.localdate() >= self.takeover_from


class CommissionReport(models.Model):
    """受托法院的执行情况函告: what the receiving court did, in its own words."""

    commission = models.ForeignKey(Commission, on_delete=models.PROTECT, related_name="reports")
    text = models.TextField(_("执行情况"))
    amount_recovered = models.DecimalField(
        _("执行到位金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    reported_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("报告时间"), default=timezone.now)

    audit_organisation_field = "commission__sending_court"

    class Meta:
        verbose_name = _("受托执行情况报告")
        verbose_name_plural = _("受托执行情况报告")
        ordering = ["reported_at", "pk"]

    def __str__(self):
        return str(_("受托执行情况报告"))


class TransferKind(models.TextChoices):
    CROSS = "cross", _("交叉执行")
    DESIGNATED = "designated", _("指定执行")
    ELEVATED = "elevated", _("提级执行")


class CaseTransfer(models.Model):
    """A move of a case to another enforcing court (or team) by a higher court's supervisor.
    The case keeps its number; `from_court` keeps read access to it."""

    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="transfers")
    kind = models.CharField(_("方式"), max_length=12, choices=TransferKind.choices)
    from_court = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("原执行法院"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    to_court = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("承办法院"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    from_officer = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    to_officer = models.ForeignKey(
        USER, verbose_name=_("承办人"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("理由"))
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("决定时间"), default=timezone.now)

    audit_organisation_field = "from_court"

    class Meta:
        verbose_name = _("交叉执行/指定执行")
        verbose_name_plural = _("交叉执行/指定执行")
        indexes = [
            models.Index(fields=["from_court", "case"], name="enf_transfer_from_idx"),
            models.Index(fields=["case", "-decided_at"], name="enf_transfer_case_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.case.case_number}"
