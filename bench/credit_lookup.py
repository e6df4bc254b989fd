"""Benchmark: the public credit lookup and the partner feed at 5,000,000 dishonest-list
entries, the real code vs a naive version.

    createdb -h 127.0.0.1 -U postgres fq_bench_credit
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/fq_bench_credit
    .venv/bin/python manage.py migrate
    nice -n 10 .venv/bin/python bench/credit_lookup.py --skip lookup,names,sync   # data only
    nice -n 10 .venv/bin/python bench/credit_lookup.py --skip names,sync          # one bench
    [--entries 5000000] [--changes 100000] [--with-trgm]

Generates the rows in PostgreSQL itself (INSERT … SELECT over generate_series): 5,000,000
persons (`cases.Party`, with valid 18-character ID numbers whose blind index is the HMAC
computed by pgcrypto with the same HKDF-derived key as common.pii), one listing each (90 %
published, 5 % removed, 5 % shielded) spread over 1,000 enforcement cases, and a feed of
100,000 changes (80,000 publications, 15,000 removals, 5,000 grade changes). Idempotent:
rows are generated once.

Measured, median (and p95) of warm runs, in ms:

1. lookup by name + ID number — ours: `credit.public.selectors.public_lookup` (blind index →
   the party's unique index → its bindings, then its listings and restrictions by debtor in
   one UNION ALL); also the whole page through Django's test client with a solved
   challenge. Naive: the listing's own copy of the blind index, which has no index (a scan
   of 5,000,000 rows).
2. the staff name search for 2-character names ("张伟", "王芳", "李娜", the given name "伟华")
   and one of 3 ("张伟华"), 50 rows: naive `LIKE '%张伟%'` (sequential scan: pg_trgm cannot
   index 2 characters); ours — `credit.search.name_filter` on the GIN index of the names'
   character bigrams (migration credit 0003), the whole `credit_search` (listings and
   restrictions, scope, exact names first) and the page `/credit/search/`. `--with-trgm`
   also builds a pg_trgm index to show it is not used for 2 characters.
3. a partner's sync of 100,000 changes: ours — the real API (`/api/credit/feed/changes/`,
   keyset on the version, 1,000 a page, every read logged); naive — OFFSET pages
   (Django's Paginator) and each entry's case, basis, court and bound persons read row by row
   (run on the first `--naive-changes`, default 20,000, and extrapolated). Memory: the peak
   Python allocation (tracemalloc) for one page of ours vs holding the whole sync in a list,
   in a separate pass (tracemalloc slows Python down).
"""

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from psycopg2 import Binary  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from cases.models import Party  # noqa: E402
from common import pii  # noqa: E402
from common.challenge import challenge_issue  # noqa: E402
from credit.feed import selectors as feed_selectors  # noqa: E402
from credit.feed import services as feed_services  # noqa: E402
from credit.models import (  # noqa: E402
    Ability,
    AbilityFinding,
    CreditChange,
    FeedScope,
    FeedSequence,
    Listing,
    PartnerAgency,
)
from credit.public.forms import PURPOSE  # noqa: E402
from credit.public.selectors import public_lookup  # noqa: E402
from credit.search import credit_search, name_filter  # noqa: E402
from enforcement.models import (  # noqa: E402
    BasisKind,
    CaseParty,
    EnforcementCase,
    EnforcementRole,
    LegalBasis,
)
from organisations.models import Membership, Organisation, Region, User  # noqa: E402
from organisations.roles import Role  # noqa: E402

CASES = 1000
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
# the commonest surnames (张 王 李 刘 陈 each several times: a name list is not uniform)
SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
SURNAMES = SURNAMES[:5] * 4 + SURNAMES[:20] * 2 + SURNAMES
GIVEN = list(
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国玉兰红梅志强文斌海燕晓东"
    "婷婷雪梅金凤凯宁飞鹏辉波斌宇浩然子涵欣怡梓轩雨萱诗雨一诺佳怡俊杰思远博文天佑瑞"
    "欢颖晨阳雅琴慧玲凤霞春花秋菊德福永康家豪立新振华德明晓燕丽华小红建华卫东爱国淑珍"
)


