"""Credit sanctions (信用惩戒): the dishonest list (失信被执行人名单) and consumption
restrictions (限制消费), each imposed in one enforcement case on one debtor.

The debtor's credit record is every Listing and Restriction whose `debtor` is the same
cases.Party (one person by ID number, one organisation by credit code), across courts and
cases. An organisation's sanctions also bind its legal representative, actual controller
and the person directly responsible: those are Parties too (BoundPerson).

Publication and the partner feed: every change a partner must see (published, grade
changed, removed, shielded, restored) takes the next `feed_version` from one gap-free
counter (FeedSequence, row-locked until commit, so versions appear in commit order and a
reader syncing "after version N" never skips a row) and writes a CreditChange row; the
sanction keeps its latest version in `feed_version`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Ground(models.TextChoices):
    """The six statutory grounds for listing (DOMAIN.md, "Dishonest list")."""

    ABLE_REFUSES = "1", _("有履行能力而拒不履行生效法律文书确定义务")
    OBSTRUCTS = "2", _("以伪造证据、暴力、威胁等方法妨碍、抗拒执行")
    EVADES = "3", _("以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行")
    BREAKS_REPORTING = "4", _("违反财产报告制度")
    BREAKS_RESTRICTION = "5", _("违反限制消费令")
    BREAKS_SETTLEMENT = "6", _("无正当理由拒不履行执行和解协议")


class Grade(models.TextChoices):
    """Graded dishonest conduct (2025 practice)."""

    MINOR = "minor", _("轻微")
    GENERAL = "general", _("一般")
    SERIOUS = "serious", _("严重")


class Ability(models.TextChoices):
    """The finding on the debtor's ability: only the unwilling are listed."""

    UNWILLING = "unwilling", _("失信（有能力而不履行）")
    UNABLE = "unable", _("失能（确无履行能力）")


class Publication(models.TextChoices):
    PENDING = "pending", _("待公布")
    PUBLISHED = "published", _("已公布")
    SHIELDED = "shielded", _("已屏蔽")
    REMOVED = "removed", _("已删除")


# what the public lookup and the partner feed may show
PUBLIC_STATES = (Publication.PUBLISHED,)
# sanctions still in force (not yet lifted)
LIVE_PUBLICATION = (Publication.PENDING, Publication.PUBLISHED)


class BoundRole(models.TextChoices):
    LEGAL_REPRESENTATIVE = "legal_representative", _("法定代表人")
    ACTUAL_CONTROLLER = "actual_controller", _("实际控制人")
    DIRECTLY_RESPONSIBLE = "directly_responsible", _("影响债务履行的直接责任人员")


