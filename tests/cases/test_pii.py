"""Personal data: encrypted at rest, blind index for lookup, masked display, nothing in audit."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from audit.models import AuditEntry
from cases.models import Party
from common import pii

from .conftest import ID_ZHANG, PHONE_ZHANG


def test_seal_roundtrip_and_index():
    sealed = pii.seal_id_number(ID_ZHANG.lower())
    assert sealed.masked == "110***********002X"
    assert pii.decrypt(sealed.encrypted) == ID_ZHANG
    assert sealed.index == pii.id_number_index(ID_ZHANG) != pii.phone_index(ID_ZHANG)
    assert ID_ZHANG not in repr(sealed) and sealed.encrypted not in repr(sealed)
    assert pii.seal_phone("+86 138-0013-8000").masked == "138****8000"


def test_keys_differ_and_missing_key_refused(settings):
    a = pii.blind_index("x", kind="id")
    settings.PII_ENCRYPTION_KEY = "another-key"
    assert pii.blind_index("x", kind="id") != a
    settings.PII_ENCRYPTION_KEY = ""
    with pytest.raises(ImproperlyConfigured):
        pii.encrypt("x")


def test_party_stored_encrypted_and_matched_across_disputes(loop, register):
    first = register()
    second = register(facts="另一件事", parties=[{"name": "张三", "id_number": ID_ZHANG}])
    party = Party.objects.get(id_number_index=pii.id_number_index(ID_ZHANG))
    assert set(party.disputes.values_list("pk", flat=True)) == {first.pk, second.pk}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number_encrypted, phone_encrypted FROM cases_party WHERE id = %s", [party.pk]
        )
        row = cursor.fetchone()
    assert ID_ZHANG not in row[0] and PHONE_ZHANG not in row[1]
    for entry in AuditEntry.objects.all():
        assert ID_ZHANG not in str(entry.changes) and PHONE_ZHANG not in str(entry.changes)


def test_organisation_matched_by_credit_code(loop, register):
    from .conftest import CREDIT_CODE

    org = {
        "role": "respondent",
        "kind": "organisation",
        "name": "金裕物业",
        "credit_code": CREDIT_CODE,
    }
    register(parties=[{"name": "王五"}, org])
    register(parties=[{"name": "赵六"}, {**org, "name": "金裕物业服务有限公司"}])
    assert Party.objects.filter(credit_code=CREDIT_CODE).count() == 1


def test_validation_errors_do_not_echo_numbers(loop, register):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as info:
        register(parties=[{"name": "张三", "id_number": "110105194912310021", "phone": "12345"}])
    text = str(info.value.message_dict)
    assert "110105194912310021" not in text and "12345" not in text