def id_body(g: int) -> str:
    """Area 150302, a birth date from 1950-01-01 + g // 1000 days, sequence g % 1000."""
    import datetime

    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=g // 1000)
    return f"150302{birth:%Y%m%d}{g % 1000:03d}"


def id_number(g: int) -> str:
    body = id_body(g)
    total = sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def setup_world():
    region = Region.objects.filter(code="CBENCH0").first() or Region.objects.add_root(
        {"code": "CBENCH0", "name": "信用基准区", "level": Region.Level.COUNTY}
    )
    court = Organisation.objects.filter(name="信用基准区人民法院").first()
    if court is None:
        court = Organisation.objects.add_root(
            {
                "name": "信用基准区人民法院",
                "kind": Organisation.Kind.COURT,
                "region": region,
                "court_code": "蒙0398",
            }
        )
    officer, created = User.objects.get_or_create(
        username="cbench_officer", defaults={"full_name": "基准执行员"}
    )
    if created:
        Membership.objects.create(
            user=officer, organisation=court, role=Role.ENFORCEMENT_OFFICER, is_primary=True
        )
    basis = LegalBasis.objects.filter(court=court).first() or LegalBasis.objects.create(
        court=court,
        kind=BasisKind.JUDGMENT,
        issuing_body=court.name,
        document_number="（2024）蒙0398民初1号",
        effective_on=timezone.localdate().replace(year=2024),
        recorded_by=officer,
    )
    template = EnforcementCase.objects.filter(court=court).order_by("pk").first()
    if template is None:
        template = EnforcementCase.objects.create(
            court=court,
            case_number="（2025）蒙0398执1号",
            number_year=2025,
            number_sequence=1,
            basis=basis,
            applied_on=timezone.localdate(),
            filed_at=timezone.now(),
            created_by=officer,
            officer=officer,
        )
    if EnforcementCase.objects.filter(court=court).count() < CASES:
        columns = [
            c.column
            for c in EnforcementCase._meta.concrete_fields
            if c.column not in ("id", "case_number", "case_number_key", "number_sequence")
        ]
        listed = ", ".join(columns)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""INSERT INTO enforcement_enforcementcase
                    ({listed}, case_number, case_number_key, number_sequence)
                    SELECT {listed}, '（2025）蒙0398执' || g || '号', '2025蒙0398执' || g || '号', g
                    FROM enforcement_enforcementcase, generate_series(2, %s) AS g
                    WHERE id = %s""",
                [CASES, template.pk],
            )
    holder = Party.objects.filter(name="基准占位人").first() or Party.objects.create(
        kind=Party.Kind.PERSON, name="基准占位人"
    )
    case_party = CaseParty.objects.filter(case=template).first() or CaseParty.objects.create(
        case=template, party=holder, role=EnforcementRole.DEBTOR, name=holder.name
    )
    finding = AbilityFinding.objects.filter(case=template).first() or (
        AbilityFinding.objects.create(
            case=template,
            case_party=case_party,
            debtor=holder,
            court=court,
            finding=Ability.UNWILLING,
            reasons="基准",
            found_on=timezone.localdate(),
            found_by=officer,
        )
    )
    first_case = template.pk
    return court, officer, case_party, finding, first_case


CHECK_SQL = " + ".join(
    f"substr(body, {i + 1}, 1)::int * {w}" for i, w in enumerate(WEIGHTS)
)  # GB 11643 weighted sum, spelled out: a subquery per row is ten times slower

PARTIES_SQL = f"""
WITH ids AS (
    SELECT g,
           '150302' || to_char(date '1950-01-01' + g / 1000, 'YYYYMMDD')
               || lpad((g %% 1000)::text, 3, '0') AS body
    FROM generate_series(%(first)s, %(last)s) AS g
), numbered AS (
    SELECT g, body || substr('10X98765432', ({CHECK_SQL}) %% 11 + 1, 1) AS idn FROM ids
)
INSERT INTO cases_party (kind, name, id_number_encrypted, id_number_index, id_number_masked,
    phone_encrypted, phone_index, phone_masked, credit_code, legal_representative, address,
    created_at, updated_at)
