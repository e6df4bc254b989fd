"""Benchmark: the mediation committee's list and the mediator's week at 300,000 mediation
cases and 1,000,000 sessions, the real pages vs a naive version.

    createdb -h 127.0.0.1 -U postgres fq_bench_mediation
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fq_bench_mediation \
        .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fq_bench_mediation \
        .venv/bin/python bench/mediation_lists.py [--cases 300000] [--sessions 1000000]

Generates the rows in PostgreSQL itself (INSERT … SELECT over generate_series: 20 mediation
committees under one justice office, 200 mediators, one court delegating or entrusting 60 %
of the cases, two years of receipts, 3–4 sessions per case with their mediators), ANALYZEs,
then times, median of 5 warm runs, in ms of server time:

- ours: the real page through Django's test client (`GET /mediation/`, `?after=` cursor from
  row 100,000 — or ¾ of the way down for a smaller scope — and `GET /mediation/week/`): the
  view, `mediation.selectors`, keyset paging (no OFFSET, no COUNT), select_related, the
  template, the middleware;
- naive: the same scope with Django's Paginator (COUNT(*) + OFFSET) and no select_related
  (each row's organisation, court and mediator read by the template one by one), rendered
  with the same template; for the week, the sessions without select_related and "waiting"
  found by asking each open case whether it has a session.

Idempotent: rows are generated once (`--reuse` is implied when the cases are there).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.models import Category  # noqa: E402
from mediation import selectors  # noqa: E402
from mediation.models import (  # noqa: E402
    MediationCase,
    Mediator,
    MediatorKind,
    Session,
    Source,
    Status,
)
from organisations.models import Membership, Organisation, Region, User  # noqa: E402
from organisations.roles import Role  # noqa: E402

COMMITTEES = 20
MEDIATORS = 200
PHRASES = [
    "楼道飞线充电存在火灾隐患",
    "装修噪音扰民",
    "拖欠农民工工资",
    "物业费上涨业主不满",
    "车辆剐蹭责任争议",
    "房东不退押金",
    "借款到期未还",
    "宠物狗扰民咬人",
    "漏水殃及楼下",
    "草场边界纠纷",
    "赡养老人争议",
    "离婚财产分割",
]


def setup_world():
    region = Region.objects.filter(code="MBENCH0").first() or Region.objects.add_root(
        {"code": "MBENCH0", "name": "调解基准区", "level": Region.Level.COUNTY}
    )
    office = Organisation.objects.filter(name="调解基准区司法局").first()
    if office is None:
        office = Organisation.objects.add_root(
            {"name": "调解基准区司法局", "kind": Organisation.Kind.JUSTICE_OFFICE, "region": region}
        )
    court = Organisation.objects.filter(name="调解基准区人民法院").first()
    if court is None:
        court = Organisation.objects.add_root(
            {
                "name": "调解基准区人民法院",
                "kind": Organisation.Kind.COURT,
                "region": region,
                "court_code": "蒙0399",
            }
        )
    committees = list(
        Organisation.objects.filter(kind=Organisation.Kind.MEDIATION_COMMITTEE, region=region)
    )
    while len(committees) < COMMITTEES:
        office.refresh_from_db()
        committees.append(
            Organisation.objects.add_child(
                office,
                {
                    "name": f"基准街道{len(committees):02d}人民调解委员会",
                    "kind": Organisation.Kind.MEDIATION_COMMITTEE,
                    "region": region,
                },
            )
        )
    committees.sort(key=lambda c: c.pk)

    def user(username, organisation, role):
        person, created = User.objects.get_or_create(
            username=username, defaults={"full_name": username}
        )
        if created:
            Membership.objects.create(
                user=person, organisation=organisation, role=role, is_primary=True
            )
        return person

    office_clerk = user("mbench_office", office, Role.CLERK)
    court_clerk = user("mbench_court", court, Role.CLERK)
    committee_clerk = user("mbench_committee", committees[0], Role.CLERK)
    mediators = list(Mediator.objects.filter(organisation__in=committees).order_by("pk"))
    for number in range(len(mediators), MEDIATORS):
        committee = committees[number % COMMITTEES]
        person = user(f"mbench_mediator{number:03d}", committee, Role.MEDIATOR)
        mediators.append(
            Mediator.objects.create(
                organisation=committee,
                user=person,
                name=f"调解员{number:03d}",
                kind=MediatorKind.PEOPLES,
            )
        )
    return SimpleNamespace(
        court=court,
        committees=committees,
        mediators=mediators,
        office_clerk=office_clerk,
        committee_clerk=committee_clerk,
        court_clerk=court_clerk,
        # mediator n mediates for committee n % 20, and case g goes to mediator g % 200
        mediator_user=User.objects.get(pk=mediators[0].user_id),
    )


CASES_SQL = """
WITH base AS (
    SELECT g,
           %(now)s::timestamptz - ((g::bigint * 7919) %% (730 * 1440)) * interval '1 minute'
               AS received,
           (g * 13) %% 10 AS outcome,
           g %% 5 AS origin
    FROM generate_series(%(first)s, %(last)s) AS g
)
INSERT INTO mediation_mediationcase (
    reference, source, court_reference, simplified_procedure, category, facts,
    amount_in_dispute, language, status, received_at, receipt_signed_at, ended_at,
    end_reason, updated_at, court_id, created_by_id, dispute_id, organisation_id,
    receipt_signed_by_id, mediator_id
)
SELECT 'MDB-' || lpad(g::text, 7, '0'),
       (ARRAY['court_delegated', 'court_delegated', 'court_entrusted', 'party_request',
              'dispute_referral'])[origin + 1],
       CASE WHEN origin < 3 THEN '（2026）蒙0399民诉前调' || g || '号' ELSE '' END,
       false,
       (%(categories)s::text[])[1 + (g * 31) %% cardinality(%(categories)s::text[])],
       (%(phrases)s::text[])[1 + (g * 17) %% cardinality(%(phrases)s::text[])] || '，第' || g || '号',
       ((g * 37) %% 100000)::numeric(14, 2),
       'zh',
       CASE WHEN received > %(now)s::timestamptz - interval '20 days'
                 THEN (ARRAY['received', 'accepted', 'in_mediation'])[1 + outcome %% 3]
            WHEN outcome < 5 THEN 'agreed'
            WHEN outcome < 8 OR origin <> 2 THEN 'failed'
            ELSE 'withdrawn' END,
       received,
       CASE WHEN received > %(now)s::timestamptz - interval '20 days' AND outcome %% 3 = 0
                 THEN NULL ELSE received + interval '1 day' END,
       CASE WHEN received > %(now)s::timestamptz - interval '20 days'
                 THEN NULL ELSE received + interval '18 days' END,
       '',
       received,
       CASE WHEN origin < 3 THEN %(court)s ELSE NULL END,
       %(clerk)s,
       NULL,
       (%(committees)s::bigint[])[1 + g %% %(n_committees)s],
       NULL,
       (%(mediators)s::bigint[])[1 + g %% %(n_mediators)s]
