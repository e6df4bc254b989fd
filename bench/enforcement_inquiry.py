"""Benchmark: a 100,000-case inquiry fan-out (网络查控) against the simulated provider with
50 ms latency, run by real Celery workers, beside a naive one-at-a-time version; and the
same run with the workers' pool processes killed mid-way, counted afterwards (nothing lost,
nothing doubled). Not part of `make test`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fq_bench_inquiry \\
    REDIS_URL=redis://127.0.0.1:6379/6 \\
        .venv/bin/python bench/enforcement_inquiry.py --cases 100000 --latency 50 \\
        [--procs 2] [--concurrency 64] [--batch 200] [--chunk 1000] [--kill-after 30] \\
        [--naive 300]

The database is created if missing and migrated; the bench court's cases (one debtor each,
distinct ID numbers) are built once and kept; inquiries, targets, findings and the outbox
are emptied before each run. The workers are `celery worker -P prefork -c PROCS` started
here with the test settings; the fan-out is `inquiries_start_many` (one task per CHUNK
inquiries, published through the outbox on commit). Timing runs from the commit of the
fan-out until the last target is answered. Results are printed; they belong in
bench/README.md.
"""

import argparse
import datetime
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def ensure_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    name = url.rsplit("/", 1)[1]
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cur.fetchone():
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()


def identity(n: int) -> str:
    """The n-th bench debtor's ID number (valid check character, all distinct)."""
    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=n // 900)
    body = f"150302{birth:%Y%m%d}{n % 900 + 100:03d}"
    total = sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def build(cases: int):
    """The bench court with `cases` filed cases, one debtor each (kept between runs)."""
    from django.db import transaction
    from django.utils import timezone

    from cases.models import Party
    from common import pii
    from enforcement.models import (
        BasisKind,
        CaseParty,
        CaseStatus,
        EnforcementCase,
        EnforcementRole,
        LegalBasis,
    )
    from organisations.models import Membership, Organisation, Region, User
    from organisations.roles import Role

    court = Organisation.objects.filter(name="查控基准法院").first()
    if court is None:
        region = Region.add_root(name="基准区", code="BENCH-INQ", level=Region.Level.COUNTY)
        court = Organisation.add_root(
            name="查控基准法院", kind=Organisation.Kind.COURT, region=region, court_code="蒙0399"
        )
    officer, _created = User.objects.get_or_create(
        username="bench_inquiry_officer", defaults={"full_name": "基准执行员"}
    )
    Membership.objects.get_or_create(
        user=officer, organisation=court, defaults={"role": Role.ENFORCEMENT_OFFICER}
    )
    have = EnforcementCase.objects.filter(court=court).count()
    if have >= cases:
        return court, officer
    basis = LegalBasis.objects.filter(court=court).first() or LegalBasis.objects.create(
        court=court, kind=BasisKind.JUDGMENT, issuing_body="查控基准法院",
        document_number="（2025）蒙0399民初1号", effective_on=datetime.date(2025, 1, 2),
        recorded_by=officer,
    )  # fmt: skip
    now = timezone.now()
    started = time.perf_counter()
    for start in range(have, cases, 5000):
        stop = min(cases, start + 5000)
        with transaction.atomic():
            parties = []
            for n in range(start, stop):
                party = Party(kind="person", name=f"被执行人{n}")
                pii.seal_into(party, "id_number", pii.seal_id_number(identity(n)))
                parties.append(party)
            Party.objects.bulk_create(parties, batch_size=2000)
            rows = EnforcementCase.objects.bulk_create(
                [
                    EnforcementCase(
                        court=court, status=CaseStatus.IN_PROGRESS, case_type="执",
                        case_number=f"（2025）蒙0399执{n + 1}号", number_year=2025,
                        number_sequence=n + 1, basis=basis, applied_on=now.date(),
                        principal="10000.00", filed_at=now, filed_by=officer, officer=officer,
                        assigned_at=now, created_by=officer,
                    )
                    for n in range(start, stop)
                ],
                batch_size=2000,
            )  # fmt: skip
            CaseParty.objects.bulk_create(
                [
                    CaseParty(case=case, party=party, role=EnforcementRole.DEBTOR, name=party.name)
                    for case, party in zip(rows, parties, strict=True)
                ],
                batch_size=2000,
            )
        print(f"  built {stop:,} cases ({time.perf_counter() - started:.0f} s)", flush=True)
    return court, officer


def reset(*, scripts: bool = False):
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE enforcement_assetfinding, enforcement_inquirytarget, "
            "enforcement_controlaction, enforcement_assetcontrol, enforcement_assetinquiry, "
            "jobs_outboxmessage RESTART IDENTITY CASCADE"
        )
        if scripts:  # the final-checks bench's scripted answers: this bench counts generated ones
            cur.execute("DELETE FROM enforcement_simulatedinquiryscript")
        cur.execute("VACUUM ANALYZE")


