"""The credit requests the president decides, for 待我审批 (common.approvals): consumption
restrictions, removals before their time, one-time liftings."""

from django.utils.translation import gettext_lazy as _

from common.approvals import AwaitingItem, group_of, register, who_asked

from .models import OneTimeLifting, Removal, Restriction


def _restrictions(user):
    return group_of(
        "restrictions", _("限制消费令"),
        Restriction.objects.filter(approver=user, state=Restriction.State.PENDING_APPROVAL)
        .select_related("case", "requested_by").order_by("requested_at", "pk"),
        lambda r: AwaitingItem(r.debtor_name, f"{r.case.case_number} · {who_asked(r)}",
                               r.requested_at, r.get_absolute_url()),
        order=60,
    )  # fmt: skip


def _removals(user):
    return group_of(
        "removals", _("删除/解除失信或限制消费"),
        Removal.objects.filter(approver=user, state=Removal.State.PENDING_APPROVAL)
        .select_related("case", "requested_by", "listing", "restriction")
        .order_by("created_at", "pk"),
        lambda r: AwaitingItem(f"{r.sanction.debtor_name} · {r.get_trigger_display()}",
                               f"{r.case.case_number} · {who_asked(r)}", r.created_at,
                               r.get_absolute_url()),
        order=70,
    )  # fmt: skip


def _liftings(user):
    return group_of(
        "liftings", _("单次解禁"),
        OneTimeLifting.objects.filter(approver=user, state=OneTimeLifting.State.PENDING_APPROVAL)
        .select_related("restriction", "restriction__case", "requested_by")
        .order_by("requested_at", "pk"),
        lambda li: AwaitingItem(
            f"{li.restriction.debtor_name} · {li.need} {li.starts_on:%Y-%m-%d}–{li.ends_on:%Y-%m-%d}",
            f"{li.restriction.case.case_number} · {who_asked(li)}", li.requested_at,
            li.restriction.get_absolute_url()),
        order=80,
    )  # fmt: skip


def register_all() -> None:
    for provider in (_restrictions, _removals, _liftings):
        register(provider)
