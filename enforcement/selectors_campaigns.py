"""Reads of the coercive measures, objections and campaigns, and the campaigns' totals.

Scope as the cases: a measure or objection is seen by who sees its case (404 otherwise);
a campaign by who sees its organiser or any of its courts, and its totals count only the
tagged cases of courts the reader may see — a basic court reads its own share of a city
campaign, the organiser reads all of it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from .models import (
    CONCLUDED_STATUSES,
    AssetControl,
    AssetKind,
    Campaign,
    CaseStatus,
    CoerciveMeasure,
    EnforcementCase,
    FundReceipt,
    Measure,
    MeasureKind,
    MeasureStatus,
    Objection,
)
from .selectors import courts_visible_to, enforcement_scope


def measures_visible_to(user) -> QuerySet[CoerciveMeasure]:
    return CoerciveMeasure.objects.filter(case__in=enforcement_scope(user).values("pk"))


def measure_get_for_user(user, pk) -> CoerciveMeasure:
    try:
        return measures_visible_to(user).select_related(
            "case", "case__court", "case__court__region", "case__officer", "subject",
            "subject__party", "requested_by", "approver", "decided_by", "document", "campaign",
        ).get(pk=pk)  # fmt: skip
    except (CoerciveMeasure.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def measures_for_case(case) -> QuerySet[CoerciveMeasure]:
    return case.coercive_measures.select_related(
        "subject", "requested_by", "approver", "decided_by", "document", "campaign"
    ).order_by("-requested_at", "-pk")


def measures_awaiting(user) -> QuerySet[CoerciveMeasure]:
    """Requests waiting for `user`'s own approval."""
    return (
        CoerciveMeasure.objects.filter(approver=user, status=MeasureStatus.REQUESTED)
        .select_related("case", "subject", "requested_by")
        .order_by("requested_at", "pk")
    )


def objections_visible_to(user) -> QuerySet[Objection]:
    return Objection.objects.filter(case__in=enforcement_scope(user).values("pk"))


