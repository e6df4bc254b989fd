"""Mediators: profiles, the conflict check, assignment and bulk reassignment."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_change, audit_create, snapshot
from common import pii
from common.validators import normalise_id_number, validate_id_number
from mediation import clocks
from mediation.models import (
    OPEN_STATUSES,
    Language,
    MediationCase,
    Mediator,
    MediatorKind,
    MediatorRelative,
    Specialty,
)
from mediation.selectors import mediator_conflicts, mediator_eligible, mediator_suggestions
from mediation.states import ASSIGNED, COURT_CLERK, MEDIATING
from organisations.roles import Role
from organisations.selectors import roles_in_scope_of

from ._common import require_roles, tell

PROFILE_ROLES = {Role.CLERK, Role.SUPERVISOR, Role.ADMIN}


def _clean_codes(values, allowed, field) -> list[str]:
    values = list(dict.fromkeys(values or []))
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ValidationError({field: [_("无效的选项：%(v)s") % {"v": "、".join(unknown)}]})
    return values


def _sealed_id(value: str, field: str) -> pii.Sealed:
    value = normalise_id_number(value or "")
    if not value:
        return pii.EMPTY
    try:
        validate_id_number(value)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc
    return pii.seal_id_number(value)


@transaction.atomic
def mediator_create(
    *,
    organisation,
    actor,
    name: str,
    kind: str,
    user=None,
    title: str = "",
    specialties=(),
    languages=(),
    serves=(),
    rosters=(),
    id_number: str = "",
) -> Mediator:
    """A mediator's profile, kept by `organisation` (its clerks, supervisors, admins)."""
    if not (PROFILE_ROLES & roles_in_scope_of(actor, organisation)):
        raise PermissionDenied(_("只有本单位工作人员可以建立调解员档案。"))
    errors = {}
    if not (name or "").strip():
        errors["name"] = [_("请填写姓名。")]
    if kind not in MediatorKind.values:
        errors["kind"] = [_("请选择调解员类别。")]
    try:
        specialties = _clean_codes(specialties, Specialty.values, "specialties")
        languages = _clean_codes(languages, Language.values, "languages")
        sealed = _sealed_id(id_number, "id_number")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    mediator = Mediator(
        organisation=organisation,
        user=user,
        name=name.strip(),
        kind=kind,
        title=title.strip(),
        specialties=specialties,
        languages=languages,
    )
    pii.seal_into(mediator, "id_number", sealed)
    mediator.save()
    mediator.serves.set(serves or [organisation])
    mediator.rosters.set(rosters)
    audit_create(mediator, actor=actor)
    return mediator


@transaction.atomic
def mediator_relative_add(
    *, mediator: Mediator, actor, relation: str, name: str, id_number: str
) -> MediatorRelative:
    """Declare a close relative for the conflict check (only the blind index is kept)."""
    if not (PROFILE_ROLES & roles_in_scope_of(actor, mediator.organisation)) and not (
        mediator.user_id and mediator.user_id == actor.pk
    ):
        raise PermissionDenied(_("无权修改该调解员档案。"))
    sealed = _sealed_id(id_number, "id_number")
    if not sealed.index:
        raise ValidationError({"id_number": [_("请填写身份证号码。")]})
    if relation not in MediatorRelative.Relation.values:
        raise ValidationError({"relation": [_("请选择关系。")]})
    relative = MediatorRelative.objects.create(
        mediator=mediator,
        relation=relation,
        name=(name or "").strip()[:60],
        id_number_index=sealed.index,
        id_number_masked=sealed.masked,
    )
    audit_create(relative, actor=actor)
    return relative


def _check_assignable(case: MediationCase, mediator: Mediator) -> None:
    if not mediator.is_active:
        raise ValidationError({"mediator": [_("该调解员已离岗。")]})
    if not mediator_eligible(mediator, case):
        raise ValidationError(
            {"mediator": [_("该调解员不在本调解组织或委派法院的特邀调解员名册中。")]}
        )
    conflicts = mediator_conflicts(mediator, case)
    if conflicts:
        raise ValidationError({"mediator": [conflict.message for conflict in conflicts]})


