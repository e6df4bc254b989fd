"""Settings for the real worker process the broker tests start: the test settings, with a
short Redis visibility timeout so a message whose worker vanished is redelivered within
the test rather than after an hour."""

from config.settings.test import *  # noqa: F403

CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 5}
