"""`make run` shows the portal as a court sees it (issue 8): the local settings with DEBUG off,
Chinese error pages without Django's URL list, static files and /favicon.ico from whitenoise.

The local settings are loaded in subprocesses (as tests/test_deploy.py does for production),
with the environment `make run` gives them, so nothing here touches the test process's own
settings. The second test starts the web command of Procfile.dev itself.
"""

import json
import shlex
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.make_run_env import make_run_env

ROOT = Path(__file__).resolve().parent.parent


def _run_env(**overrides: str) -> dict[str, str]:
    """`make run`'s environment (the Makefile also sets DJANGO_DEBUG=False) with an
    in-memory SQLite database, so the test leaves no file behind."""
    return make_run_env(**{"DATABASE_URL": "sqlite://:memory:", **overrides})


def _python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PAGES = """
    import json
    import django
    from django.conf import settings
    django.setup()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    missing = client.get("/no-such-page/")
    media = client.get("/media/cases/2026/01/photo.jpg")
    favicon = client.get("/favicon.ico")
    css = client.get("/static/css/fengqiao.css")
    print(json.dumps({
        "debug": settings.DEBUG,
        "missing": [missing.status_code, missing.content.decode()],
        "media": media.status_code,
        "favicon": [favicon.status_code, favicon["Content-Type"],
                    len(b"".join(favicon.streaming_content))],
        "css": [css.status_code, len(b"".join(css.streaming_content))],
        "localhost": Client(HTTP_HOST="localhost").get("/accounts/login/").status_code,
    }))
"""


def test_make_run_settings_answer_like_production():
    result = _python(PAGES, _run_env())
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.splitlines()[-1])
    assert seen["debug"] is False
    status, html = seen["missing"]
    assert status == 404
    assert "404 · 页面不存在" in html and 'lang="zh-hans"' in html
    # Django's technical 404 lists every URL pattern; the court's page lists none
    assert "URLconf" not in html and "accounts/login/" not in html and "admin/" not in html
    assert seen["media"] == 404
    assert seen["favicon"][:2] == [200, "image/x-icon"] and seen["favicon"][2] > 0
    assert seen["css"][0] == 200 and seen["css"][1] > 0
    assert seen["localhost"] == 200


def test_make_dev_keeps_the_debug_pages():
    result = _python(
        """
        import django
        from django.conf import settings
        django.setup()
        from django.test import Client
        print(settings.DEBUG, Client(HTTP_HOST="127.0.0.1").get("/no-such-page/").status_code)
        """,
        _run_env(DJANGO_DEBUG="True"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "404"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - local server
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


@pytest.fixture
def run_server():
    """The web process of `make run`: Procfile.dev's `web:` command on a free port."""
    (line,) = [
        line for line in (ROOT / "Procfile.dev").read_text().splitlines() if line.startswith("web:")
    ]
    port = _free_port()
    command = shlex.split(line.removeprefix("web:").replace("127.0.0.1:8000", f"127.0.0.1:{port}"))
    process = subprocess.Popen(  # noqa: S603 - our own Procfile
        [*command, "--noreload"],
        cwd=ROOT,
        env=_run_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(process.stderr.read().decode())
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_make_run_web_process_serves_static_and_chinese_errors(run_server):
    status, body, _headers = _get(f"{run_server}/no-such-page/")
    assert status == 404
    html = body.decode()
    assert "页面不存在" in html and "URLconf" not in html
    status, body, headers = _get(f"{run_server}/static/vendor/bootstrap/bootstrap.min.css")
    assert status == 200 and len(body) > 10_000
    status, body, headers = _get(f"{run_server}/favicon.ico")
    assert status == 200 and headers["Content-Type"] == "image/x-icon"
    status, body, _headers = _get(f"{run_server}/accounts/login/")
    assert status == 200 and 'href="/static/favicon.ico"' in body.decode()