SELECT 'person',
       (%(surnames)s::text[])[1 + abs(hashint8(g)) %% cardinality(%(surnames)s::text[])]
         || (%(given)s::text[])[1 + abs(hashint8(g + 7919)) %% cardinality(%(given)s::text[])]
         || CASE WHEN g %% 3 = 0 THEN ''
                 ELSE (%(given)s::text[])[1 + abs(hashint8(g + 104729)) %% cardinality(%(given)s::text[])] END,
       '',
       encode(hmac(convert_to('id:' || idn, 'UTF8'), %(key)s, 'sha256'), 'hex'),
       left(idn, 3) || repeat('*', 11) || right(idn, 4),
       '', '', '', '', '', 'bench:' || g, now(), now()
FROM numbered
"""

LISTINGS_SQL = """
INSERT INTO credit_listing (debtor_kind, debtor_name, debtor_id_index, debtor_id_masked,
    debtor_credit_code, debtor_sex, debtor_birth_date, debtor_legal_representative, starts_on,
    ends_on, publication, published_at, lifted_at, feed_version, created_at, updated_at,
    ground, grade, repeated, duty, conduct, performance, exclusions_checked, decided_on,
    base_years, extra_years, grace_until, ability_finding_id, case_id, case_party_id,
    court_id, created_by_id, debtor_id, decision_document_id)
SELECT 'person', p.name, p.id_number_index, p.id_number_masked, '',
       CASE WHEN (g %% 1000) %% 2 = 1 THEN '男' ELSE '女' END,
       date '1950-01-01' + (g / 1000)::int, '', current_date - (g %% 700)::int, NULL,
       CASE WHEN g %% 20 = 7 THEN 'removed' WHEN g %% 20 = 13 THEN 'shielded'
            ELSE 'published' END,
       now() - (g %% 700) * interval '1 day', NULL, NULL, now(), now(),
       CASE WHEN g %% 4 = 0 THEN '4' ELSE '1' END,
       (ARRAY['minor', 'general', 'serious'])[1 + g %% 3], false,
       '给付欠款' || (g %% 100000) || '元及利息', '有履行能力而拒不履行生效法律文书确定义务',
       '全部未履行', '{}'::jsonb, current_date - (g %% 700)::int,
       CASE WHEN g %% 4 = 0 THEN 2 ELSE NULL END, 0, NULL,
       %(finding)s, %(first_case)s + g %% %(cases)s, %(case_party)s, %(court)s, %(officer)s,
       p.id, NULL
FROM (SELECT id, name, id_number_index, id_number_masked,
             substr(address, 7)::bigint AS g
      FROM cases_party WHERE address LIKE 'bench:%%' AND id BETWEEN %(lo)s AND %(hi)s) AS p
"""

CHANGES_SQL = """
WITH l AS (
    SELECT id, court_id, debtor_id, row_number() OVER (ORDER BY id) AS n
    FROM credit_listing WHERE publication = 'published' ORDER BY id LIMIT %(published)s
)
INSERT INTO credit_creditchange (version, action, note, created_at, court_id, debtor_id,
    listing_id, restriction_id)
SELECT v, a, '', now(), l.court_id, l.debtor_id, l.id, NULL
FROM (
    SELECT n AS v, 'published' AS a, n AS target FROM generate_series(1, %(published)s) n
    UNION ALL
    SELECT %(published)s + k, 'removed', k * 5 FROM generate_series(1, %(removed)s) k
    UNION ALL
    SELECT %(published)s + %(removed)s + k, 'grade_changed', k * 7 + 3
    FROM generate_series(1, %(graded)s) k
) AS c JOIN l ON l.n = c.target
"""


def _drop_indexes(cursor, tables) -> list[str]:
    """Secondary indexes of `tables`, dropped for the bulk load; returns their definitions
    to build them again afterwards (a bulk build is several times faster than 5,000,000
    inserts into each index)."""
    cursor.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
           WHERE i.tablename = ANY(%s) AND i.indexname NOT IN (
               SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))""",
        [list(tables)],
    )
    found = cursor.fetchall()
    for name, _definition in found:
        cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    return [definition for _name, definition in found]


