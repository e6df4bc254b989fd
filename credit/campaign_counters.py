"""Credit's part of an enforcement campaign's totals (enforcement/selectors_campaigns.py):
consumption restrictions put in force and debtors listed as dishonest, on the campaign's
cases, within its period. Credit registers them (it may import enforcement; not the other
way round)."""

from django.utils.translation import gettext_lazy as _


def _restricted(case_ids, campaign) -> int:
    from .models import Restriction

    return (
        Restriction.objects.filter(
            case__in=case_ids,
            starts_on__gte=campaign.starts_on,
            starts_on__lte=campaign.ends_on,
        )
        .exclude(state__in=(Restriction.State.PENDING_APPROVAL, Restriction.State.REFUSED))
        .values("case_party")
        .distinct()
        .count()
    )


def _listed(case_ids, campaign) -> int:
    from .models import Listing

    return (
        Listing.objects.filter(
            case__in=case_ids, decided_on__gte=campaign.starts_on, decided_on__lte=campaign.ends_on
        )
        .values("case_party")
        .distinct()
        .count()
    )


def register() -> None:
    from enforcement.selectors_campaigns import CampaignCounter, register_campaign_counter

    register_campaign_counter(
        CampaignCounter("restricted", _("限制高消费（人）"), _restricted, order=10)
    )
    register_campaign_counter(CampaignCounter("listed", _("纳入失信名单（人）"), _listed, order=20))
