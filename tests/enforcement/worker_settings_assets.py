"""Settings for the real worker the assets broker tests start: the test settings with a
short Redis visibility timeout, short claims (a killed worker's targets are taken again
within seconds) and a simulated provider that waits, so a run can be killed mid-way."""

from config.settings.test import *  # noqa: F403

CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 5}
ENFORCEMENT_INQUIRY_CLAIM_SECONDS = 3
ENFORCEMENT_INQUIRY_BATCH = 10
ENFORCEMENT_INQUIRY_CONCURRENCY = 5
ENFORCEMENT_INQUIRY_PROVIDERS = {
    "simulated": {
        "BACKEND": "enforcement.inquiry.simulated.SimulatedProvider",
        "LABEL": "网络查控（模拟）",
        "OPTIONS": {"latency_ms": 100},
    },
}