def generate(entries: int, changes: int, world) -> None:
    court, officer, case_party, finding, first_case = world
    have = Party.objects.filter(address__startswith="bench:").count()
    _fernet, index_key = pii._keys(settings.PII_ENCRYPTION_KEY)
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto")
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        rebuild = []
        if have < entries or Listing.objects.count() < entries:
            rebuild = _drop_indexes(cursor, ["cases_party", "credit_listing"])
            # the rows are consistent by construction: no FK trigger per inserted row
            cursor.execute("SET session_replication_role = replica")
        step = 500_000
        for first in range(have + 1, entries + 1, step):
            last = min(first + step - 1, entries)
            started = time.perf_counter()
            cursor.execute(
                PARTIES_SQL,
                {
                    "first": first,
                    "last": last,
                    "surnames": SURNAMES,
                    "given": GIVEN,
                    "key": Binary(index_key),
                },
            )
            print(f"  parties {first:,}–{last:,}: {time.perf_counter() - started:.1f} s")
        lo, hi = (
            Party.objects.filter(address__startswith="bench:")
            .order_by("pk")
            .values_list("pk", flat=True)[0],
            Party.objects.filter(address__startswith="bench:")
            .order_by("-pk")
            .values_list("pk", flat=True)[0],
        )
        listed = Listing.objects.count()
        if listed < entries:
            for start in range(lo + listed, hi + 1, step):
                started = time.perf_counter()
                cursor.execute(
                    LISTINGS_SQL,
                    {
                        "finding": finding.pk,
                        "first_case": first_case,
                        "cases": CASES,
                        "case_party": case_party.pk,
                        "court": court.pk,
                        "officer": officer.pk,
                        "lo": start,
                        "hi": min(start + step - 1, hi),
                    },
                )
                print(f"  listings from party {start:,}: {time.perf_counter() - started:.1f} s")
        cursor.execute("SET session_replication_role = DEFAULT")
        for definition in rebuild:
            started = time.perf_counter()
            cursor.execute(definition)
            print(f"  {definition[:70]}…: {time.perf_counter() - started:.1f} s")
        if not CreditChange.objects.exists():
            published, removed = int(changes * 0.80), int(changes * 0.15)
            graded = changes - published - removed
            started = time.perf_counter()
            cursor.execute(
                CHANGES_SQL, {"published": published, "removed": removed, "graded": graded}
            )
            # the removed ones are removed now; each listing keeps its latest version
            cursor.execute(
                """UPDATE credit_listing l SET publication = 'removed', lifted_at = now()
                   FROM credit_creditchange c
                   WHERE c.listing_id = l.id AND c.action = 'removed'"""
            )
            cursor.execute(
                """UPDATE credit_listing l SET feed_version = m.v
                   FROM (SELECT listing_id, max(version) v FROM credit_creditchange
                         GROUP BY listing_id) m WHERE m.listing_id = l.id"""
            )
            FeedSequence.objects.update_or_create(name="feed", defaults={"last": changes})
            print(f"  {changes:,} changes: {time.perf_counter() - started:.1f} s")
        cursor.execute("ANALYZE cases_party")
        cursor.execute("ANALYZE credit_listing")
        cursor.execute("ANALYZE credit_creditchange")


def timed(fn, runs: int) -> list[float]:
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(ordered):7.2f} ms  p95 {p95:7.2f} ms  (n={len(ordered)})"


def sample_people(count: int, entries: int) -> list[tuple[str, str]]:
    """(name, ID number) of `count` people spread over the table."""
    gs = [1 + (i * 7_777_777) % entries for i in range(count)]
    names = dict(
        Party.objects.filter(address__in=[f"bench:{g}" for g in gs]).values_list("address", "name")
    )
    return [(names[f"bench:{g}"], id_number(g)) for g in gs if f"bench:{g}" in names]