FROM base
"""

SESSIONS_SQL = """
INSERT INTO mediation_session (
    held_at, is_planned, place, record, next_steps, next_session_at, logged_at, case_id,
    logged_by_id
)
SELECT held, held > %(now)s::timestamptz, '红色驿站', '双方到场，陈述各自意见', '', NULL,
       LEAST(held, %(now)s::timestamptz), c.id, %(clerk)s
FROM (
    SELECT g, %(first_id)s + (g %% %(cases)s) AS case_id, g / %(cases)s AS round
    FROM generate_series(0, %(sessions)s - 1) AS g
) AS s
JOIN mediation_mediationcase c ON c.id = s.case_id,
LATERAL (SELECT c.received_at + (s.round * 5 + 2) * interval '1 day' + interval '3 hours'
         AS held) AS h
"""

# an agreement for every settled case (调解成功, and 调撤 after one), concluded the day before
AGREEMENTS_SQL = """
INSERT INTO mediation_agreement (case_id, concluded_at, terms, is_oral, recorded_by_id)
SELECT c.id, c.ended_at - interval '1 day', '赔偿修缮费用', false, %(clerk)s
FROM mediation_mediationcase c
WHERE c.status IN ('agreed', 'withdrawn') AND c.organisation_id = ANY(%(committees)s::bigint[])
  AND NOT EXISTS (SELECT 1 FROM mediation_agreement a WHERE a.case_id = c.id)
