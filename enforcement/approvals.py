"""The enforcement requests the court's president decides, for 待我审批 (common.approvals):
coercive measures, 终本, judicial relief, guarantees for suspension."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.approvals import AwaitingItem, group_of, register, who_asked

from .models import (
    ApprovalStatus,
    CoerciveMeasure,
    EnforcementGuarantee,
    FinalConclusionRequest,
    GuaranteeStatus,
    JudicialRelief,
    MeasureStatus,
)


def _detail(record) -> str:
    return f"{record.case.case_number} · {who_asked(record)}"


def _measures(user):
    return group_of(
        "measures", _("强制措施"),
        CoerciveMeasure.objects.filter(approver=user, status=MeasureStatus.REQUESTED)
        .select_related("case", "subject", "requested_by").order_by("requested_at", "pk"),
        lambda m: AwaitingItem(f"{m.get_kind_display()} · {m.subject_label}", _detail(m),
                               m.requested_at, m.get_absolute_url()),
        order=20,
    )  # fmt: skip


def _final_conclusions(user):
    return group_of(
        "final", _("终结本次执行程序"),
        FinalConclusionRequest.objects.filter(approver=user, status=ApprovalStatus.PENDING)
        .select_related("case", "requested_by").order_by("requested_at", "pk"),
        lambda r: AwaitingItem(str(_("终本申请")), _detail(r), r.requested_at,
                               r.get_absolute_url()),
        order=30,
    )  # fmt: skip


def _reliefs(user):
    return group_of(
        "relief", _("司法救助"),
        JudicialRelief.objects.filter(approver=user, status=ApprovalStatus.PENDING)
        .select_related("case", "applicant", "requested_by").order_by("requested_at", "pk"),
        lambda r: AwaitingItem(f"{r.applicant.name} · ¥{r.amount:,}", _detail(r), r.requested_at,
                               r.get_absolute_url()),
        order=40,
    )  # fmt: skip


def _guarantees(user):
    return group_of(
        "guarantee", _("执行担保（暂缓执行）"),
        EnforcementGuarantee.objects.filter(approver=user, status=GuaranteeStatus.OFFERED)
        .select_related("case", "requested_by").order_by("requested_at", "pk"),
        lambda g: AwaitingItem(str(g), _detail(g), g.requested_at,
                               reverse("enforcement:guarantee", args=[g.case_id])),
        order=50,
    )  # fmt: skip


def register_all() -> None:
    for provider in (_measures, _final_conclusions, _reliefs, _guarantees):
        register(provider)
