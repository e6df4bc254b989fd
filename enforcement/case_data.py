"""What several sections of the case page read, read once for the whole page.

The page's header, actions, next steps and panels each used to ask for the case's parties,
its time-limit clocks, its fund summary and its notices: the parties alone were read eight
times. `case_page` now opens `sharing(case)` while it collects the page; the selectors those
sections call ask `shared(case)` and, when the page is being built, take the rows from the
`CaseData` (each read at most once, on first use), otherwise read as before. Nothing is kept
after the page is collected, so no other caller sees rows older than its own read.
"""

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property

from django.apps import apps
from django.db import connection
from django.db.models import prefetch_related_objects

from deadlines.models import Deadline

from .models import CaseParty, EnforcementCase

ATTRIBUTE = "_case_page_data"

# The records (each with a `case` foreign key) the page's sections list. One query asks
# whether the case has any of each, so a section with nothing to show asks nothing more.
PROBED = (
    "enforcement.EnforcementNotice",
    "enforcement.AssetInquiry", "enforcement.AssetClue", "enforcement.AssetControl",
    "enforcement.FundEntry", "enforcement.FundAccount", "enforcement.FundReceipt",
    "enforcement.FundDisbursement", "enforcement.DirectPayment",
    "enforcement.Settlement", "enforcement.FinalConclusionRequest", "enforcement.JudicialRelief",
    "enforcement.CoerciveMeasure", "enforcement.Objection", "enforcement.CampaignCase",
    "enforcement.Commission", "enforcement.CaseTransfer", "enforcement.EnforcementGuarantee",
    "credit.Listing", "credit.Restriction", "credit.AbilityFinding", "credit.Removal",
    "credit.Restoration", "credit.Certificate",
)  # fmt: skip


class CaseData:
    """The case's rows that more than one section shows, each loaded on first use."""

    def __init__(self, case: EnforcementCase):
        self.case = case

    @cached_property
    def held(self) -> frozenset[str]:
        """The labels of the PROBED models the case has rows of: one query (each probe an
        index lookup on the record's case column)."""
        with connection.cursor() as cursor:
            cursor.execute(_probe_sql(), [self.case.pk] * len(PROBED))
            row = cursor.fetchone()
        return frozenset(label for label, found in zip(PROBED, row, strict=True) if found)

    def holds(self, model) -> bool:
        label = model._meta.label
        if label not in PROBED:
            raise ValueError(f"{label} is not probed: add it to case_data.PROBED")
        return label in self.held

    @cached_property
    def parties(self) -> list[CaseParty]:
        """Every party of the case as the case recorded it (name, masked phone, share),
        with its representative: one query (by role, then position). The sections show
        what the case recorded, never the person behind it (`party`, not joined). A
        representative is a party of the same case, so it is linked from these rows
        instead of joined again: 400 workers cost 400 objects, not 1,200."""
        parties = list(CaseParty.objects.filter(case=self.case).order_by("role", "position", "pk"))
        by_pk = {party.pk: party for party in parties}
        link = CaseParty._meta.get_field("represented_by").set_cached_value
        for party in parties:
            if party.represented_by_id is not None:
                link(party, by_pk.get(party.represented_by_id))
        return parties

    def parties_of(self, *roles: str) -> list[CaseParty]:
        """The parties in `roles`, in the order the roles are given (then by position)."""
        return [p for role in roles for p in self.parties if p.role == role]

    def parties_with_persons(self, *roles: str) -> list[CaseParty]:
        """`parties_of(*roles)` with the person behind each (cases.Party: identity number,
        kind, address) for the documents' data: one query for those roles, the first time
        (the debtors, a few, not the 400 applicants)."""
        chosen = self.parties_of(*roles)
        missing = [p for p in chosen if not CaseParty.party.is_cached(p)]
        if missing:
            prefetch_related_objects(missing, "party")
        return chosen

    @cached_property
    def clocks(self) -> list[Deadline]:
        """The case's own clocks the filing and notices sections show (assignment, time
        limit, notice issue), newest first per kind, with their pauses, extensions and
        extension requests: four queries."""
        from .selectors_filing import read_time_limit_clocks

        return read_time_limit_clocks(self.case)

    def latest_clock(self, kind: str) -> Deadline | None:
        return next((clock for clock in self.clocks if clock.kind == kind), None)

    @cached_property
    def fund_summary(self):
        from .selectors_funds import read_case_fund_summary

        return read_case_fund_summary(self.case)

    @cached_property
    def notices(self) -> list:
        from .models import EnforcementNotice
        from .selectors_notices import notices_for_case

        return list(notices_for_case(self.case)) if self.holds(EnforcementNotice) else []

    @cached_property
    def report_days(self) -> int:
        from .services.notices import default_report_days

        return default_report_days(self.case.court)


@functools.cache
def _probe_sql() -> str:
    """SELECT EXISTS (…), … for PROBED, built once (the ORM would compile two dozen
    subqueries on every page)."""
    quote = connection.ops.quote_name
    probes = []
    for label in PROBED:
        meta = apps.get_model(label)._meta
        column = meta.get_field("case").column
        table = quote(meta.db_table)
        # the names are the models', the case id a parameter
        probes.append(f"EXISTS (SELECT 1 FROM {table} WHERE {quote(column)} = %s)")  # noqa: S608
    return "SELECT " + ", ".join(probes)


def shared(case) -> CaseData | None:
    """The page's shared rows while `case_page` collects the page, else None."""
    return case.__dict__.get(ATTRIBUTE)


def may_hold(case, model) -> bool:
    """False only when the case page knows the case has no `model` rows (PROBED); a
    section then skips its read of them. Elsewhere always True: read as before."""
    data = shared(case)
    return data is None or data.holds(model)


@contextmanager
def sharing(case: EnforcementCase) -> Iterator[CaseData]:
    """Share one read of the parties, clocks, fund summary and notices among the sections
    built inside the block; the basis's performance periods are read once too."""
    if case.basis_id:
        prefetch_related_objects([case.basis], "performance_deadlines")
    data = CaseData(case)
    setattr(case, ATTRIBUTE, data)
    try:
        yield data
    finally:
        case.__dict__.pop(ATTRIBUTE, None)
