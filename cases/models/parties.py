"""Parties: one record per person or organisation across all their disputes."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Party(models.Model):
    """A natural person (matched by ID number) or an organisation (by credit code).

    ID numbers and phones are personal information: stored encrypted, looked up through
    a keyed blind index, and shown masked (see ``common.pii``).
    """

    class Kind(models.TextChoices):
        PERSON = "person", _("自然人")
        ORGANISATION = "organisation", _("法人/其他组织")

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(_("姓名/名称"), max_length=120, db_index=True)
    id_number_encrypted = models.TextField(_("身份证号码（密文）"), blank=True, editable=False)
    id_number_index = models.CharField(
        _("身份证号码索引"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("HMAC-SHA256 盲索引，用于精确查找，不可还原"),
    )
    id_number_masked = models.CharField(_("身份证号码"), max_length=32, blank=True, editable=False)
    phone_encrypted = models.TextField(_("联系电话（密文）"), blank=True, editable=False)
    phone_index = models.CharField(
        _("联系电话索引"), max_length=64, blank=True, editable=False, db_index=True
    )
    phone_masked = models.CharField(_("联系电话"), max_length=32, blank=True, editable=False)
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        blank=True,
        help_text=_("法人和其他组织的统一社会信用代码，属公开信息"),
    )
    legal_representative = models.CharField(_("法定代表人/负责人"), max_length=60, blank=True)
    address = models.CharField(_("住所/地址"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("建档时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    audit_masked_fields = (
        "id_number_encrypted",
        "id_number_index",
        "phone_encrypted",
        "phone_index",
    )
    audit_organisation_field = ""

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_index"],
                condition=~Q(id_number_index=""),
                name="party_unique_id_number",
            ),
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="party_unique_credit_code",
            ),
            models.CheckConstraint(
                condition=Q(kind="person", credit_code="")
                | Q(kind="organisation", id_number_index=""),
                name="party_identifier_matches_kind",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def identifier_display(self) -> str:
        return self.credit_code if self.kind == self.Kind.ORGANISATION else self.id_number_masked
