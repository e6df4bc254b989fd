"""The enforcement pages are Chinese first and English through the catalogue: every
Chinese word of their templates is in a translation tag (the lead adds the English at
merge), and the pages render for a reader who chose English."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from .conftest import make_case

TEMPLATES = Path(settings.BASE_DIR) / "templates"
OURS = sorted((TEMPLATES / "enforcement").rglob("*.html"))
CJK = re.compile(r"[\u3400-\u9fff\uff01-\uff5e（），：；、。]")
TRANSLATED = [
    re.compile(r"\{#.*?#\}", re.S),
    re.compile(r"\{%\s*blocktranslate.*?%\}.*?\{%\s*endblocktranslate\s*%\}", re.S),
    re.compile(r"\{%\s*translate\s+(\"[^\"]*\"|'[^']*').*?%\}"),
    re.compile(r"_\((\"[^\"]*\"|'[^']*')\)"),
]


@pytest.mark.parametrize("path", OURS, ids=lambda p: p.name)
def test_no_chinese_outside_translation_tags(path):
    text = path.read_text()
    for pattern in TRANSLATED:
        text = pattern.sub("", text)
    leftovers = [line.strip() for line in text.splitlines() if CJK.search(line)]
    assert not leftovers, leftovers


def test_pages_render_for_an_english_reader(client, eworld):
    case = make_case(eworld.court, eworld.clerk, officer=eworld.officer, is_enterprise=True)
    client.force_login(eworld.officer)
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    for url in (
        reverse("enforcement:workbench"),
        reverse("enforcement:list"),
        reverse("enforcement:detail", args=[case.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="en"' in response.content.decode(), url
