"""Load: many people at once on the enforcement bench's 500,000 cases, through gunicorn as
production serves them (config.wsgi, its workers, persistent connections), driven by
locust (`bench/locustfile.py`: officers on their workbench and cases, clerks on the
court's list, its filters and searches, a supervisor on home, 待我审批 and the region's
list). Prints each page's requests, failures and response times (median, 95th, 99th
percentile) and the whole's throughput.

    # the data once (bench/README.md, "Enforcement: the officer's list …")
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fq_bench_enf_workbench \\
      .venv/bin/python bench/enforcement_lists.py --cases 500000 --runs 1 --skip-naive
    # locust is the bench's own dependency, not the portal's
    .venv/bin/uv pip install --python .venv/bin/python locust
    DATABASE_URL=…/fq_bench_enf_workbench REDIS_URL=redis://127.0.0.1:6379/12 \\
      .venv/bin/python bench/load.py --users 40 --duration 60

Everything shares this machine's cores: gunicorn's workers, PostgreSQL, Redis and locust
itself. The figures are the machine's, with the load generator on it.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

from django.test import Client  # noqa: E402

from bench.enforcement_lists import setup_world  # noqa: E402 (sets Django up)
from enforcement.models import OPEN_STATUSES, CaseParty, EnforcementCase  # noqa: E402

CASES_EACH = 30


def session_of(user) -> str:
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client.cookies["sessionid"].value


def sessions(world) -> dict:
    """Signed-in sessions of the bench's people, each with cases of their own to open."""
    officers = []
    for court_officers in world.officers:
        for officer in court_officers[:6]:
            cases = list(
                EnforcementCase.objects.filter(officer=officer, status__in=OPEN_STATUSES)
                .order_by("-pk").values_list("pk", flat=True)[:CASES_EACH]
            )  # fmt: skip
            if cases:
                officers.append({"session": session_of(officer), "cases": cases})
    clerks = []
    for clerk, court in zip(world.clerks, world.courts, strict=True):
        cases = list(
            EnforcementCase.objects.filter(court=court).order_by("-pk")
            .values_list("pk", flat=True)[:CASES_EACH]
        )  # fmt: skip
        names = {
            name[:2]
            for name in CaseParty.objects.filter(case__court=court)
            .order_by("-pk").values_list("name", flat=True)[:200]
        }  # fmt: skip
        numbers = [
            number[:12]
            for number in EnforcementCase.objects.filter(pk__in=cases[:5])
            .values_list("case_number", flat=True)
        ]  # fmt: skip
        clerks.append({"session": session_of(clerk), "cases": cases,
                       "searches": sorted(names)[:10] + numbers})  # fmt: skip
    supervisors = [{"session": session_of(world.supervisor), "cases": []}]
    return {"officers": officers, "clerks": clerks, "supervisors": supervisors}


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own local server
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer at {url}")


def report(prefix: str, duration: int) -> None:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    print("| page | requests | failures | median ms | 95% ms | 99% ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "**all**"
        print(
            f"| {name} | {row['Request Count']} | {row['Failure Count']} | "
            f"{row['50%']} | {row['95%']} | {row['99%']} | {float(row['Max Response Time']):.0f} |"
        )
    total = next(row for row in rows if row["Name"] == "Aggregated")
    print(
        f"\nthroughput: {total['Requests/s']} requests a second over {duration} s; "
        f"failures: {total['Failure Count']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=40, help="people signed in at once")
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--warmup", type=int, default=10, help="untimed seconds first")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8123)
    args = parser.parse_args()
    world = setup_world()
    if not EnforcementCase.objects.filter(court=world.courts[0]).exists():
        raise SystemExit("no bench data: run bench/enforcement_lists.py first (see above)")
    scratch = Path(tempfile.mkdtemp(prefix="fq_load_"))
    session_file = scratch / "sessions.json"
    session_file.write_text(json.dumps(sessions(world)), encoding="utf-8")
    env = {**os.environ, "DJANGO_DEBUG": "False", "FQ_LOAD_SESSIONS": str(session_file)}
    bind = f"127.0.0.1:{args.port}"
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "--bind", bind,
         "--workers", str(args.workers), "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        wait_until_up(f"http://{bind}/accounts/login/")
        print(f"load average before: {os.getloadavg()}; {os.cpu_count()} cores; "
              f"{args.users} users, gunicorn {args.workers} workers")  # fmt: skip
        prefix = str(scratch / "load")

        def swarm(seconds: int, csv_prefix: str) -> None:
            with open(scratch / "locust.log", "a", encoding="utf-8") as log:
                subprocess.run(  # noqa: S603 - fixed arguments
                    [str(ROOT / ".venv/bin/locust"), "-f", str(ROOT / "bench/locustfile.py"),
                     "--headless", "-u", str(args.users), "-r", str(args.spawn_rate),
                     "-t", f"{seconds}s", "--host", f"http://{bind}", "--csv", csv_prefix,
                     "--only-summary", "--loglevel", "WARNING"],
                    cwd=ROOT, env=env, check=False, stdout=log, stderr=log,
                )  # fmt: skip

        # every worker's first requests (imports, templates, prepared statements) untimed
        swarm(args.warmup, str(scratch / "warmup"))
        swarm(args.duration, prefix)
        print(f"load average after: {os.getloadavg()}\n")
        report(prefix, args.duration)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