def bench_lookup(entries: int) -> None:
    print("\n1. lookup by name + ID number")
    people = sample_people(200, entries)
    found = sum(bool(public_lookup(name=n, identity=i, kind="person").entries) for n, i in people)
    print(f"  sample: {len(people)} people, {found} with a published entry")
    for name, identity in people[:20]:  # warm
        public_lookup(name=name, identity=identity, kind="person")
    times = []
    for name, identity in people:
        started = time.perf_counter()
        public_lookup(name=name, identity=identity, kind="person")
        times.append((time.perf_counter() - started) * 1000)
    print(f"  ours, selector:           {summary(times)}")
    with CaptureQueriesContext(connection) as queries:
        public_lookup(name=people[0][0], identity=people[0][1], kind="person")
    print(f"  ours, queries per lookup: {len(queries)}")
    # where the time goes: the server's own execution time for those queries (EXPLAIN
    # ANALYZE), and the round trip of an empty query on this machine at this moment
    server = []
    for name, identity in people[:50]:
        with CaptureQueriesContext(connection) as queries:
            public_lookup(name=name, identity=identity, kind="person")
        total = 0.0
        with connection.cursor() as cursor:
            for query in queries.captured_queries:
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
                plan = cursor.fetchone()[0]
                plan = plan[0] if isinstance(plan, list) else plan
                total += plan["Execution Time"] + plan.get("Planning Time", 0)
        server.append(total)
    print(f"  ours, server time (plan + execute, {len(queries)} queries): {summary(server)}")
    with connection.cursor() as cursor:

        def select_one():
            cursor.execute("SELECT 1")
            cursor.fetchone()

        floor = timed(select_one, 200)
    print(f"  round trip of SELECT 1 (the machine's floor now): {summary(floor)}")
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + queries.captured_queries[-1]["sql"])
        print("  plan, the entries:\n    " + "\n    ".join(r[0] for r in cursor.fetchall()[:12]))

    settings.THROTTLE_RATES = {
        **settings.THROTTLE_RATES,
        "credit_lookup": "1000000/min",
        "credit_lookup_day": "1000000/day",
    }
    client = Client()
    page_times, challenge_times = [], []
    for name, identity in people[:100]:
        started = time.perf_counter()
        challenge = challenge_issue(purpose=PURPOSE)
        challenge_times.append((time.perf_counter() - started) * 1000)
        data = {
            "name": name,
            "identity": identity,
            "challenge_token": challenge.token,
            "challenge_answer": str(challenge.answer),
        }
        started = time.perf_counter()
        response = client.post("/gs/", data)
        page_times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    print(f"  ours, whole page POST:    {summary(page_times[10:])}")
    print(f"    of which drawing the next challenge: {summary(challenge_times[10:])}")

    def naive(name, identity):
        index = pii.id_number_index(identity)
        return list(
            Listing.objects.filter(
                debtor_id_index=index, debtor_name=name, publication="published"
            ).select_related("case__basis", "court")
        )

    naive_times = []
    for name, identity in people[:5]:
        started = time.perf_counter()
        naive(name, identity)
        naive_times.append((time.perf_counter() - started) * 1000)
    print(f"  naive (listing's own blind-index column, no index): {summary(naive_times)}")


