"""What credit tells enforcement's 终本 check (enf-endings): has every debtor a consumption
restriction in force, and is every debtor listed? "met" when both; "unmet" when a debtor
has no restriction ordered (the law makes it a condition of 终本); "unknown" when the
restrictions are in force but a debtor is not listed — whether a listing ground exists is
the officer's judgement, so the officer's recorded reason decides."""

from django.utils.translation import gettext as _

from enforcement.models import CaseParty, EnforcementRole

from .models import Listing, Restriction


def final_credit_state(case) -> tuple[str, str]:
    """A debtor counts as restricted (listed) by a sanction of this case or of a case it was
    resumed from (the same person: a 执恢 case concluded by 终本 again)."""
    from .selectors import case_lineage

    lineage = case_lineage(case)
    debtors = list(
        CaseParty.objects.filter(case=case, role=EnforcementRole.DEBTOR).values_list(
            "party_id", "name"
        )
    )
    restricted = set(
        Restriction.objects.filter(
            case_id__in=lineage, state=Restriction.State.IN_FORCE
        ).values_list("debtor_id", flat=True)
    )
    listed = set(Listing.objects.filter(case_id__in=lineage).values_list("debtor_id", flat=True))
    unrestricted = [name for party, name in debtors if party not in restricted]
    if unrestricted:
        return "unmet", _("未对%(names)s限制消费") % {"names": "、".join(unrestricted)}
    unlisted = [name for party, name in debtors if party not in listed]
    if unlisted:
        return "unknown", _("%(names)s未纳入失信被执行人名单") % {"names": "、".join(unlisted)}
    return "met", _("已限制消费并纳入失信名单")
