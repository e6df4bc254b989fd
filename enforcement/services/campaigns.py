"""Campaigns (专项行动, e.g. 雷霆执行·2025·夏季风暴, 飓风行动, 终本清仓): a named period over
some courts. Court staff tag their cases into it (one by one or in bulk from the court's
list or the workbench); a measure taken on a tagged case within the period carries the
tag. The totals (enforcement/selectors_campaigns.py) are computed from the records, never
typed in.

- `campaign_create`: by a court's president or administrator, over courts they supervise.
- `campaign_tag_cases`: bulk (the court list's and the workbench's selection, the API),
  idempotent (a case tagged twice stays one row), one audit entry per case tagged. Refused
  whole (409) outside the campaign's period; a case of a court outside the campaign,
  outside the actor's acting scope, not yet filed or concluded before the campaign began
  is skipped with the reason.
- `campaign_untag_case`: a case tagged by mistake.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_create, audit_delete
from common.statemachine import TransitionNotAllowed
from enforcement.models import (
    Campaign,
    CampaignCase,
    CoerciveMeasure,
    EnforcementCase,
)
from enforcement.selectors import court_roles, courts_visible_to
from organisations.roles import Role

from .notices import may_act

ORGANISER_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})


@transaction.atomic
def campaign_create(
    *, organiser, name: str, starts_on: datetime.date, ends_on: datetime.date, courts,
    actor, description: str = "",
) -> Campaign:  # fmt: skip
    if not (court_roles(actor, organiser) & ORGANISER_ROLES):
        raise PermissionDenied(_("只有法院院长或管理员可以组织专项行动。"))
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("请填写名称。")]
    elif Campaign.objects.filter(organiser=organiser, name=name).exists():
        errors["name"] = [_("本单位已有同名的专项行动。")]
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = [_("结束日期不能早于开始日期。")]
    courts = list(courts)
    visible = set(courts_visible_to(actor).values_list("pk", flat=True))
    if not courts:
        errors["courts"] = [_("请选择参加的法院。")]
    elif any(court.pk not in visible for court in courts):
        errors["courts"] = [_("只能选择您所在或监督的法院。")]
    if errors:
        raise ValidationError(errors)
    campaign = Campaign.objects.create(
        organiser=organiser, name=name[:80], starts_on=starts_on, ends_on=ends_on,
        description=(description or "").strip(), created_by=actor,
    )  # fmt: skip
    campaign.courts.set(courts)
    audit_create(
        campaign, actor=actor,
        note=_("参加法院：%(c)s") % {"c": "、".join(court.name for court in courts)},
    )  # fmt: skip
    return campaign


def campaign_period_refusal(campaign: Campaign, today: datetime.date | None = None) -> str | None:
    """Why no case can be tagged into `campaign` today (None while it runs)."""
    today = today or timezone.localdate()
    if campaign.starts_on <= today <= campaign.ends_on:
        return None
    return _("专项行动“%(n)s”的期间为 %(s)s 至 %(e)s，今天不在期间内，不能纳入案件。") % {
        "n": campaign.name,
        "s": campaign.starts_on.isoformat(),
        "e": campaign.ends_on.isoformat(),
    }


@transaction.atomic
def campaign_tag_cases(*, campaign: Campaign, cases, actor) -> tuple[list, list]:
    """Tag each case into the campaign. Returns (tagged cases, [(case, reason)] skipped).
    Measures already taken on a newly tagged case within the period take the tag too.
    Outside the campaign's period nothing is tagged (TransitionNotAllowed says the period)."""
    refusal = campaign_period_refusal(campaign)
    if refusal:
        raise TransitionNotAllowed(refusal)
    court_ids = set(campaign.courts.values_list("pk", flat=True))
    tagged, skipped = [], []
    already = set(
        CampaignCase.objects.filter(campaign=campaign, case__in=[c.pk for c in cases]).values_list(
            "case_id", flat=True
        )
    )
    for case in cases:
        if case.court_id not in court_ids:
            skipped.append((case, _("所属法院未参加该专项行动")))
            continue
        if not may_act(case, actor):
            skipped.append((case, _("您无权办理该案")))
            continue
        if not case.case_number:
            skipped.append((case, _("尚未立案")))
            continue
        if case.concluded_at and timezone.localtime(case.concluded_at).date() < campaign.starts_on:
            skipped.append((case, _("已于专项行动开始前结案")))
            continue
        if case.pk in already:
            skipped.append((case, _("已在该专项行动中")))
            continue
        try:
            with transaction.atomic():
                tag = CampaignCase.objects.create(campaign=campaign, case=case, tagged_by=actor)
        except IntegrityError:
            skipped.append((case, _("已在该专项行动中")))
            continue
        audit_create(tag, actor=actor, note=_("纳入专项行动“%(n)s”") % {"n": campaign.name})
        CoerciveMeasure.objects.filter(
            case=case, campaign__isnull=True,
            requested_at__date__gte=campaign.starts_on, requested_at__date__lte=campaign.ends_on,
        ).update(campaign=campaign)  # fmt: skip
        tagged.append(case)
    return tagged, skipped


@transaction.atomic
def campaign_untag_case(*, campaign: Campaign, case: EnforcementCase, actor, reason: str):
    if not may_act(case, actor):
        raise PermissionDenied(_("您无权办理该案。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写理由。")]})
    tag = CampaignCase.objects.filter(campaign=campaign, case=case).first()
    if tag is None:
        raise ValidationError({"case": [_("该案不在此专项行动中。")]})
    audit_delete(tag, actor=actor, note=reason)
    CoerciveMeasure.objects.filter(case=case, campaign=campaign).update(campaign=None)
    tag.delete()
