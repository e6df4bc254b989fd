"""Crawl the embedded setup (`make run`: SQLite, no broker server, the demo data) as each demo
user, and print one JSON report: every page fetched with its status, and the tracebacks of
the pages that failed.

Run by tests/embedded/test_embedded_crawl.py in a subprocess whose environment is `make
run`'s (no DATABASE_URL, no REDIS_URL, FENGQIAO_VAR_DIR a temporary directory) after
`manage.py migrate` and `manage.py load_demo`:

    python -m tests.embedded.crawl PASSWORD USERNAME [USERNAME ...]

The demo has no enforcement cases and no credit records: tests/embedded/seeds.py adds them
first (cases with money, listings, restrictions, removals, corrections, a restoration,
certificates, a campaign) and a row in each admin table the demo leaves empty.

Then the public, signed out: the credit lookup /gs/ (its page, a new
challenge, four searches with the challenge solved) and a certificate's verification page;
and a partner agency reading the credit feed with its token.

Then each user signs in through the login page and fetches the home page, every entry of
their menu (common.navigation.items_for), a few pages one link deep from each of them (the
first link to each kind of detail page: a URL with an argument, e.g. a case or a session;
the fragments a page loads; a filtered list), the other pages that take no URL argument
(the credit search also with a name and an ID number), the credit records' pages followed
further from every page read (up to three links, two pages of each kind: the desk → a
listing → its correction; the case → its restoration → its certificate), the API's lists
and the detail of each list's first row. A superuser then reads the admin (after a refused
sign-in, for the lockout's pages): its index, and for each registered model the changelist,
the add page, the first change page and up to three filtered or sorted lists. GET requests
only, but for the sign-ins and the lookup's searches (which change nothing but the
rate-limit and lockout counters).
"""

import json
import os
import sys
import time
import traceback
from html.parser import HTMLParser
from urllib.parse import parse_qs, urldefrag, urlsplit

# Links followed from each menu page (one per kind of detail page), and from each user's
# menu in all: enough to reach every detail page of the demo, bounded for a slow machine.
LINKS_PER_PAGE = 4
LINKS_PER_USER = 40
# Paths not fetched: files (downloads stream documents, exports build spreadsheets) and the
# pages that act on GET by design.
SKIP_PREFIXES = ("/static/", "/media/", "/accounts/logout/", "/i18n/", "/admin/logout/")
SKIP_SUFFIXES = (".pdf", ".docx", ".xlsx", ".csv", ".zip", ".ics")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        # links, and the fragments a page loads into itself (htmx panels, counters)
        for href in (attributes.get("href") if tag == "a" else None, attributes.get("hx-get")):
            if href:
                self.hrefs.append(href)


def _local_paths(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    paths = []
    for href in parser.hrefs:
        href = urldefrag(href)[0]
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        paths.append(href)
    return paths


def _fetchable(path: str) -> bool:
    route = urlsplit(path).path
    return not route.startswith(SKIP_PREFIXES) and not route.endswith(SKIP_SUFFIXES)


def _answers_get(pattern) -> bool:
    """Whether a route's view has a GET (a viewset's route maps methods to actions; the
    POST-only actions, e.g. /api/enforcement/controls/freeze/, are left out)."""
    actions = getattr(pattern.callback, "actions", None)
    if actions is not None:
        return "get" in actions
    view_class = getattr(pattern.callback, "cls", None) or getattr(
        pattern.callback, "view_class", None
    )
    return view_class is None or hasattr(view_class, "get")


def _argument_free_paths() -> tuple[list[str], list[str]]:
    """The GET routes that take no URL argument: the API's (router lists, me, search,
    feeds) and the pages' (the menu's and those reached from buttons or other pages: the
    reconciliation, the inbox, the week's sessions...), without the admin, the sign-in
    and sign-out, the schema and the files (SKIP_*)."""
    from django.urls import URLPattern, URLResolver, get_resolver, reverse

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}{pattern.namespace}:"
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name and _answers_get(pattern):
                yield f"{namespace}{pattern.name}"

    api, pages = set(), set()
    for name in walk(get_resolver().url_patterns):
        try:
            path = reverse(name)
        except Exception:  # noqa: BLE001, S112 - names that need arguments
            continue
        if not _fetchable(path) or path.startswith(("/admin/", "/api/schema", "/api/docs")):
            continue
        if any(word in path for word in ("login", "logout", "token", "setlang")):
            continue
        if "." in path.rsplit("/", 2)[-2] or path in ("/healthz", "/favicon.ico"):
            continue
        (api if path.startswith("/api/") else pages).add(path)
    return sorted(api), sorted(pages)


# API lists that answer 400 without a query.
API_QUERIES = {"/api/credit/search/": "?q=王被执"}


def _page_queries() -> dict[str, tuple[str, ...]]:
    """Pages whose answer depends on a query, fetched with these too: the credit search by
    a seeded debtor's name and by their ID number."""
    from tests.embedded.seeds import PUBLIC_PERSON

    name, identity = PUBLIC_PERSON
    return {"/credit/search/": (f"?q={name}", f"?q={identity}")}


