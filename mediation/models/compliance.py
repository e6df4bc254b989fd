"""Compliance with an agreement (协议履行): payments recorded against its instalments.

An instalment's state is derived, never stored twice: paid in full (sum of its payments ≥
its amount) → 已履行; its `mediation.instalment` clock missed and not paid in full → 逾期;
otherwise 待履行. The agreement reads 履行中 / 已履行 / 未按期履行 from its instalments
(`mediation.selectors_compliance`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.money import format_yuan


class InstalmentPayment(models.Model):
    """One payment (or part payment) of an instalment, as the mediator recorded it."""

    instalment = models.ForeignKey(
        "mediation.Instalment", on_delete=models.PROTECT, related_name="payments"
    )
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    paid_on = models.DateField(_("付款日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    audit_organisation_field = "instalment__obligation__agreement__case__organisation"

    class Meta:
        verbose_name = _("履行记录")
        verbose_name_plural = _("履行记录")
        ordering = ["paid_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="mediation_payment_amount_positive"
            )
        ]

    def __str__(self):
        return f"{self.instalment} {format_yuan(self.amount)}"
