"""What credit tells enforcement's 终本 check (enf-endings): has every debtor a consumption
restriction in force, and is every debtor listed? "met" when both; "unmet" when a debtor
has no restriction ordered (the law makes it a condition of 终本); "unknown" when the
restrictions are in force but a debtor is not listed — whether a listing ground exists is
the officer's judgement, so the officer's recorded reason decides."""

from django.utils.translation import gettext as _

from enforcement.models import CaseParty, EnforcementRole

from .models import Listing, Restriction


def final_credit_state(case) -> tuple[str, str]:
    debtors = list(
        CaseParty.objects.filter(case=case, role=EnforcementRole.DEBTOR).values_list("pk", "name")
    )
    restricted = set(
        Restriction.objects.filter(case=case, state=Restriction.State.IN_FORCE).values_list(
            "case_party_id", flat=True
        )
    )
    listed = set(Listing.objects.filter(case=case).values_list("case_party_id", flat=True))
    unrestricted = [name for pk, name in debtors if pk not in restricted]
    if unrestricted:
        return "unmet", _("未对%(names)s限制消费") % {"names": "、".join(unrestricted)}
    unlisted = [name for pk, name in debtors if pk not in listed]
    if unlisted:
        return "unknown", _("%(names)s未纳入失信被执行人名单") % {"names": "、".join(unlisted)}
    return "met", _("已限制消费并纳入失信名单")
