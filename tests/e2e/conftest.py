"""Browser journeys: Playwright driving Debian's headless chromium against `live_server`.

- The browser is /usr/bin/chromium from Debian (`make test` installs it when missing);
  Playwright never downloads one. Without it the browser tests are skipped, except under
  CI=true, where they fail.
- `page` is a desktop window (1280x800), `phone_page` a phone (390x844, touch, mobile).
  Either fails its test if the Content-Security-Policy blocked anything on the way.
- `screenshot(page, name)` saves test-artifacts/<test>-<name>.png (gitignored), so a
  failing journey leaves a picture behind.
- Every test here gets the `browser` marker and a transactional database, which
  `live_server` needs: the server thread must see rows the test created.
"""

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio loop in this thread; Django would otherwise refuse
# the ORM calls the tests make to set up their data.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("FQ_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
DOCS = ROOT / "docs"
DEFAULT_TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not found: apt-get install chromium fonts-noto-cjk (make test does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def base_url(live_server, transactional_db):
    return live_server.url


def _new_page(browser, **context_options):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **context_options)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    # Chromium reports what the Content-Security-Policy blocked on the console; a journey
    # that trips it fails, since the blocked script or style is missing for real users.
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            page.csp_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return context, page


def _close(context, page):
    violations = page.csp_violations
    context.close()
    assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def page(browser, base_url):
    context, page = _new_page(browser, viewport={"width": 1280, "height": 800}, base_url=base_url)
    yield page
    _close(context, page)


@pytest.fixture
def phone_page(browser, base_url):
    context, page = _new_page(
        browser,
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
        base_url=base_url,
    )
    yield page
    _close(context, page)


@pytest.fixture
def screenshot(request):
    """`screenshot(page, "home")` -> test-artifacts/<test name>-home.png; returns the path."""

    def take(page, name: str, *, full_page: bool = True) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        test_name = re.sub(r"[^\w.-]+", "_", request.node.name)
        path = ARTIFACTS / f"{test_name}-{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


@pytest.fixture
def docs_screenshot():
    """`docs_screenshot(page, "screenshot-home.png")` refreshes an image in docs/ for the README.

    Only when FQ_SCREENSHOTS=1, so that test runs (and CI) leave the tree clean.
    """

    def take(page, filename: str) -> Path | None:
        if os.environ.get("FQ_SCREENSHOTS") != "1":
            return None
        DOCS.mkdir(exist_ok=True)
        path = DOCS / filename
        page.screenshot(path=str(path), full_page=False)
        return path

    return take


@pytest.fixture
def login(base_url):
    """`login(page, username, password)`: sign in through the Chinese login form."""

    def do_login(page, username: str, password: str):
        page.goto("/accounts/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录", exact=True).click()
        return page

    return do_login
