"""An enforcement case moved to another court (交叉执行 / 指定执行 / 提级执行): the credit
work still to be done on its debtors follows it.

The entries themselves — 失信名单 and 限制消费令 — keep their court: it decided and signed
them (the 决定书 is its document, numbered in its name), so `court` stays the record of who
listed. A restriction order still waiting for the president's signature is no decision yet:
it goes to the receiving court (which signs it, and issues the order in its name; its
`requested_by` stays who asked). The work still open on the entries belongs to the
enforcing court, which after the move is the receiving court (the SPC provisions on the
dishonest list have corrections asked of, and removals done by, the 执行法院): the open
removals (删除/解除, 3 working days) and open correction requests (纠正: review in 15 days,
fix in 3 working days) of the case's entries go to the receiving court and officer, and so
do the open clocks of those records and of the entries — so the receiving court's deadline
lists and overdue counts show them, its staff can act on them, and the original court's
no longer get them; so does a one-time lifting (单次解禁) still waiting for approval. A
removal, restriction order or lifting still waiting for approval leaves the original
court's president, who may no longer approve it (unless he is a president of the receiving
court too): it waits for the receiving court's staff to ask their own president
(`removal_approver_name`, `restriction_approver_name`, `one_time_lifting_approver_name`:
报请审批), and its officer is told. An application for restoration (信用修复) not yet
decided goes too: the enforcing court decides it. All in the transfer's transaction, each
change audited.

Only the moved case's own pending restriction orders and liftings go: those of a case this
one was resumed from stay with that case's court, which acts on its entries
(`Sanction.enforcing_court`) and so signs and lifts them.
A restriction's clocks move with the entries' below; a lifting keeps none today (any
opened on a pending one would move with it).

Left where they are: a decided correction and its applicant's window for review (the old
court's decision), and a review (复议) already before the court above. The cases a 执恢 case
was resumed from count as the case (their entries still bind the debtor here)."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from audit.services import audit_change, snapshot
from deadlines.models import Deadline
from deadlines.services import deadline_organisation_set
from organisations.models import Membership
from organisations.roles import Role

from ..models import (
    CorrectionRequest,
    Listing,
    OneTimeLifting,
    Removal,
    Restoration,
    Restriction,
)
from ._common import tell
from .imposing import KIND_RESTRICTION_REQUESTED
from .removal import KIND_REMOVAL_APPROVAL, OPEN_REMOVAL
from .restoration import KIND_LIFTING_REQUESTED

KIND_RESTORATION_MOVED = "credit.restoration_moved"
OPEN_CORRECTION = (CorrectionRequest.State.UNDER_REVIEW, CorrectionRequest.State.JUSTIFIED)


def _move(
    record, *, court, officer, actor, note: str, owner_field: str = "", unname: bool = False
) -> None:
    before = snapshot(record)
    record.court = court
    fields = ["court"]
    if owner_field:
        setattr(record, owner_field, officer)
        fields.append(owner_field)
    if unname:  # the named approver is no president of the receiving court
        record.approver = None
        fields.append("approver")
    record.save(update_fields=fields)
    audit_change(record, actor=actor, before=before, note=note)


@transaction.atomic
def credit_follow_case(*, case, transfer, actor) -> list[Deadline]:
    """Move the case's open credit work and its clocks from `transfer.from_court` to
    `transfer.to_court` and its officer (see the module's docstring). Returns the clocks
    moved. Called by enforcement's `case_transfer` (through `case_transfer_listen`)."""
    from ..selectors import case_lineage

    from_court, court, officer = transfer.from_court, transfer.to_court, transfer.to_officer
    note = _("%(kind)s：%(from)s → %(to)s") % {
        "kind": transfer.get_kind_display(), "from": from_court.name, "to": court.name}  # fmt: skip
    lineage = case_lineage(case)
    of_entries = Q(listing__case_id__in=lineage) | Q(restriction__case_id__in=lineage)
    removals = list(
        Removal.objects.select_for_update(of=("self",))
        .select_related("listing", "restriction")
        .filter(of_entries | Q(case_id__in=lineage), court=from_court, state__in=OPEN_REMOVAL)
        .order_by("pk")
    )
    corrections = list(
        CorrectionRequest.objects.select_for_update(of=("self",))
        .filter(of_entries, court=from_court, state__in=OPEN_CORRECTION)
        .order_by("pk")
    )
    # not yet decided, so not yet the listing court's decision: the request moves
    restrictions = list(
        Restriction.objects.select_for_update(of=("self",))
        .filter(case_id=case.pk, court=from_court, state=Restriction.State.PENDING_APPROVAL)
        .order_by("pk")
    )
    liftings = list(
        OneTimeLifting.objects.select_for_update(of=("self",))
        .select_related("restriction")
        .filter(
            restriction__case_id=case.pk, court=from_court,
            state=OneTimeLifting.State.PENDING_APPROVAL,
        )
        .order_by("pk")
    )  # fmt: skip
    # an application for restoration not yet decided: the enforcing court decides it
    restorations = list(
        Restoration.objects.select_for_update(of=("self",))
        .filter(case_id=case.pk, court=from_court, state=Restoration.State.APPLIED)
        .order_by("pk")
    )
    content_type = ContentType.objects.get_for_model
    subjects = Q(pk__in=[])
    for model, pks in (
        (Removal, [r.pk for r in removals]),
        (Restoration, [r.pk for r in restorations]),
        (CorrectionRequest, [c.pk for c in corrections]),
        (OneTimeLifting, [lifting.pk for lifting in liftings]),
        (Listing, Listing.objects.filter(case_id__in=lineage).values("pk")),
        (Restriction, Restriction.objects.filter(case_id__in=lineage).values("pk")),
    ):
        subjects |= Q(content_type=content_type(model), object_id__in=pks)
    clocks = list(
        Deadline.objects.filter(subjects, organisation=from_court)
        .filter(
            Q(state__in=Deadline.OPEN_STATES)
            | Q(state=Deadline.State.MISSED, closed_at__isnull=True)
        )
        .order_by("pk")
    )
    receiving_presidents = set(
        Membership.objects.filter(
            organisation=court, role=Role.SUPERVISOR, is_active=True,
            user_id__in={r.approver_id for r in [*removals, *restrictions, *liftings]
                         if r.approver_id},
        ).values_list("user_id", flat=True)
    )  # fmt: skip
    for removal in removals:
        unname = (
            removal.state == Removal.State.PENDING_APPROVAL
            and removal.approver_id not in receiving_presidents
        )
        _move(removal, court=court, officer=officer, actor=actor, note=note, owner_field="owner",
              unname=unname)  # fmt: skip
        if unname:
            tell(
                [officer], actor=actor, kind=KIND_REMOVAL_APPROVAL,
                title=_("删除/解除待报请本院院长审批：%(name)s") % {
                    "name": removal.sanction.debtor_name},
                body=f"{case.case_number} · {removal.get_trigger_display()}",
                link=removal.get_absolute_url(), subject=removal,
            )  # fmt: skip
    for correction in corrections:
        _move(correction, court=court, officer=officer, actor=actor, note=note)
    for restriction in restrictions:
        unname = restriction.approver_id not in receiving_presidents
        _move(restriction, court=court, officer=officer, actor=actor, note=note, unname=unname)
        if unname:
            tell(
                [officer], actor=actor, kind=KIND_RESTRICTION_REQUESTED,
                title=_("限制消费令待报请本院院长审批：%(name)s") % {
                    "name": restriction.debtor_name},
                body=f"{case.case_number} · {restriction.reasons[:80]}",
                link=restriction.get_absolute_url(), subject=restriction,
            )  # fmt: skip
    for lifting in liftings:
        unname = lifting.approver_id not in receiving_presidents
        _move(lifting, court=court, officer=officer, actor=actor, note=note, unname=unname)
        if unname:
            tell(
                [officer], actor=actor, kind=KIND_LIFTING_REQUESTED,
                title=_("单次解禁待报请本院院长审批：%(name)s") % {
                    "name": lifting.restriction.debtor_name},
                body=f"{lifting.need} {lifting.starts_on}–{lifting.ends_on}",
                link=lifting.restriction.get_absolute_url(), subject=lifting,
            )  # fmt: skip
    for restoration in restorations:
        _move(restoration, court=court, officer=officer, actor=actor, note=note)
        tell(
            [officer], actor=actor, kind=KIND_RESTORATION_MOVED,
            title=_("信用修复申请随案移送，待本院决定：%(name)s") % {
                "name": restoration.applicant_name},
            body=f"{case.case_number} · {restoration.get_basis_display()}",
            link=restoration.get_absolute_url(), subject=restoration,
        )  # fmt: skip
    for clock in clocks:
        # a clock nobody is reminded of (the applicant's own window) stays without owner
        deadline_organisation_set(
            clock, organisation=court, owner=officer if clock.owner_id else None, actor=actor,
            note=note,
        )  # fmt: skip
    return clocks
