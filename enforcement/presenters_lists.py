"""The rows of the enforcement lists (我的案件, the court's list) as their templates show
them, worked out for the whole page in one pass.

A list renders 50 rows twice (a table for wide screens, cards for phones). Asking the
template to format each value (filters, `{% url %}`, `{% with %}`, an include per card)
cost about 100 ms a page; here each value is computed once per row, the words that repeat
(status names, deadline kinds, "立案 N 天") once per page. The words are the same as the
templates' filters give (enforcement_tags, ui).

The rows' HTML is written here too (`workbench_table_rows`, `court_table_rows`,
`case_cards`): even only placing the values, the templates' loops were about 45 nodes a row,
2,400 node renders a page and a third of the request; a row is one string here. The page
templates keep everything else (headings, filters, forms) and place the rows whole.
"""

from dataclasses import dataclass
from html import escape as _esc

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from common.money import format_yuan

from .models import CaseStatus, TargetKind

_URL_MARK = 987654321  # a pk no case has, replaced by each row's own

STATUS_CSS = {
    "performed": "text-bg-success",
    "suspended": "text-bg-warning",
    "filed": "text-bg-info",
    "urging": "text-bg-info",
    "terminated_round": "text-bg-secondary",
    "terminated": "text-bg-secondary",
    "bankruptcy": "text-bg-secondary",
    "urging_performed": "text-bg-secondary",
}

PRIORITY_BADGES = (
    ("is_enterprise", "priority-enterprise", "text-bg-light border text-primary", "building",
     _("涉企")),
    ("is_livelihood", "priority-livelihood", "text-bg-light border text-danger", "heart",
     _("涉民生")),
    ("is_small_claim", "priority-small", "text-bg-light border text-success", "lightning",
     _("小额快执")),
    ("application_late", "application-late", "text-bg-warning", "", _("超过申请执行期间")),
)  # fmt: skip
PRIORITY_FLAGS = tuple(flag for flag, *_rest in PRIORITY_BADGES)


def status_badge(status: str) -> SafeString:
    try:
        label = CaseStatus(status).label
    except ValueError:
        label = status
    css = STATUS_CSS.get(status, "text-bg-primary")
    return format_html('<span class="badge {}" data-testid="status">{}</span>', css, label)


def priority_badges(case) -> SafeString:
    badges = []
    for flag, testid, css, icon, label in PRIORITY_BADGES:
        if getattr(case, flag):
            icon_html = format_html('<i class="bi bi-{}"></i> ', icon) if icon else ""
            badges.append(
                format_html(
                    '<span class="badge {}" data-testid="{}">{}{}</span>',
                    css,
                    testid,
                    icon_html,
                    label,
                )  # fmt: skip
            )
    return mark_safe("".join(badges))  # noqa: S308 - each part escaped by format_html


def kind_words(kind: str, stored_label: str = "") -> str:
    """A deadline kind in the reader's language (the registered label), else the label
    stored on the deadline."""
    from deadlines.registry import get_kind

    registered = get_kind(kind) if kind else None
    return str(registered.label) if registered else stored_label


@dataclass(frozen=True, slots=True)
class CaseRow:
    pk: int
    url: str
    number: str
    status_badge: SafeString
    priority_badges: SafeString
    overdue: bool
    has_deadline: bool  # a running clock (else "无进行中的期限")
    next_deadline: str  # the soonest open clock's kind, in the reader's language
    due_on: str  # its due date, Y-m-d (Beijing time)
    due_short: str  # m-d
    next_steps: str  # what the parts expect next, joined with "；"
    filed_on: str  # Y-m-d, "" before filing
    filed_days: int | None
    filed_days_text: str  # "立案 12 天"
    officer: str
    amount_ordered: str  # ¥…
    amount: str  # ¥… for a money case, "" otherwise
    target: str  # the amount, or what is to be done (the court's list)