class Workers:
    """`celery worker -P prefork -c procs` with the bench's settings in its environment."""

    def __init__(self, *, procs: int, latency: int, concurrency: int, batch: int, claim: int):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "ENFORCEMENT_SIMULATED_LATENCY_MS": str(latency),
            "ENFORCEMENT_INQUIRY_CONCURRENCY": str(concurrency),
            "ENFORCEMENT_INQUIRY_BATCH": str(batch),
            "ENFORCEMENT_INQUIRY_CLAIM_SECONDS": str(claim),
            "PYTHONPATH": str(ROOT),
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config.celery_app", "worker", "-l", "warning",
             "-c", str(procs), "-P", "prefork", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "-Q", "celery"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )  # fmt: skip
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(self.children()) < procs:
            time.sleep(0.2)
        time.sleep(1)

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line)

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(p) for p in path.read_text().split()] if path.exists() else []

    def kill_children(self) -> list[int]:
        pids = self.children()
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        return pids

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


class CpuMeter:
    """CPU seconds (user + system) spent by the worker pool processes and by the database
    server's backends of this database while the run lasts, sampled from /proc (the
    machine is shared, so wall time alone says little about what a run costs)."""

    def __init__(self, workers: "Workers"):
        self.workers = workers
        self.tick = os.sysconf("SC_CLK_TCK")
        self.first: dict[tuple[str, int], float] = {}
        self.last: dict[tuple[str, int], float] = {}
        self.loads: list[float] = []
        self.sample()

    def _cpu(self, pid: int) -> float | None:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / self.tick

    def sample(self) -> None:
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            )
            backends = [row[0] for row in cur.fetchall()]
        for kind, pids in (("worker", self.workers.children()), ("db", backends)):
            for pid in pids:
                cpu = self._cpu(pid)
                if cpu is None:
                    continue
                self.first.setdefault((kind, pid), cpu)
                self.last[(kind, pid)] = cpu
        self.loads.append(os.getloadavg()[0])

    def totals(self) -> dict:
        out = {"worker": 0.0, "db": 0.0}
        for key, cpu in self.last.items():
            out[key[0]] += cpu - self.first[key]
        out["load_avg"] = sum(self.loads) / len(self.loads)
        return out


def fan_out(court, officer, cases: int, chunk: int) -> tuple[list[int], float]:
    from django.db import transaction

    from enforcement.models import EnforcementCase
    from enforcement.services.inquiries import inquiries_start_many

    case_ids = list(
        EnforcementCase.objects.filter(court=court)
        .order_by("pk")
        .values_list("pk", flat=True)[:cases]
    )
    started = time.perf_counter()
    with transaction.atomic():
        ids = inquiries_start_many(case_ids=case_ids, actor=officer, chunk=chunk)
    return ids, time.perf_counter() - started


def count_open():
    from enforcement.models import InquiryTarget

    return InquiryTarget.objects.exclude(status__in=("done", "failed")).count()