def _api_detail(path: str, response) -> str | None:
    """The detail route of an API list's first row (`<list>/<id>/`), if it has one."""
    from django.urls import Resolver404, resolve

    if response is None or response.status_code != 200:
        return None
    if "application/json" not in response.get("Content-Type", ""):
        return None
    body = response.json()
    rows = body.get("results") if isinstance(body, dict) else body
    if not isinstance(rows, list) or not rows or not isinstance(rows[0], dict):
        return None
    key = rows[0].get("id")
    if key is None:
        return None
    detail = f"{urlsplit(path).path}{key}/"
    try:
        resolve(detail)
    except Resolver404:
        return None
    return detail


class _Visitor:
    """One signed-in user (or the anonymous public) fetching pages into the report."""

    def __init__(self, report: dict, username: str, **headers: str):
        from django.test import Client

        self.report = report
        self.username = username
        self.client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=True, **headers)
        self.seen: set[str] = set()
        # the HTML pages fetched (path → text), to follow their links further
        self.pages: dict[str, str] = {}

    def _fail(self, path: str, source: str, status: int, trace: str) -> None:
        self.report["failures"].append(
            {"user": self.username, "path": path, "from": source, "status": status,
             "traceback": trace}
        )  # fmt: skip

    def request(self, path: str, source: str, data: dict | None = None):
        """GET `path` (POST `data` to it when given): the response, or None after a 500."""
        started = time.monotonic()
        try:
            if data is None:
                response = self.client.get(path)
            else:
                response = self.client.post(path, data)
        except Exception:  # noqa: BLE001 - the crawl reports it as the 500 it would be
            self._fail(path, source, 500, traceback.format_exc())
            self.report["fetched"].append([self.username, path, 500, 0])
            return None
        elapsed = round((time.monotonic() - started) * 1000)
        shown = path if data is None else f"POST {path}"
        self.report["fetched"].append([self.username, shown, response.status_code, elapsed])
        if response.status_code >= 500:
            self._fail(shown, source, response.status_code, "")
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            self.pages[path] = response.content.decode("utf-8", "replace")
        return response

    def get(self, path: str, source: str):
        if path in self.seen:
            return None
        self.seen.add(path)
        return self.request(path, source)


def _kind(link: str):
    """A link's kind: its URL pattern and query keys (a detail page, a fragment, a
    filtered list), or None outside the portal's routes."""
    from django.urls import Resolver404, resolve

    try:
        match = resolve(urlsplit(link).path)
    except Resolver404:
        return None
    return match, (match.route, tuple(sorted(parse_qs(urlsplit(link).query))))


def _menu_and_one_deep(visitor: _Visitor, user) -> None:
    """The home page, the user's menu and a few pages one link deep from each entry."""
    from common.navigation import items_for

    pages = ["/", *[item["url"] for item in items_for(user)]]
    followed = 0
    kinds: set[tuple] = set()
    for page in pages:
        found = _kind(page)
        if found is not None:
            kinds.add((found[0].route, ()))
    for page in pages:
        response = visitor.get(page, "menu")
        if response is None or page not in visitor.pages:
            continue
        taken = 0
        for link in _local_paths(visitor.pages[page]):
            if taken >= LINKS_PER_PAGE or followed >= LINKS_PER_USER:
                break
            if link in visitor.seen or not _fetchable(link):
                continue
            found = _kind(link)
            # a detail page (an argument in the URL), a fragment or a filtered list:
            # one of each kind (URL pattern and query keys) per user
            if found is None or found[1] in kinds:
                continue
            kinds.add(found[1])
            taken += 1
            followed += 1
            visitor.get(link, page)


# The credit app's records are several links from a list (the desk → a listing → its
# correction; a listing → its case → its restoration → its certificate): their pages (and
# the cases credit pages link to) are followed further, from every page the user has read,
# up to CREDIT_DEPTH links and CREDIT_PER_KIND pages of each kind, so records in different
# states are read.
CREDIT_DEPTH = 3
CREDIT_PER_KIND = 2
CREDIT_FOLLOWED = ("documents:detail", "documents:verify")


def _credit_deep(visitor: _Visitor) -> None:
    counts: dict[tuple, int] = {}
    frontier = list(visitor.pages)
    for _depth in range(CREDIT_DEPTH):
        reached = []
        for page in frontier:
            for link in _local_paths(visitor.pages.get(page, "")):
                if link in visitor.seen or not _fetchable(link):
                    continue
                found = _kind(link)
                if found is None:
                    continue
                match, kind = found
                # the case a credit record is about: its page's credit panel
                about = match.view_name == "enforcement:detail" and page.startswith("/credit/")
                if not (match.namespace == "credit" or match.view_name in CREDIT_FOLLOWED or about):
                    continue
                if counts.get(kind, 0) >= CREDIT_PER_KIND:
                    continue
                counts[kind] = counts.get(kind, 0) + 1
                if visitor.get(link, page) is not None:
                    reached.append(link)
        frontier = reached


