"""Sessions that slide without a database write on every page.

The portal ends a session after 8 idle hours (`SESSION_COOKIE_AGE`). Django does that with
`SESSION_SAVE_EVERY_REQUEST`, which re-saves the session — an UPDATE and a COMMIT on
`django_session` — on every request, reading pages included. This middleware saves an
unchanged session only when its last save is more than `SESSION_REFRESH_SECONDS` (5
minutes) old, so the idle limit is kept within those minutes (a session ends between 7 h 55
and 8 h after the last request, never later) and most page views write nothing. A changed
session (login, a message, a stored search) is saved at once, as before.
"""

import time

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware

TOUCHED = "_fq_touched"  # when the session was last saved (Unix seconds)


class SessionMiddleware(DjangoSessionMiddleware):
    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None and session.accessed and not session.is_empty():
            now = int(time.time())
            refresh = getattr(settings, "SESSION_REFRESH_SECONDS", 300)
            if session.modified or now - session.get(TOUCHED, 0) >= refresh:
                session[TOUCHED] = now  # marks it modified: Django saves it below
        return super().process_response(request, response)
