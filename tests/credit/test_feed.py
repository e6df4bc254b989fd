"""The partner feed: incremental sync with removals and grade changes, token scoping, the
read log."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEntry
from cases.models import Party
from common import pii
from credit.feed import services
from credit.feed.api import ChangesPageSerializer, VoluntaryPageSerializer
from credit.models import (
    BoundPerson,
    BoundRole,
    CreditChange,
    FeedRead,
    FeedScope,
    OneTimeLifting,
    PartnerToken,
    Publication,
)
from tests.credit.publicworld import (
    ID_HU,
    ID_OTHER,
    change_grade,
    credit_code,
    make_debtor_case,
    make_listing,
    make_org_case,
    make_restriction,
    make_voluntary,
    set_publication,
)

pytestmark = pytest.mark.django_db
CHANGES = "/api/credit/feed/changes/"
ALL = [FeedScope.LISTINGS, FeedScope.RESTRICTIONS, FeedScope.VOLUNTARY]


@pytest.fixture
def admin_user(eworld):
    return eworld.president


def _agency(actor, code, scopes=(*ALL, FeedScope.IDENTITY)):
    return services.partner_agency_create(
        actor=actor, name=f"{code} 银行", code=code, kind="bank", scopes=list(scopes)
    )


@pytest.fixture
def bank(admin_user):
    return _agency(admin_user, "bank-a")


def _client(plain):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {plain}")
    return api


@pytest.fixture
def bank_api(bank, admin_user):
    issued = services.partner_token_issue(
        actor=admin_user, agency=bank, label="同步服务", scopes=ALL
    )
    return _client(issued.plain)


def _sync(api, copy: dict, cursor: int, *, limit=2, url=CHANGES) -> int:
    """The partner's loop (docs/credit-feed.md): apply each item, keep next_cursor."""
    while True:
        response = api.get(url, {"cursor": cursor, "limit": limit})
        assert response.status_code == 200, response.content
        page = response.json()
        for item in page["items"]:
            if item["in_force"]:
                copy[item["key"]] = item["entry"]
            else:
                copy.pop(item["key"], None)
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return cursor


def test_incremental_sync_keeps_the_copy_equal_to_what_is_published(eworld, bank_api):
    hu = make_listing(eworld, make_debtor_case(eworld))
    li = make_listing(eworld, make_debtor_case(eworld, name="李某", id_value=ID_OTHER))
    org = make_restriction(eworld, make_org_case(eworld))
    make_listing(
        eworld,
        make_debtor_case(eworld, name="未公布", id_value="11010519491231002X"),
        publication=Publication.PENDING,
    )
    copy: dict = {}
    cursor = _sync(bank_api, copy, 0)
    assert set(copy) == {f"L{hu.pk}", f"L{li.pk}", f"R{org.pk}"}
    assert copy[f"L{hu.pk}"]["grade"] == "general"

    # later: 胡 pays and is removed, 李's conduct is graded serious, the company restored
    set_publication(hu, Publication.REMOVED, CreditChange.Action.REMOVED)
    change_grade(li, "serious")
    set_publication(org, Publication.SHIELDED, CreditChange.Action.SHIELDED)
    cursor = _sync(bank_api, copy, cursor)
    assert set(copy) == {f"L{li.pk}"}
    assert copy[f"L{li.pk}"]["grade"] == "serious"

    # what is sent is what the schema documents
    response = bank_api.get(CHANGES, {"cursor": 0})
    documented = ChangesPageSerializer(data=response.json())
    assert documented.is_valid(), documented.errors

    # nothing new: an empty page with the same cursor
    page = bank_api.get(CHANGES, {"cursor": cursor}).json()
    assert page == {"cursor": cursor, "next_cursor": cursor, "has_more": False, "items": []}


def test_a_partner_starting_late_never_receives_someone_already_removed(eworld, bank_api):
    hu = make_listing(eworld, make_debtor_case(eworld))
    set_publication(hu, Publication.REMOVED, CreditChange.Action.REMOVED)
    items = bank_api.get(CHANGES, {"cursor": 0}).json()["items"]
    assert [item["action"] for item in items] == ["published", "removed"]
    assert all(item["entry"] is None and not item["in_force"] for item in items)
    assert "胡" not in str(items)


