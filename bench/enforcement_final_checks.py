"""Benchmark: the 6-monthly check after 终本 (enf-endings) over N 终本 cases against the
simulated provider with 50 ms latency, in this process: the job's start (claims, check
rows, inquiries and targets in bulk), the inquiry runner (concurrent provider calls), the
collect step (results, the applicants' messages, audit in bulk); beside a naive version
(one inquiry started and run per case, one after the other) on a sample. Then the start is
run again (nothing must start twice) and the rows are counted. Not part of `make test`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fq_bench_final \\
        .venv/bin/python bench/enforcement_final_checks.py --cases 5000 --latency 50 \\
        [--concurrency 64] [--naive 50]

The cases are the inquiry bench's (bench/enforcement_inquiry.py `build`: one debtor each,
distinct ID numbers), turned 终本 with a schedule due today. Results are printed; they
belong in bench/README.md.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


class Meter:
    """CPU seconds (user + system) of this process (all its threads) and of its database
    backend, per step, from /proc: the machine is shared, so wall time alone says little."""

    def __init__(self):
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            self.backend = cur.fetchone()[0]
        self.tick = os.sysconf("SC_CLK_TCK")
        self.last = self._now()

    def _cpu(self, pid: str) -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / self.tick

    def _now(self):
        return self._cpu("self"), self._cpu(str(self.backend))

    def step(self) -> dict:
        now = self._now()
        out = {"process": now[0] - self.last[0], "db": now[1] - self.last[1],
               "load": os.getloadavg()[0]}  # fmt: skip
        self.last = now
        return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--latency", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--naive", type=int, default=50)
    parser.add_argument(
        "--found-every",
        type=int,
        default=100,
        help="one debtor in N has new assets (the rest: nothing found)",
    )
    parser.add_argument(
        "--overlap",
        action="store_true",
        help="collect in a second process while the runner runs, as the beat's separate "
        "tasks do in production (default: the three steps one after the other)",
    )
    parser.add_argument("--collector", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.collector:
        return collector()
    os.environ["ENFORCEMENT_SIMULATED_LATENCY_MS"] = str(args.latency)
    os.environ["ENFORCEMENT_INQUIRY_CONCURRENCY"] = str(args.concurrency)

    from bench.enforcement_inquiry import build, ensure_database, identity, reset

    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection
    from django.utils import timezone

    from enforcement.inquiry.runner import run
    from enforcement.models import (
        AssetInquiry,
        CaseStatus,
        EnforcementCase,
        FinalCheck,
        FinalCheckSchedule,
        InquiryTarget,
    )
    from enforcement.services.final_checks import final_checks_collect, final_checks_start
    from enforcement.services.inquiries import inquiry_start

    court, officer = build(args.cases)
    reset()
    with connection.cursor() as cur:
        cur.execute("TRUNCATE enforcement_finalcheck, enforcement_finalcheckschedule CASCADE")
        cur.execute(
            "DELETE FROM enforcement_caseparty WHERE case_id IN (SELECT id FROM "
            "enforcement_enforcementcase WHERE case_type = '执恢')"
        )
        cur.execute("DELETE FROM enforcement_enforcementcase WHERE case_type = '执恢'")
        cur.execute("DELETE FROM enforcement_casesequence WHERE case_type = '执恢'")
    today = timezone.localdate()
    ids = list(EnforcementCase.objects.filter(court=court, case_type="执").order_by("pk")
               .values_list("pk", flat=True)[: args.cases])  # fmt: skip
    EnforcementCase.objects.filter(pk__in=ids).update(status=CaseStatus.TERMINATED_ROUND)
    FinalCheckSchedule.objects.bulk_create(
        [FinalCheckSchedule(case_id=pk, concluded_on=today, next_due_on=today,
                            ends_on=today.replace(year=today.year + 5)) for pk in ids],
        batch_size=5000,
    )  # fmt: skip
    # most 终本 debtors still have nothing: scripted empty (a social-insurance record without
    # value); one in N gets a deposit, which resumes its case (the per-case expensive path)
    from enforcement.inquiry.providers import identity_index
    from enforcement.models import SimulatedInquiryScript

    SimulatedInquiryScript.objects.all().delete()
    SimulatedInquiryScript.objects.bulk_create(
        [
            SimulatedInquiryScript(
                identity_index=identity_index(identity(n)), available_from=today,
                findings=[{"kind": "bank_account", "institution": "基准银行",
                           "identifier": f"62170000{n:011d}", "balance": "1000.00"}]
                if n % args.found_every == 0 else
                [{"kind": "social_insurance", "institution": "社保", "identifier": f"S{n}"}],
            )
            for n in range(len(ids))
        ],
        batch_size=5000,
    )  # fmt: skip
    with connection.cursor() as cur:
        cur.execute("ANALYZE")  # as a live database's statistics would be
        # The foreign-key checks' plans are cached for the session: planned while the
        # emptied inquiry tables held the first batch, they scan the table for every row
        # ever after (≈ 150 starts a second instead of thousands). A live city's tables
        # are large from the start; custom plans give this session that behaviour.
        cur.execute("SET plan_cache_mode = force_custom_plan")
    print(
        f"{len(ids):,} 终本 cases due today (1 in {args.found_every} with new assets); "
        f"provider latency {args.latency} ms"
    )

    meter = Meter()

    def cpu(name, count):
        used = meter.step()
        per = (used["process"] + used["db"]) / max(count, 1) * 1000
        print(f"  cpu {name}: process {used['process']:.1f} s + database {used['db']:.1f} s = "
              f"{per:.2f} s per 1,000; load average {used['load']:.1f}", flush=True)  # fmt: skip

    t0 = time.perf_counter()
    started = final_checks_start(today=today)
    t1 = time.perf_counter()
    print(f"start:   {started:,} checks in {t1 - t0:.1f} s ({started / (t1 - t0):.0f}/s)",
          flush=True)  # fmt: skip
    cpu("start", started)
    if args.overlap:
        # the collect task on its own worker, taking each check as its inquiry finishes
        collector_process = subprocess.Popen([sys.executable, __file__, "--collector"])
    result = run(concurrency=args.concurrency)
    t2 = time.perf_counter()
    print(f"inquire: {result.done:,} targets in {t2 - t1:.1f} s ({result.done / (t2 - t1):.0f}/s)",
          flush=True)  # fmt: skip
    cpu("inquire", result.done)
    if args.overlap:
        collector_process.wait()
        collected = FinalCheck.objects.exclude(result="pending").count()
    else:
        collected = final_checks_collect()
    t3 = time.perf_counter()
    if args.overlap:
        print(f"collect: {collected:,} results stored, the last {t3 - t2:.1f} s after the runner "
              "finished (the collector's own line above)", flush=True)  # fmt: skip
    else:
        print(f"collect: {collected:,} results in {t3 - t2:.1f} s ({collected / (t3 - t2):.0f}/s)",
              flush=True)  # fmt: skip
        cpu("collect", collected)
    again = final_checks_start(today=today)
    total = t3 - t0
    print(f"all:     {started / total:.0f} checks a second end to end")
    print(f"rerun started {again}; checks {FinalCheck.objects.count():,} "
          f"(distinct cases {FinalCheck.objects.values('schedule').distinct().count():,}); "
          f"inquiries {AssetInquiry.objects.count():,}; targets "
          f"{InquiryTarget.objects.count():,}; pending {FinalCheck.objects.filter(result='pending').count()}")  # fmt: skip

    if args.naive:
        reset()
        sample = EnforcementCase.objects.filter(pk__in=ids[: args.naive])
        t0 = time.perf_counter()
        for case in sample:
            inquiry = inquiry_start(case=case, actor=officer)
            run(inquiry_ids=[inquiry.pk], concurrency=1)
        naive = time.perf_counter() - t0
        print(
            f"naive:   {args.naive} cases one by one in {naive:.1f} s ({args.naive / naive:.1f}/s)"
        )


def collector():
    """`--overlap`'s second process: collect until no check of the cycle is pending."""
    import django

    django.setup()
    from django.db import connection

    from enforcement.models import FinalCheck
    from enforcement.services.final_checks import final_checks_collect

    with connection.cursor() as cur:
        cur.execute("SET plan_cache_mode = force_custom_plan")
    t0, collected = time.perf_counter(), 0
    while True:
        got = final_checks_collect()
        collected += got
        if not got:
            if not FinalCheck.objects.filter(result="pending").exists():
                break
            time.sleep(0.5)
    took = time.perf_counter() - t0
    print(f"  collector: {collected:,} results in {took:.1f} s, alongside the runner", flush=True)


if __name__ == "__main__":
    main()