def case_rows(cases) -> list[CaseRow]:
    """The display values of a list page's cases (each with `next_due_at`,
    `next_deadline_kind`, `next_deadline_label` from selectors_lists and `next_steps`)."""
    now = timezone.now()
    local = timezone.get_current_timezone()  # once a page, not twice a row
    today = now.astimezone(local).date()
    url_pattern = reverse("enforcement:detail", args=[_URL_MARK])
    mark = str(_URL_MARK)
    statuses = {}  # status → badge, once per page
    priorities = {}  # the four flags → badges
    kinds = {}  # (kind, label) → words
    days_words = {}  # n → "立案 n 天"
    separator = gettext("；")
    target_words = dict(TargetKind.choices)
    rows = []
    for case in cases:
        badge = statuses.get(case.status)
        if badge is None:
            badge = statuses[case.status] = status_badge(case.status)
        flags = tuple(getattr(case, flag) for flag in PRIORITY_FLAGS)
        badges = priorities.get(flags)
        if badges is None:
            badges = priorities[flags] = priority_badges(case)
        due = case.next_due_at
        if due is not None:
            key = (case.next_deadline_kind, case.next_deadline_label)
            words = kinds.get(key)
            if words is None:
                words = kinds[key] = kind_words(*key)
            local_due = due.astimezone(local)
            due_on, due_short = local_due.strftime("%Y-%m-%d"), local_due.strftime("%m-%d")
        else:
            words, due_on, due_short = "", "", ""
        filed_days, filed_on, filed_text = None, "", ""
        if case.filed_at is not None:
            local_filed = case.filed_at.astimezone(local).date()
            filed_on = local_filed.isoformat()
            filed_days = (today - local_filed).days
            filed_text = days_words.get(filed_days)
            if filed_text is None:
                filed_text = days_words[filed_days] = ngettext(
                    "立案 %(n)d 天", "立案 %(n)d 天", filed_days
                ) % {"n": filed_days}
        amount_ordered = format_yuan(case.amount_ordered)
        amount = amount_ordered if case.is_money_case else ""
        rows.append(
            CaseRow(
                pk=case.pk,
                url=url_pattern.replace(mark, str(case.pk)),
                number=case.case_number or str(case),
                status_badge=badge,
                priority_badges=badges,
                overdue=due is not None and due < now,
                has_deadline=due is not None,
                next_deadline=words,
                due_on=due_on,
                due_short=due_short,
                next_steps=separator.join(str(step) for step in case.next_steps),
                filed_on=filed_on,
                filed_days=filed_days,
                filed_days_text=filed_text,
                officer=str(case.officer) if case.officer_id else "",
                amount_ordered=amount_ordered,
                amount=amount,
                target=amount or str(target_words.get(case.target_kind, case.target_kind)),
            )
        )
    return rows


# --- the rows' HTML ---------------------------------------------------------------------
# Values are escaped here (`_esc`, the standard library's html.escape, which Django's
# `escape` wraps: a few calls a value instead of a dozen); the badges are already safe
# HTML. The markup is the pages' own (data-testid attributes are what the tests and the
# browser journeys find).


OVERDUE_ROW = ' class="fq-row-overdue"'


@dataclass(frozen=True, slots=True)
class _Words:
    overdue_badge: str
    no_clock: str
    next_word: str
    colon: str
    due_word: str
    separator: str


def _words() -> _Words:
    return _Words(
        overdue_badge=_esc(gettext("超期")),
        no_clock=_esc(gettext("无进行中的期限")),
        next_word=_esc(gettext("下一步")),
        colon=_esc(gettext("：")),
        due_word=_esc(gettext("届满")),
        separator=_esc(gettext("；")),
    )


def workbench_table_rows(rows: list[CaseRow]) -> SafeString:
    """我的案件's table body: number and priorities, status, next step, due date, days
    since filing, the amount ordered."""
    words = _words()
    overdue_badge = f' <span class="badge text-bg-danger">{words.overdue_badge}</span>'
    no_clock = f'<span class="text-muted">{words.no_clock}</span>'
    html = []
    for r in rows:
        step = _esc(r.next_deadline) if r.has_deadline else no_clock
        if r.next_steps:
            step += f"<div>{_esc(r.next_steps)}</div>"
        html.append(
            f'<tr{OVERDUE_ROW if r.overdue else ""} data-testid="workbench-row">'
            f'<td class="text-nowrap"><a href="{_esc(r.url)}">{_esc(r.number)}</a> '
            f"{r.priority_badges}</td>"
            f"<td>{r.status_badge}</td>"
            f'<td class="small">{step}</td>'
            f'<td class="text-nowrap">{_esc(r.due_on) or "—"}'
            f"{overdue_badge if r.overdue else ''}</td>"
            f"<td>{r.filed_days if r.filed_on else '—'}</td>"
            f'<td class="small">{_esc(r.amount_ordered)}</td></tr>'
        )
    return mark_safe("\n".join(html))  # noqa: S308 - every value escaped above