"""

SESSION_MEDIATORS_SQL = """
INSERT INTO mediation_session_mediators (session_id, mediator_id)
SELECT s.id, c.mediator_id FROM mediation_session s JOIN mediation_mediationcase c
ON c.id = s.case_id
WHERE NOT EXISTS (SELECT 1 FROM mediation_session_mediators m WHERE m.session_id = s.id)
"""


def load(world, cases: int, sessions: int) -> tuple[int, int]:
    scope = MediationCase.objects.filter(organisation__in=world.committees)
    existing = scope.count()
    now = timezone.now()
    with connection.cursor() as cursor:
        if existing < cases:
            start = time.perf_counter()
            cursor.execute(
                CASES_SQL,
                {
                    "now": now,
                    "first": existing + 1,
                    "last": cases,
                    "categories": [value for value, _label in Category.choices],
                    "phrases": PHRASES,
                    "court": world.court.pk,
                    "clerk": world.office_clerk.pk,
                    "committees": [c.pk for c in world.committees],
                    "n_committees": COMMITTEES,
                    "mediators": [m.pk for m in world.mediators],
                    "n_mediators": MEDIATORS,
                },
            )
            print(f"generated {cases - existing:,} cases in {time.perf_counter() - start:.1f}s")
        start = time.perf_counter()
        cursor.execute(
            AGREEMENTS_SQL,
            {"clerk": world.office_clerk.pk, "committees": [c.pk for c in world.committees]},
        )
        if cursor.rowcount:
            print(f"generated {cursor.rowcount:,} agreements in {time.perf_counter() - start:.1f}s")
        have_sessions = Session.objects.filter(case__organisation__in=world.committees).count()
        if have_sessions < sessions and have_sessions == 0:
            first_id = scope.order_by("pk").values_list("pk", flat=True).first()
            start = time.perf_counter()
            cursor.execute(
                SESSIONS_SQL,
                {
                    "now": now,
                    "first_id": first_id,
                    "cases": cases,
                    "sessions": sessions,
                    "clerk": world.office_clerk.pk,
                },
            )
            cursor.execute(SESSION_MEDIATORS_SQL)
            print(f"generated {sessions:,} sessions in {time.perf_counter() - start:.1f}s")
        start = time.perf_counter()
        for table in (
            "mediation_mediationcase",
            "mediation_agreement",
            "mediation_session",
            "mediation_session_mediators",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")
        print(f"vacuum + analyze in {time.perf_counter() - start:.1f}s")
    return (
        scope.count(),
        Session.objects.filter(case__organisation__in=world.committees).count(),
    )


RUNS = 5


def timed(fn, runs=None):
    runs = runs or RUNS
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def queries_of(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)


def client_for(user) -> Client:
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def fetch(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.status_code)
    return response


def naive_list_page(user, page_number: int) -> str:
    """COUNT(*) + OFFSET through Paginator, no select_related, the same template."""
    request = RequestFactory().get("/mediation/", HTTP_HOST="localhost")
    request.user = user
    queryset = selectors.mediation_scope(user).order_by("-received_at", "-id")
    paginator = Paginator(queryset, 50)
    page = paginator.get_page(page_number)
    listing = SimpleNamespace(
        items=list(page.object_list), has_more=page.has_next(), next_cursor=""
    )
    return render_to_string(
        "mediation/case_list.html",
        {
            "page": listing,
            "filters": {},
            "statuses": Status.choices,
            "sources": Source.choices,
            "query_string": "",
            "paginator_count": paginator.count,
        },
        request=request,
    )


def ours_list_page(user, after: str = "") -> str:
    """The page's own work, as the view does it: selector + keyset page + the same template."""
    request = RequestFactory().get("/mediation/", HTTP_HOST="localhost")
    request.user = user
    page = selectors.keyset_page(selectors.case_list(user, filters={}), after=after, size=50)
    return render_to_string(
        "mediation/case_list.html",
        {
            "page": page,
            "filters": {},
            "statuses": Status.choices,
            "sources": Source.choices,
            "query_string": "",
        },
        request=request,
    )


def ours_week(user) -> str:
    request = RequestFactory().get("/mediation/week/", HTTP_HOST="localhost")
    request.user = user
    return render_to_string(
        "mediation/week.html", {"week": selectors.my_week(user)}, request=request
    )


def naive_week(user) -> str:
    """The week as one would first write it: no select_related, and "waiting" found by asking
    each open case whether it has a session."""
    request = RequestFactory().get("/mediation/week/", HTTP_HOST="localhost")
    request.user = user
    real = selectors.my_week(user)
    sessions = list(
        Session.objects.filter(
            case__mediator__user=user, held_at__gte=real.start, held_at__lt=real.end
        ).order_by("held_at", "pk")
    )
    waiting = [
        case
        for case in MediationCase.objects.filter(
            mediator__user=user, status__in=(Status.RECEIVED, Status.ACCEPTED)
        ).order_by("received_at", "pk")
        if case.status == Status.RECEIVED or not case.sessions.filter(is_planned=False).exists()
    ][:50]
    week = SimpleNamespace(
        start=real.start, end=real.end, sessions=sessions, deadlines=real.deadlines, waiting=waiting
    )
    return render_to_string("mediation/week.html", {"week": week}, request=request)


