"""Benchmark: importing a 12345-hotline export of N disputes (default 100,000).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fq_bench_import \\
        .venv/bin/python bench/dispute_import.py --rows 100000 --format csv --naive 500

1. Generates a hotline-style file (工单编号, 来电时间, 诉求人, 身份证号, 联系电话, 诉求类别, 诉求内容,
   发生地点, 所属街道, 所属社区): valid ID numbers and phones, ~70% distinct callers (the
   rest call again, so parties are matched through the blind index), 10 communities.
2. Runs the real services: `import_batch_upload` (hash + streaming validation) and
   `import_batch_confirm` → `import_batch_apply` (one transaction, bulk writes per chunk),
   timing each and recording peak Python memory (tracemalloc) and the process's max RSS.
3. Runs the naive way on a small sample — `dispute_register` once per row, i.e. one ORM
   save (plus party lookup, audit entry, timeline event, deadline) per dispute — and
   extrapolates its rate linearly to N rows.

The database is migrated on start; each run uses fresh 工单编号, so runs can repeat against
the same database.
"""

import argparse
import csv
import datetime
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files import File  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from cases.imports import import_batch_confirm, import_batch_upload  # noqa: E402
from cases.models import Dispute, SourceChannel  # noqa: E402
from cases.services import dispute_register  # noqa: E402
from organisations.models import Membership, Organisation, Region, User  # noqa: E402
from organisations.roles import Role  # noqa: E402

HEADER = ["工单编号", "来电时间", "诉求人", "身份证号", "联系电话", "诉求类别", "诉求内容",
          "发生地点", "所属街道", "所属社区"]  # fmt: skip
CATEGORIES = ["邻里纠纷", "婚姻家庭", "物业", "欠薪", "买卖合同", "民间借贷", "交通事故", "租赁"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"
COMMUNITIES = [f"第{i}社区" for i in range(1, 11)]
STREET = "压测街道"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(n: int) -> str:
    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=n % 18000)
    body = f"110105{birth:%Y%m%d}{n % 1000:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]