def verify(ids, cases: int) -> dict:
    """Every target answered once; the findings are exactly what the provider answers."""
    from django.db.models import Count
    from django.utils import timezone

    from enforcement.inquiry.simulated import generated_findings
    from enforcement.models import AssetFinding, AssetInquiry, InquiryTarget

    today = timezone.localdate()
    expected = sum(len(generated_findings(identity(n), "person", today)) for n in range(cases))
    stored = AssetFinding.objects.count()
    doubled = (
        AssetFinding.objects.values("target", "reference")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    return {
        "targets": InquiryTarget.objects.count(),
        "targets_done": InquiryTarget.objects.filter(status="done").count(),
        "targets_reclaimed": InquiryTarget.objects.filter(attempts__gt=1).count(),
        "inquiries_done": AssetInquiry.objects.filter(pk__in=ids, status="done").count(),
        "findings_expected": expected,
        "findings_stored": stored,
        "findings_doubled": doubled,
    }


def naive(court, officer, sample: int, latency: int) -> dict:
    """One inquiry at a time, one provider call at a time, one row at a time: the
    inquiry_start service per case, then per target a provider call and each finding saved
    and audited on its own."""
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from audit.services import audit_create
    from common import pii
    from enforcement.inquiry.providers import Debtor, provider_get
    from enforcement.inquiry.runner import asset_reference, finish_inquiries, identifier_masked
    from enforcement.models import AssetFinding, EnforcementCase, InquiryTarget
    from enforcement.services.inquiries import inquiry_start

    settings.ENFORCEMENT_INQUIRY_PROVIDERS = {
        "simulated": {
            "BACKEND": "enforcement.inquiry.simulated.SimulatedProvider",
            "OPTIONS": {"latency_ms": latency},
        }
    }
    cases = list(
        EnforcementCase.objects.filter(court=court).exclude(asset_inquiries__isnull=False)
        .order_by("-pk")[:sample]
    )  # fmt: skip
    started = time.perf_counter()
    for case in cases:
        with transaction.atomic():
            inquiry = inquiry_start(case=case, actor=officer)
        provider = provider_get("simulated")
        provider.open()
        for target in InquiryTarget.objects.filter(inquiry=inquiry).select_related("debtor__party"):
            debtor = Debtor.from_party(ref=target.debtor_id, name=target.debtor.name,
                                       party=target.debtor.party)  # fmt: skip
            on = timezone.localdate()
            findings = provider.inquire(debtor, on=on)
            with transaction.atomic():
                for f in findings:
                    row = AssetFinding.objects.create(
                        inquiry=inquiry, target=target, case=case, debtor_id=target.debtor_id,
                        provider=target.provider, kind=f.kind, institution=f.institution,
                        identifier_encrypted=pii.encrypt(f.identifier),
                        identifier_masked=identifier_masked(f.kind, f.identifier),
                        reference=asset_reference(f.kind, f.institution, f.identifier),
                        description=f.description, balance=f.balance,
                        estimated_value=f.estimated_value, found_on=on,
                    )  # fmt: skip
                    audit_create(row, actor=None)
                target.status, target.findings_count = "done", len(findings)
                target.answered_on, target.finished_at = on, timezone.now()
                target.save()
                finish_inquiries([inquiry.pk])
    wall = time.perf_counter() - started
    return {"sample": len(cases), "wall_s": wall, "per_s": len(cases) / wall}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--latency", type=int, default=50, help="provider latency, ms")
    parser.add_argument("--procs", type=int, default=2, help="worker pool processes")
    parser.add_argument("--concurrency", type=int, default=64, help="provider calls at once")
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--chunk", type=int, default=1000, help="inquiries per task")
    parser.add_argument("--claim", type=int, default=30, help="claim lease, seconds")
    parser.add_argument("--kill-after", type=float, default=0.0,
                        help="SIGKILL the pool processes this many seconds into the run")  # fmt: skip
    parser.add_argument("--naive", type=int, default=0, help="naive sample size (0: skip)")
    parser.add_argument("--no-run", action="store_true")
    args = parser.parse_args()

    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(f"building {args.cases:,} cases …", flush=True)
    court, officer = build(args.cases)
    reset(scripts=True)
    from config.celery_app import app

    app.control.purge()
    if not args.no_run:
        workers = Workers(procs=args.procs, latency=args.latency, concurrency=args.concurrency,
                          batch=args.batch, claim=args.claim)  # fmt: skip
        try:
            ids, fan_out_s = fan_out(court, officer, args.cases, args.chunk)
            started = time.perf_counter()
            print(f"fan-out: {len(ids):,} inquiries, {len(ids) // args.chunk + 1} tasks, "
                  f"{fan_out_s:.1f} s", flush=True)  # fmt: skip
            killed, last = [], -1
            meter = CpuMeter(workers)
            while True:
                meter.sample()
                left = count_open()
                elapsed = time.perf_counter() - started
                if left == 0:
                    break
                if args.kill_after and not killed and elapsed >= args.kill_after:
                    killed = workers.kill_children()
                    print(f"  killed pool processes {killed} at {elapsed:.1f} s "
                          f"({len(ids) - left:,} answered)", flush=True)  # fmt: skip
                if int(elapsed) // 10 != last:
                    last = int(elapsed) // 10
                    print(f"  {elapsed:5.0f} s: {len(ids) - left:,} answered", flush=True)
                if elapsed > 3600:
                    print("".join(workers.lines[-40:]))
                    raise SystemExit("not done within an hour")
                time.sleep(0.5)
            run_s = time.perf_counter() - started
        finally:
            workers.stop()
        cpu = meter.totals()
        per = (cpu["worker"] + cpu["db"]) / len(ids) * 1000
        print(f"cpu: workers {cpu['worker']:.1f} s + database {cpu['db']:.1f} s = {per:.2f} s "
              f"per 1,000 inquiries → {2000 / per:,.0f} inquiries/s if two idle cores did only "
              f"this; mean load average during the run {cpu['load_avg']:.1f}", flush=True)  # fmt: skip
        print(f"run: {len(ids):,} inquiries in {run_s:.1f} s = {len(ids) / run_s:,.0f} inquiries/s "
              f"(procs={args.procs}, concurrency={args.concurrency}, batch={args.batch}, "
              f"latency={args.latency} ms)", flush=True)  # fmt: skip
        print("verify:", verify(ids, args.cases), flush=True)
    if args.naive:
        reset(scripts=True)
        result = naive(court, officer, args.naive, args.latency)
        print(f"naive: {result['sample']} inquiries in {result['wall_s']:.1f} s = "
              f"{result['per_s']:.1f}/s → {args.cases / result['per_s'] / 60:.0f} min for "
              f"{args.cases:,}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
