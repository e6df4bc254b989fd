"""`{% open_campaigns as campaigns %}`: the campaigns running today that the user sees (the
court list's bulk tagging)."""

from typing import NamedTuple

from django import template
from django.db import connection
from django.utils import timezone

from common import prepared

register = template.Library()

SHOWN = 50


class RunningCampaign(NamedTuple):
    pk: int
    name: str
    starts_on: object
    ends_on: object


def _statement() -> str:
    from enforcement.models import Campaign

    table, through = Campaign._meta.db_table, Campaign.courts.through._meta.db_table
    return (
        f"SELECT c.id, c.name, c.starts_on, c.ends_on FROM {table} c "  # noqa: S608
        "WHERE c.starts_on <= $1 AND c.ends_on >= $1 AND (c.organiser_id = ANY($2) OR EXISTS "
        f"(SELECT FROM {through} t WHERE t.campaign_id = c.id AND t.organisation_id = ANY($2)))"
        f" ORDER BY c.name, c.id LIMIT {SHOWN}"
    )


@register.simple_tag(takes_context=True)
def open_campaigns(context):
    """On every list page: the courts in scope as the list read them (`court_ids_for`, kept
    on the user for the request), the campaign's courts as an EXISTS, no DISTINCT; on
    PostgreSQL a prepared statement (common.prepared)."""
    from django.db.models import Exists, OuterRef, Q

    from enforcement.models import Campaign
    from enforcement.selectors_lists import court_ids_for

    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    today = timezone.localdate()
    courts = court_ids_for(request.user)
    if connection.vendor == "postgresql":
        rows = prepared.fetchall(_statement(), ("date", "bigint[]"), [today, courts])
        return [RunningCampaign(*row) for row in rows]
    joined = Campaign.courts.through.objects.filter(
        campaign_id=OuterRef("pk"), organisation_id__in=courts
    )
    return [
        RunningCampaign(*row)
        for row in Campaign.objects.filter(starts_on__lte=today, ends_on__gte=today)
        .filter(Q(organiser_id__in=courts) | Exists(joined))
        .order_by("name", "pk")
        .values_list("pk", "name", "starts_on", "ends_on")[:SHOWN]
    ]
