"""What the enforcement case page shows, read in a fixed number of queries whatever the
case's size (a case with 200 deadlines and 2,000 audit entries costs what one with 5 does):
each list is one query and the long ones are cut (the full history, the parties and the
deadlines have their own pages).

Parts of the app add their sections through enforcement/panels.py; their context functions
must keep to the same rule (one or two queries each). The sections share one read of what
several of them show, and skip the records the case has none of (enforcement/case_data.py).
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, Q, QuerySet, Value, When, Window

from audit.presenters import EntryRow, present_entries
from audit.selectors import latest_history
from deadlines.models import Deadline
from documents.selectors import documents_for

from .actions import case_action_url
from .case_data import shared, sharing
from .models import CaseParty, EnforcementCase, EnforcementRole
from .panels import next_steps_for, panels_for
from .presenters_case import party_rows, timeline_rows
from .states import case_machine

HISTORY_SHOWN = 20
CLOSED_DEADLINES_SHOWN = 10
DOCUMENTS_SHOWN = 30
PARTIES_SHOWN = 400  # 400 workers on one case still show; beyond that the API pages them
OPEN_DEADLINES_SHOWN = 20  # the soonest; the API lists them all
# The HTML page shows the first 20 parties of each role and the 20 soonest open deadlines,
# linking to their own pages (views_case) for the rest; the API answers these lists whole.


@dataclass
class CaseAction:
    name: str
    label: str
    style: str
    url: str  # "" when no page carries it out yet


@dataclass
class CasePage:
    case: EnforcementCase
    applicants: list[CaseParty]
    debtors: list[CaseParty]
    others: list[CaseParty]
    parties_cut: bool
    performance_deadlines: list
    open_deadlines: list[Deadline]
    closed_deadlines: list[Deadline]
    closed_deadlines_more: bool
    history: list[EntryRow]
    history_more: bool
    documents: list
    documents_more: bool
    actions: list[CaseAction]
    next_steps: list[str]
    panels: list = field(default_factory=list)
    open_deadlines_more: int = 0  # open ones not listed (on the case's deadlines page)
    # the HTML page's rows, written by presenters_case (not for the API)
    applicant_rows: str = ""
    debtor_rows: str = ""
    other_rows: str = ""
    timeline_rows: str = ""


OPEN_DEADLINE = Q(state__in=Deadline.OPEN_STATES) | Q(
    state=Deadline.State.MISSED, closed_at__isnull=True
)  # an overdue deadline not yet done counts as open


def case_deadlines_queryset(case) -> QuerySet[Deadline]:
    content_type = ContentType.objects.get_for_model(EnforcementCase)
    return Deadline.objects.filter(content_type=content_type, object_id=case.pk).select_related(
        "owner"
    )


def case_deadlines(case, *, open_shown: int | None = None):
    """The case's open deadlines (soonest first; the first `open_shown` of them, or all),
    how many open ones that leaves out, and its latest closed ones (cut): two queries."""
    base = case_deadlines_queryset(case)
    open_rows = base.filter(OPEN_DEADLINE).order_by("due_at", "pk")
    if open_shown is None:
        open_deadlines, open_more = list(open_rows), 0
    else:  # the total in the same query
        open_deadlines = list(open_rows.annotate(total=Window(Count("pk")))[:open_shown])
        open_more = open_deadlines[0].total - len(open_deadlines) if open_deadlines else 0
    closed = list(
        base.exclude(OPEN_DEADLINE).order_by("-closed_at", "-pk")[: CLOSED_DEADLINES_SHOWN + 1]
    )
    closed_more = len(closed) > CLOSED_DEADLINES_SHOWN
    return open_deadlines, open_more, closed[:CLOSED_DEADLINES_SHOWN], closed_more


def all_case_deadlines(case) -> QuerySet[Deadline]:
    """Every deadline of the case for its own page: the open ones first, then the closed
    ones, each by due date."""
    return (
        case_deadlines_queryset(case)
        .annotate(closed_rank=Case(When(OPEN_DEADLINE, then=Value(0)), default=Value(1)))
        .order_by("closed_rank", "due_at", "pk")
    )


def all_case_parties(case) -> QuerySet[CaseParty]:
    """Every party of the case, for its own page, by role and position."""
    return (
        CaseParty.objects.filter(case=case)
        .select_related("represented_by")
        .order_by("role", "position", "pk")
    )


def case_parties(case) -> tuple[list[CaseParty], bool]:
    """The parties as this case recorded them (names, masked phones), representatives
    named: one query (none on the case page, which read them for all its sections)."""
    data = shared(case)
    if data is not None:
        parties = data.parties
    else:
        parties = list(
            CaseParty.objects.filter(case=case)
            .select_related("represented_by")
            .order_by("role", "position", "pk")[: PARTIES_SHOWN + 1]
        )
    return parties[:PARTIES_SHOWN], len(parties) > PARTIES_SHOWN


def case_actions(case, user) -> list[CaseAction]:
    return [
        CaseAction(
            name=transition.name,
            label=str(transition.label),
            style=transition.button_style,
            url=case_action_url(transition.name, case),
        )
        for transition in case_machine.available(case, user)
    ]


def case_page(
    case, user, *, history: bool = True, panels: bool = True,
    open_deadlines_shown: int | None = OPEN_DEADLINES_SHOWN,
) -> CasePage:  # fmt: skip
    """Everything the page shows; the API leaves out the history (it has the history page)
    and the panels (each part has its own endpoints), and lists every open deadline
    (`open_deadlines_shown=None`). The sections share one read of what several of them
    show (`case_data.sharing`)."""
    with sharing(case):
        return _case_page(case, user, history, panels, open_deadlines_shown)


def _case_page(case, user, history: bool, panels: bool, open_shown: int | None) -> CasePage:
    sections = panels_for(case, user) if panels else []
    parties, parties_cut = case_parties(case)
    open_deadlines, open_more, closed_deadlines, closed_more = case_deadlines(
        case, open_shown=open_shown
    )
    entries = latest_history(case, HISTORY_SHOWN + 1) if history else []
    documents = list(documents_for(case)[: DOCUMENTS_SHOWN + 1])
    applicants = [p for p in parties if p.role == EnforcementRole.APPLICANT]
    debtors = [p for p in parties if p.role == EnforcementRole.DEBTOR]
    others = [
        p for p in parties if p.role not in (EnforcementRole.APPLICANT, EnforcementRole.DEBTOR)
    ]
    rows = {}
    if panels:  # the HTML page (the API answers the lists themselves)
        rows = {
            "applicant_rows": party_rows(applicants),
            "debtor_rows": party_rows(debtors),
            "other_rows": party_rows(others),
            "timeline_rows": timeline_rows(open_deadlines, closed_deadlines),
        }
    return CasePage(
        case=case,
        applicants=applicants,
        debtors=debtors,
        others=others,
        parties_cut=parties_cut,
        performance_deadlines=list(case.basis.performance_deadlines.all()),
        open_deadlines=open_deadlines,
        open_deadlines_more=open_more,
        closed_deadlines=closed_deadlines,
        closed_deadlines_more=closed_more,
        history=present_entries(entries[:HISTORY_SHOWN], record=case),
        history_more=len(entries) > HISTORY_SHOWN,
        documents=documents[:DOCUMENTS_SHOWN],
        documents_more=len(documents) > DOCUMENTS_SHOWN,
        actions=case_actions(case, user),
        panels=sections,
        next_steps=next_steps_for(case),  # after the panels: some hand it their rows
        **rows,
    )
