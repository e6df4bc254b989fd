"""Delivery channels behind one interface: `channel_for(name).send(delivery) -> provider_ref`.

A channel raises TransientDeliveryError for what a retry may fix (timeouts, 5xx, a full
queue) and PermanentDeliveryError for what it will not (no address, rejected number).
"""

from django.utils.module_loading import import_string


class TransientDeliveryError(Exception):
    pass


class PermanentDeliveryError(Exception):
    pass


class Channel:
    name = ""

    def send(self, delivery) -> str:
        raise NotImplementedError


def channel_for(name: str) -> Channel:
    from .. import conf
    from .email import EmailChannel
    from .in_app import InAppChannel

    if name == "in_app":
        return InAppChannel()
    if name == "email":
        return EmailChannel()
    if name == "sms":
        return import_string(conf.get("FENGQIAO_SMS_BACKEND"))()
    raise ValueError(f"unknown channel {name!r}")