def test_the_entry_carries_the_published_facts_and_identity_only_with_its_scope(
    eworld,
    bank,
    admin_user,
):
    hu = make_listing(eworld, make_debtor_case(eworld))
    with_identity = services.partner_token_issue(
        actor=admin_user, agency=bank, label="核验", scopes=[FeedScope.LISTINGS, FeedScope.IDENTITY]
    )
    without = services.partner_token_issue(
        actor=admin_user, agency=bank, label="普通", scopes=[FeedScope.LISTINGS]
    )
    entry = _client(with_identity.plain).get(CHANGES).json()["items"][0]["entry"]
    assert entry["debtor"]["id_number"] == ID_HU
    assert entry["debtor"]["id_number_masked"] == hu.debtor_id_masked
    assert entry["case_number"] == hu.case.case_number
    assert entry["basis_document_number"] == "（2026）蒙0302民初88号"
    assert entry["duty"] and entry["conduct"] and entry["ground"] == "1"
    plain_entry = _client(without.plain).get(CHANGES).json()["items"][0]["entry"]
    assert "id_number" not in plain_entry["debtor"]
    assert ID_HU not in str(plain_entry)


def test_an_organisations_entry_carries_its_bound_persons_and_current_one_time_liftings(
    eworld, bank, admin_user
):
    qian = Party(kind=Party.Kind.PERSON, name="钱某")
    pii.seal_into(qian, "id_number", pii.seal_id_number(ID_OTHER))
    qian.save()
    sun = Party.objects.create(kind=Party.Kind.PERSON, name="孙某")  # no ID number on file
    restriction = make_restriction(
        eworld,
        make_org_case(eworld),
        bound=[(BoundRole.LEGAL_REPRESENTATIVE, qian), (BoundRole.ACTUAL_CONTROLLER, sun)],
    )
    listing = make_listing(
        eworld, make_org_case(eworld, name="丙公司", code=credit_code("91150302MA0N5YYY0"))
    )
    BoundPerson.objects.create(
        listing=listing,
        party=qian,
        role=BoundRole.DIRECTLY_RESPONSIBLE,
        name="钱某",
        id_number_masked=qian.id_number_masked,
    )
    today = timezone.localdate()
    for state, starts, ends, need in [
        (OneTimeLifting.State.APPROVED, 1, 9, "丧葬"),
        (OneTimeLifting.State.APPROVED, 0, 3, "就医"),
        (OneTimeLifting.State.APPROVED, -5, -1, "已结束"),
        (OneTimeLifting.State.PENDING_APPROVAL, 0, 2, "待审批"),
    ]:
        OneTimeLifting.objects.create(
            restriction=restriction,
            court=eworld.court,
            need=need,
            reasons="事由",
            starts_on=today + datetime.timedelta(days=starts),
            ends_on=today + datetime.timedelta(days=ends),
            requested_by=eworld.officer,
            approver=eworld.president,
            state=state,
        )

    def entries(scopes):
        plain = services.partner_token_issue(
            actor=admin_user, agency=bank, label="x", scopes=scopes
        ).plain
        items = _client(plain).get(CHANGES).json()["items"]
        return {item["key"]: item["entry"] for item in items}

    both = [FeedScope.LISTINGS, FeedScope.RESTRICTIONS]
    seen = entries(both)
    assert seen[f"R{restriction.pk}"]["bound_persons"] == [
        {"role": "actual_controller", "name": "孙某", "id_number_masked": ""},
        {"role": "legal_representative", "name": "钱某", "id_number_masked": qian.id_number_masked},
    ]
    assert seen[f"R{restriction.pk}"]["one_time_liftings"] == [
        {"starts_on": today.isoformat(), "ends_on": f"{today + datetime.timedelta(days=3)}", "need": "就医"},
        {"starts_on": f"{today + datetime.timedelta(days=1)}", "ends_on": f"{today + datetime.timedelta(days=9)}", "need": "丧葬"},
    ]  # fmt: skip
    assert [p["role"] for p in seen[f"L{listing.pk}"]["bound_persons"]] == ["directly_responsible"]
    assert seen[f"L{listing.pk}"]["debtor"] == {
        "type": "organisation",
        "name": "丙公司",
        "credit_code": credit_code("91150302MA0N5YYY0"),
        "legal_representative": "钱某",
    }
    assert ID_OTHER not in str(seen)
    with_identity = entries([*both, FeedScope.IDENTITY])
    assert [p["id_number"] for p in with_identity[f"R{restriction.pk}"]["bound_persons"]] == [
        "",
        ID_OTHER,
    ]


