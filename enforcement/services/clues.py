"""Asset clues from the applicant (财产线索): recorded with their check clock (7 days, 3 if
urgent: enforcement.clue_check / enforcement.clue_check_urgent), checked with a recorded
result (属实 / 不实) which meets the clock. A confirmed clue can be controlled like a
finding (enforcement.services.controls)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_create
from common import pii
from common.statemachine import TransitionNotAllowed
from deadlines import services as deadline_services

from ..clocks_assets import CLUE_CHECK, CLUE_CHECK_URGENT, open_clock
from ..inquiry.runner import identifier_masked
from ..models import AssetClue, AssetKind, CaseParty, EnforcementCase, EnforcementRole
from ..states_assets import clue_machine
from .controls import _money
from .inquiries import INQUIRY_CASE_STATUSES, require_court_staff


def _party_of(case, party, role, field) -> CaseParty | None:
    if party is None:
        return None
    if party.case_id != case.pk or party.role != role:
        raise ValidationError({field: [_("请选择本案的当事人。")]})
    return party


@transaction.atomic
def clue_record(
    *,
    case: EnforcementCase,
    actor,
    kind: str,
    description: str,
    institution: str = "",
    identifier: str = "",
    urgent: bool = False,
    submitted_by: CaseParty | None = None,
    debtor: CaseParty | None = None,
    received_at: datetime.datetime | None = None,
) -> AssetClue:
    """Record a clue and start its check clock (from when it was received)."""
    case = EnforcementCase.objects.select_for_update().select_related("court").get(pk=case.pk)
    require_court_staff(case, actor)
    if case.status not in INQUIRY_CASE_STATUSES:
        raise TransitionNotAllowed(
            _("案件状态为“%(state)s”，不能登记财产线索。") % {"state": case.get_status_display()}
        )
    errors = {}
    description = (description or "").strip()
    if not description:
        errors["description"] = [_("请填写线索内容。")]
    if kind not in AssetKind.values:
        errors["kind"] = [_("请选择财产类型。")]
    received_at = received_at or timezone.now()
    if received_at > timezone.now():
        errors["received_at"] = [_("收到时间不能晚于现在。")]
    if errors:
        raise ValidationError(errors)
    submitted_by = _party_of(case, submitted_by, EnforcementRole.APPLICANT, "submitted_by")
    debtor = _party_of(case, debtor, EnforcementRole.DEBTOR, "debtor")
    identifier = (identifier or "").strip()
    clue = AssetClue(
        case=case,
        submitted_by=submitted_by,
        debtor=debtor,
        kind=kind,
        institution=(institution or "").strip()[:120],
        identifier_encrypted=pii.encrypt(identifier) if identifier else "",
        identifier_masked=identifier_masked(kind, identifier) if identifier else "",
        description=description,
        urgent=bool(urgent),
        received_at=received_at,
        recorded_by=actor,
    )
    clue.save()
    audit_create(clue, actor=actor)
    deadline_services.deadline_start(
        subject=clue,
        kind=CLUE_CHECK_URGENT if clue.urgent else CLUE_CHECK,
        organisation=case.court,
        owner=case.officer,
        actor=actor,
        start=received_at,
    )
    return clue


@transaction.atomic
def clue_check(
    *, clue: AssetClue, actor, found: bool, result: str, estimated_value=None
) -> AssetClue:
    """Record the check: 属实 (with the verified balance or value, if known) or 不实.
    Meets the clock (late if after its due moment)."""
    result = (result or "").strip()
    if not result:
        raise ValidationError({"result": [_("请填写核查结果。")]})
    value = None
    if estimated_value not in (None, ""):
        value = _money(estimated_value, "estimated_value")
    locked = AssetClue.objects.select_for_update().select_related("case__court").get(pk=clue.pk)
    require_court_staff(locked.case, actor)
    clue_machine.apply(
        locked,
        "confirm" if found else "reject",
        actor=actor,
        note=result,
        changes={
            "checked_at": timezone.now(),
            "checked_by": actor,
            "result": result,
            "estimated_value": value if found else None,
        },
    )
    clock = open_clock(locked, CLUE_CHECK_URGENT if locked.urgent else CLUE_CHECK)
    if clock is not None:
        deadline_services.deadline_meet(clock, actor=actor)
    clue.refresh_from_db()
    return clue
