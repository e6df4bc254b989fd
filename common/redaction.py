"""Secrets that must not be shown where many people read: the resident's rating link.

The link `/r/<token>/` (config/urls.py, name "rate") lets whoever holds it rate a dispute in
the resident's name without logging in. It reaches text the portal displays by way of a
request path (audit entries) or a note a clerk typed after sending the SMS; timelines,
histories and their exports show it with the token blanked.
"""

import re

_RATING_LINK = re.compile(r"/r/[^/\s?#\"'<>]+")


def scrub_secrets(text: str) -> str:
    """`text` with the token of any rating link replaced by an ellipsis."""
    return _RATING_LINK.sub("/r/…", text) if text else text
