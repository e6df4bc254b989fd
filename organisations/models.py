"""Regions, organisations and the people who log in.

Regions and organisations are materialised-path trees (django-treebeard MP_Node): a
subtree is one indexed `path LIKE 'prefix%'` query, never recursion in Python.
"""

from functools import cache, cached_property

from django.contrib.auth.models import AbstractUser
from django.db import DEFAULT_DB_ALIAS, connection, models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from common import prepared
from common.validators import validate_mobile

from .roles import Role


class Region(MP_Node):
    class Level(models.IntegerChoices):
        PROVINCE = 1, _("省/自治区")
        PREFECTURE = 2, _("市/盟/州")
        COUNTY = 3, _("区/县/旗")
        TOWNSHIP = 4, _("乡镇/街道/苏木")
        VILLAGE = 5, _("村/社区/嘎查")

    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(
        _("行政区划代码"), max_length=12, unique=True, help_text=_("国家统计用区划代码")
    )
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    node_order_by = ["code"]

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self):
        return self.name

    @property
    def full_name(self) -> str:
        return "".join(a.name for a in Region.objects.get_ancestors(self)) + self.name


class Organisation(MP_Node):
    class Kind(models.TextChoices):
        COURT = "court", _("人民法院")
        TRIBUNAL = "tribunal", _("人民法庭")
        GOVERNANCE_CENTRE = "governance_centre", _("社会治理综合服务中心")
        JUSTICE_OFFICE = "justice_office", _("司法所")
        MEDIATION_COMMITTEE = "mediation_committee", _("人民调解委员会")
        LEGAL_SERVICE_STATION = "legal_service_station", _("法学会基层服务站")
        DEPARTMENT = "department", _("职能部门")
        COMMUNITY = "community", _("村/社区")
        PARTY_COMMITTEE = "party_committee", _("政法委")

    name = models.CharField(_("名称"), max_length=120)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="organisations"
    )
    court_code = models.CharField(
        _("法院代字"),
        max_length=12,
        blank=True,
        help_text=_("案号中的法院代字，如“蒙0302”；仅法院填写。"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    node_order_by = ["kind", "name"]
    audit_organisation_field = "pk"  # an organisation's audit entries are its own

    class Meta:
        verbose_name = _("组织机构")
        verbose_name_plural = _("组织机构")
        indexes = [models.Index(fields=["kind", "region"], name="org_kind_region_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("organisations:detail", args=[self.pk])


class User(AbstractUser):
    full_name = models.CharField(_("姓名"), max_length=60, blank=True)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True, validators=[validate_mobile])
    organisations = models.ManyToManyField(
        Organisation, through="Membership", related_name="members", blank=True
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.full_name or self.username

    @cached_property
    def active_memberships(self) -> list["Membership"]:
        """The user's active memberships of active organisations, each with its
        organisation and region, in the order they were made. Every page asks (the menu,
        the scope): on PostgreSQL one prepared statement (`_memberships_prepared`)."""
        if connection.vendor == "postgresql" and self.pk is not None:
            return _memberships_prepared(self)
        return list(
            self.memberships.filter(is_active=True, organisation__is_active=True)
            .select_related("organisation", "organisation__region")
            .order_by("pk")
        )

    def role_set(self) -> set[str]:
        return {m.role for m in self.active_memberships}

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or bool(self.role_set() & set(roles))

    @property
    def primary_membership(self) -> "Membership | None":
        memberships = self.active_memberships
        primary = [m for m in memberships if m.is_primary]
        return (primary or memberships or [None])[0]

    @property
    def primary_organisation(self) -> Organisation | None:
        membership = self.primary_membership
        return membership.organisation if membership else None


class Membership(models.Model):
    """A user's role in one organisation. A user may belong to several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    title = models.CharField(_("职务"), max_length=60, blank=True)
    is_primary = models.BooleanField(_("主要单位"), default=False)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]
        indexes = [models.Index(fields=["organisation", "role"], name="membership_org_role_idx")]

    def __str__(self):
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"


def _columns(model) -> tuple[list[str], list[str]]:
    fields = model._meta.concrete_fields
    return [field.attname for field in fields], [field.column for field in fields]


@cache
def _memberships_statement() -> tuple[str, list[list[str]]]:
    """`active_memberships`' query as the ORM writes it with select_related, from the
    models' fields (so a new field is read without editing here)."""
    parts, attnames = [], []
    for alias, model in (("m", Membership), ("o", Organisation), ("r", Region)):
        names, columns = _columns(model)
        attnames.append(names)
        parts.extend(f'{alias}."{column}"' for column in columns)
    sql = (
        f"SELECT {', '.join(parts)} FROM {Membership._meta.db_table} m "  # noqa: S608
        f"JOIN {Organisation._meta.db_table} o ON o.id = m.organisation_id "
        f"JOIN {Region._meta.db_table} r ON r.id = o.region_id "
        "WHERE m.user_id = $1 AND m.is_active AND o.is_active ORDER BY m.id"
    )
    return sql, attnames


def _memberships_prepared(user) -> list["Membership"]:
    sql, (membership_names, organisation_names, region_names) = _memberships_statement()
    first, second = len(membership_names), len(membership_names) + len(organisation_names)
    memberships = []
    for row in prepared.fetchall(sql, ("bigint",), [user.pk]):
        membership = Membership.from_db(DEFAULT_DB_ALIAS, membership_names, row[:first])
        organisation = Organisation.from_db(DEFAULT_DB_ALIAS, organisation_names, row[first:second])
        region = Region.from_db(DEFAULT_DB_ALIAS, region_names, row[second:])
        # what select_related and the related manager leave on the instances
        Organisation._meta.get_field("region").set_cached_value(organisation, region)
        Membership._meta.get_field("organisation").set_cached_value(membership, organisation)
        Membership._meta.get_field("user").set_cached_value(membership, user)
        memberships.append(membership)
    return memberships
