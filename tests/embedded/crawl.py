"""Crawl the embedded setup (`make run`: SQLite, no broker server, the demo data) as each demo
user, and print one JSON report: every page fetched with its status, and the tracebacks of
the pages that failed.

Run by tests/embedded/test_embedded_crawl.py in a subprocess whose environment is `make
run`'s (no DATABASE_URL, no REDIS_URL, FENGQIAO_VAR_DIR a temporary directory) after
`manage.py migrate` and `manage.py load_demo`:

    python -m tests.embedded.crawl PASSWORD USERNAME [USERNAME ...]

Each user signs in through the login page, then fetches the home page, every entry of their
menu (common.navigation.items_for), a few pages one link deep from each of them (the first
link to each kind of detail page: a URL with an argument, e.g. a case or a session; the
fragments a page loads; a filtered list), the other pages that take no URL argument, and
the API's lists. Only GET requests (the crawl changes nothing but the sign-ins), and no
admin pages.
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


def seed_enforcement() -> list[str]:
    """The demo has no enforcement cases: file two in the demo court (蒙0302) as its clerk,
    one assigned to the demo officer, the way tests/enforcement makes them, with money in
    and out on the first, so the court's lists and funds pages have rows and the case pages
    are one link deep."""
    from organisations.models import Organisation, User
    from tests.enforcement.conftest import make_basis, make_case
    from tests.enforcement.funds_fixtures import pay_out, receive

    court = Organisation.objects.get(court_code="蒙0302")
    clerk = User.objects.get(username="clerk")
    officer = User.objects.get(username="officer")
    president = User.objects.get(username="president")
    cases = [
        make_case(court, clerk, officer=officer),
        make_case(court, clerk, basis=make_basis(court, clerk, number="（2026）蒙0302民初89号")),
    ]
    # money received and paid out on the first (the funds pages, the reconciliation)
    receipt = receive(cases[0], "1000.00", officer)
    pay_out(receipt, requester=officer, approver=president)
    receive(cases[0], "500.00", officer)
    return [case.case_number for case in cases]


def crawl(password: str, usernames: list[str]) -> dict:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.urls import Resolver404, resolve

    from common.navigation import items_for
    from organisations.models import User

    report = {
        "vendor": connection.vendor,
        "seeded": seed_enforcement(),
        "fetched": [],
        "failures": [],
    }
    api_paths, page_paths = _argument_free_paths()

    for username in usernames:
        client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=True)
        seen: set[str] = set()

        def get(path, source, _client=client, _seen=seen, _username=username):
            if path in _seen:
                return None
            _seen.add(path)
            started = time.monotonic()
            try:
                response = _client.get(path)
            except Exception:  # noqa: BLE001 - the crawl reports it as the 500 it would be
                report["failures"].append(
                    {
                        "user": _username,
                        "path": path,
                        "from": source,
                        "status": 500,
                        "traceback": traceback.format_exc(),
                    }
                )
                report["fetched"].append([_username, path, 500, 0])
                return None
            elapsed = round((time.monotonic() - started) * 1000)
            report["fetched"].append([_username, path, response.status_code, elapsed])
            if response.status_code >= 500:
                report["failures"].append(
                    {
                        "user": _username,
                        "path": path,
                        "from": source,
                        "status": response.status_code,
                        "traceback": "",
                    }
                )
            return response

        login = client.post("/accounts/login/", {"username": username, "password": password})
        if login.status_code != 302:
            report["failures"].append(
                {
                    "user": username,
                    "path": "/accounts/login/",
                    "from": "login",
                    "status": login.status_code,
                    "traceback": "sign-in refused",
                }
            )
            continue
        user = User.objects.get(username=username)
        menu = [item["url"] for item in items_for(user)]
        pages = ["/", *menu]
        followed = 0
        kinds: set[tuple] = set()
        for page in pages:
            try:
                kinds.add((resolve(urlsplit(page).path).route, ()))
            except Resolver404:
                pass
        for page in pages:
            response = get(page, "menu")
            if response is None or response.status_code != 200:
                continue
            if "text/html" not in response.get("Content-Type", ""):
                continue
            taken = 0
            for link in _local_paths(response.content.decode("utf-8", "replace")):
                if taken >= LINKS_PER_PAGE or followed >= LINKS_PER_USER:
                    break
                if link in seen or not _fetchable(link):
                    continue
                try:
                    match = resolve(urlsplit(link).path)
                except Resolver404:
                    continue
                # a detail page (an argument in the URL), a fragment or a filtered list:
                # one of each kind (URL pattern and query keys) per user
                kind = (match.route, tuple(sorted(parse_qs(urlsplit(link).query))))
                if kind in kinds:
                    continue
                kinds.add(kind)
                taken += 1
                followed += 1
                get(link, page)
        for path in page_paths:
            get(path, "page")
        for path in api_paths:
            get(path + API_QUERIES.get(path, ""), "api")
    return report


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    password, *usernames = argv
    report = crawl(password, usernames)
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