class AbilityFinding(models.Model):
    """失信/失能 认定: the officer's finding on whether the debtor can perform. A debtor found
    unable (失能) is recorded here and is not listed; a listing needs an `unwilling` one."""

    case = models.ForeignKey(
        "enforcement.EnforcementCase", on_delete=models.PROTECT, related_name="ability_findings"
    )
    case_party = models.ForeignKey(
        "enforcement.CaseParty", on_delete=models.PROTECT, related_name="ability_findings"
    )
    debtor = models.ForeignKey("cases.Party", on_delete=models.PROTECT, related_name="+")
    court = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    finding = models.CharField(_("认定"), max_length=12, choices=Ability.choices)
    reasons = models.TextField(_("认定理由"))
    found_on = models.DateField(_("认定日期"))
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("认定人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    audit_organisation_field = "court"

    class Meta:
        verbose_name = _("履行能力认定")
        verbose_name_plural = _("履行能力认定")
        ordering = ["-found_on", "-pk"]
        indexes = [models.Index(fields=["debtor", "finding"], name="credit_ability_debtor_idx")]

    def __str__(self):
        return f"{self.case_party.name} {self.get_finding_display()}"


class Sanction(models.Model):
    """What a Listing and a Restriction share: the case, the debtor (with the facts the
    public notice prints, frozen at the decision), the decision document, the term, the
    publication state and the feed version."""

    case = models.ForeignKey(
        "enforcement.EnforcementCase", verbose_name=_("执行案件"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    case_party = models.ForeignKey(
        "enforcement.CaseParty", verbose_name=_("被执行人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    debtor = models.ForeignKey(
        "cases.Party", verbose_name=_("被执行人（档案）"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    court = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("执行法院"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    # --- the published facts, frozen at the decision (DOMAIN.md "Published data")
    debtor_kind = models.CharField(_("主体类型"), max_length=16)
    debtor_name = models.CharField(_("姓名/名称"), max_length=120)
    debtor_id_index = models.CharField(
        _("证件号码索引"), max_length=64, blank=True, editable=False,
        help_text=_("身份证号码的盲索引（组织为空），用于精确查找"),
    )  # fmt: skip
    debtor_id_masked = models.CharField(_("身份证号码（脱敏）"), max_length=32, blank=True)
    debtor_credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    debtor_sex = models.CharField(_("性别"), max_length=8, blank=True)
    debtor_birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    debtor_legal_representative = models.CharField(
        _("法定代表人/负责人"), max_length=60, blank=True
    )
    # --- the decision
    decision_document = models.ForeignKey(
        "documents.IssuedDocument", verbose_name=_("决定文书"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    starts_on = models.DateField(_("起始日期"), null=True, blank=True)
    ends_on = models.DateField(
        _("届满日期"), null=True, blank=True, help_text=_("为空表示至履行完毕之日")
    )
    publication = models.CharField(
        _("公布状态"), max_length=12, choices=Publication.choices, default=Publication.PENDING
    )
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    lifted_at = models.DateTimeField(_("删除/屏蔽时间"), null=True, blank=True)
    feed_version = models.BigIntegerField(
        _("变更版本"), null=True, blank=True, editable=False,
        help_text=_("最近一次对外可见变更（公布、等级变更、删除、屏蔽）的版本号"),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    audit_masked_fields = ("debtor_id_index",)
    audit_organisation_field = "court"

    class Meta:
        abstract = True

    @property
    def enforcing_court(self):
        """The court that acts on the entry now: its case's court (执行法院) — the court
        that decided it until the case is moved (交叉执行 / 指定执行 / 提级执行), then the
        receiving court. `court` stays the record of who decided."""
        return self.case.court

    @property
    def is_public(self) -> bool:
        return self.publication in PUBLIC_STATES

    @property
    def is_live(self) -> bool:
        return self.publication in LIVE_PUBLICATION

    def age_on(self, date) -> int | None:
        birth = self.debtor_birth_date
        if birth is None:
            return None
        return date.year - birth.year - ((date.month, date.day) < (birth.month, birth.day))


class Listing(Sanction):
    """纳入失信被执行人名单: one debtor of one case, on one ground."""

    ground = models.CharField(_("失信情形"), max_length=2, choices=Ground.choices)
    grade = models.CharField(_("失信等级"), max_length=8, choices=Grade.choices)
    repeated = models.BooleanField(_("多次失信"), default=False)
    ability_finding = models.ForeignKey(
        AbilityFinding, verbose_name=_("履行能力认定"), on_delete=models.PROTECT,
        related_name="listings",
    )  # fmt: skip
    duty = models.TextField(_("生效法律文书确定的义务"))
    conduct = models.TextField(_("失信被执行人行为具体情形"))
    performance = models.CharField(_("履行情况"), max_length=60, default="全部未履行")
    # the exclusions as checked at the decision (each must have been false)
    exclusions_checked = models.JSONField(_("排除情形核查"), default=dict, blank=True)
    decided_on = models.DateField(_("决定日期"))
    base_years = models.PositiveSmallIntegerField(
        _("基础期限（年）"), null=True, blank=True, help_text=_("情形二至六为二年；情形一为空")
    )
    extra_years = models.PositiveSmallIntegerField(
        _("延长期限（年）"), default=0, help_text=_("情节严重或多次失信的，延长一至三年")
    )
    grace_until = models.DateField(
        _("宽限期至"), null=True, blank=True, help_text=_("善意执行宽限期届满后公布")
    )

    class Meta:
        verbose_name = _("失信被执行人名单")
        verbose_name_plural = _("失信被执行人名单")
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(extra_years__lte=3), name="credit_listing_extra"),
            models.CheckConstraint(
                condition=Q(ground="1", base_years__isnull=True, extra_years=0)
                | (~Q(ground="1") & Q(base_years__isnull=False)),
                name="credit_listing_period_rule",
            ),
        ]
        indexes = [
            models.Index(fields=["debtor", "publication"], name="credit_listing_debtor_idx"),
            models.Index(fields=["case", "case_party"], name="credit_listing_case_idx"),
            models.Index(fields=["court", "-decided_on"], name="credit_listing_court_idx"),
            models.Index(fields=["feed_version"], name="credit_listing_feed_idx"),
            models.Index(fields=["publication", "ends_on"], name="credit_listing_expiry_idx",
                         condition=Q(publication__in=["pending", "published"])),
            models.Index(fields=["publication", "grace_until"], name="credit_listing_grace_idx",
                         condition=Q(publication="pending")),
        ]  # fmt: skip

    def __str__(self):
        return f"失信 {self.debtor_name} {self.case}"

    def get_absolute_url(self) -> str:
        return reverse("credit:listing", args=[self.pk])


class Restriction(Sanction):
    """限制消费令: asked by the officer, signed (approved) by the president, then in force
    until lifted. A listing always brings one (basis `listing`)."""

    class State(models.TextChoices):
        PENDING_APPROVAL = "pending_approval", _("待院长审批")
        REFUSED = "refused", _("不予批准")
        IN_FORCE = "in_force", _("生效中")
        LIFTED = "lifted", _("已解除")

    class Basis(models.TextChoices):
        MISSED_NOTICE = "missed_notice", _("未按执行通知履行")
        LISTING = "listing", _("纳入失信被执行人名单")

    state = models.CharField(
        _("状态"), max_length=20, choices=State.choices, default=State.PENDING_APPROVAL
    )
    basis = models.CharField(_("限制依据"), max_length=16, choices=Basis.choices)
    listing = models.ForeignKey(
        Listing, verbose_name=_("失信名单"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="restrictions",
    )  # fmt: skip
    reasons = models.TextField(_("限制消费理由"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审批人（院长）"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="credit_restrictions_to_decide",
        help_text=_("为空：案件移送后待承办法院报请本院院长审批"),
    )  # fmt: skip
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("限制消费令")
        verbose_name_plural = _("限制消费令")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # no approver only while waiting for one: a case moved before the decision
            # (credit.services.transfer) leaves the receiving court to name its president
            models.CheckConstraint(
                condition=Q(approver__isnull=False) | Q(state="pending_approval"),
                name="credit_restr_approver_unless_pending",
            ),
        ]
        indexes = [
            models.Index(fields=["debtor", "state"], name="credit_restr_debtor_idx"),
            models.Index(fields=["case", "case_party"], name="credit_restr_case_idx"),
            models.Index(fields=["approver", "state"], name="credit_restr_approver_idx"),
            models.Index(fields=["feed_version"], name="credit_restr_feed_idx"),
            # the court's figures (credit/figures.py): orders signed in a year, by month
            models.Index(fields=["court", "decided_at"], name="credit_restr_court_idx"),
        ]

    def __str__(self):
        return f"限制消费 {self.debtor_name} {self.case}"

    def get_absolute_url(self) -> str:
        return reverse("credit:restriction", args=[self.pk])


class BoundPerson(models.Model):
    """A person an organisation's sanction also binds (法定代表人, 实际控制人, 直接责任人员)."""

    listing = models.ForeignKey(
        Listing, on_delete=models.CASCADE, null=True, blank=True, related_name="bound_persons"
    )
    restriction = models.ForeignKey(
        Restriction, on_delete=models.CASCADE, null=True, blank=True,
        related_name="bound_persons",
    )  # fmt: skip
    party = models.ForeignKey("cases.Party", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("身份"), max_length=24, choices=BoundRole.choices)
    name = models.CharField(_("姓名"), max_length=120)
    id_number_masked = models.CharField(_("身份证号码（脱敏）"), max_length=32, blank=True)

    audit_organisation_field = ""

    class Meta:
        verbose_name = _("受约束人员")
        verbose_name_plural = _("受约束人员")
        ordering = ["role", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(listing__isnull=False, restriction__isnull=True)
                | Q(listing__isnull=True, restriction__isnull=False),
                name="credit_bound_one_sanction",
            ),
        ]
        indexes = [models.Index(fields=["party"], name="credit_bound_party_idx")]

    def __str__(self):
        return f"{self.get_role_display()}：{self.name}"


class FeedSequence(models.Model):
    """The one counter of feed versions (common.sequences.sequence_next, key name="feed")."""

    name = models.CharField(max_length=16, unique=True)
    last = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("信用变更版本序列")
        verbose_name_plural = _("信用变更版本序列")

    def __str__(self):
        return f"{self.name}: {self.last}"


class CreditChange(models.Model):
    """One change partners must see, in version order: the partner feed reads these after a
    cursor (`version > n`), removals and grade changes included."""

    class Action(models.TextChoices):
        PUBLISHED = "published", _("公布")
        GRADE_CHANGED = "grade_changed", _("等级变更")
        CORRECTED = "corrected", _("更正")
        REMOVED = "removed", _("删除")
        SHIELDED = "shielded", _("屏蔽（信用修复）")
        ONE_TIME_LIFTED = "one_time_lifted", _("单次解禁")

    version = models.BigIntegerField(_("版本号"), unique=True)
    action = models.CharField(_("变更"), max_length=20, choices=Action.choices)
    listing = models.ForeignKey(
        Listing, on_delete=models.PROTECT, null=True, blank=True, related_name="changes"
    )
    restriction = models.ForeignKey(
        Restriction, on_delete=models.PROTECT, null=True, blank=True, related_name="changes"
    )
    debtor = models.ForeignKey("cases.Party", on_delete=models.PROTECT, related_name="+")
    court = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    audit_organisation_field = "court"

    class Meta:
        verbose_name = _("信用变更")
        verbose_name_plural = _("信用变更")
        ordering = ["version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(listing__isnull=False, restriction__isnull=True)
                | Q(listing__isnull=True, restriction__isnull=False),
                name="credit_change_one_sanction",
            ),
        ]

    def __str__(self):
        return f"#{self.version} {self.get_action_display()}"
