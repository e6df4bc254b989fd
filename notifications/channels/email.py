import smtplib

from django.core.mail import EmailMessage

from .. import conf
from . import Channel, PermanentDeliveryError, TransientDeliveryError


class EmailChannel(Channel):
    """Through Django's configured email backend (console locally, SMTP in production)."""

    name = "email"

    def send(self, delivery) -> str:
        notification = delivery.notification
        address = notification.recipient.email
        if not address:
            raise PermanentDeliveryError("接收人没有邮箱地址")
        body = notification.body
        if notification.link:
            body += f"\n\n{conf.get('FENGQIAO_BASE_URL').rstrip('/')}{notification.link}"
        message = EmailMessage(
            subject=f"【枫桥】{notification.title}",
            body=body,
            to=[address],
            headers={"X-Fengqiao-Delivery": str(delivery.pk)},
        )
        try:
            message.send(fail_silently=False)
        except (
            smtplib.SMTPServerDisconnected,
            smtplib.SMTPConnectError,
            TimeoutError,
            ConnectionError,
        ) as exc:
            raise TransientDeliveryError(str(exc)) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            raise PermanentDeliveryError(str(exc)) from exc
        return f"email:{delivery.pk}"
