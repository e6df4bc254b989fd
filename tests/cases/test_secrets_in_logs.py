"""The rating link's token, ID numbers and phones stay out of audit rows and log lines."""

import logging
from types import SimpleNamespace

from django.urls import reverse

from audit.models import AuditEntry
from common.logscrub import GunicornLogger, scrub_text

from .conftest import ID_ZHANG, PHONE_ZHANG
from .test_rating import _resolved


def _audit_text() -> str:
    return " ".join(
        f"{e.path} {e.changes} {e.note} {e.object_repr}" for e in AuditEntry.objects.all()
    )


def test_rating_token_is_not_in_any_audit_row(loop, register, client):
    dispute, token = _resolved(loop, register)
    response = client.post(reverse("rate", args=[token]), {"score": "1", "comment": "没解决"})
    assert response.status_code == 200
    rows = AuditEntry.objects.filter(path__startswith="/r/")
    assert rows.exists()  # the rating and the reopening were recorded from that page
    assert all(row.path == "/r/[redacted]/" for row in rows)
    assert token not in _audit_text()


def test_refused_rating_link_is_not_logged_with_its_token(db, client, caplog):
    token = "SomeGuessedOrExpiredToken_0123456789abc"
    caplog.set_level(logging.INFO)
    assert client.get(reverse("rate", args=[token])).status_code == 410
    assert "/r/" in caplog.text  # Django logged the refused request ("Gone: /r/…/")
    assert token not in caplog.text


def test_log_lines_mask_id_numbers_and_phones(caplog):
    caplog.set_level(logging.INFO)
    logging.getLogger("fengqiao.test").warning("lookup %s %s", ID_ZHANG, PHONE_ZHANG)
    assert ID_ZHANG not in caplog.text and PHONE_ZHANG not in caplog.text
    assert "110***********002X" in caplog.text
    assert scrub_text(f"/cases/?q={PHONE_ZHANG}") == "/cases/?q=138****8000"


def test_gunicorn_access_log_line_is_scrubbed():
    logger = GunicornLogger.__new__(GunicornLogger)
    logger.cfg = SimpleNamespace(access_log_format="", forwarded_allow_ips=[])
    token = "AbCdEfGhIjKlMnOpQrStUvWxYz012345"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/r/{token}/?x=1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": f"/r/{token}/",
        "QUERY_STRING": f"q={ID_ZHANG}",
        "HTTP_REFERER": f"https://fq.example/r/{token}/",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = SimpleNamespace(headers=[("REFERER", f"https://fq.example/r/{token}/")])
    atoms = logger.atoms(response, request, environ, SimpleNamespace(seconds=0, microseconds=1))
    assert token not in str(atoms) and ID_ZHANG not in str(atoms)
    assert atoms["U"] == "/r/[redacted]/"
