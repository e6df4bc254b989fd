"""common.lookups.AnyOf: "one of these ids" as one array parameter on PostgreSQL."""

import pytest
from django.db import connection
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext

from common.lookups import AnyOf
from organisations.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def users():
    return [User.objects.create(username=f"any-of-{i}") for i in range(4)]


def test_it_finds_exactly_the_rows_with_those_ids(users):
    wanted = [users[1].pk, users[3].pk, 10**9]
    found = set(User.objects.filter(AnyOf(F("pk"), wanted)).values_list("pk", flat=True))
    assert found == {users[1].pk, users[3].pk}
    either = Q(AnyOf(F("pk"), [users[0].pk])) | Q(AnyOf(F("pk"), [users[2].pk]))
    assert User.objects.filter(either).count() == 2


def test_on_postgresql_the_ids_are_one_array_parameter(users):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with CaptureQueriesContext(connection) as queries:
        list(User.objects.filter(AnyOf(F("pk"), [r.pk for r in users])))
    assert "= ANY(ARRAY[" in queries[0]["sql"] and " IN (" not in queries[0]["sql"]


def test_an_empty_list_is_refused():
    with pytest.raises(ValueError, match="at least one"):
        AnyOf(F("pk"), [])
