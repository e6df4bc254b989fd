"""After a case is moved to another court (交叉执行 / 指定执行), its listing and restriction
are acted on by the receiving court — the case's court now — on the credit pages and API:
its staff see and act on them, the court that decided them keeps read-only sight (its
steps refused), any other court gets 404. A correction filed after the move goes to the
receiving court; a removal asked before the move waits for the receiving court's president,
the original court's president is refused. The entries keep the court that decided them."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from credit import services
from credit.models import CorrectionRequest, Grade, OneTimeLifting, Removal, Restriction, Trigger
from credit.services.removal import KIND_REMOVAL_APPROVAL
from deadlines.selectors import deadlines_for
from notifications.models import Notification
from organisations.models import Membership, User
from organisations.roles import Role
from tests.enforcement import commission_fixtures
from tests.factories import member

from .conftest import impose

pytestmark = pytest.mark.django_db

cworld = commission_fixtures.cworld


def _entries(world, case):
    """A published listing with its restriction in force; the applicant asked to remove
    both (a trigger the president approves): two removals waiting for 吴院长."""
    listing = impose(world, case)
    restriction = Restriction.objects.get(listing=listing)
    services.restriction_approve(restriction=restriction, actor=world.president)
    removals = services.removals_start(
        case=case, trigger=Trigger.APPLICANT_REQUEST, reason="申请执行人书面申请删除",
        actor=world.officer, approver=world.president,
    )  # fmt: skip
    return listing, restriction, removals


def _transfer(api_for, eworld, cworld, case):
    response = api_for(eworld.higher_supervisor).post(
        f"/api/enforcement/commission/{case.pk}/transfer/",
        {"to_court": cworld.receiver.pk, "officer": cworld.recv_officer.pk, "kind": "cross",
         "reason": "交叉执行专项"}, format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content


@pytest.fixture
def recv_president(eworld, cworld):
    return member(eworld.other_court, Role.SUPERVISOR, username="recv_pres", full_name="郑院长")


@pytest.fixture
def moved(api_for, eworld, cworld, recv_president):
    listing, restriction, removals = _entries(eworld, cworld.case)
    _transfer(api_for, eworld, cworld, cworld.case)
    return listing, restriction, removals


def _last_audit(record, action="change"):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=str(record.pk),
        action=action,
    ).latest("pk")  # fmt: skip


# --- 1. the pages and the API follow the case ---------------------------------------------


def test_the_receiving_court_acts_on_the_pages_the_deciding_court_only_reads(
    client, eworld, cworld, moved
):
    listing, restriction, _removals = moved
    grade_url = reverse("credit:listing_grade", args=[listing.pk])
    lifting_url = reverse("credit:restriction_lifting", args=[restriction.pk])
    client.force_login(cworld.recv_officer)
    page = client.get(listing.get_absolute_url())
    assert page.status_code == 200
    assert grade_url in page.content.decode()
    assert lifting_url in client.get(restriction.get_absolute_url()).content.decode()
    client.force_login(eworld.officer)
    page = client.get(listing.get_absolute_url()).content.decode()
    assert grade_url not in page  # read-only sight of what it decided
    assert 'data-testid="enforcing-court"' in page and "海南区人民法院" in page
    restriction_page = client.get(restriction.get_absolute_url())
    assert restriction_page.status_code == 200
    assert lifting_url not in restriction_page.content.decode()
    # a step of the old court is refused, nothing changes
    refused = client.post(grade_url, {"grade": Grade.SERIOUS, "reasons": "情节严重"})
    assert refused.status_code == 403
    listing.refresh_from_db()
    assert listing.grade == Grade.GENERAL
    client.force_login(cworld.third_clerk)
    assert client.get(listing.get_absolute_url()).status_code == 404
    assert client.get(restriction.get_absolute_url()).status_code == 404
    assert client.post(grade_url, {"grade": Grade.SERIOUS, "reasons": "x"}).status_code == 404
    client.force_login(cworld.recv_officer)
    done = client.post(grade_url, {"grade": Grade.SERIOUS, "reasons": "情节严重"})
    assert done.status_code == 302
    listing.refresh_from_db()
    assert listing.grade == Grade.SERIOUS
    entry = _last_audit(listing)
    assert entry.actor == cworld.recv_officer
    assert entry.changes["grade"] == {"before": Grade.GENERAL, "after": Grade.SERIOUS}
    assert listing.court == eworld.court  # the record of who decided


def test_the_api_scope_follows_the_case(api_for, eworld, cworld, moved, recv_president):
    listing, restriction, _removals = moved
    rows = {row["id"]: row for row in api_for(cworld.recv_officer).get(
        "/api/credit/listings/").json()["results"]}  # fmt: skip
    assert rows[listing.pk]["court"] == eworld.court.pk
    assert rows[listing.pk]["enforcing_court"] == cworld.receiver.pk
    assert rows[listing.pk]["enforcing_court_name"] == "海南区人民法院"
    restrictions = api_for(cworld.recv_officer).get("/api/credit/restrictions/").json()
    assert restriction.pk in {row["id"] for row in restrictions["results"]}
    # the deciding court reads, the third court sees nothing
    assert api_for(eworld.officer).get(f"/api/credit/listings/{listing.pk}/").status_code == 200
    third = api_for(cworld.third_clerk)
    assert third.get(f"/api/credit/listings/{listing.pk}/").status_code == 404
    assert third.get(f"/api/credit/restrictions/{restriction.pk}/").status_code == 404
    assert not third.get("/api/credit/listings/").json()["results"]
    grade = {"grade": Grade.SERIOUS, "reasons": "情节严重"}
    assert api_for(eworld.officer).post(
        f"/api/credit/listings/{listing.pk}/grade/", grade, format="json").status_code == 403  # fmt: skip
    assert third.post(
        f"/api/credit/listings/{listing.pk}/grade/", grade, format="json").status_code == 404  # fmt: skip
    ok = api_for(cworld.recv_officer).post(
        f"/api/credit/listings/{listing.pk}/grade/", grade, format="json")  # fmt: skip
    assert ok.status_code == 200, ok.content
    assert ok.json()["grade"] == Grade.SERIOUS
    # a one-time lifting is asked of the receiving court's president
    today = timezone.localdate()
    lifting = {"need": "就医乘机", "reasons": "赴外地就医", "starts_on": str(today),
               "ends_on": str(today + datetime.timedelta(days=2))}  # fmt: skip
    url = f"/api/credit/restrictions/{restriction.pk}/one-time-lifting/"
    old = api_for(eworld.officer).post(url, {**lifting, "approver": eworld.president.pk},
                                       format="json")  # fmt: skip
    assert old.status_code == 403
    wrong = api_for(cworld.recv_officer).post(
        url, {**lifting, "approver": eworld.president.pk}, format="json")  # fmt: skip
    assert wrong.status_code == 400 and "approver" in wrong.json()["fields"]
    made = api_for(cworld.recv_officer).post(
        url, {**lifting, "approver": recv_president.pk}, format="json")  # fmt: skip
    assert made.status_code == 201, made.content
    assert OneTimeLifting.objects.get(pk=made.json()["id"]).court == cworld.receiver


def test_the_list_reads_a_bounded_number_of_queries(api_for, eworld, cworld, moved):
    api = api_for(cworld.recv_officer)
    with CaptureQueriesContext(connection) as one:
        assert len(api.get("/api/credit/listings/").json()["results"]) == 1
    _entries(eworld, cworld.other_case)
    _transfer(api_for, eworld, cworld, cworld.other_case)
    with CaptureQueriesContext(connection) as two:
        assert len(api.get("/api/credit/listings/").json()["results"]) == 2
    assert len(two) == len(one)


# --- 2. a correction filed after the move --------------------------------------------------


def test_a_correction_filed_after_the_move_goes_to_the_receiving_court(
    api_for, client, eworld, cworld, moved
):
    listing, restriction, _removals = moved
    body = {"listing": listing.pk, "applicant_name": "孙委托", "grounds": "情形认定有误"}
    assert api_for(eworld.officer).post(
        "/api/credit/corrections/", body, format="json").status_code == 403  # fmt: skip
    assert api_for(cworld.third_clerk).post(
        "/api/credit/corrections/", body, format="json").status_code == 404  # fmt: skip
    made = api_for(cworld.recv_officer).post("/api/credit/corrections/", body, format="json")
    assert made.status_code == 201, made.content
    correction = CorrectionRequest.objects.get(pk=made.json()["id"])
    assert correction.court == cworld.receiver
    clock = deadlines_for(correction).get()
    assert clock.organisation == cworld.receiver and clock.owner == cworld.recv_officer
    assert _last_audit(correction, "create").actor == cworld.recv_officer
    # by the page, on the restriction: the receiving court's clerk registers it
    client.force_login(cworld.recv_clerk)
    page = client.post(
        reverse("credit:restriction_correction", args=[restriction.pk]),
        {"applicant_name": "孙委托", "grounds": "已提供担保"},
    )  # fmt: skip
    assert page.status_code == 302
    by_page = CorrectionRequest.objects.get(restriction=restriction)
    assert by_page.court == cworld.receiver
    assert client.get(by_page.get_absolute_url()).status_code == 200
    # the receiving court decides it; the old court does not get it
    client.force_login(eworld.officer)
    assert client.get(by_page.get_absolute_url()).status_code == 404
    decided = api_for(cworld.recv_officer).post(
        f"/api/credit/corrections/{correction.pk}/decide/",
        {"justified": False, "reasons": "经核，认定无误"}, format="json",
    )  # fmt: skip
    assert decided.status_code == 200, decided.content


# --- 3. a removal waiting for approval ----------------------------------------------------


def test_the_original_president_no_longer_approves_a_removal(
    api_for, client, eworld, cworld, moved, recv_president
):
    _listing, _restriction, (removal, other) = moved
    removal.refresh_from_db()
    assert removal.court == cworld.receiver and removal.approver is None
    entry = _last_audit(removal)
    assert entry.changes["approver"] == {"before": eworld.president.pk, "after": None}
    assert entry.actor == eworld.higher_supervisor
    assert Notification.objects.filter(
        recipient=cworld.recv_officer, kind=KIND_REMOVAL_APPROVAL,
        object_id=removal.pk).exists()  # fmt: skip
    # the original president: refused by API, page and service
    old = api_for(eworld.president)
    assert old.post(f"/api/credit/removals/{removal.pk}/approve/", {}, format="json"
                    ).status_code == 404  # fmt: skip
    client.force_login(eworld.president)
    assert client.post(reverse("credit:removal_step", args=[removal.pk, "approve"])
                       ).status_code == 404  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.removal_approve(removal=removal, actor=eworld.president)
    # the receiving president is not named yet
    assert api_for(recv_president).post(
        f"/api/credit/removals/{removal.pk}/approve/", {}, format="json").status_code == 403  # fmt: skip
    removal.refresh_from_db()
    assert removal.state == Removal.State.PENDING_APPROVAL


def test_the_receiving_court_asks_its_own_president(
    api_for, client, eworld, cworld, moved, recv_president
):
    _listing, _restriction, (removal, other) = moved
    url = f"/api/credit/removals/{removal.pk}/approver/"
    wrong = api_for(cworld.recv_officer).post(url, {"approver": eworld.president.pk},
                                              format="json")  # fmt: skip
    assert wrong.status_code == 400 and "approver" in wrong.json()["fields"]
    assert api_for(eworld.officer).post(url, {"approver": recv_president.pk},
                                        format="json").status_code == 404  # fmt: skip
    assert api_for(cworld.third_clerk).post(url, {"approver": recv_president.pk},
                                            format="json").status_code == 404  # fmt: skip
    named = api_for(cworld.recv_officer).post(url, {"approver": recv_president.pk}, format="json")
    assert named.status_code == 200, named.content
    assert named.json()["approver"] == recv_president.pk
    entry = _last_audit(removal)
    assert entry.actor == cworld.recv_officer
    assert entry.changes["approver"] == {"before": None, "after": recv_president.pk}
    assert Notification.objects.filter(recipient=recv_president, kind=KIND_REMOVAL_APPROVAL,
                                       object_id=removal.pk).exists()  # fmt: skip
    again = api_for(cworld.recv_officer).post(url, {"approver": recv_president.pk},
                                              format="json")  # fmt: skip
    assert again.status_code == 409
    approved = api_for(recv_president).post(
        f"/api/credit/removals/{removal.pk}/approve/", {"note": "同意"}, format="json")  # fmt: skip
    assert approved.status_code == 200, approved.content
    assert approved.json()["state"] == Removal.State.PENDING
    transition = _last_audit(removal, "transition")
    assert transition.actor == recv_president
    # the other removal by the page: the form shows to the receiving court, a wrong
    # choice stays beside the field, the right one names the president
    client.force_login(cworld.recv_officer)
    page = client.get(other.get_absolute_url()).content.decode()
    assert 'data-testid="approver-form"' in page
    step = reverse("credit:removal_step", args=[other.pk, "approver"])
    bad = client.post(step, {"approver": eworld.president.pk})
    assert bad.status_code == 400
    assert 'data-testid="approver-form"' in bad.content.decode()
    assert client.post(step, {"approver": recv_president.pk}).status_code == 302
    other.refresh_from_db()
    assert other.approver == recv_president
    client.force_login(recv_president)
    assert 'data-testid="approve"' in client.get(other.get_absolute_url()).content.decode()
    client.post(reverse("credit:removal_step", args=[other.pk, "refuse"]), {"note": "理由不足"})
    other.refresh_from_db()
    assert other.state == Removal.State.REFUSED and other.approver == recv_president


def test_a_named_president_of_the_receiving_court_stays_named(
    api_for, eworld, cworld, recv_president
):
    """A named president who is also one of the receiving court's keeps the request."""
    Membership.objects.create(user=eworld.president, organisation=eworld.other_court,
                              role=Role.SUPERVISOR)  # fmt: skip
    _listing, _restriction, (removal, _other) = _entries(eworld, cworld.case)
    _transfer(api_for, eworld, cworld, cworld.case)
    removal.refresh_from_db()
    assert removal.approver == eworld.president and removal.court == cworld.receiver
    services.removal_approve(removal=removal, actor=User.objects.get(pk=eworld.president.pk))
    removal.refresh_from_db()
    assert removal.state == Removal.State.PENDING


def test_the_search_finds_an_unpublished_entry_for_the_court_holding_the_case(
    api_for, client, eworld, cworld
):
    """Within the grace period (善意执行) the listing is not public: the receiving court's
    search shows it, open to it; the third court's does not."""
    listing = impose(eworld, cworld.case, grace_months=1)
    assert not listing.is_public
    _transfer(api_for, eworld, cworld, cworld.case)
    rows = api_for(cworld.recv_officer).get("/api/credit/search/", {"q": "孙委托"}).json()
    hits = {(row["kind"], row["id"]): row for row in rows["results"]}
    assert hits[("listing", listing.pk)]["in_scope"] is True
    assert hits[("listing", listing.pk)]["court"] == "海勃湾区人民法院"  # who decided
    third = api_for(cworld.third_clerk).get("/api/credit/search/", {"q": "孙委托"}).json()
    assert ("listing", listing.pk) not in {(row["kind"], row["id"]) for row in third["results"]}
    client.force_login(cworld.recv_officer)
    page = client.get(reverse("credit:search"), {"q": "孙委托"})
    assert listing.get_absolute_url() in page.content.decode()
