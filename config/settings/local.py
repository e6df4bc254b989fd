"""`make run` and `make dev`: a developer's or a demo machine. SQLite and a server-less broker
by default.

`make run` shows the portal as a court sees it: DEBUG off (Chinese error pages, no URL list,
no file served outside the scoped views), static files from whitenoise. `make dev` sets
DJANGO_DEBUG=True for Django's debug pages.
"""

from .base import *  # noqa: F401,F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-only-not-secret-fengqiao-demo-key-0000")
PII_ENCRYPTION_KEY = env("FENGQIAO_PII_KEY", default="local-only-pii-key-fengqiao-demo-0000")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

# runserver serves static files only with DEBUG on, so `make run` starts it with --nostatic and
# whitenoise (already in the middleware) serves them straight from the finders (static/ and
# the apps), with no collectstatic step; it re-reads changed files only under `make dev`.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# No real inquiry link on a developer's machine: the simulated provider answers (with an
# optional wait per call, ENFORCEMENT_SIMULATED_LATENCY_MS).
ENFORCEMENT_INQUIRY_PROVIDERS = {
    "simulated": {
        "BACKEND": "enforcement.inquiry.simulated.SimulatedProvider",
        "LABEL": "网络查控（模拟）",
        "OPTIONS": {"latency_ms": env.int("ENFORCEMENT_SIMULATED_LATENCY_MS", default=0)},
    },
}