def bench_name_search(with_trgm: bool) -> None:
    print("\n2. staff name search, 50 rows (2-character names)")
    base = Listing.objects.filter(publication="published").order_by("debtor_name", "pk")
    values = ("张伟", "王芳", "李娜", "伟华", "张伟华")
    counts = {
        value: Listing.objects.filter(debtor_name__contains=value).count() for value in values
    }
    print(f"  names containing each: {counts}")

    def naive_run(value):
        return lambda: list(base.filter(debtor_name__contains=value)[:50])

    naive = timed(naive_run("张伟"), 3) + timed(naive_run("王芳"), 2)
    print(f"  naive LIKE '%张伟%', no usable index:  {summary(naive)}")

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_relation_size('credit_listing_name_bigram_idx')), "
            "pg_size_pretty(pg_relation_size('credit_listing'))"
        )
        index_size, table_size = cursor.fetchone()
    print(f"  ours: GIN on credit_name_bigrams(debtor_name), {index_size} (table {table_size})")
    ours = {}
    for value in values:
        run = lambda value=value: list(name_filter(Listing.objects.all(), value)[:50])  # noqa: E731
        run()  # warm
        ours[value] = timed(run, 20)
        print(f"  ours, name_filter {value!r:8}:        {summary(ours[value])}")
    officer = User.objects.get(username="cbench_officer")
    whole = timed(lambda: credit_search(officer, "张伟"), 20)
    print(f"  ours, credit_search (listings + restrictions, scope, exact first): {summary(whole)}")
    client = Client()
    client.force_login(officer)
    client.get("/credit/search/", {"q": "张伟"})
    page = timed(lambda: client.get("/credit/search/", {"q": "王芳"}), 20)
    print(f"  ours, the page /credit/search/?q=王芳 (test client): {summary(page)}")
    with connection.cursor() as cursor:
        sql, params = name_filter(Listing.objects.all(), "张伟")[:50].query.sql_with_params()
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        print("  plan, ours:\n    " + "\n    ".join(r[0] for r in cursor.fetchall()[:12]))
    if not with_trgm:
        return
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS bench_listing_name_trgm ON credit_listing "
            "USING gin (debtor_name gin_trgm_ops)"
        )
        print(f"  (pg_trgm GIN index built in {time.perf_counter() - started:.0f} s)")
        cursor.execute("ANALYZE credit_listing")
    two = timed(naive_run("张伟"), 3) + timed(naive_run("王芳"), 2)
    print(f"  LIKE '%张伟%' with pg_trgm GIN:       {summary(two)}")
    three = timed(naive_run("张伟华"), 5)
    print(f"  LIKE '%张伟华%' (3 chars) with GIN:   {summary(three)}")


def _agency_token():
    officer = User.objects.get(username="cbench_officer")
    agency = PartnerAgency.objects.filter(code="cbench").first() or (
        feed_services.partner_agency_create(
            actor=officer,
            name="基准银行",
            code="cbench",
            kind="bank",
            scopes=[FeedScope.LISTINGS, FeedScope.RESTRICTIONS],
        )
    )
    return feed_services.partner_token_issue(
        actor=officer, agency=agency, label="bench", scopes=[FeedScope.LISTINGS]
    ).plain


