"""Browser security headers: CSP without inline scripts, Permissions-Policy, no-store."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


class ScriptFinder(HTMLParser):
    """Inline scripts and on…= handlers in a rendered page."""

    def __init__(self):
        super().__init__()
        self.inline_scripts = 0
        self.handlers: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self.inline_scripts += 1
        self.handlers += [name for name in names if name.startswith("on")]


def scripts_in(html: str) -> ScriptFinder:
    finder = ScriptFinder()
    finder.feed(html)
    return finder


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_login_page_has_a_strict_content_security_policy_and_no_inline_script(client):
    response = client.get(reverse("login"))
    policy = csp_directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    found = scripts_in(response.content.decode())
    assert found.inline_scripts == 0 and found.handlers == []


def test_no_template_has_an_inline_script_event_handler_or_style_element():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for match in re.finditer(r"<script(?P<attrs>[^>]*)>", text):
            if "src=" not in match["attrs"] and "application/json" not in match["attrs"]:
                offenders.append(f"{path.relative_to(TEMPLATES)}: inline <script>")
        if EVENT_HANDLER.search(text):
            offenders.append(f"{path.relative_to(TEMPLATES)}: on…= handler")
        if re.search(r"<style[\s>]", text):
            offenders.append(f"{path.relative_to(TEMPLATES)}: <style> element")
    assert offenders == []


def test_dispute_pages_have_no_inline_script_and_are_not_cached(loop, register, client_for):
    dispute = register()
    client = client_for(loop.clerk)
    for url in (reverse("cases:detail", args=[dispute.pk]), reverse("cases:create")):
        response = client.get(url)
        assert response.status_code == 200
        found = scripts_in(response.content.decode())
        assert found.inline_scripts == 0 and found.handlers == [], url
        assert "no-store" in response["Cache-Control"], url
        assert "Content-Security-Policy" in response


def test_api_answers_are_not_cached(loop, api_for, client):
    response = api_for(loop.clerk).get("/api/me/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "no-store" in client.get("/api/me/")["Cache-Control"]  # refusals too


def test_permissions_policy_switches_off_unused_features(client):
    policy = client.get(reverse("login"))["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def test_api_docs_page_loads_its_script_from_a_file(loop, client_for):
    response = client_for(loop.clerk).get(reverse("api-docs"))
    assert response.status_code == 200
    assert scripts_in(response.content.decode()).inline_scripts == 0
