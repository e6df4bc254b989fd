"""The embedded setup of `make run` answers every page below 500 for every demo user.

Production and CI run PostgreSQL, so SQL only PostgreSQL understands (DISTINCT ON, = ANY(%s),
a LIMIT inside a UNION's parts...) can reach a page and make it a 500 on the SQLite database
`make run` uses. This test runs that setup as `make run` does, in subprocesses with no
DATABASE_URL and no REDIS_URL (SQLite, the server-less broker; their files in a temporary
FENGQIAO_VAR_DIR instead of var/): `manage.py migrate`, `manage.py load_demo`, then
tests/embedded/crawl.py adds cases and credit records (tests/embedded/seeds.py), reads the
public lookup and the partner feed, signs in as each demo login load_demo prints and fetches
the menu, pages one link deep, the credit records further, the API's lists and details, and
as the superuser the admin (see there).
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.make_run_env import make_run_env

ROOT = Path(__file__).resolve().parent.parent.parent
pytestmark = pytest.mark.embedded

# "  clerk       Fengqiao#2026  王书记员 · 书记员 · 海勃湾区人民法院"
LOGIN_LINE = re.compile(r"^  (?P<username>[a-z]\w*)\s+(?P<password>\S+)\s{2}.+ · .+ · .+$")


def _embedded_env(var_dir: Path) -> dict[str, str]:
    """`make run`'s environment: local settings with DEBUG off and their defaults, no .env,
    no database or broker server, its files in `var_dir`."""
    return make_run_env(DJANGO_DEBUG="False", FENGQIAO_VAR_DIR=str(var_dir))


def _run(args: list[str], env: dict[str, str], timeout: int) -> str:
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stderr[-4000:]}"
    return result.stdout


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("embedded-var")
    env = _embedded_env(var_dir)
    # The timeouts only stop a hang: on a busy 2-core machine beside the rest of the suite
    # the crawl's ~1,400 requests took over five minutes (~1,900 now: ~25 s alone here).
    _run(["manage.py", "migrate", "--noinput"], env, timeout=900)
    logins = [
        match.groupdict()
        for line in _run(["manage.py", "load_demo"], env, timeout=600).splitlines()
        if (match := LOGIN_LINE.match(line))
    ]
    assert len({login["password"] for login in logins}) == 1, logins
    password = logins[0]["password"]
    usernames = [login["username"] for login in logins]
    stdout = _run(["-m", "tests.embedded.crawl", password, *usernames], env, timeout=1200)
    report = json.loads(stdout.strip().splitlines()[-1])
    assert (var_dir / "fengqiao.sqlite3").exists()  # the embedded database, not var/'s
    return usernames, report


def test_every_page_of_the_embedded_setup_answers_below_500(crawl):
    usernames, report = crawl
    assert report["vendor"] == "sqlite"
    assert {"clerk", "officer", "mediator", "supervisor", "admin"} <= set(usernames)
    failures = "\n\n".join(
        f"{failure['user']} GET {failure['path']} (linked from {failure['from']}): "
        f"{failure['status']}\n{failure['traceback'][-3000:]}"
        for failure in report["failures"]
    )
    assert not report["failures"], failures


def test_the_crawl_reached_each_users_pages_and_the_detail_pages(crawl):
    """The crawl is not vacuous: every user signed in and read pages, the API's lists were
    read, and detail pages one link deep (a dispute, a session, an enforcement case) were."""
    usernames, report = crawl
    ok = [(user, path) for user, path, status, _ms in report["fetched"] if status == 200]
    for username in usernames:
        pages = [path for user, path in ok if user == username and not path.startswith("/api/")]
        assert len(pages) >= 3, (username, pages)
        assert any(path.startswith("/api/") for user, path in ok if user == username), username
    paths = {path for _user, path in ok}
    for detail in (r"^/cases/\d+/$", r"^/mediation/\d+/$", r"^/enforcement/cases/\d+/$"):
        assert any(re.match(detail, path) for path in paths), detail


CREDIT_RECORDS = ("listings", "restrictions", "removals", "corrections", "restorations",
                  "certificates", "debtors")  # fmt: skip


def test_the_crawl_reached_the_credit_records_the_admin_and_the_public_pages(crawl):
    """Each credit record page was read by the court's staff who may see it (followed from
    the desk and the case pages); the admin's change pages by the superuser; the public
    lookup's searches found the seeded entries; the partner feed answered its token."""
    _usernames, report = crawl
    ok = {(user, path) for user, path, status, _ms in report["fetched"] if status == 200}
    for username in ("clerk", "officer", "president", "admin"):
        for record in CREDIT_RECORDS:
            assert any(
                user == username and re.match(rf"^/credit/{record}/\d+/$", path)
                for user, path in ok
            ), (username, record)
    # the desk's late removals and the case's forms
    assert ("officer", "/credit/removals/late/") in ok
    assert any(re.match(r"^/credit/cases/\d+/listing/$", path) for _user, path in ok)
    changelists = set(report["admin_changelists"])
    assert len(changelists) >= 20, changelists
    read = {path for user, path in ok if user == "admin" and path.startswith("/admin/")}
    assert "/admin/" in read
    assert changelists <= read, changelists - read
    # a change page for every model, but the failed sign-ins' log (axes writes it only
    # with AXES_ENABLE_ACCESS_FAILURE_LOG, off here: the attempts' table has them)
    never_written = changelists - set(report["admin_changed"])
    assert never_written <= {"/admin/axes/accessfailurelog/"}, never_written
    found = dict(report["lookups"])
    assert found["王被执"] >= 2 and found["钱某"] >= 1 and found["乙商贸有限公司"] >= 1, found
    assert found["李某"] == 0, found  # restored: shielded from the public
    assert ("partner", "/api/credit/feed/changes/") in ok
