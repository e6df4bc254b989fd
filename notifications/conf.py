"""Channel settings: a Django setting wins, then the environment, then a safe default.

FENGQIAO_SMS_BACKEND  dotted path, default the logging backend
FENGQIAO_SMS_URL      the HTTP provider's endpoint
FENGQIAO_SMS_TOKEN    its bearer token (no default in production: set it)
FENGQIAO_SMS_SIGN     the registered SMS signature, default 枫桥
FENGQIAO_BASE_URL     used to make absolute links in email
"""

import os

from django.conf import settings

DEFAULTS = {
    "FENGQIAO_SMS_BACKEND": "notifications.channels.sms.LoggingSmsBackend",
    "FENGQIAO_SMS_URL": "",
    "FENGQIAO_SMS_TOKEN": "",
    "FENGQIAO_SMS_SIGN": "枫桥",
    "FENGQIAO_BASE_URL": "http://127.0.0.1:8000",
}


def get(name: str) -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, DEFAULTS[name])
    return value