def make_rows(count: int, run: str, seed: int = 47):
    rng = random.Random(seed)
    start = datetime.datetime(2026, 1, 1, 8, 0)
    callers = max(int(count * 0.7), 1)
    for i in range(count):
        person = rng.randrange(callers)
        name = SURNAMES[person % len(SURNAMES)] + GIVEN[(person // 20) % len(GIVEN)]
        yield [
            f"{run}-{i:07d}",
            (start + datetime.timedelta(minutes=3 * i)).strftime("%Y-%m-%d %H:%M"),
            name,
            id_number(person) if person % 5 else "",  # a fifth give no ID number
            f"13{person % 10}{person:08d}"[:11],
            rng.choice(CATEGORIES),
            f"来电反映小区{rng.randrange(1, 40)}号楼{rng.choice(['噪音扰民', '飞线充电', '拖欠工资', '漏水'])}，请求协调处理。",
            f"压测小区{rng.randrange(1, 40)}号楼",
            STREET,
            rng.choice(COMMUNITIES),
        ]


def write_file(path: Path, count: int, run: str, kind: str) -> None:
    if kind == "csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            writer.writerows(make_rows(count, run))
        return
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("工单")
    sheet.append(HEADER)
    for row in make_rows(count, run):
        sheet.append(row)
    workbook.save(path)


def setup_world():
    """压测区中心 → 压测街道综治中心 → 第1..10社区居委会, and one clerk (idempotent)."""
    root = Region.objects.filter(code="999900").first() or Region.add_root(
        code="999900", name="压测区", level=Region.Level.COUNTY
    )
    street_region = Region.objects.filter(code="999900001").first() or root.add_child(
        code="999900001", name=STREET, level=Region.Level.TOWNSHIP
    )
    centre = Organisation.objects.filter(name="压测街道综治中心").first()
    if centre is None:
        centre = Organisation.add_root(
            name="压测街道综治中心", kind=Organisation.Kind.GOVERNANCE_CENTRE, region=street_region
        )
    for i, name in enumerate(COMMUNITIES, start=1):
        if not Organisation.objects.filter(name=f"{name}居委会").exists():
            street_region.refresh_from_db()
            region = Region.objects.filter(
                code=f"999900001{i:03d}"
            ).first() or street_region.add_child(
                code=f"999900001{i:03d}", name=name, level=Region.Level.VILLAGE
            )
            centre.refresh_from_db()
            centre.add_child(name=f"{name}居委会", kind=Organisation.Kind.COMMUNITY, region=region)
    user, created = User.objects.get_or_create(
        username="bench_clerk", defaults={"full_name": "压测"}
    )
    if created:
        Membership.objects.create(user=user, organisation=centre, role=Role.CLERK, is_primary=True)
    return centre, user


class Measure:
    def __init__(self, label: str, trace: bool):
        self.label = label
        self.trace = trace

    def __enter__(self):
        if self.trace:
            tracemalloc.start()
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.started
        self.peak_mb = None
        if self.trace:
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            self.peak_mb = peak / 1048576


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    parser.add_argument(
        "--naive", type=int, default=500, help="rows for the per-row baseline (0: skip)"
    )
    parser.add_argument(
        "--no-tracemalloc", action="store_true", help="time without tracemalloc overhead"
    )
    args = parser.parse_args()
    trace = not args.no_tracemalloc

    # As in production: with DEBUG on, Django keeps every SQL statement in memory.
    settings.DEBUG = False
    settings.CASES_IMPORT_MAX_BYTES = 1 << 40
    settings.CASES_IMPORT_INLINE_MAX_BYTES = 1 << 40  # run both steps here, not on a worker
    call_command("migrate", verbosity=0)
    centre, user = setup_world()
    run = uuid.uuid4().hex[:8].upper()
    print(f"database: {connection.vendor} {settings.DATABASES['default'].get('NAME')}")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"bench.{args.format}"
        started = time.perf_counter()
        write_file(path, args.rows, run, args.format)
        size_mb = path.stat().st_size / 1048576
        print(
            f"generated {args.rows:,} rows, {size_mb:.1f} MB {args.format} in {time.perf_counter() - started:.1f} s"
        )

        before = Dispute.objects.count()
        with path.open("rb") as handle, Measure("validate", trace) as validate:
            batch = import_batch_upload(
                organisation=centre, actor=user, uploaded_file=File(handle, name=path.name)
            )
        assert batch.status == "valid", (batch.status, batch.file_problem, batch.error_rows)
        with Measure("apply", trace) as apply:
            batch = import_batch_confirm(batch=batch, actor=user)
        assert batch.status == "done", (batch.status, batch.failure)
        created = Dispute.objects.count() - before
        assert created == args.rows, created

    total = validate.seconds + apply.seconds
    print()
    print("| step | wall time | rows/s | peak Python memory (tracemalloc) |")
    print("|---|---|---|---|")
    for step in (validate, apply):
        peak = f"{step.peak_mb:.1f} MB" if step.peak_mb is not None else "—"
        print(f"| {step.label} | {step.seconds:.1f} s | {args.rows / step.seconds:,.0f} | {peak} |")
    print(f"| upload → done | {total:.1f} s | {args.rows / total:,.0f} | |")
    print(f"\nprocess max RSS: {max_rss_mb():.0f} MB; tracemalloc {'on' if trace else 'off'}")

    if args.naive:
        rows = list(make_rows(args.naive, run + "N", seed=11))
        started = time.perf_counter()
        for values in rows:
            community = Organisation.objects.get(name=f"{values[9]}居委会")
            dispute_register(
                organisation=community,
                actor=user,
                source_channel=SourceChannel.HOTLINE_12345,
                category="neighbour",
                facts=values[6],
                parties=[{"name": values[2], "id_number": values[3], "phone": values[4]}],
                region=community.region,
                place=values[7],
                source_reference=values[0],
            )
        seconds = time.perf_counter() - started
        rate = args.naive / seconds
        print(
            f"\nnaive (dispute_register per row, {args.naive} rows): {seconds:.1f} s, "
            f"{rate:,.0f} rows/s → {args.rows:,} rows ≈ {args.rows / rate / 60:.0f} min "
            f"(linear extrapolation; bulk path is {rate and (args.rows / total) / rate:.0f}× faster)"
        )


if __name__ == "__main__":
    main()