def _assign(case: MediationCase, mediator: Mediator, *, actor, reason: str) -> MediationCase:
    before = snapshot(case)
    case.mediator = mediator
    case.save(update_fields=["mediator", "updated_at"])
    audit_change(case, actor=actor, before=before, note=reason)
    clocks.owner_changed(case, actor=actor)
    if mediator.user_id:
        tell(
            [mediator.user],
            actor=actor,
            kind="mediation.assigned",
            title=_("您被指派调解：%(ref)s") % {"ref": case.reference},
            body=reason or case.get_category_display(),
            link=reverse("mediation:detail", args=[case.pk]),
            subject=case,
        )
    return case


@transaction.atomic
def mediator_assign(*, case: MediationCase, mediator: Mediator, actor, reason: str = ""):
    """Assign (or change) the case's mediator. Refused when the mediator is a party or a
    declared close relative of one (matched by blind index; numbers are never shown), is
    not serving this committee / on the court's roster, or has left."""
    case = (
        MediationCase.objects.select_for_update(of=("self",))
        .select_related("mediator")
        .get(pk=case.pk)
    )
    require_roles(
        case,
        actor,
        (MEDIATING - {ASSIGNED}) | {COURT_CLERK},
        _("只有调解组织或委派法院的工作人员可以指派调解员。"),
    )
    if not case.is_open:
        raise ValidationError({"mediator": [_("调解已结束，不能再指派调解员。")]})
    if case.mediator_id == mediator.pk:
        return case
    _check_assignable(case, mediator)
    return _assign(case, mediator, actor=actor, reason=(reason or "").strip()[:200])


@transaction.atomic
def mediators_reassign_bulk(
    *,
    from_mediator: Mediator,
    actor,
    reason: str,
    to_mediator: Mediator | None = None,
    mark_left: bool = False,
) -> dict:
    """When a mediator leaves: every open case of theirs that `actor` may manage goes to
    `to_mediator`, or to the best suggestion for that case (specialty, language, load) when
    none is named. A case whose target has a conflict or is not eligible stays and is
    reported, never moved silently. Returns {"moved": [...], "kept": [(case, why), ...]}."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请说明改派理由（如调解员离岗）。")]})
    cases = list(
        MediationCase.objects.select_for_update(of=("self",))
        .select_related("organisation", "organisation__region", "court", "court__region")
        .filter(mediator=from_mediator, status__in=OPEN_STATUSES)
        .order_by("received_at", "pk")
    )
    moved, kept = [], []
    for case in cases:
        case.mediator = from_mediator
        roles = roles_in_scope_of(actor, case.organisation)
        if not ({Role.MEDIATOR, Role.CLERK, Role.ADMIN, Role.SUPERVISOR} & roles):
            continue  # not theirs to manage: left for whoever is
        target = to_mediator
        if target is None:
            suggestions = [
                s for s in mediator_suggestions(case) if s.mediator.pk != from_mediator.pk
            ]
            target = suggestions[0].mediator if suggestions else None
        if target is None:
            kept.append((case, _("没有可改派的调解员。")))
            continue
        try:
            _check_assignable(case, target)
        except ValidationError as exc:
            kept.append((case, "；".join(exc.messages)))
            continue
        _assign(case, target, actor=actor, reason=_("批量改派：%(r)s") % {"r": reason})
        moved.append(case)
    if mark_left and from_mediator.is_active:
        if not (PROFILE_ROLES & roles_in_scope_of(actor, from_mediator.organisation)):
            raise PermissionDenied(_("只有本单位工作人员可以登记调解员离岗。"))
        before = snapshot(from_mediator)
        from_mediator.is_active = False
        from_mediator.left_at = timezone.now()
        from_mediator.save(update_fields=["is_active", "left_at"])
        audit_change(from_mediator, actor=actor, before=before, note=reason)
    return {"moved": moved, "kept": kept}