# Links followed from each admin changelist besides its first change page: one of each
# kind of filtered, sorted or searched list (the query keys).
ADMIN_LISTS_PER_MODEL = 3


def _admin(visitor: _Visitor) -> None:
    """The admin's index, then each registered model's changelist, add page, first change
    page and a few of its filtered lists."""
    from urllib.parse import urljoin

    from django.contrib import admin
    from django.urls import NoReverseMatch, reverse

    visitor.get(reverse("admin:index"), "admin")
    for model in admin.site._registry:
        opts = model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        changelist = reverse(f"{prefix}_changelist")
        if changelist not in visitor.report["admin_changelists"]:
            visitor.report["admin_changelists"].append(changelist)
        visitor.get(changelist, "admin")
        try:
            visitor.get(reverse(f"{prefix}_add"), changelist)
        except NoReverseMatch:
            pass
        html = visitor.pages.get(changelist, "")
        parser = _Links()
        parser.feed(html)
        change_taken, lists_taken, kinds = False, 0, set()
        for href in parser.hrefs:
            link = urldefrag(urljoin(changelist, href))[0]
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link in visitor.seen or not _fetchable(link):
                continue
            is_change = parts.path.startswith(changelist) and parts.path.endswith("/change/")
            if is_change and not change_taken:
                change_taken = True
                visitor.get(link, changelist)
                visitor.report["admin_changed"].append(changelist)
            elif parts.path == changelist and parts.query and lists_taken < ADMIN_LISTS_PER_MODEL:
                kind = tuple(sorted(parse_qs(parts.query)))
                if kind not in kinds:
                    kinds.add(kind)
                    lists_taken += 1
                    visitor.get(link, changelist)


def _public(report: dict, seeded: dict) -> None:
    """The public's pages, signed out: the credit lookup (its form, a new challenge, and
    searches with the challenge solved: a listed person, a person bound by a company's
    listing, the company, a restored debtor) and a certificate's verification."""
    from common.challenge import challenge_issue
    from credit.public.forms import PURPOSE

    visitor = _Visitor(report, "anonymous")
    lookup = "/gs/"
    visitor.get(lookup, "public")
    visitor.get("/gs/challenge/", lookup)
    for search in seeded["lookups"]:
        challenge = challenge_issue(purpose=PURPOSE)
        response = visitor.request(
            lookup,
            lookup,
            {**search, "challenge_token": challenge.token,
             "challenge_answer": str(challenge.answer)},
        )  # fmt: skip
        body = response.content.decode() if response is not None else ""
        # how many entries each search found (the crawl's test checks it is not vacuous)
        report["lookups"].append([search["name"], body.count('data-testid="lookup-entry-')])
    visitor.get(f"/v/{seeded['verification_code']}/", "public")
    visitor.get("/v/UNKNOWN0000/", "public")


def _partner(report: dict, token: str) -> None:
    """A partner agency reading the credit feed with its token (一处失信、处处受限)."""
    visitor = _Visitor(report, "partner", HTTP_AUTHORIZATION=f"Bearer {token}")
    for resource in ("changes", "voluntary", "reads"):
        visitor.get(f"/api/credit/feed/{resource}/", "partner")


def crawl(password: str, usernames: list[str]) -> dict:
    import django

    django.setup()
    from django.db import connection

    from organisations.models import User
    from tests.embedded.seeds import seed_admin, seed_credit, seed_enforcement

    cases = seed_enforcement()
    seeded = seed_credit(cases)
    partner_token = seed_admin()
    report = {
        "vendor": connection.vendor,
        "seeded": [case.case_number for case in cases] + seeded["cases"],
        "fetched": [],
        "failures": [],
        "lookups": [],
        "admin_changelists": [],
        "admin_changed": [],
    }
    api_paths, page_paths = _argument_free_paths()
    page_queries = _page_queries()
    # first, so that the admin has their records to show
    _public(report, seeded)
    _partner(report, partner_token)

    for username in usernames:
        visitor = _Visitor(report, username)
        login = visitor.client.post(
            "/accounts/login/", {"username": username, "password": password}
        )
        if login.status_code != 302:
            visitor._fail("/accounts/login/", "login", login.status_code, "sign-in refused")
            continue
        user = User.objects.get(username=username)
        _menu_and_one_deep(visitor, user)
        for path in page_paths:
            visitor.get(path, "page")
            for query in page_queries.get(path, ()):
                visitor.get(path + query, "page")
        _credit_deep(visitor)
        for path in api_paths:
            response = visitor.get(path + API_QUERIES.get(path, ""), "api")
            detail = _api_detail(path, response)
            if detail is not None:
                visitor.get(detail, path)
        if user.is_superuser:
            # a refused sign-in first, for the lockout's admin pages to have a row (each
            # sign-in from the address clears them)
            _Visitor(report, "anonymous").request(
                "/accounts/login/", "admin", {"username": "nobody", "password": "wrong"}
            )
            _admin(visitor)
    return report


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    password, *usernames = argv
    report = crawl(password, usernames)
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
