"""The amount in dispute at registration: Decimal yuan, refused (and nothing saved) if not."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from cases.models import Dispute, Party

pytestmark = pytest.mark.django_db


def test_amount_is_kept_as_yuan_with_two_places(register):
    dispute = register(amount_in_dispute="95874.11")
    dispute.refresh_from_db()
    assert dispute.amount_in_dispute == Decimal("95874.11")


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-1", "争议金额不能为负数。"),
        ("一万", "争议金额应为数字（元）。"),
        (12.5, "争议金额应为数字（元）。"),
    ],
)
def test_bad_amount_is_refused_and_nothing_is_saved(register, amount, message):
    with pytest.raises(ValidationError) as refused:
        register(amount_in_dispute=amount)
    assert refused.value.message_dict["amount_in_dispute"] == [message]
    assert not Dispute.objects.exists()
    assert not Party.objects.exists()
    assert not AuditEntry.objects.exists()