def court_table_rows(rows: list[CaseRow], *, selectable: bool) -> SafeString:
    """The court's list's table body; `selectable`: a checkbox per row for bulk assignment
    (the form `assign-form`)."""
    words = _words()
    overdue_badge = f' <span class="badge text-bg-danger">{words.overdue_badge}</span>'
    html = []
    for r in rows:
        number = _esc(r.number)
        select = (
            f'<td><input type="checkbox" class="form-check-input" name="ids" value="{r.pk}" '
            f'form="assign-form" aria-label="{number}" data-testid="select-{r.pk}"></td>'
            if selectable
            else ""
        )
        deadline = (
            f"{_esc(r.next_deadline)} {_esc(r.due_short)}{overdue_badge if r.overdue else ''}"
            if r.has_deadline
            else "—"
        )
        html.append(
            f'<tr{OVERDUE_ROW if r.overdue else ""} data-testid="case-row">'
            f"{select}"
            f'<td class="text-nowrap"><a href="{_esc(r.url)}">{number}</a> '
            f"{r.priority_badges}</td>"
            f"<td>{r.status_badge}</td>"
            f'<td class="small">{_esc(r.officer) or "—"}</td>'
            f'<td class="text-nowrap small">{_esc(r.filed_on) or "—"}</td>'
            f'<td class="small">{_esc(r.target)}</td>'
            f'<td class="small text-nowrap">{deadline}</td></tr>'
        )
    return mark_safe("\n".join(html))  # noqa: S308 - every value escaped above


def case_cards(rows: list[CaseRow], *, selectable: bool = False) -> SafeString:
    """The same rows as cards (phones): number, status, priorities, next step and its
    deadline, days since filing, officer and amount; `selectable`: a checkbox per card."""
    words = _words()
    html = []
    for r in rows:
        number = _esc(r.number)
        if r.has_deadline:
            step = (
                f"{words.next_word}{words.colon}{_esc(r.next_deadline)} · "
                f"{words.due_word} {_esc(r.due_on)}"
            )
        else:
            step = f'<span class="text-muted">{words.no_clock}</span>'
        if r.next_steps:
            step += f"{words.separator}{_esc(r.next_steps)}"
        meta = _esc(r.filed_days_text)
        if r.officer:
            meta += f" · {_esc(r.officer)}"
        if r.amount:
            meta += f" · {_esc(r.amount)}"
        overdue = (
            f'<span class="badge text-bg-danger" data-testid="overdue-badge">'
            f"{words.overdue_badge}</span>"
            if r.overdue
            else ""
        )
        card = (
            f'<a class="fq-record-card{" fq-record-card-overdue" if r.overdue else ""}" '
            f'href="{_esc(r.url)}" data-testid="case-card">'
            f'<div class="d-flex flex-wrap align-items-center gap-1">'
            f'<strong class="me-1" data-testid="card-number">{number}</strong> '
            f"{r.status_badge} {r.priority_badges} {overdue}</div>"
            f'<div class="fq-record-card-line" data-testid="next-step">{step}</div>'
            f'<div class="fq-record-card-meta">{meta}</div></a>'
        )
        if selectable:
            card = (
                f'<div class="d-flex gap-2 align-items-start"><input type="checkbox" '
                f'class="form-check-input mt-3 flex-shrink-0" name="ids" value="{r.pk}" '
                f'form="assign-form" aria-label="{number}"><div class="flex-grow-1">'
                f"{card}</div></div>"
            )
        html.append(card)
    cards = "\n".join(html)
    return mark_safe(f'<div class="fq-record-cards">{cards}</div>')  # noqa: S308