def bench_sync(changes: int, naive_changes: int, page: int) -> None:
    print(f"\n3. partner sync of {changes:,} changes, {page} a page")
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "partner_feed": "1000000/min"}
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {_agency_token()}")
    api.get("/api/credit/feed/changes/", {"cursor": 0, "limit": 1})  # warm: URLconf, imports
    copy: dict = {}
    cursor, requests, items = 0, 0, 0
    parsing = 0.0  # the client's own work: reading the JSON back
    cpu = time.process_time()
    started = time.perf_counter()
    while True:
        response = api.get("/api/credit/feed/changes/", {"cursor": cursor, "limit": page})
        parsed = time.process_time()
        body = response.json()
        parsing += time.process_time() - parsed
        requests += 1
        for item in body["items"]:
            items += 1
            if item["in_force"]:
                copy[item["key"]] = item["entry"]
            else:
                copy.pop(item["key"], None)
        cursor = body["next_cursor"]
        if not body["has_more"]:
            break
    took = time.perf_counter() - started
    cpu = time.process_time() - cpu
    print(
        f"  ours, through the API: {took:.2f} s for {items:,} changes in {requests} requests "
        f"({took / requests * 1000:.0f} ms a page); the copy holds {len(copy):,} entries"
    )
    server = 0.0
    with connection.cursor() as db:
        for start in range(0, changes, changes // 10):
            with CaptureQueriesContext(connection) as queries:
                feed_selectors.changes_page(scopes=[FeedScope.LISTINGS], cursor=start, size=page)
            for query in queries.captured_queries:
                db.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
                plan = db.fetchone()[0]
                plan = plan[0] if isinstance(plan, list) else plan
                server += plan["Execution Time"] + plan.get("Planning Time", 0)
        floor = timed(lambda: (db.execute("SELECT 1"), db.fetchone()), 100)
    print(
        f"    of which CPU in this process (Django, DRF, JSON, the client): {cpu:.1f} s "
        f"(the client parsing the JSON: {parsing:.1f} s); "
        f"database server ≈ {server / 10 * requests / 1000:.1f} s (EXPLAIN ANALYZE of every "
        f"10th page × 10); SELECT 1 round trip now {summary(floor)}"
    )

    tracemalloc.start()
    peaks = []
    cursor = 0
    for _page in range(10):
        tracemalloc.reset_peak()
        result = feed_selectors.changes_page(scopes=[FeedScope.LISTINGS], cursor=cursor, size=page)
        peaks.append(tracemalloc.get_traced_memory()[1])
        cursor = result.next_cursor
        del result
    tracemalloc.reset_peak()
    everything = list(
        CreditChange.objects.filter(version__gt=0)
        .order_by("version")
        .select_related("listing__case__basis", "listing__court")
    )
    whole = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(
        f"  memory, ours: peak {max(peaks) / 2**20:.1f} MiB per page "
        f"(pages 1–10: {min(peaks) / 2**20:.1f}–{max(peaks) / 2**20:.1f} MiB, flat)"
    )
    print(
        f"  memory, the whole sync in one list ({len(everything):,} rows): "
        f"peak {whole / 2**20:.0f} MiB"
    )
    del everything

    today = timezone.localdate()

    def naive_entry(change):
        listing = change.listing  # one query per row, then case, basis, court, bound persons
        if listing.publication != "published":
            return None
        return {
            "name": listing.debtor_name,
            "id_number_masked": listing.debtor_id_masked,
            "age": listing.age_on(today),
            "court": listing.court.name,
            "case_number": listing.case.case_number,
            "basis": listing.case.basis.document_number,
            "ground": listing.get_ground_display(),
            "grade": listing.grade,
            "duty": listing.duty,
            "bound_persons": [b.name for b in listing.bound_persons.all()],
        }

    queryset = CreditChange.objects.filter(version__gt=0).order_by("version")
    paginator = Paginator(queryset, page)
    started = time.perf_counter()
    done = 0
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        for number in paginator.page_range:
            for change in paginator.page(number).object_list:
                naive_entry(change)
                done += 1
            if done >= naive_changes:
                break
    took = time.perf_counter() - started
    print(
        f"  naive (OFFSET pages, rows read one by one): {took:.1f} s for {done:,} changes, "
        f"{len(queries):,} queries → ≈ {took * changes / done:.0f} s for {changes:,}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=5_000_000)
    parser.add_argument("--changes", type=int, default=100_000)
    parser.add_argument("--naive-changes", type=int, default=20_000)
    parser.add_argument("--page", type=int, default=1000)
    parser.add_argument("--skip", default="", help="comma list of: lookup,names,sync")
    parser.add_argument("--with-trgm", action="store_true", help="also build pg_trgm (118 s)")
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "run against PostgreSQL (DATABASE_URL)"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    print(f"database {connection.settings_dict['NAME']}; generating (once)…")
    generate(args.entries, args.changes, setup_world())
    print(
        f"  {Party.objects.filter(address__startswith='bench:').count():,} parties, "
        f"{Listing.objects.count():,} listings, {CreditChange.objects.count():,} changes"
    )
    skip = set(filter(None, args.skip.split(",")))
    if "lookup" not in skip:
        bench_lookup(args.entries)
    if "names" not in skip:
        bench_name_search(args.with_trgm)
    if "sync" not in skip:
        bench_sync(args.changes, args.naive_changes, args.page)


if __name__ == "__main__":
    main()
