"""Mediation (人民调解 / 特邀调解): mediators, mediation cases, sessions, files, agreements.

A MediationCase belongs to the committee (or studio, station) that mediates it — that
decides who sees it — and, when a court delegated (诉前委派) or entrusted (委托调解) it, names
that court, which sees it too. Parties are the portal's one cases.Party per person (matched
by blind index); the name and phone are kept per mediation case as recorded here.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Category, PartyRole


class MediatorKind(models.TextChoices):
    PEOPLES = "peoples", _("人民调解员")
    INVITED = "invited", _("特邀调解员")
    CHIEF_LEGAL_EXPERT = "chief_legal_expert", _("首席法律咨询专家")
    LAWYER = "lawyer", _("律师")
    GRID_WORKER = "grid_worker", _("网格员")
    VOLUNTEER = "volunteer", _("热心人（志愿者）")


class Specialty(models.TextChoices):
    FAMILY = "family", _("婚姻家庭")
    NEIGHBOUR = "neighbour", _("邻里")
    PROPERTY = "property", _("物业")
    LABOUR = "labour", _("劳动争议")
    FINANCE = "finance", _("金融借款")
    CONTRACT = "contract", _("合同、借贷")
    TRAFFIC = "traffic", _("交通事故")
    IP = "ip", _("知识产权")
    LAND = "land", _("土地草场")
    INHERITANCE = "inheritance", _("继承")


# Which specialty a dispute category calls for (suggestions rank by it).
CATEGORY_SPECIALTY = {
    Category.NEIGHBOUR: Specialty.NEIGHBOUR,
    Category.MARRIAGE_FAMILY: Specialty.FAMILY,
    Category.CUSTODY_VISITATION: Specialty.FAMILY,
    Category.PROPERTY_MANAGEMENT: Specialty.PROPERTY,
    Category.LABOUR_WAGES: Specialty.LABOUR,
    Category.FINANCIAL_LOAN: Specialty.FINANCE,
    Category.SALES_CONTRACT: Specialty.CONTRACT,
    Category.PRIVATE_LENDING: Specialty.CONTRACT,
    Category.TENANCY: Specialty.CONTRACT,
    Category.WORK_CONTRACT: Specialty.CONTRACT,
    Category.TRAFFIC_ACCIDENT: Specialty.TRAFFIC,
    Category.INTELLECTUAL_PROPERTY: Specialty.IP,
    Category.LAND_BOUNDARY: Specialty.LAND,
    Category.INHERITANCE: Specialty.INHERITANCE,
}


class Language(models.TextChoices):
    MANDARIN = "zh", _("普通话")
    MONGOLIAN = "mn", _("蒙古语")
    TIBETAN = "bo", _("藏语")
    UYGHUR = "ug", _("维吾尔语")
    KAZAKH = "kk", _("哈萨克语")
    KOREAN = "ko", _("朝鲜语")
    ZHUANG = "za", _("壮语")
    YI = "ii", _("彝语")


class Mediator(models.Model):
    """A mediator's profile. `organisation` is the unit that keeps the profile (scope);
    `serves` are the committees, studios and stations they mediate for; `rosters` the
    courts that invited them (特邀调解员名册)."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("所属单位"),
        on_delete=models.PROTECT,
        related_name="mediators",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mediator_profile",
    )
    name = models.CharField(_("姓名"), max_length=60)
    kind = models.CharField(_("类别"), max_length=24, choices=MediatorKind.choices)
    title = models.CharField(_("职务/身份"), max_length=80, blank=True)
    specialties = models.JSONField(_("擅长领域"), default=list, blank=True)
    languages = models.JSONField(_("工作语言"), default=list, blank=True)
    serves = models.ManyToManyField(
        "organisations.Organisation",
        verbose_name=_("服务的调委会/工作室/站点"),
        related_name="serving_mediators",
        blank=True,
    )
    rosters = models.ManyToManyField(
        "organisations.Organisation",
        verbose_name=_("特邀法院名册"),
        related_name="invited_mediators",
        blank=True,
    )
    id_number_encrypted = models.TextField(_("身份证号码（密文）"), blank=True, editable=False)
    id_number_index = models.CharField(
        _("身份证号码索引"), max_length=64, blank=True, editable=False, db_index=True
    )
    id_number_masked = models.CharField(_("身份证号码"), max_length=32, blank=True, editable=False)
    is_active = models.BooleanField(_("在岗"), default=True)
    left_at = models.DateTimeField(_("离岗时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("建档时间"), default=timezone.now)

    audit_masked_fields = ("id_number_encrypted", "id_number_index")

    class Meta:
        verbose_name = _("调解员")
        verbose_name_plural = _("调解员")
        indexes = [models.Index(fields=["organisation", "is_active"], name="mediator_org_idx")]

    def __str__(self):
        return self.name

    def specialty_labels(self) -> list[str]:
        labels = dict(Specialty.choices)
        return [str(labels.get(code, code)) for code in self.specialties]

    def language_labels(self) -> list[str]:
        labels = dict(Language.choices)
        return [str(labels.get(code, code)) for code in self.languages]


class MediatorRelative(models.Model):
    """A close relative a mediator declared for the conflict check: only the blind index of
    the ID number is kept (never the number), enough to recognise them among parties."""

    class Relation(models.TextChoices):
        SPOUSE = "spouse", _("配偶")
        PARENT = "parent", _("父母")
        CHILD = "child", _("子女")
        SIBLING = "sibling", _("兄弟姐妹")
        OTHER = "other", _("其他近亲属")

    mediator = models.ForeignKey(Mediator, on_delete=models.CASCADE, related_name="relatives")
    relation = models.CharField(_("关系"), max_length=16, choices=Relation.choices)
    name = models.CharField(_("姓名"), max_length=60)
    id_number_index = models.CharField(_("身份证号码索引"), max_length=64, db_index=True)
    id_number_masked = models.CharField(_("身份证号码"), max_length=32)

    audit_masked_fields = ("id_number_index",)
    audit_organisation_field = "mediator__organisation"

    class Meta:
        verbose_name = _("调解员近亲属（回避审查）")
        verbose_name_plural = _("调解员近亲属（回避审查）")

    def __str__(self):
        return f"{self.mediator} · {self.get_relation_display()}"


class Source(models.TextChoices):
    COURT_DELEGATED = "court_delegated", _("诉前委派调解")
    COURT_ENTRUSTED = "court_entrusted", _("委托调解")
    PARTY_REQUEST = "party_request", _("当事人申请")
    COMPLAINT_MEETING = "complaint_meeting", _("吐槽大会")
    DISPUTE_REFERRAL = "dispute_referral", _("矛盾纠纷移交")


COURT_SOURCES = (Source.COURT_DELEGATED, Source.COURT_ENTRUSTED)


class Status(models.TextChoices):
    RECEIVED = "received", _("待签收")
    ACCEPTED = "accepted", _("已签收")
    IN_MEDIATION = "in_mediation", _("调解中")
    AGREED = "agreed", _("调解成功")
    FAILED = "failed", _("终止调解")
    WITHDRAWN = "withdrawn", _("调解撤诉")


OPEN_STATUSES = (Status.RECEIVED, Status.ACCEPTED, Status.IN_MEDIATION)


class ReferenceSequence(models.Model):
    """Gap-free mediation case numbers per organisation and year (row-locked on use)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="mediation_refseq_unique")
        ]

    def __str__(self):
        return f"{self.organisation_id}/{self.year}: {self.last}"


class MediationCase(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("调解组织"),
        on_delete=models.PROTECT,
        related_name="mediation_cases",
        help_text=_("受理并调解的调委会、工作室或站点；决定可见范围"),
    )
    reference = models.CharField(_("调解编号"), max_length=40, unique=True)
    source = models.CharField(_("来源"), max_length=24, choices=Source.choices)
    court = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("委派/委托法院"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="delegated_mediation_cases",
    )
    court_reference = models.CharField(
        _("法院案号"), max_length=60, blank=True, help_text=_("如（2026）蒙0302民诉前调12号")
    )
    simplified_procedure = models.BooleanField(
        _("简易程序"), default=False, help_text=_("委托调解适用简易程序的，调解期限为七日")
    )
    dispute = models.OneToOneField(
        "cases.Dispute",
        verbose_name=_("移交的矛盾纠纷"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mediation_case",
    )
    category = models.CharField(_("纠纷类别"), max_length=32, choices=Category.choices)
    facts = models.TextField(_("纠纷简要情况"))
    amount_in_dispute = models.DecimalField(
        _("争议金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    language = models.CharField(
        _("调解语言"), max_length=8, choices=Language.choices, default=Language.MANDARIN
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    mediator = models.ForeignKey(
        Mediator,
        verbose_name=_("承办调解员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    received_at = models.DateTimeField(_("收案时间"), default=timezone.now)
    receipt_signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    receipt_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签收人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ended_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    end_reason = models.TextField(_("终止/撤诉说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("调解案件")
        verbose_name_plural = _("调解案件")
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=["court_delegated", "court_entrusted"], court__isnull=False)
                | ~Q(source__in=["court_delegated", "court_entrusted"]),
                name="mediation_court_source_has_court",
            ),
            models.CheckConstraint(
                condition=Q(amount_in_dispute__isnull=True) | Q(amount_in_dispute__gte=0),
                name="mediation_amount_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["-received_at", "-id"], name="mediation_keyset_idx"),
            models.Index(fields=["organisation", "-received_at", "-id"], name="mediation_org_idx"),
            models.Index(fields=["court", "-received_at", "-id"], name="mediation_court_idx"),
            models.Index(fields=["mediator", "status"], name="mediation_mediator_idx"),
            models.Index(fields=["status", "-received_at", "-id"], name="mediation_status_idx"),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self) -> str:
        # reminders and deadline pages link here (deadlines.sweep looks for it)
        return reverse("mediation:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class MediationParty(models.Model):
    """A party of one mediation case, with name and phone as this case recorded them."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="case_parties")
    party = models.ForeignKey("cases.Party", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("地位"), max_length=16, choices=PartyRole.choices)
    name = models.CharField(_("姓名/名称"), max_length=120)
    phone_encrypted = models.TextField(_("联系电话（密文）"), blank=True, editable=False)
    phone_index = models.CharField(_("联系电话索引"), max_length=64, blank=True, editable=False)
    phone_masked = models.CharField(_("联系电话"), max_length=32, blank=True, editable=False)

    audit_masked_fields = ("phone_encrypted", "phone_index")
    audit_organisation_field = "case__organisation"

    class Meta:
        verbose_name = _("调解当事人")
        verbose_name_plural = _("调解当事人")
        constraints = [
            models.UniqueConstraint(fields=["case", "party", "role"], name="mediation_party_unique")
        ]

    def __str__(self):
        return f"{self.get_role_display()}：{self.name}"


class Extension(models.Model):
    """Both parties' recorded consent to extend the mediation period (诉前调解: the only way
    it may be extended). Each consenting party is named; the clock moves with it."""

    class Manner(models.TextChoices):
        SIGNED = "signed", _("书面签字")
        ORAL = "oral", _("当面口头同意（已记录）")
        PHONE = "phone", _("电话同意（已记录）")

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField(_("延长天数"))
    manner = models.CharField(_("同意方式"), max_length=16, choices=Manner.choices)
    consenting_parties = models.ManyToManyField(
        MediationParty, verbose_name=_("同意的当事人"), related_name="+"
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    audit_organisation_field = "case__organisation"

    class Meta:
        verbose_name = _("延长调解期限")
        verbose_name_plural = _("延长调解期限")
        constraints = [
            models.CheckConstraint(
                condition=Q(days__gt=0), name="mediation_extension_days_positive"
            )
        ]

    def __str__(self):
        return f"{self.case} +{self.days}"


class Session(models.Model):
    """A mediation session, planned ahead or logged after the fact."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="sessions")
    held_at = models.DateTimeField(_("调解时间"))
    is_planned = models.BooleanField(
        _("计划中"), default=False, help_text=_("尚未举行的计划调解；举行后记录笔录")
    )
    place = models.CharField(_("地点"), max_length=120, blank=True)
    mediators = models.ManyToManyField(Mediator, verbose_name=_("调解员"), related_name="sessions")
    record = models.TextField(_("调解笔录"), blank=True)
    next_steps = models.TextField(_("下一步"), blank=True)
    next_session_at = models.DateTimeField(_("下次调解时间"), null=True, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    logged_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    audit_organisation_field = "case__organisation"

    class Meta:
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")
        indexes = [models.Index(fields=["case", "held_at"], name="mediation_session_case_idx")]

    def __str__(self):
        return f"{self.case} · {timezone.localtime(self.held_at):%Y-%m-%d %H:%M}"


class Attendee(models.Model):
    class Kind(models.TextChoices):
        PARTY = "party", _("当事人")
        PROPERTY_COMPANY = "property_company", _("物业公司")
        OWNERS_COMMITTEE = "owners_committee", _("业委会")
        RESIDENTS_REPRESENTATIVE = "residents_representative", _("居民代表")
        LEGAL_EXPERT = "legal_expert", _("法律专家")
        COMMUNITY = "community", _("社区工作人员")
        OTHER = "other", _("其他")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendees")
    kind = models.CharField(_("身份"), max_length=32, choices=Kind.choices)
    name = models.CharField(_("姓名/单位"), max_length=120, blank=True)
    party = models.ForeignKey(
        MediationParty, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    audit_organisation_field = "session__case__organisation"

    class Meta:
        verbose_name = _("参加人")
        verbose_name_plural = _("参加人")

    def __str__(self):
        return self.name or self.get_kind_display()


def file_storage_name(instance, filename: str) -> str:
    """A random storage name; the original name stays in the database (see cases)."""
    extension = PurePath(filename).suffix.lower()[:10]
    return timezone.now().strftime("mediation/%Y/%m/") + uuid.uuid4().hex + extension


class MediationFile(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("照片")
        DOCUMENT = "document", _("材料")

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="files")
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="files"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    file = models.FileField(_("文件"), upload_to=file_storage_name)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    audit_organisation_field = "case__organisation"

    class Meta:
        verbose_name = _("调解材料")
        verbose_name_plural = _("调解材料")

    def __str__(self):
        return self.original_name


class Agreement(models.Model):
    """调解协议 as recorded; the document (调解协议书) is generated by the documents app."""

    case = models.OneToOneField(MediationCase, on_delete=models.CASCADE, related_name="agreement")
    concluded_at = models.DateTimeField(_("达成时间"))
    terms = models.TextField(_("协议内容"), help_text=_("事实、责任与约定事项"))
    is_oral = models.BooleanField(_("口头协议"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    document_generated_at = models.DateTimeField(_("协议书生成时间"), null=True, blank=True)

    audit_organisation_field = "case__organisation"

    class Meta:
        verbose_name = _("调解协议")
        verbose_name_plural = _("调解协议")

    def __str__(self):
        return f"{self.case} 调解协议"


class Obligation(models.Model):
    """Who owes whom: money in yuan or an act, by a date, optionally in instalments and
    with a guarantor (担保人, jointly liable)."""

    class Kind(models.TextChoices):
        MONEY = "money", _("给付金钱")
        ACT = "act", _("履行行为")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="obligations")
    obligor = models.ForeignKey(
        MediationParty, verbose_name=_("义务人"), on_delete=models.PROTECT, related_name="+"
    )
    obligee = models.ForeignKey(
        MediationParty, verbose_name=_("权利人"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    amount = models.DecimalField(
        _("金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    act = models.CharField(_("应履行的行为"), max_length=200, blank=True)
    due_date = models.DateField(_("履行期限"))
    guarantor_name = models.CharField(_("担保人"), max_length=120, blank=True)

    audit_organisation_field = "agreement__case__organisation"
    # a history naming an obligation ("赵某 → 李某") reads the parties with it, not per name
    audit_name_related = ("obligor", "obligee")

    class Meta:
        verbose_name = _("协议义务")
        verbose_name_plural = _("协议义务")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="money", amount__gt=0) | Q(kind="act", amount__isnull=True),
                name="mediation_obligation_amount_by_kind",
            ),
        ]

    def __str__(self):
        return f"{self.obligor.name} → {self.obligee.name}"


class Instalment(models.Model):
    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField(_("期数"))
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    due_date = models.DateField(_("到期日"))

    audit_organisation_field = "obligation__agreement__case__organisation"
    # a history naming an instalment ("赵某 → 李某 第1期"): one query, not three per name
    audit_name_related = ("obligation__obligor", "obligation__obligee")

    class Meta:
        verbose_name = _("分期")
        verbose_name_plural = _("分期")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "number"], name="mediation_instalment_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="mediation_instalment_positive"),
        ]

    def __str__(self):
        return f"{self.obligation} 第{self.number}期"
