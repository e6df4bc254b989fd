"""Secrets and personal numbers kept out of audit rows and logs.

The resident's rating link carries its token in the path (`/r/<token>/`): whoever reads an
audit row, an error log line or a web server access log could otherwise use the link. ID
numbers and phones are searched by POST (never in a URL), but a log line that still carries
one (a Referer, a hand-typed URL) is masked here too.
"""

import logging
import re

from django.urls import Resolver404, resolve

from common.masking import mask_id_number, mask_phone

# URL keyword arguments that are secrets: their value never reaches an audit row.
SECRET_URL_KWARGS = frozenset({"token"})
REDACTED = "[redacted]"

_RATING_LINK_RE = re.compile(r"(/r/)[^/?#\s\"']+")
_ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_PHONE_RE = re.compile(r"(?<!\d)(?:\+?86)?1[3-9]\d{9}(?!\d)")


def scrub_path(path: str, path_info: str | None = None) -> str:
    """The request path with the value of every secret URL argument replaced."""
    try:
        match = resolve(path if path_info is None else path_info)
    except Resolver404:
        return path
    for name, value in match.kwargs.items():
        if name in SECRET_URL_KWARGS and value:
            path = path.replace(str(value), REDACTED)
    return path


def scrub_text(text: str) -> str:
    """Any log text: rating-link tokens removed, ID numbers and mobile numbers masked."""
    if not text:
        return text
    text = _RATING_LINK_RE.sub(r"\1" + REDACTED, text)
    text = _ID_NUMBER_RE.sub(lambda m: mask_id_number(m.group(0)), text)
    return _PHONE_RE.sub(lambda m: mask_phone(m.group(0)[-11:]), text)


class ScrubFilter(logging.Filter):
    """Logging filter for every handler: the formatted message goes out scrubbed."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        scrubbed = scrub_text(message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, ()
        return True


try:  # gunicorn is the production server; the access log goes through this class
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # pragma: no cover - gunicorn not installed (development)
    _GunicornLogger = None

if _GunicornLogger is not None:

    class GunicornLogger(_GunicornLogger):
        """gunicorn's logger with every text of the access line (request line, path, query,
        headers, environ) scrubbed."""

        def atoms(self, resp, req, environ, request_time):
            atoms = super().atoms(resp, req, environ, request_time)
            return {
                key: scrub_text(value) if isinstance(value, str) else value
                for key, value in atoms.items()
            }
