"""Benchmark: the officer's workbench, the court's list and the case page at 500,000
enforcement cases with 2,000,000 rows of what the case page reads, the real pages vs a
naive version.

    createdb -h 127.0.0.1 -U postgres fq_bench_enf_workbench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fq_bench_enf_workbench \
        .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fq_bench_enf_workbench \
        .venv/bin/python bench/enforcement_lists.py [--cases 500000] [--per-case 4]

Generates the rows in PostgreSQL itself (INSERT … SELECT over generate_series): ten basic
courts of one city (a clerk and 30 officers each), three years of filings, a legal basis,
an applicant and a debtor per case (200,000 people), and per case `--per-case` rows of
measures and fund entries — for now the deadlines and audit entries that the case page and
the workbench read (2 + 2 a case: 2,000,000 at 500,000 cases). The parts that model
controls and fund entries add their tables as steps in `STEPS` (see `Step`): each is one
INSERT … SELECT keyed on the case ids, run once, then ANALYZEd with the rest. One case is
made large (400 parties, 200 deadlines, 2,000 audit entries) for the case page.

Times, median of `--runs` warm runs, ms of server time:
- ours: the real page through Django's test client (view, selectors_lists / case_page,
  keyset pages, the template, the middleware), and its own work alone (selector + render);
- naive: the same content as one would first write it — the workbench asking each open
  case for its deadlines and sorting in Python, lists through Paginator (COUNT(*) + OFFSET)
  without select_related, the case page with every audit entry and deadline and no
  select_related — rendered with the same templates.

Idempotent: rows are generated once; rerun to time again.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from audit.models import AuditEntry  # noqa: E402
from audit.presenters import present_entries  # noqa: E402
from audit.selectors import history_for  # noqa: E402
from deadlines.models import Deadline  # noqa: E402
from documents.selectors import documents_for  # noqa: E402
from enforcement import selectors_lists as lists  # noqa: E402
from enforcement.case_page import CasePage, case_actions, case_page  # noqa: E402
from enforcement.forms_lists import CourtListForm  # noqa: E402
from enforcement.models import (  # noqa: E402
    OPEN_STATUSES,
    CaseParty,
    EnforcementCase,
    EnforcementRole,
)
from enforcement.panels import next_steps_for, next_steps_for_many, panels_for  # noqa: E402
from enforcement.presenters_case import party_rows, timeline_rows  # noqa: E402
from enforcement.presenters_lists import (  # noqa: E402
    case_cards,
    case_rows,
    court_table_rows,
    workbench_table_rows,
)
from enforcement.selectors import case_get_for_user  # noqa: E402
from organisations.models import Membership, Organisation, Region, User  # noqa: E402
from organisations.roles import Role  # noqa: E402

COURTS = 10
OFFICERS_PER_COURT = 30
PEOPLE = 200_000
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")  # fmt: skip
GIVEN = list("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍鹏建华飞鑫波宁红")


# --- the world ----------------------------------------------------------------------------


def setup_world():
    region = Region.objects.filter(code="EBENCH0").first() or Region.objects.add_root(
        {"code": "EBENCH0", "name": "执行基准市", "level": Region.Level.PREFECTURE}
    )
    higher = Organisation.objects.filter(name="执行基准市中级人民法院").first()
    if higher is None:
        higher = Organisation.objects.add_root(
            {"name": "执行基准市中级人民法院", "kind": Organisation.Kind.COURT,
             "region": region, "court_code": "蒙09"}
        )  # fmt: skip
    courts = list(Organisation.objects.filter(kind=Organisation.Kind.COURT, region=region)
                  .exclude(pk=higher.pk).order_by("pk"))  # fmt: skip
    while len(courts) < COURTS:
        courts.append(
            Organisation.objects.add_root(
                {"name": f"执行基准第{len(courts) + 1:02d}基层人民法院",
                 "kind": Organisation.Kind.COURT, "region": region,
                 "court_code": f"蒙09{len(courts) + 1:02d}"}
            )
        )  # fmt: skip

    def user(username, organisation, role, full_name=""):
        person, created = User.objects.get_or_create(
            username=username, defaults={"full_name": full_name or username}
        )
        if created:
            Membership.objects.create(
                user=person, organisation=organisation, role=role, is_primary=True
            )
        return person

    clerks, officers = [], []
    for number, court in enumerate(courts):
        clerks.append(user(f"ebench_clerk{number:02d}", court, Role.CLERK, f"立案{number:02d}"))
        officers.append(
            [
                user(f"ebench_c{number:02d}_o{k:02d}", court, Role.ENFORCEMENT_OFFICER,
                     f"执行员{number:02d}-{k:02d}")
                for k in range(OFFICERS_PER_COURT)
            ]
        )  # fmt: skip
    supervisor = user("ebench_higher_sup", higher, Role.SUPERVISOR, "中院执行局长")
    return SimpleNamespace(
        region=region, higher=higher, courts=courts, clerks=clerks, officers=officers,
        supervisor=supervisor,
    )  # fmt: skip


# --- the generator ------------------------------------------------------------------------


@dataclass
class Step:
    """One INSERT … SELECT of the generator. `done` tells whether its rows are there (so
    a rerun skips it); `params` are added to the common ones: now, cases (N), first
    (the first case id), courts, court_codes, officers (n_courts × 30, flattened), clerks,
    case_ct (EnforcementCase's content type). Cases are ids first … first + N - 1; case g
    (0-based) is in court g % 10, with officer (g / 10) % 30 of that court."""

    name: str
    sql: str
    done: str  # SQL returning a count; > 0 means generated
    table: str


PEOPLE_SQL = """
INSERT INTO cases_party (id, kind, name, id_number_encrypted, id_number_index, id_number_masked,
    phone_encrypted, phone_index, phone_masked, credit_code, legal_representative, address,
    created_at, updated_at)
SELECT %(first_person)s + p, 'person',
       (%(surnames)s::text[])[1 + p %% cardinality(%(surnames)s::text[])]
         || (%(given)s::text[])[1 + (p / 97) %% cardinality(%(given)s::text[])]
         || (%(given)s::text[])[1 + (p / 7) %% cardinality(%(given)s::text[])],
       '', '', '', '', '', '', '', '', '', %(now)s, %(now)s
FROM generate_series(0, %(people)s - 1) AS p
"""

BASES_SQL = """
INSERT INTO enforcement_legalbasis (id, kind, issuing_body, document_number, document_number_key,
    effective_on, main_text, recorded_at, court_id, judicial_confirmation_id, recorded_by_id)
SELECT %(first)s + g, 'judgment', '执行基准法院',
       '（' || (2023 + g %% 3) || '）蒙09民初' || g || '号',
       '（' || (2023 + g %% 3) || '）蒙09民初' || g || '号',
       (%(now)s::timestamptz - ((g::bigint * 7919) %% (1095 * 1440)) * interval '1 minute'
         - interval '40 days')::date,
       '被告于判决生效后十日内给付原告借款本金及利息。', %(now)s,
       (%(courts)s::bigint[])[1 + g %% %(n_courts)s], NULL,
       (%(clerks)s::bigint[])[1 + g %% %(n_courts)s]
FROM generate_series(0, %(cases)s - 1) AS g
"""

PERFORMANCE_SQL = """
INSERT INTO enforcement_performancedeadline (number, due_date, amount, description, basis_id)
SELECT 1, b.effective_on + 10, NULL, '', b.id
FROM enforcement_legalbasis b WHERE b.id >= %(first)s AND b.id < %(first)s + %(cases)s
"""

CASES_SQL = """
WITH base AS (
    SELECT g,
           %(now)s::timestamptz - ((g::bigint * 7919) %% (1095 * 1440)) * interval '1 minute'
             AS filed,
           1 + g %% %(n_courts)s AS court_no,
           -- independent of the court (g %% 10) and the officer ((g / 10) %% 30)
           ((g / 300) * 7 + g / 10) %% 20 AS fate
    FROM generate_series(0, %(cases)s - 1) AS g
), shaped AS (
    SELECT *,
           CASE WHEN filed > %(now)s::timestamptz - interval '180 days' THEN
                     CASE WHEN fate = 0 THEN 'filed' WHEN fate = 1 THEN 'suspended'
                          ELSE 'in_progress' END
                WHEN fate < 16 THEN 'performed'
                WHEN fate < 19 THEN 'terminated_round'
                ELSE 'in_progress' END AS status
    FROM base
)
INSERT INTO enforcement_enforcementcase (id, status, case_type, case_number, case_number_key,
    number_year, number_sequence, applied_on, application_period_ends_on, application_late,
    application_note, target_kind, principal, interest, costs, late_interest_from,
    act_description, is_enterprise, is_livelihood, is_small_claim, urging_consent_at,
    urging_consent_note, urging_window_ends_on, filed_at, assigned_at, concluded_at,
    conclusion_note, created_at, updated_at, court_id, created_by_id, filed_by_id, officer_id,
    resumed_from_id, basis_id)
SELECT %(first)s + g, status, '执',
       '（' || extract(year FROM filed AT TIME ZONE 'Asia/Shanghai')::int || '）'
         || (%(court_codes)s::text[])[court_no] || '执' || (g + 1) || '号',
       '（' || extract(year FROM filed AT TIME ZONE 'Asia/Shanghai')::int || '）'
         || (%(court_codes)s::text[])[court_no] || '执' || (g + 1) || '号',
       extract(year FROM filed AT TIME ZONE 'Asia/Shanghai')::int, g + 1,
       (filed - interval '2 days')::date, NULL, g %% 50 = 0, '', 'money',
       (1000 + (g::bigint * 37) %% 500000)::numeric(14, 2), 0, 0, NULL, '',
       g %% 13 = 0, g %% 11 = 0, g %% 7 = 0, NULL, '', NULL,
       filed,
       CASE WHEN status = 'filed' THEN NULL ELSE filed + interval '2 days' END,
       CASE WHEN status IN ('performed', 'terminated_round')
            THEN filed + (60 + fate * 9) * interval '1 day' END,
       '', filed, filed,
       (%(courts)s::bigint[])[court_no],
       (%(clerks)s::bigint[])[court_no],
       (%(clerks)s::bigint[])[court_no],
       CASE WHEN status = 'filed' THEN NULL
            ELSE (%(officers)s::bigint[])[(court_no - 1) * %(per_court)s + 1
                                           + (g / %(n_courts)s) %% %(per_court)s] END,
       NULL, %(first)s + g
FROM shaped
"""

PARTIES_SQL = """
INSERT INTO enforcement_caseparty (role, position, name, phone_encrypted, phone_index,
    phone_masked, address, share, is_representative, party_id, represented_by_id, case_id)
SELECT r.role, 0, p.name, '', '', '138****' || lpad(((c.id * 7 + r.n) %% 10000)::text, 4, '0'),
       '', CASE WHEN r.role = 'applicant' THEN c.principal END, false, p.id, NULL, c.id
FROM enforcement_enforcementcase c
CROSS JOIN (VALUES ('applicant', 0), ('debtor', 1)) AS r(role, n)
JOIN cases_party p ON p.id = %(first_person)s + ((c.id * 2 + r.n) %% %(people)s)
WHERE c.id >= %(first)s AND c.id < %(first)s + %(cases)s
"""

# two clocks a case: the 7-day assignment (met when assigned) and the 6-month limit (met on
# conclusion; still running, or past due and not done, on an open case)
DEADLINES_SQL = """
INSERT INTO deadlines_deadline (object_id, kind, label, start_at, unit, amount, rule_source,
    lead_times, due_at, state, paused_at, closed_at, close_reason, next_action_at, explanation,
    created_at, content_type_id, organisation_id, owner_id, fixed_due_at)
SELECT c.id, k.kind, k.label, c.filed_at, k.unit, k.amount, 'statutory', '[]'::jsonb,
       c.filed_at + k.span,
       CASE WHEN k.kind = 'enforcement.officer_assignment' THEN
                 CASE WHEN c.assigned_at IS NULL THEN 'pending' ELSE 'met' END
            WHEN c.concluded_at IS NOT NULL THEN 'met'
            WHEN c.status = 'suspended' THEN 'paused'
            WHEN c.filed_at + k.span < %(now)s THEN 'missed'
            ELSE 'pending' END,
       CASE WHEN c.status = 'suspended' AND k.kind = 'enforcement.time_limit'
            THEN c.filed_at + interval '30 days' END,
       CASE WHEN k.kind = 'enforcement.officer_assignment' THEN c.assigned_at
            ELSE c.concluded_at END,
       '', NULL, '{}'::jsonb, c.filed_at, %(case_ct)s, c.court_id, c.officer_id, NULL
FROM enforcement_enforcementcase c
CROSS JOIN (VALUES
    ('enforcement.officer_assignment', '确定承办人', 'calendar_days', 7, interval '7 days'),
    ('enforcement.time_limit', '执行期限', 'months', 6, interval '6 months')
) AS k(kind, label, unit, amount, span)
WHERE c.id >= %(first)s AND c.id < %(first)s + %(cases)s
"""

AUDIT_SQL = """
INSERT INTO audit_auditentry (at, actor_name, action, object_id, object_repr, changes,
    transition, note, channel, ip, path, actor_id, content_type_id, organisation_id,
    transition_label)
SELECT c.filed_at + e.after, '立案', e.action, c.id::text, c.case_number,
       CASE WHEN e.action = 'create'
            THEN jsonb_build_object('status', jsonb_build_object('before', NULL, 'after', 'filed'),
                                    'case_number', jsonb_build_object('before', NULL,
                                                                      'after', c.case_number))
            ELSE jsonb_build_object('status', jsonb_build_object('before', 'filed',
                                                                 'after', 'in_progress'),
                                    'officer', jsonb_build_object('before', NULL,
                                                                  'after', c.officer_id)) END,
       e.transition, '', 'page', NULL, '', c.created_by_id, %(case_ct)s, c.court_id,
       e.label
FROM enforcement_enforcementcase c
CROSS JOIN (VALUES ('create', '', '', interval '0'),
                   ('transition', 'assign', '确定承办人', interval '2 days')) AS e(action, transition, label, after)
WHERE c.id >= %(first)s AND c.id < %(first)s + %(cases)s
"""

STEPS = [
    Step("people", PEOPLE_SQL,
         "SELECT count(*) FROM cases_party WHERE id >= %(first_person)s", "cases_party"),
    Step("bases", BASES_SQL,
         "SELECT count(*) FROM enforcement_legalbasis WHERE id >= %(first)s",
         "enforcement_legalbasis"),
    Step("performance periods", PERFORMANCE_SQL,
         "SELECT count(*) FROM enforcement_performancedeadline WHERE basis_id >= %(first)s",
         "enforcement_performancedeadline"),
    Step("cases", CASES_SQL,
         "SELECT count(*) FROM enforcement_enforcementcase WHERE id >= %(first)s",
         "enforcement_enforcementcase"),
    Step("parties", PARTIES_SQL,
         "SELECT count(*) FROM enforcement_caseparty WHERE case_id >= %(first)s",
         "enforcement_caseparty"),
    # --- measures and fund entries: what the case page reads today; the lead adds the
    # controls (enforcement_control …) and fund entries (enforcement_fundentry …) here
    Step("deadlines", DEADLINES_SQL,
         "SELECT count(*) FROM deadlines_deadline WHERE content_type_id = %(case_ct)s",
         "deadlines_deadline"),
    Step("audit entries", AUDIT_SQL,
         "SELECT count(*) FROM audit_auditentry WHERE content_type_id = %(case_ct)s",
         "audit_auditentry"),
]  # fmt: skip

FIRST_CASE = 10_000_000  # ids of generated rows start here (fixtures' rows stay below)
FIRST_PERSON = 10_000_000


def load(world, cases: int) -> None:
    params = {
        "now": timezone.now(),
        "cases": cases,
        "first": FIRST_CASE,
        "first_person": FIRST_PERSON,
        "people": PEOPLE,
        "surnames": SURNAMES,
        "given": GIVEN,
        "courts": [c.pk for c in world.courts],
        "court_codes": [c.court_code for c in world.courts],
        "n_courts": len(world.courts),
        "clerks": [c.pk for c in world.clerks],
        "officers": [o.pk for court in world.officers for o in court],
        "per_court": OFFICERS_PER_COURT,
        "case_ct": ContentType.objects.get_for_model(EnforcementCase).pk,
    }
    touched = []
    with connection.cursor() as cursor:
        for step in STEPS:
            cursor.execute(step.done, params)
            if cursor.fetchone()[0]:
                continue
            start = time.perf_counter()
            cursor.execute(step.sql, params)
            print(
                f"generated {cursor.rowcount:,} {step.name} in {time.perf_counter() - start:.1f}s"
            )
            touched.append(step.table)
        for table in ("cases_party", "enforcement_legalbasis", "enforcement_enforcementcase"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        if touched:
            start = time.perf_counter()
            for table in dict.fromkeys(touched):
                cursor.execute(f"VACUUM ANALYZE {table}")
            print(f"vacuum + analyze in {time.perf_counter() - start:.1f}s")


def make_large_case(world) -> EnforcementCase:
    """One open case with 400 parties, 200 deadlines and 2,000 audit entries."""
    case = (
        EnforcementCase.objects.filter(
            court=world.courts[0], status="in_progress", pk__gte=FIRST_CASE
        )
        .order_by("pk")
        .first()
    )
    officer = case.officer
    content_type = ContentType.objects.get_for_model(EnforcementCase)
    if CaseParty.objects.filter(case=case).count() >= 400:
        return case
    from cases.models import Party

    people = Party.objects.bulk_create(
        Party(kind="person", name=f"工人{n:03d}") for n in range(398)
    )
    CaseParty.objects.bulk_create(
        CaseParty(case=case, party=p, role=EnforcementRole.APPLICANT, position=n + 1,
                  name=p.name, phone_masked="139****0000", share="100.00")
        for n, p in enumerate(people)
    )  # fmt: skip
    now = timezone.now()
    Deadline.objects.bulk_create(
        Deadline(content_type=content_type, object_id=case.pk, kind="enforcement.freeze_bank",
                 label="冻结银行存款期限", organisation=case.court, owner=officer,
                 start_at=now, unit="months", amount=12, rule_source="statutory",
                 due_at=now + datetime.timedelta(days=n + 1),
                 state="met" if n % 2 else "pending", closed_at=now if n % 2 else None)
        for n in range(198)
    )  # fmt: skip
    AuditEntry.objects.bulk_create(
        AuditEntry(at=now - datetime.timedelta(minutes=n), actor=officer,
                   actor_name=str(officer), action="change", content_type=content_type,
                   object_id=str(case.pk), object_repr=str(case), organisation=case.court,
                   changes={"officer": {"before": None, "after": officer.pk}},
                   channel="page", note=f"第{n}次查控")
        for n in range(1998)
    )  # fmt: skip
    return case


# --- timing --------------------------------------------------------------------------------

RUNS = 9


class Timing(float):
    """The median of the runs (ms), with their minimum: on a shared VM whose speed swings
    by half within minutes, the minimum is what the code costs when it gets the CPU."""

    least: float


def timed(fn) -> Timing:
    fn()
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    result = Timing(statistics.median(samples))
    result.least = min(samples)
    return result


def shown(ms) -> str:
    if ms is None:
        return ""
    least = getattr(ms, "least", None)
    return f"{ms:.1f}" if least is None else f"{ms:.1f} ({least:.1f})"


def queries_of(fn) -> str:
    """How many queries, and their time in the database (median of 3 runs)."""
    samples = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as captured:
            fn()
        samples.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
    return f"{len(captured.captured_queries)} ({statistics.median(samples):.1f} ms)"


def client_for(user) -> Client:
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def fetch(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.status_code)
    return response


def _request(user, path):
    request = RequestFactory().get(path, HTTP_HOST="localhost")
    request.user = user
    return request


# the workbench


def _workbench_rows(cases) -> dict:
    rows = case_rows(cases)
    return {"table_rows": workbench_table_rows(rows), "cards": case_cards(rows)}


def ours_workbench(user, after="") -> str:
    page = lists.workbench_page(user, after=after, size=50)
    for case, steps in zip(page.items, next_steps_for_many(page.items), strict=True):
        case.next_steps = steps
    return render_to_string(
        "enforcement/workbench.html",
        {
            "page": page,
            **_workbench_rows(page.items),
            "next_url": "",
            "is_first_page": not after,
            "tiles": [],
        },  # fmt: skip
        request=_request(user, "/enforcement/"),
    )


def naive_workbench(user, page_number=1) -> str:
    """Each open case asked for its deadlines, the soonest picked and sorted in Python."""
    cases = list(EnforcementCase.objects.filter(officer=user, status__in=OPEN_STATUSES))
    content_type = ContentType.objects.get_for_model(EnforcementCase)
    for case in cases:
        open_ones = [
            d
            for d in Deadline.objects.filter(content_type=content_type, object_id=case.pk)
            if d.state == "pending" or (d.state == "missed" and d.closed_at is None)
        ]
        soonest = min(open_ones, key=lambda d: d.due_at, default=None)
        case.next_due_at = soonest.due_at if soonest else None
        case.next_deadline_kind = soonest.kind if soonest else ""
        case.next_deadline_label = soonest.label if soonest else ""
        case.next_steps = next_steps_for(case)
    cases.sort(key=lambda c: (c.next_due_at is None, c.next_due_at or timezone.now(), c.pk))
    page = Paginator(cases, 50).get_page(page_number)
    listing = SimpleNamespace(items=list(page.object_list), has_more=page.has_next())
    return render_to_string(
        "enforcement/workbench.html",
        {
            "page": listing,
            **_workbench_rows(listing.items),
            "next_url": "",
            "is_first_page": page_number == 1,
            "tiles": [],
        },  # fmt: skip
        request=_request(user, "/enforcement/"),
    )


# the court's list


def _list_context(user, page, filters):
    rows = case_rows(page.items)
    return {
        "form": CourtListForm(filters or None, officers=lists.assignable_officers(user)),
        "page": page, "table_rows": court_table_rows(rows, selectable=False),
        "cards": case_cards(rows), "next_url": "", "first_url": "",
        "is_first_page": True, "filtered": bool(filters), "may_assign": False,
        "exact_total": None, "estimate": None,
    }  # fmt: skip


def ours_court_list(user, filters, after="") -> str:
    form = CourtListForm(filters or None, officers=lists.assignable_officers(user))
    queryset = lists.court_case_list(user, filters=form.filters())
    page = lists.court_list_page(queryset, after=after, size=50)
    cases = lists.attach_next_deadlines(page.items)
    for case, steps in zip(cases, next_steps_for_many(cases), strict=True):
        case.next_steps = steps
    return render_to_string(
        "enforcement/case_list.html", _list_context(user, page, filters),
        request=_request(user, "/enforcement/cases/"),
    )  # fmt: skip


def naive_court_list(user, filters, page_number=1) -> str:
    form = CourtListForm(filters or None, officers=lists.assignable_officers(user))
    queryset = lists.court_case_list(user, filters=form.filters()).select_related(None)
    paginator = Paginator(queryset, 50)
    page = paginator.get_page(page_number)
    content_type = ContentType.objects.get_for_model(EnforcementCase)
    items = list(page.object_list)
    for case in items:  # each row asks for its next clock
        soonest = (
            Deadline.objects.filter(content_type=content_type, object_id=case.pk)
            .filter(lists.open_deadline_condition())
            .order_by("due_at")
            .first()
        )
        case.next_due_at = soonest.due_at if soonest else None
        case.next_deadline_kind = soonest.kind if soonest else ""
        case.next_deadline_label = soonest.label if soonest else ""
        case.next_steps = next_steps_for(case)
    listing = SimpleNamespace(items=items, has_more=page.has_next(), next_cursor="")
    context = _list_context(user, listing, filters)
    context["exact_total"] = paginator.count
    return render_to_string(
        "enforcement/case_list.html", context, request=_request(user, "/enforcement/cases/")
    )


# the case page


def ours_case_page(user, case_pk) -> str:
    case = case_get_for_user(user, case_pk)
    return render_to_string(
        "enforcement/case_detail.html", {"page": case_page(case, user), "case": case},
        request=_request(user, f"/enforcement/cases/{case_pk}/"),
    )  # fmt: skip


def naive_case_page(user, case_pk) -> str:
    """Everything of the case, every row read as the template touches it."""
    case = EnforcementCase.objects.get(pk=case_pk)
    parties = list(CaseParty.objects.filter(case=case).order_by("role", "position", "pk"))
    content_type = ContentType.objects.get_for_model(EnforcementCase)
    deadlines = list(Deadline.objects.filter(content_type=content_type, object_id=case.pk))
    open_deadlines = sorted(
        (d for d in deadlines if d.state in ("pending", "paused") or
         (d.state == "missed" and d.closed_at is None)), key=lambda d: d.due_at,
    )  # fmt: skip
    closed = [d for d in deadlines if d not in open_deadlines]
    entries = list(history_for(case))
    page = CasePage(
        case=case,
        applicants=[p for p in parties if p.role == "applicant"],
        debtors=[p for p in parties if p.role == "debtor"],
        others=[p for p in parties if p.role not in ("applicant", "debtor")],
        parties_cut=False,
        performance_deadlines=list(case.basis.performance_deadlines.all()),
        open_deadlines=open_deadlines,
        closed_deadlines=closed,
        closed_deadlines_more=False,
        history=present_entries(entries, record=case),
        history_more=False,
        documents=list(documents_for(case)),
        documents_more=False,
        actions=case_actions(case, user),
        next_steps=next_steps_for(case),
        panels=panels_for(case, user),
        applicant_rows=party_rows([p for p in parties if p.role == "applicant"]),
        debtor_rows=party_rows([p for p in parties if p.role == "debtor"]),
        other_rows=party_rows([p for p in parties if p.role not in ("applicant", "debtor")]),
        timeline_rows=timeline_rows(open_deadlines, closed),
    )
    return render_to_string(
        "enforcement/case_detail.html", {"page": page, "case": case},
        request=_request(user, f"/enforcement/cases/{case_pk}/"),
    )  # fmt: skip


def row(label, request_ms, own_ms, naive_ms, ours_q, naive_q):
    print(
        f"| {label} | {shown(request_ms)} | {shown(own_ms)} | {shown(naive_ms)} | "
        f"{ours_q} / {naive_q} |"
    )


SKIP_NAIVE = False


def naive_timed(fn):
    return None if SKIP_NAIVE else timed(fn)


def naive_queries(fn):
    return "-" if SKIP_NAIVE else queries_of(fn)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=9, help="timed runs per measurement")
    parser.add_argument("--explain", action="store_true", help="print our queries' plans")
    parser.add_argument("--skip-naive", action="store_true", help="time only ours")
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "run against PostgreSQL (DATABASE_URL)"
    global RUNS, SKIP_NAIVE
    RUNS, SKIP_NAIVE = args.runs, args.skip_naive
    settings.DEBUG = False
    print(f"load average before: {os.getloadavg()}")
    world = setup_world()
    load(world, args.cases)
    large = make_large_case(world)
    officer = large.officer
    clerk = world.clerks[0]
    content_type = ContentType.objects.get_for_model(EnforcementCase)
    totals = {
        "cases": EnforcementCase.objects.count(),
        "deadlines": Deadline.objects.filter(content_type=content_type).count(),
        "audit": AuditEntry.objects.filter(content_type=content_type).count(),
        "parties": CaseParty.objects.count(),
    }
    floor_client = client_for(world.supervisor)  # logged in once, like the pages' clients
    floor = timed(lambda: fetch(floor_client, "/notifications/"))
    print(
        f"\n{totals['cases']:,} cases · {totals['deadlines']:,} deadlines · "
        f"{totals['audit']:,} audit entries · {totals['parties']:,} case parties · median of "
        f"{RUNS} warm runs (ms), their minimum in brackets; request floor (the notifications "
        f"page): {shown(floor)}\n"
    )
    print(
        "| page | ours: request | ours: selector + render | naive | "
        "queries (SQL time) ours / naive |"
    )
    print("|---|---:|---:|---:|---|")

    # the workbench
    client = client_for(officer)
    mine = lists.officer_open_cases(officer).count()
    first = lists.workbench_page(officer, size=50)
    for which, after, number in (("page 1", "", 1), ("page 2", first.next_cursor, 2)):
        request_ms = timed(lambda a=after: fetch(client, "/enforcement/", {"after": a}))
        own_ms = timed(lambda a=after: ours_workbench(officer, a))
        naive_ms = naive_timed(lambda n=number: naive_workbench(officer, n))
        row(
            f"我的案件 ({mine} open cases of one officer), {which}", request_ms, own_ms,
            naive_ms, queries_of(lambda a=after: fetch(client, "/enforcement/", {"after": a})),
            naive_queries(lambda n=number: naive_workbench(officer, n)),
        )  # fmt: skip

    # the court's list
    clerk_client = client_for(clerk)
    court_cases = EnforcementCase.objects.filter(court=world.courts[0]).count()
    sample = EnforcementCase.objects.filter(court=world.courts[0]).order_by("pk")[
        min(1234, court_cases // 2)
    ]
    party = CaseParty.objects.filter(case__court=world.courts[0]).order_by("pk")[
        min(777, court_cases // 2)
    ]
    for label, filters in (
        (f"court list, one court ({court_cases:,}), page 1", {}),
        ("court list, overdue", {"overdue": "on"}),
        ("court list, priority livelihood", {"priority": "livelihood"}),
        ("court list, officer", {"officer": officer.pk}),
        ("court list, case number (ASCII brackets)",
         {"q": sample.case_number.replace("（", "(").replace("）", ")")}),
        ("court list, case number prefix", {"q": sample.case_number[:12]}),
        ("court list, party name prefix", {"q": party.name[:2]}),
    ):  # fmt: skip
        request_ms = timed(lambda f=filters: fetch(clerk_client, "/enforcement/cases/", f))
        own_ms = timed(lambda f=filters: ours_court_list(clerk, f))
        naive_ms = naive_timed(lambda f=filters: naive_court_list(clerk, f))
        row(
            label, request_ms, own_ms, naive_ms,
            queries_of(lambda f=filters: fetch(clerk_client, "/enforcement/cases/", f)),
            naive_queries(lambda f=filters: naive_court_list(clerk, f)),
        )  # fmt: skip
    # a deep page of the court's list: row 25,000 (or ¾ down a smaller court)
    queryset = lists.court_case_list(clerk, filters={})
    depth = min(25_000, court_cases * 3 // 4 // 50 * 50)
    deep = queryset[depth - 1]
    cursor = lists.keyset.encode_cursor(deep.created_at, deep.pk)
    ours_ids = [c.pk for c in lists.court_list_page(queryset, after=cursor).items]
    offset_ids = list(queryset.values_list("pk", flat=True)[depth : depth + 50])
    assert ours_ids == offset_ids, "keyset and OFFSET disagree on the deep page"
    request_ms = timed(lambda: fetch(clerk_client, "/enforcement/cases/", {"after": cursor}))
    own_ms = timed(lambda: ours_court_list(clerk, {}, cursor))
    naive_ms = naive_timed(lambda: naive_court_list(clerk, {}, depth // 50 + 1))
    row(f"court list, one court, row {depth:,}", request_ms, own_ms, naive_ms,
        queries_of(lambda: fetch(clerk_client, "/enforcement/cases/", {"after": cursor})),
        naive_queries(lambda: naive_court_list(clerk, {}, depth // 50 + 1)))  # fmt: skip
    sup_client = client_for(world.supervisor)
    request_ms = timed(lambda: fetch(sup_client, "/enforcement/cases/"))
    own_ms = timed(lambda: ours_court_list(world.supervisor, {}))
    naive_ms = naive_timed(lambda: naive_court_list(world.supervisor, {}))
    row(f"court list, the higher court's supervisor (all {totals['cases']:,}), page 1",
        request_ms, own_ms, naive_ms,
        queries_of(lambda: fetch(sup_client, "/enforcement/cases/")),
        naive_queries(lambda: naive_court_list(world.supervisor, {})))  # fmt: skip

    # the case page
    typical = (
        EnforcementCase.objects.filter(officer=officer, status="in_progress", pk__gte=FIRST_CASE)
        .exclude(pk=large.pk)
        .order_by("-pk")
        .first()
    )
    for label, case in (
        ("case page, a typical case (2 parties, 2 deadlines, 2 audit entries)", typical),
        ("case page, a large case (400 parties, 200 deadlines, 2,000 audit entries)", large),
    ):
        url = f"/enforcement/cases/{case.pk}/"
        request_ms = timed(lambda u=url: fetch(client, u))
        own_ms = timed(lambda c=case: ours_case_page(officer, c.pk))
        naive_ms = naive_timed(lambda c=case: naive_case_page(officer, c.pk))
        row(label, request_ms, own_ms, naive_ms, queries_of(lambda u=url: fetch(client, u)),
            naive_queries(lambda c=case: naive_case_page(officer, c.pk)))  # fmt: skip

    # the API
    api_client = client_for(clerk)
    for label, url in (
        ("API list, one court, page 1", "/api/enforcement/cases/"),
        ("API workbench, page 1", "/api/enforcement/workbench/"),
        ("API case, the large case", f"/api/enforcement/cases/{large.pk}/"),
    ):
        who = client if "workbench" in url or "large" in label else api_client
        request_ms = timed(lambda u=url, w=who: fetch(w, u))
        row(label, request_ms, None, None, queries_of(lambda u=url, w=who: fetch(w, u)), "")

    if args.explain:
        print(lists.workbench_queryset(officer)[:51].explain(analyze=True, buffers=True))
        print(queryset[:51].explain(analyze=True, buffers=True))
        print(lists.overdue_filter(queryset, clerk)[:51].explain(analyze=True, buffers=True))
    print(f"\nload average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