def test_a_token_reads_only_the_kinds_of_its_scopes(eworld, bank, admin_user):
    make_listing(eworld, make_debtor_case(eworld))
    make_restriction(eworld, make_org_case(eworld))
    make_voluntary(eworld)
    restrictions_only = _client(
        services.partner_token_issue(
            actor=admin_user, agency=bank, label="航空", scopes=[FeedScope.RESTRICTIONS]
        ).plain
    )
    kinds = {item["kind"] for item in restrictions_only.get(CHANGES).json()["items"]}
    assert kinds == {"restriction"}
    assert restrictions_only.get("/api/credit/feed/voluntary/").status_code == 403
    voluntary_only = _client(
        services.partner_token_issue(
            actor=admin_user, agency=bank, label="守信", scopes=[FeedScope.VOLUNTARY]
        ).plain
    )
    assert voluntary_only.get(CHANGES).status_code == 403
    page = voluntary_only.get("/api/credit/feed/voluntary/").json()
    assert VoluntaryPageSerializer(data=page).is_valid()
    assert page["items"][0]["entry"]["amount"] == "95874.11"


def test_the_voluntary_register_syncs_withdrawals(eworld, bank_api):
    from tests.credit.publicworld import next_version

    record = make_voluntary(eworld)
    copy: dict = {}
    cursor = _sync(bank_api, copy, 0, url="/api/credit/feed/voluntary/")
    assert set(copy) == {f"V{record.pk}"}
    type(record).objects.filter(pk=record.pk).update(public=False, feed_version=next_version())
    _sync(bank_api, copy, cursor, url="/api/credit/feed/voluntary/")
    assert copy == {}