def explain(queryset) -> str:
    return queryset.explain(analyze=True, buffers=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=300_000)
    parser.add_argument("--sessions", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measurement")
    parser.add_argument("--explain", action="store_true", help="print the plans of our queries")
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "run against PostgreSQL (DATABASE_URL)"
    global RUNS
    RUNS = args.runs
    settings.DEBUG = False
    print(f"load average before: {os.getloadavg()}")
    world = setup_world()
    total_cases, total_sessions = load(world, args.cases, args.sessions)
    reset_queries()

    floor = timed(lambda: fetch(client_for(world.committee_clerk), "/mediation/week/"))
    print(
        f"\n{total_cases:,} mediation cases · {total_sessions:,} sessions · median of {RUNS} warm "
        f"runs (ms). Request floor (an empty 我的一周 through the test client: middleware, "
        f"session read + save, navigation, base template, notification badge): {floor:.1f}\n"
    )
    print(
        "| page | ours: request | ours: selector + render | naive: Paginator + render "
        "| queries ours / naive |"
    )
    print("|---|---:|---:|---:|---|")
    for label, user in (
        ("list: the justice office (all 300,000)", world.office_clerk),
        ("list: one committee (1/20)", world.committee_clerk),
        ("list: a mediator (their committee's, 1/20)", world.mediator_user),
    ):
        client = client_for(user)
        visible = selectors.case_list(user)
        matching = visible.count()
        deep_offset = min(100_000, matching * 3 // 4 // 50 * 50)
        deep_case = visible[deep_offset - 1]  # the cursor of the page starting at deep_offset
        cursor = selectors.encode_cursor(deep_case)
        first_ids = [c.pk for c in selectors.keyset_page(visible, size=50).items]
        deep_ids = [c.pk for c in selectors.keyset_page(visible, after=cursor, size=50).items]
        naive_deep_ids = list(
            selectors.mediation_scope(user)
            .order_by("-received_at", "-id")
            .values_list("pk", flat=True)[deep_offset : deep_offset + 50]
        )
        assert deep_ids == naive_deep_ids, "keyset and OFFSET disagree on the deep page"
        assert len(first_ids) == 50
        deep_page = deep_offset // 50 + 1
        for which, after, number in (
            ("page 1", "", 1),
            (f"row {deep_offset:,}", cursor, deep_page),
        ):
            request_ms = timed(lambda c=client, k=after: fetch(c, "/mediation/", {"after": k}))
            own_ms = timed(lambda u=user, k=after: ours_list_page(u, k))
            naive_ms = timed(lambda u=user, n=number: naive_list_page(u, n))
            ours_queries = queries_of(
                lambda c=client, k=after: fetch(c, "/mediation/", {"after": k})
            )
            naive_queries = queries_of(lambda u=user, n=number: naive_list_page(u, n))
            print(
                f"| {label} of {matching:,}, {which} | {request_ms:.1f} | {own_ms:.1f} | "
                f"{naive_ms:.1f} | {ours_queries} (request) / {naive_queries} |"
            )
        if args.explain:
            print(explain(visible[:51]))
            print(
                explain(
                    visible.filter(received_at__lte=deep_case.received_at).filter(
                        Q(received_at__lt=deep_case.received_at)
                        | Q(received_at=deep_case.received_at, id__lt=deep_case.pk)
                    )[:51]
                )
            )

    mediator = world.mediator_user
    client = client_for(mediator)
    week = selectors.my_week(mediator)
    request_ms = timed(lambda: fetch(client, "/mediation/week/"))
    own_ms = timed(lambda: ours_week(mediator))
    naive = timed(lambda: naive_week(mediator))
    ours_queries = queries_of(lambda: fetch(client, "/mediation/week/"))
    naive_queries = queries_of(lambda: naive_week(mediator))
    print(
        f"| my week ({len(week.sessions)} sessions this week, {len(week.waiting)} waiting; "
        f"{MediationCase.objects.filter(mediator__user=mediator).count():,} cases, "
        f"{Session.objects.filter(case__mediator__user=mediator).count():,} sessions of theirs)"
        f" | {request_ms:.1f} | {own_ms:.1f} | {naive:.1f} | {ours_queries} (request) / "
        f"{naive_queries} |"
    )
    court_client = client_for(world.court_clerk)
    year = timezone.localdate().year
    figures_params = {"court": world.court.pk, "year": year}
    court_cases = MediationCase.objects.filter(court=world.court).count()
    figures_ms = timed(lambda: fetch(court_client, "/mediation/figures/", figures_params))
    print(
        f"| court figures, {year} ({court_cases:,} cases of the court) | {figures_ms:.1f} | | | "
        f"{queries_of(lambda: fetch(court_client, '/mediation/figures/', figures_params))} |"
    )
    if args.explain:
        from mediation import figures

        with CaptureQueriesContext(connection) as captured:
            figures.court_year_figures(world.court, year)
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + captured.captured_queries[0]["sql"])
            print("\n".join(row[0] for row in cursor.fetchall()))
        mine = MediationCase.objects.filter(mediator__user=mediator)
        print(
            explain(
                Session.objects.filter(
                    case__in=mine.values("pk"), held_at__gte=week.start, held_at__lt=week.end
                ).select_related("case")
            )
        )


if __name__ == "__main__":
    main()
    print(f"load average after: {os.getloadavg()}")
