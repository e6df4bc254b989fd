"""Code lists of the cases app, with the Chinese labels used in Haibowan."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceChannel(models.TextChoices):
    VISIT = "visit", _("来访")
    HOTLINE_12345 = "hotline_12345", _("12345热线")
    MINI_PROGRAM = "mini_program", _("小程序随拍即报")
    GRID_SCREENING = "grid_screening", _("网格员排查")
    COMPLAINT_MEETING = "complaint_meeting", _("吐槽大会")
    COURT_DELEGATED = "court_delegated", _("法院委派")
    PETITION = "petition", _("信访")
    OTHER = "other", _("其他")


class Category(models.TextChoices):
    NEIGHBOUR = "neighbour", _("邻里")
    MARRIAGE_FAMILY = "marriage_family", _("婚姻家庭")
    PROPERTY_MANAGEMENT = "property_management", _("物业")
    LABOUR_WAGES = "labour_wages", _("劳动争议/欠薪")
    SALES_CONTRACT = "sales_contract", _("买卖合同")
    PRIVATE_LENDING = "private_lending", _("民间借贷")
    TRAFFIC_ACCIDENT = "traffic_accident", _("交通事故")
    TENANCY = "tenancy", _("租赁")
    WORK_CONTRACT = "work_contract", _("承揽")
    INHERITANCE = "inheritance", _("继承")
    INTELLECTUAL_PROPERTY = "intellectual_property", _("知识产权")
    FINANCIAL_LOAN = "financial_loan", _("金融借款")
    LAND_BOUNDARY = "land_boundary", _("土地草场边界")
    CUSTODY_VISITATION = "custody_visitation", _("抚养探望")
    OTHER = "other", _("其他")


class RiskLevel(models.TextChoices):
    ORDINARY = "ordinary", _("一般")
    SERIOUS = "serious", _("较大")
    MAJOR = "major", _("重大")


class Difficulty(models.TextChoices):
    """二审难度 at triage; decides who handles it and the default deadline."""

    SIMPLE = "simple", _("简单（村/社区直接解决）")
    COMPLEX = "complex", _("复杂（主责部门牵头）")
    MULTI_DEPARTMENT = "multi_department", _("多部门（会同确定时限）")
    MAJOR = "major", _("重大（区分管领导牵头）")


class DisputeStatus(models.TextChoices):
    REGISTERED = "registered", _("待研判")
    TRIAGED = "triaged", _("待吹哨")
    DISPATCHED = "dispatched", _("已吹哨")
    ANSWERED = "answered", _("待交卷")
    RESOLVED = "resolved", _("待评卷")
    REOPENED = "reopened", _("重新办理")
    CLOSED = "closed", _("已销号")
    REFERRED = "referred", _("已移交")


OPEN_STATUSES = (
    DisputeStatus.REGISTERED,
    DisputeStatus.TRIAGED,
    DisputeStatus.DISPATCHED,
    DisputeStatus.ANSWERED,
    DisputeStatus.REOPENED,
)


class DispatchStatus(models.TextChoices):
    PENDING = "pending", _("待应哨")
    ACCEPTED = "accepted", _("已应哨")
    ANSWERED = "answered", _("已答卷")
    HANDED_BACK = "handed_back", _("已退回")
    WITHDRAWN = "withdrawn", _("已撤回")


ACTIVE_DISPATCH_STATUSES = (DispatchStatus.PENDING, DispatchStatus.ACCEPTED)


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    RESPONDENT = "respondent", _("被申请人")
    OTHER = "other", _("其他当事人")


class ReferralTarget(models.TextChoices):
    MEDIATION = "mediation", _("人民调解")
    COURT = "court", _("人民法院")
