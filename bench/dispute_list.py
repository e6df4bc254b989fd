"""Benchmark: the dispute list at city scale (500,000 disputes), keyset vs naive.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fq_bench_cases \
        .venv/bin/python bench/dispute_list.py [--rows 500000] [--reuse]

Loads the rows once with bulk_create (idempotent with --reuse), then times, as a centre
clerk who sees the whole district:
- ours: `cases.selectors.dispute_list` + `keyset_page` (ORDER BY registered_at, id DESC
  LIMIT 51, `?after=` cursor; no COUNT) — page 1 and a deep page (row 100,000);
- naive: the same filter with Django's Paginator (COUNT(*) + OFFSET) — page 1 and page 2,001.
Each is the median of 5 warm runs.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.core.paginator import Paginator  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.models import Category, Dispute, DisputeStatus, SourceChannel  # noqa: E402
from cases.selectors import dispute_list, encode_cursor, keyset_page  # noqa: E402
from common.search import tokenize  # noqa: E402
from organisations.models import Membership, Organisation, Region, User  # noqa: E402
from organisations.roles import Role  # noqa: E402

PHRASES = [
    "楼道飞线充电存在火灾隐患",
    "暖气不热室温偏低",
    "装修噪音扰民",
    "拖欠农民工工资",
    "邻里占用公共楼道",
    "物业费上涨业主不满",
    "车辆剐蹭责任争议",
    "房东不退押金",
    "借款到期未还",
    "垃圾乱堆乱放",
    "宠物狗扰民咬人",
    "漏水殃及楼下",
    "停车位被占用",
    "草场边界纠纷",
    "赡养老人争议",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华"


def setup_world():
    region = Region.objects.filter(code="BENCH00").first() or Region.objects.add_root(
        {"code": "BENCH00", "name": "基准区", "level": Region.Level.COUNTY}
    )
    root = Organisation.objects.filter(
        name="基准区综治中心"
    ).first() or Organisation.objects.add_root(
        {"name": "基准区综治中心", "kind": Organisation.Kind.GOVERNANCE_CENTRE, "region": region}
    )
    children = list(Organisation.objects.get_children(root))
    while len(children) < 20:
        root.refresh_from_db()
        children.append(
            Organisation.objects.add_child(
                root,
                {
                    "name": f"基准街道{len(children)}",
                    "kind": Organisation.Kind.GOVERNANCE_CENTRE,
                    "region": region,
                },
            )
        )
    user, _ = User.objects.get_or_create(username="bench_clerk", defaults={"full_name": "基准"})
    Membership.objects.get_or_create(
        user=user, organisation=root, role=Role.CLERK, defaults={"is_primary": True}
    )
    return region, [root, *children], User.objects.get(pk=user.pk)


def load(rows: int, region, organisations, user):
    existing = Dispute.objects.filter(organisation__in=organisations).count()
    if existing >= rows:
        return existing
    rng = random.Random(42)
    now = timezone.now()
    statuses = [s for s, _l in DisputeStatus.choices]
    categories = [c for c, _l in Category.choices]
    channels = [c for c, _l in SourceChannel.choices]
    batch = []
    start = time.perf_counter()
    for i in range(existing, rows):
        facts = "，".join(rng.sample(PHRASES, 2)) + f"，第{i}号"
        name = (
            rng.choice(SURNAMES)
            + rng.choice(GIVEN)
            + (rng.choice(GIVEN) if rng.random() < 0.5 else "")
        )
        reference = f"BENCH-{i:07d}"
        registered = now - timedelta(minutes=rng.randint(0, 60 * 24 * 730))
        tokens = list(
            dict.fromkeys([*tokenize(name, unigrams=True), *tokenize(reference), *tokenize(facts)])
        )
        batch.append(
            Dispute(
                organisation=rng.choice(organisations),
                reference=reference,
                source_channel=rng.choice(channels),
                category=rng.choice(categories),
                facts=facts,
                region=region,
                status=rng.choice(statuses),
                registered_by=user,
                registered_at=registered,
                due_at=registered + timedelta(days=7),
                search_tokens=tokens,
            )
        )
        if len(batch) == 10_000:
            Dispute.objects.bulk_create(batch)
            batch = []
    if batch:
        Dispute.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_dispute")
    print(f"loaded {rows - existing} disputes in {time.perf_counter() - start:.1f}s")
    return rows


def timed(fn, runs=5):
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=500_000)
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "run against PostgreSQL (DATABASE_URL)"
    region, organisations, user = setup_world()
    total = load(args.rows, region, organisations, user)
    cases = {
        "all (scoped)": {},
        "status=dispatched & category=neighbour": {"status": "dispatched", "category": "neighbour"},
        "search 飞线充电": {"q": "飞线充电"},
        "search 2-char name 王芳": {"q": "王芳"},
    }
    print(f"\n{total:,} disputes · median of 5 warm runs (ms)\n")
    print("| list | ours page 1 | ours deep | naive page 1 | naive deep |")
    print("|---|---:|---:|---:|---:|")
    for label, filters in cases.items():
        queryset = dispute_list(user, filters=filters)
        ours_first = timed(lambda qs=queryset: keyset_page(qs, size=50))
        matching = Paginator(queryset, 50).count
        deep_offset = min(100_000, matching * 3 // 4 // 50 * 50)
        deep = list(queryset[deep_offset : deep_offset + 1])
        cursor = encode_cursor(deep[0]) if deep else ""
        ours_deep = (
            timed(lambda qs=queryset, c=cursor: keyset_page(qs, after=c, size=50))
            if cursor
            else float("nan")
        )
        naive_qs = queryset
        if "q" in filters:
            # the naive version searches with LIKE over the facts (what icontains does)
            naive_qs = (
                Dispute.objects.filter(organisation__in=organisations, facts__contains=filters["q"])
                .select_related("organisation", "region")
                .order_by("-registered_at", "-id")
            )
        paginator = Paginator(naive_qs, 50)
        deep_page = deep_offset // 50 + 1

        def naive(page_number, p=paginator):
            page = p.get_page(page_number)
            list(page.object_list)
            return p.count

        naive_first = timed(lambda qs=naive_qs: naive(1, Paginator(qs, 50)))
        naive_deep = timed(lambda qs=naive_qs, n=deep_page: naive(n, Paginator(qs, 50)))
        print(
            f"| {label} | {ours_first:.1f} | {ours_deep:.1f} | {naive_first:.1f} | {naive_deep:.1f} |"
        )


if __name__ == "__main__":
    main()