@pytest.mark.parametrize("header", [None, "Bearer fqp_nothing_here", "Token abc", "Bearer"])
def test_no_usable_token_is_401(header):
    api = APIClient()
    if header:
        api.credentials(HTTP_AUTHORIZATION=header)
    response = api.get(CHANGES)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_or_expired_token_or_a_stopped_agency_is_401(bank, admin_user):
    issued = services.partner_token_issue(
        actor=admin_user, agency=bank, label="x", scopes=[FeedScope.LISTINGS]
    )
    api = _client(issued.plain)
    assert api.get(CHANGES).status_code == 200
    services.partner_token_revoke(actor=admin_user, token=issued.token, reason="泄露")
    assert api.get(CHANGES).status_code == 401
    token_entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(PartnerToken),
        object_id=str(issued.token.pk),
    )
    assert token_entries.count() == 2  # issued, revoked

    expiring = services.partner_token_issue(
        actor=admin_user,
        agency=bank,
        label="y",
        scopes=[FeedScope.LISTINGS],
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    PartnerToken.objects.filter(pk=expiring.token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert _client(expiring.plain).get(CHANGES).status_code == 401

    fresh = services.partner_token_issue(
        actor=admin_user, agency=bank, label="z", scopes=[FeedScope.LISTINGS]
    )
    type(bank).objects.filter(pk=bank.pk).update(active=False)
    assert _client(fresh.plain).get(CHANGES).status_code == 401


def test_staff_cannot_read_the_feed_with_their_session_or_api_token(eworld, api_for):
    assert api_for(eworld.president).get(CHANGES).status_code == 401


def test_a_partner_token_opens_nothing_else(bank_api):
    assert bank_api.get("/api/cases/disputes/").status_code == 401
    assert bank_api.get("/api/me/").status_code == 401


def test_only_the_digest_is_stored(bank, admin_user):
    issued = services.partner_token_issue(
        actor=admin_user, agency=bank, label="x", scopes=[FeedScope.LISTINGS]
    )
    assert issued.plain.startswith(f"fqp_{issued.token.key_prefix}_")
    stored = PartnerToken.objects.get(pk=issued.token.pk)
    assert issued.plain not in str(stored.__dict__)
    assert stored.digest == services.token_digest(issued.plain)
    assert issued.plain not in str(AuditEntry.objects.values_list("changes", flat=True))


def test_scopes_cannot_exceed_the_agency(admin_user):
    from django.core.exceptions import ValidationError

    narrow = _agency(admin_user, "air", scopes=[FeedScope.RESTRICTIONS])
    with pytest.raises(ValidationError):
        services.partner_token_issue(
            actor=admin_user, agency=narrow, label="x", scopes=[FeedScope.LISTINGS]
        )


def test_every_read_is_logged_and_each_agency_sees_only_its_own(eworld, bank, admin_user):
    make_listing(eworld, make_debtor_case(eworld))
    make_listing(eworld, make_debtor_case(eworld, name="李某", id_value=ID_OTHER))
    token_a = services.partner_token_issue(
        actor=admin_user, agency=bank, label="a", scopes=[FeedScope.LISTINGS]
    )
    other_agency = _agency(admin_user, "bank-b")
    token_b = services.partner_token_issue(
        actor=admin_user, agency=other_agency, label="b", scopes=[FeedScope.LISTINGS]
    )
    api_a, api_b = _client(token_a.plain), _client(token_b.plain)
    api_a.get(CHANGES, {"cursor": 0, "limit": 1}, REMOTE_ADDR="203.0.113.4")
    api_a.get(CHANGES, {"cursor": 1, "limit": 1})
    api_a.get(CHANGES, {"cursor": 2})  # an empty page is a read too
    api_b.get(CHANGES)

    reads = list(FeedRead.objects.filter(agency=bank).order_by("pk"))
    assert [(r.cursor, r.next_cursor, r.count) for r in reads] == [(0, 1, 1), (1, 2, 1), (2, 2, 0)]
    assert reads[0].client_ip == "203.0.113.4" and reads[0].token_id == token_a.token.pk
    assert reads[0].read_at is not None

    own = api_a.get("/api/credit/feed/reads/").json()
    assert {row["token"] for row in own} == {token_a.token.key_prefix}
    assert len(own) == 3  # the log read itself is logged after answering
    assert FeedRead.objects.filter(agency=other_agency).count() == 1
    assert FeedRead.objects.filter(agency=bank, resource="reads").count() == 1


def test_bad_cursor_or_limit_is_400_with_field_errors(bank_api):
    for params, field in (({"cursor": "-1"}, "cursor"), ({"cursor": "x"}, "cursor"),
                          ({"limit": "0"}, "limit"), ({"limit": "5000"}, "limit")):  # fmt: skip
        response = bank_api.get(CHANGES, params)
        assert response.status_code == 400
        assert field in response.json()["fields"]


def test_the_feed_is_throttled_per_agency(settings, bank_api):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "partner_feed": "2/min"}
    assert bank_api.get(CHANGES, REMOTE_ADDR="203.0.113.1").status_code == 200
    assert bank_api.get(CHANGES, REMOTE_ADDR="203.0.113.2").status_code == 200
    assert bank_api.get(CHANGES, REMOTE_ADDR="203.0.113.3").status_code == 429


def test_a_page_of_changes_reads_a_fixed_number_of_queries(
    eworld,
    bank_api,
    django_assert_max_num_queries,
):
    make_listing(eworld, make_debtor_case(eworld))
    make_listing(eworld, make_debtor_case(eworld, name="李某", id_value=ID_OTHER))
    make_restriction(eworld, make_org_case(eworld))
    # token, the page, bound persons ×2, liftings, the read log (+ savepoints)
    with django_assert_max_num_queries(9):
        assert len(bank_api.get(CHANGES).json()["items"]) == 3
    make_restriction(
        eworld, make_org_case(eworld, name="丙公司", code=credit_code("91150302MA0N5YYY0"))
    )
    with django_assert_max_num_queries(9):
        assert len(bank_api.get(CHANGES).json()["items"]) == 4


def test_the_api_is_documented_for_partners(api_for, eworld):
    schema = api_for(eworld.president).get(reverse("api-schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/credit/feed/changes/"]["get"]
    assert operation["security"] == [{"partnerToken": []}]
    assert "in_force" in operation["description"]
    assert operation["responses"]["200"]["content"]["application/json"]["examples"]
    assert "partnerToken" in schema["components"]["securitySchemes"]
