"""`{% open_campaigns as campaigns %}`: the campaigns running today that the user sees (the
court list's bulk tagging)."""

from django import template
from django.utils import timezone

register = template.Library()


@register.simple_tag(takes_context=True)
def open_campaigns(context):
    """On every list page: the courts in scope as the list read them (`court_ids_for`, kept
    on the user for the request), the campaign's courts as an EXISTS, no DISTINCT."""
    from django.db.models import Exists, OuterRef, Q

    from enforcement.models import Campaign
    from enforcement.selectors_lists import court_ids_for

    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    today = timezone.localdate()
    courts = court_ids_for(request.user)
    joined = Campaign.courts.through.objects.filter(
        campaign_id=OuterRef("pk"), organisation_id__in=courts
    )
    return list(
        Campaign.objects.filter(starts_on__lte=today, ends_on__gte=today)
        .filter(Q(organiser_id__in=courts) | Exists(joined))
        .only("pk", "name", "starts_on", "ends_on")
        .order_by("name")[:50]
    )
