"""The English translation: pages switch language, and the catalogue is complete."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"


def _switch_to_english(client, next_url="/"):
    response = client.post("/i18n/setlang/", {"language": "en", "next": next_url})
    assert response.status_code == 302


def test_login_page_in_english_after_switching(client):
    _switch_to_english(client, "/accounts/login/")
    page = client.get("/accounts/login/").content.decode()
    assert 'lang="en"' in page
    assert "Log in" in page
    assert "Fengqiao Dispute Resolution and Enforcement Platform" in page
    assert "Username" in page and "Password" in page
    assert "枫桥矛盾纠纷化解与执行平台" not in page
    assert "请使用本单位分配的账号登录" not in page


def test_login_page_stays_chinese_for_an_english_browser(client):
    """Chinese first: only the user's own choice (the language switch) changes the language."""
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "用户名" in page
    assert "Log in" not in page


def test_login_page_stays_chinese_by_default(client):
    page = client.get("/accounts/login/").content.decode()
    assert "枫桥矛盾纠纷化解与执行平台" in page
    assert "Log in" not in page


def test_home_navigation_in_english(world, client_for):
    client = client_for(world.owner)
    _switch_to_english(client)
    page = client.get("/").content.decode()
    assert 'data-testid="main-nav"' in page
    assert "Dashboard" in page  # 工作台
    assert "Organisations" in page  # 组织机构
    assert "Disputes" in page  # 矛盾纠纷
    assert "Clerk" in page  # 书记员, the owner's role
    assert "工作台" not in page
    assert "退出登录" not in page


# --- the catalogue itself -------------------------------------------------------------


def _unquote(line: str) -> str:
    return ast.literal_eval(line)


def _po_entries(path: Path) -> list[dict]:
    """A small .po reader: each entry's flags, msgctxt, msgid, msgid_plural and msgstr(s)."""
    entries, entry, field = [], None, None

    def flush():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            entry, field = None, None
            continue
        if line.startswith("#~"):
            continue  # obsolete
        if entry is None:
            entry = {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"].update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += _unquote(line)
            else:
                entry[field[0]] += _unquote(line)
        else:
            keyword, _, value = line.partition(" ")
            if keyword.startswith("msgstr"):
                index = int(keyword[7:-1]) if "[" in keyword else 0
                field = ("msgstr", index)
                entry["msgstr"][index] = _unquote(value)
            else:
                field = (keyword, None)
                entry[keyword] = _unquote(value)
    flush()
    return entries


def _messages():
    return [e for e in _po_entries(LOCALE_DIR / "django.po") if e["msgid"]]


def test_every_message_is_translated():
    messages = _messages()
    assert len(messages) > 500
    untranslated = [
        e["msgid"]
        for e in messages
        if not e["msgstr"] or any(not s.strip() for s in e["msgstr"].values())
    ]
    assert untranslated == []
    assert [e["msgid"] for e in messages if "fuzzy" in e["flags"]] == []
    for e in messages:
        if "msgid_plural" in e:
            assert sorted(e["msgstr"]) == [0, 1], e["msgid"]


def test_placeholders_are_kept():
    placeholder = re.compile(r"%\(\w+\)[sdif]|%[sdif]")
    for e in _messages():
        want = sorted(placeholder.findall(e.get("msgid_plural", e["msgid"])))
        for text in e["msgstr"].values():
            assert sorted(placeholder.findall(text)) == want, e["msgid"]


def test_compiled_catalogue_matches_the_po():
    """The committed .mo is up to date: it holds every message of the .po."""
    with open(LOCALE_DIR / "django.mo", "rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog
    for e in _messages():
        key = f"{e['msgctxt']}\x04{e['msgid']}" if "msgctxt" in e else e["msgid"]
        if "msgid_plural" in e:
            assert catalog.get((key, 1)) == e["msgstr"][1], e["msgid"]
        else:
            assert catalog.get(key) == e["msgstr"][0], e["msgid"]
