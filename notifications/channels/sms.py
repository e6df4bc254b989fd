"""SMS backends. Choose one with FENGQIAO_SMS_BACKEND (see notifications/conf.py).

- LoggingSmsBackend: development; writes the message to the log.
- HttpSmsBackend: a JSON-over-HTTPS provider (the shape most Chinese SMS gateways offer):
  POST {url} with {"phone", "text", "sign", "ref"} and a bearer token; answers
  {"code": "OK", "id": "..."}. The delivery id goes in `ref` and the Idempotency-Key header
  so a provider that deduplicates will not send twice if we retry after a lost answer.
"""

import logging

import requests

from .. import conf
from . import Channel, PermanentDeliveryError, TransientDeliveryError

logger = logging.getLogger("fengqiao.sms")


def _phone(delivery) -> str:
    phone = delivery.notification.recipient.phone
    if not phone:
        raise PermanentDeliveryError("接收人没有手机号码")
    return phone


def _text(delivery) -> str:
    n = delivery.notification
    return f"【{conf.get('FENGQIAO_SMS_SIGN')}】{n.title}"[:300]


class LoggingSmsBackend(Channel):
    name = "sms"

    def send(self, delivery) -> str:
        phone = _phone(delivery)
        logger.info("SMS to %s****%s: %s", phone[:3], phone[-4:], _text(delivery))
        return f"log:{delivery.pk}"


class HttpSmsBackend(Channel):
    name = "sms"
    timeout = (3.05, 10)

    def send(self, delivery) -> str:
        payload = {
            "phone": _phone(delivery),
            "text": _text(delivery),
            "sign": conf.get("FENGQIAO_SMS_SIGN"),
            "ref": str(delivery.pk),
        }
        headers = {
            "Authorization": f"Bearer {conf.get('FENGQIAO_SMS_TOKEN')}",
            "Idempotency-Key": f"fengqiao-delivery-{delivery.pk}",
        }
        try:
            response = requests.post(
                conf.get("FENGQIAO_SMS_URL"), json=payload, headers=headers, timeout=self.timeout
            )
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise TransientDeliveryError(str(exc)) from exc
        if response.status_code == 429 or response.status_code >= 500:
            raise TransientDeliveryError(f"HTTP {response.status_code}")
        if response.status_code >= 400:
            raise PermanentDeliveryError(f"HTTP {response.status_code}: {response.text[:200]}")
        try:
            data = response.json()
        except ValueError as exc:
            raise TransientDeliveryError("provider answered non-JSON") from exc
        if data.get("code") != "OK":
            raise PermanentDeliveryError(f"provider refused: {data}")
        return str(data.get("id", ""))