def objection_get_for_user(user, pk) -> Objection:
    try:
        return objections_visible_to(user).select_related(
            "case", "case__court", "case__court__region", "case__officer", "parent", "measure",
            "applicant_party", "recorded_by",
        ).get(pk=pk)  # fmt: skip
    except (Objection.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def objections_for_case(case) -> QuerySet[Objection]:
    return case.objections.select_related("parent", "measure").order_by("-received_on", "-pk")


# --- campaigns -----------------------------------------------------------------------------


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    courts = courts_visible_to(user).values("pk")
    return (
        Campaign.objects.filter(Q(organiser__in=courts) | Q(courts__in=courts))
        .distinct()
        .select_related("organiser")
    )


def campaign_get_for_user(user, pk) -> Campaign:
    try:
        return campaigns_visible_to(user).get(pk=pk)
    except (Campaign.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def campaign_cases(campaign: Campaign, user) -> QuerySet[EnforcementCase]:
    """The campaign's cases the user may see."""
    return (
        enforcement_scope(user)
        .filter(campaign_tags__campaign=campaign)
        .select_related("court", "officer")
        .order_by("-filed_at", "-pk")
    )


def campaigns_open_for_case(case, user) -> list[Campaign]:
    """Campaigns the case's court takes part in, running today, the case not yet in."""
    from django.utils import timezone

    today = timezone.localdate()
    return list(
        campaigns_visible_to(user)
        .filter(courts=case.court, starts_on__lte=today, ends_on__gte=today)
        .exclude(tags__case=case)
        .order_by("name")
    )


# Other parts (credit's restrictions and listings) add their own counts without this app
# importing them: counter(case_ids_queryset, campaign) -> int.
@dataclass(frozen=True)
class CampaignCounter:
    key: str
    label: str
    count: Callable
    order: int = 100


_counters: dict[str, CampaignCounter] = {}


def register_campaign_counter(counter: CampaignCounter) -> None:
    _counters[counter.key] = counter


@dataclass
class CampaignTotals:
    rows: list[tuple[str, str, object]]  # (key, label, value)

    def as_dict(self) -> dict:
        return {key: value for key, _label, value in self.rows}


def campaign_totals(campaign: Campaign, user) -> CampaignTotals:
    """The report the seeds quote (飓风行动: 87 cases, 41 concluded, 21 settled, 550.42万
    recovered, 5 houses sealed, 2 vehicles seized, 2 detained), from the records: tagged
    cases; those concluded within the period; settled; money received into the tagged cases'
    accounts within the period; real estate sealed and vehicles seized within the period;
    people compelled, detained, fined, restricted from leaving, referred — by the measures
    carried out under the tag; and each registered counter (consumption restrictions and
    listings, from credit)."""
    start, end = campaign.starts_on, campaign.ends_on
    cases = campaign_cases(campaign, user).order_by()
    case_ids = cases.values("pk")
    case_counts = cases.aggregate(
        total=Count("pk"),
        concluded=Count(
            "pk",
            filter=Q(
                status__in=CONCLUDED_STATUSES,
                concluded_at__date__gte=start,
                concluded_at__date__lte=end,
            ),
        ),  # fmt: skip
        performed=Count(
            "pk",
            filter=Q(
                status=CaseStatus.PERFORMED,
                concluded_at__date__gte=start,
                concluded_at__date__lte=end,
            ),
        ),  # fmt: skip
        settled=Count("pk", filter=Q(status=CaseStatus.SETTLEMENT)),
    )
    recovered = FundReceipt.objects.filter(
        case__in=case_ids, received_on__gte=start, received_on__lte=end
    ).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    controls = AssetControl.objects.filter(
        case__in=case_ids, effective_on__gte=start, effective_on__lte=end
    ).aggregate(
        houses=Count("pk", filter=Q(kind=AssetKind.REAL_ESTATE, measure=Measure.SEAL)),
        vehicles=Count("pk", filter=Q(kind=AssetKind.VEHICLE)),
    )
    carried_out = (MeasureStatus.EXECUTED, MeasureStatus.ENDED)
    decided = (MeasureStatus.APPROVED, MeasureStatus.EXECUTED, MeasureStatus.ENDED)
    measures = CoerciveMeasure.objects.filter(campaign=campaign, case__in=case_ids).aggregate(
        compelled=Count("subject__party", distinct=True,
                        filter=Q(kind=MeasureKind.APPEARANCE, status__in=carried_out)),
        detained=Count("pk", filter=Q(kind=MeasureKind.DETENTION, status__in=carried_out)),
        fined=Count("pk", filter=Q(kind=MeasureKind.FINE, status__in=decided)),
        fines=Sum("amount", filter=Q(kind=MeasureKind.FINE, status__in=decided)),
        exit_restricted=Count("pk", filter=Q(kind=MeasureKind.EXIT_RESTRICTION,
                                             status__in=decided)),
        searched=Count("pk", filter=Q(kind=MeasureKind.SEARCH, status__in=carried_out)),
        published=Count("pk", filter=Q(kind=MeasureKind.PUBLICATION, status__in=decided)),
        referred=Count("pk", filter=Q(kind=MeasureKind.CRIMINAL_REFERRAL, status__in=decided)),
    )  # fmt: skip
    rows = [
        ("cases", _("案件数"), case_counts["total"]),
        ("concluded", _("执结"), case_counts["concluded"]),
        ("performed", _("执行完毕"), case_counts["performed"]),
        ("settled", _("和解"), case_counts["settled"]),
        ("amount_recovered", _("执行到位金额（元）"), recovered.quantize(Decimal("0.01"))),
        ("houses_sealed", _("查封房产"), controls["houses"]),
        ("vehicles_seized", _("扣押车辆"), controls["vehicles"]),
        ("people_compelled", _("拘传人数"), measures["compelled"]),
        ("people_detained", _("司法拘留"), measures["detained"]),
        ("fines", _("罚款（次）"), measures["fined"]),
        ("fines_amount", _("罚款金额（元）"),
         (measures["fines"] or Decimal("0.00")).quantize(Decimal("0.01"))),
        ("exit_restricted", _("限制出境"), measures["exit_restricted"]),
        ("searches", _("搜查"), measures["searched"]),
        ("published", _("曝光/悬赏"), measures["published"]),
        ("criminal_referrals", _("移送拒执罪"), measures["referred"]),
    ]  # fmt: skip
    for counter in sorted(_counters.values(), key=lambda c: c.order):
        rows.append((counter.key, counter.label, counter.count(case_ids, campaign)))
    return CampaignTotals(rows=rows)


def presidents_of(court, *, exclude=None):
    """The court's own presidents (supervisors of the court itself), who approve measures."""
    from organisations.models import User
    from organisations.roles import Role

    users = User.objects.filter(
        memberships__organisation=court, memberships__role=Role.SUPERVISOR,
        memberships__is_active=True, is_active=True,
    ).distinct().order_by("full_name", "pk")  # fmt: skip
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users
