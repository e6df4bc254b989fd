"""A case moved to another court (交叉执行 / 指定执行) before its restriction order was signed,
or before a one-time lifting (单次解禁) was decided: the request goes with it to the
receiving court, the original court's president is taken off it (he no longer has the
case) and the receiving court's staff ask their own president (报请审批, by service, page
and API), who signs — the order issued in the receiving court's name. The original court's
president is refused; a third court gets 404. The original court's read-only pages show
the work that went with the case without a link (it would answer 404 to them), saying
where it went."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from common.statemachine import TransitionNotAllowed
from credit import services
from credit.models import (
    CreditChange,
    OneTimeLifting,
    Publication,
    Restoration,
    Restriction,
    Trigger,
)
from credit.services.imposing import KIND_RESTRICTION_REQUESTED
from credit.services.restoration import KIND_LIFTING_REQUESTED
from credit.services.transfer import KIND_RESTORATION_MOVED
from documents.models import IssuedDocument
from notifications.models import Notification
from organisations.models import Membership, User
from organisations.roles import Role
from tests.enforcement import commission_fixtures
from tests.factories import member

from .conftest import impose

pytestmark = pytest.mark.django_db

cworld = commission_fixtures.cworld

MOVED_NOTE = "已随案移送至海南区人民法院办理"


def _transfer(api_for, eworld, cworld):
    response = api_for(eworld.higher_supervisor).post(
        f"/api/enforcement/commission/{cworld.case.pk}/transfer/",
        {"to_court": cworld.receiver.pk, "officer": cworld.recv_officer.pk, "kind": "cross",
         "reason": "交叉执行专项"}, format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content


def _last_audit(record, action="change"):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=str(record.pk),
        action=action,
    ).latest("pk")  # fmt: skip


def _told(user, kind, record) -> bool:
    return Notification.objects.filter(recipient=user, kind=kind, object_id=record.pk).exists()


@pytest.fixture
def recv_president(eworld, cworld):
    return member(eworld.other_court, Role.SUPERVISOR, username="recv_pres", full_name="郑院长")


@pytest.fixture
def pending(api_for, eworld, cworld, recv_president):
    """A listing decided by the original court; its restriction order still waits for
    吴院长's signature when the case is moved."""
    listing = impose(eworld, cworld.case)
    restriction = Restriction.objects.get(listing=listing)
    assert restriction.state == Restriction.State.PENDING_APPROVAL
    assert restriction.approver == eworld.president
    _transfer(api_for, eworld, cworld)
    restriction.refresh_from_db()
    return listing, restriction


@pytest.fixture
def lifting(api_for, eworld, cworld, recv_president):
    """A restriction in force (signed before the move) and a one-time lifting asked of
    吴院长, still waiting when the case is moved."""
    listing = impose(eworld, cworld.case)
    restriction = Restriction.objects.get(listing=listing)
    services.restriction_approve(restriction=restriction, actor=eworld.president)
    today = timezone.localdate()
    asked = services.one_time_lifting_request(
        restriction=restriction, need="就医乘机", reasons="父亲在北京住院手术，需乘飞机前往",
        starts_on=today + datetime.timedelta(days=2), ends_on=today + datetime.timedelta(days=5),
        approver=eworld.president, actor=eworld.officer,
    )  # fmt: skip
    _transfer(api_for, eworld, cworld)
    asked.refresh_from_db()
    restriction.refresh_from_db()
    return restriction, asked


# --- the restriction order waiting for its signature ----------------------------------------


def test_a_pending_restriction_goes_to_the_receiving_court_unnamed_audited(eworld, cworld, pending):
    listing, restriction = pending
    assert restriction.court == cworld.receiver and restriction.approver is None
    assert restriction.requested_by == eworld.officer  # who asked stays on the record
    listing.refresh_from_db()
    assert listing.court == eworld.court  # the decided listing keeps the court that listed
    entry = _last_audit(restriction)
    assert entry.actor == eworld.higher_supervisor and "交叉执行" in entry.note
    assert entry.changes["court"] == {"before": eworld.court.pk, "after": cworld.receiver.pk}
    assert entry.changes["approver"] == {"before": eworld.president.pk, "after": None}
    assert _told(cworld.recv_officer, KIND_RESTRICTION_REQUESTED, restriction)


def test_the_original_president_may_no_longer_sign(api_for, client, eworld, cworld, pending):
    _listing, restriction = pending
    with pytest.raises(PermissionDenied, match="报请"):
        services.restriction_approve(restriction=restriction, actor=eworld.president)
    with pytest.raises(PermissionDenied, match="报请"):
        services.restriction_refuse(restriction=restriction, actor=eworld.president, note="否")
    # the order is the receiving court's now: out of the original court's scope
    api = api_for(eworld.president)
    assert api.post(f"/api/credit/restrictions/{restriction.pk}/approve/", {},
                    format="json").status_code == 404  # fmt: skip
    client.force_login(eworld.president)
    assert client.post(reverse("credit:restriction_decide", args=[restriction.pk, "approve"])
                       ).status_code == 404  # fmt: skip
    restriction.refresh_from_db()
    assert restriction.state == Restriction.State.PENDING_APPROVAL
    assert restriction.decision_document_id is None


def test_the_receiving_court_asks_its_president_by_the_api_who_signs(
    api_for, eworld, cworld, pending, recv_president
):
    _listing, restriction = pending
    url = f"/api/credit/restrictions/{restriction.pk}/approver/"
    # not named yet: the receiving president may not sign either
    assert api_for(recv_president).post(
        f"/api/credit/restrictions/{restriction.pk}/approve/", {}, format="json"
    ).status_code == 403  # fmt: skip
    assert api_for(cworld.third_clerk).post(
        url, {"approver": recv_president.pk}, format="json").status_code == 404  # fmt: skip
    assert api_for(eworld.officer).post(
        url, {"approver": recv_president.pk}, format="json").status_code == 404  # fmt: skip
    wrong = api_for(cworld.recv_officer).post(url, {"approver": eworld.president.pk},
                                              format="json")  # fmt: skip
    assert wrong.status_code == 400 and "approver" in wrong.json()["fields"]
    named = api_for(cworld.recv_officer).post(url, {"approver": recv_president.pk}, format="json")
    assert named.status_code == 200, named.content
    assert named.json()["approver"] == recv_president.pk
    entry = _last_audit(restriction)
    assert entry.actor == cworld.recv_officer
    assert entry.changes["approver"] == {"before": None, "after": recv_president.pk}
    assert _told(recv_president, KIND_RESTRICTION_REQUESTED, restriction)
    again = api_for(cworld.recv_officer).post(url, {"approver": recv_president.pk},
                                              format="json")  # fmt: skip
    assert again.status_code == 409
    signed = api_for(recv_president).post(
        f"/api/credit/restrictions/{restriction.pk}/approve/", {"note": "同意"}, format="json")  # fmt: skip
    assert signed.status_code == 200, signed.content
    assert signed.json()["state"] == Restriction.State.IN_FORCE
    restriction.refresh_from_db()
    assert restriction.publication == Publication.PUBLISHED
    document = IssuedDocument.objects.get(pk=restriction.decision_document_id)
    assert document.organisation == cworld.receiver  # the order in the receiving court's name
    assert _last_audit(restriction, "transition").actor == recv_president
    # nothing left to name once decided
    with pytest.raises(TransitionNotAllowed):
        services.restriction_approver_name(
            restriction=restriction, approver=recv_president, actor=cworld.recv_officer
        )


def test_the_receiving_court_asks_its_president_by_the_page(
    client, eworld, cworld, pending, recv_president
):
    _listing, restriction = pending
    step = reverse("credit:restriction_approver", args=[restriction.pk])
    client.force_login(cworld.recv_officer)
    page = client.get(restriction.get_absolute_url()).content.decode()
    assert 'data-testid="approver-form"' in page and step in page
    bad = client.post(step, {"approver": eworld.president.pk})
    assert bad.status_code == 400
    assert 'data-testid="approver-form"' in bad.content.decode()
    assert client.post(step, {"approver": recv_president.pk}).status_code == 302
    restriction.refresh_from_db()
    assert restriction.approver == recv_president
    assert 'data-testid="approver-form"' not in client.get(
        restriction.get_absolute_url()).content.decode()  # fmt: skip
    client.force_login(cworld.third_clerk)
    assert client.post(step, {"approver": recv_president.pk}).status_code == 404
    client.force_login(recv_president)
    assert 'data-testid="approve"' in client.get(restriction.get_absolute_url()).content.decode()
    signed = client.post(reverse("credit:restriction_decide", args=[restriction.pk, "approve"]))
    assert signed.status_code == 302
    restriction.refresh_from_db()
    assert restriction.state == Restriction.State.IN_FORCE
    assert restriction.decision_document.organisation == cworld.receiver


def test_by_the_service_only_the_receiving_courts_staff_name_a_president(
    eworld, cworld, pending, recv_president
):
    _listing, restriction = pending
    with pytest.raises(PermissionDenied):
        services.restriction_approver_name(
            restriction=restriction, approver=recv_president, actor=eworld.officer
        )
    services.restriction_approver_name(
        restriction=restriction, approver=recv_president, actor=cworld.recv_clerk
    )
    services.restriction_refuse(restriction=restriction, actor=recv_president, note="理由不足")
    restriction.refresh_from_db()
    assert restriction.state == Restriction.State.REFUSED
    assert restriction.approver == recv_president


def test_a_president_of_both_courts_stays_named(api_for, eworld, cworld, recv_president):
    Membership.objects.create(user=eworld.president, organisation=eworld.other_court,
                              role=Role.SUPERVISOR)  # fmt: skip
    restriction = Restriction.objects.get(listing=impose(eworld, cworld.case))
    _transfer(api_for, eworld, cworld)
    restriction.refresh_from_db()
    assert restriction.court == cworld.receiver and restriction.approver == eworld.president
    assert not _told(cworld.recv_officer, KIND_RESTRICTION_REQUESTED, restriction)
    with pytest.raises(TransitionNotAllowed):
        services.restriction_approver_name(
            restriction=restriction, approver=recv_president, actor=cworld.recv_officer
        )
    services.restriction_approve(
        restriction=restriction, actor=User.objects.get(pk=eworld.president.pk)
    )
    restriction.refresh_from_db()
    assert restriction.state == Restriction.State.IN_FORCE


def test_another_cases_pending_restriction_stays(api_for, eworld, cworld):
    other = Restriction.objects.get(listing=impose(eworld, cworld.other_case))
    _transfer(api_for, eworld, cworld)
    other.refresh_from_db()
    assert other.court == eworld.court and other.approver == eworld.president
    services.restriction_approve(restriction=other, actor=eworld.president)


# --- the one-time lifting waiting for approval ------------------------------------------------


def test_a_pending_lifting_goes_to_the_receiving_court_unnamed_audited(eworld, cworld, lifting):
    restriction, asked = lifting
    assert asked.court == cworld.receiver and asked.approver is None
    assert restriction.court == eworld.court  # the signed order keeps the court that signed
    entry = _last_audit(asked)
    assert entry.actor == eworld.higher_supervisor
    assert entry.changes["court"] == {"before": eworld.court.pk, "after": cworld.receiver.pk}
    assert entry.changes["approver"] == {"before": eworld.president.pk, "after": None}
    assert _told(cworld.recv_officer, KIND_LIFTING_REQUESTED, asked)


def test_the_original_president_may_no_longer_decide_a_lifting(
    api_for, client, eworld, cworld, lifting
):
    _restriction, asked = lifting
    with pytest.raises(PermissionDenied, match="报请"):
        services.one_time_lifting_approve(lifting=asked, actor=eworld.president)
    assert api_for(eworld.president).post(
        f"/api/credit/liftings/{asked.pk}/approve/", {}, format="json").status_code == 404  # fmt: skip
    client.force_login(eworld.president)
    assert client.post(reverse("credit:lifting_decide", args=[asked.pk, "approve"])
                       ).status_code == 404  # fmt: skip
    asked.refresh_from_db()
    assert asked.state == OneTimeLifting.State.PENDING_APPROVAL


def test_the_receiving_court_asks_its_president_for_a_lifting_by_the_api(
    api_for, eworld, cworld, lifting, recv_president
):
    restriction, asked = lifting
    url = f"/api/credit/liftings/{asked.pk}/approver/"
    assert api_for(recv_president).post(
        f"/api/credit/liftings/{asked.pk}/approve/", {}, format="json").status_code == 403  # fmt: skip
    assert api_for(cworld.third_clerk).post(
        url, {"approver": recv_president.pk}, format="json").status_code == 404  # fmt: skip
    assert api_for(eworld.officer).post(
        url, {"approver": recv_president.pk}, format="json").status_code == 404  # fmt: skip
    wrong = api_for(cworld.recv_officer).post(url, {"approver": eworld.president.pk},
                                              format="json")  # fmt: skip
    assert wrong.status_code == 400 and "approver" in wrong.json()["fields"]
    named = api_for(cworld.recv_officer).post(url, {"approver": recv_president.pk}, format="json")
    assert named.status_code == 200, named.content
    assert named.json()["approver"] == recv_president.pk
    entry = _last_audit(asked)
    assert entry.actor == cworld.recv_officer
    assert entry.changes["approver"] == {"before": None, "after": recv_president.pk}
    assert _told(recv_president, KIND_LIFTING_REQUESTED, asked)
    assert api_for(cworld.recv_officer).post(
        url, {"approver": recv_president.pk}, format="json").status_code == 409  # fmt: skip
    approved = api_for(recv_president).post(
        f"/api/credit/liftings/{asked.pk}/approve/", {"note": "同意"}, format="json")  # fmt: skip
    assert approved.status_code == 200, approved.content
    assert approved.json()["state"] == OneTimeLifting.State.APPROVED
    assert _last_audit(asked, "transition").actor == recv_president
    change = CreditChange.objects.filter(restriction=restriction).latest("version")
    assert change.action == CreditChange.Action.ONE_TIME_LIFTED


def test_the_receiving_court_asks_its_president_for_a_lifting_by_the_page(
    client, eworld, cworld, lifting, recv_president
):
    restriction, asked = lifting
    step = reverse("credit:lifting_approver", args=[asked.pk])
    client.force_login(cworld.recv_officer)
    page = client.get(restriction.get_absolute_url()).content.decode()
    assert 'data-testid="lifting-approver-form"' in page and step in page
    bad = client.post(step, {"approver": eworld.president.pk})
    assert bad.status_code == 400
    assert 'data-testid="lifting-approver-form"' in bad.content.decode()
    assert client.post(step, {"approver": recv_president.pk}).status_code == 302
    asked.refresh_from_db()
    assert asked.approver == recv_president
    client.force_login(cworld.third_clerk)
    assert client.post(step, {"approver": recv_president.pk}).status_code == 404
    client.force_login(recv_president)
    decide = reverse("credit:lifting_decide", args=[asked.pk, "refuse"])
    assert decide in client.get(restriction.get_absolute_url()).content.decode()
    assert client.post(decide, {"note": "理由不足"}).status_code == 302
    asked.refresh_from_db()
    assert asked.state == OneTimeLifting.State.REFUSED and asked.approver == recv_president


# --- no dead links on the original court's pages ----------------------------------------------


def test_the_original_courts_pages_show_the_moved_work_without_links(
    api_for, client, eworld, cworld, recv_president
):
    """The listing page (it decided the listing, it keeps reading it): the restriction order
    still to be signed, the removal still to be done and the correction still to be reviewed
    went with the case — shown, not linked, saying where; each 404s for this court."""
    listing = impose(eworld, cworld.case)
    restriction = Restriction.objects.get(listing=listing)
    (removal,) = services.removals_start(
        case=cworld.case, trigger=Trigger.RESTORATION, reason="被执行人提供担保，信用修复",
        actor=eworld.officer, sanctions=[listing],
    )  # fmt: skip
    correction = services.correction_receive(
        sanction=listing, applicant_name="孙委托", grounds="情形认定有误", actor=eworld.clerk
    )
    client.force_login(eworld.officer)
    before = client.get(listing.get_absolute_url()).content.decode()
    for record in (restriction, removal, correction):
        assert f'href="{record.get_absolute_url()}"' in before
    _transfer(api_for, eworld, cworld)
    page = client.get(listing.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    for record in (restriction, removal, correction):
        assert f'href="{record.get_absolute_url()}"' not in text
        assert client.get(record.get_absolute_url()).status_code == 404  # scope by court
    assert text.count(MOVED_NOTE) == 3
    # the receiving court holds them: linked on the same page
    client.force_login(cworld.recv_officer)
    text = client.get(listing.get_absolute_url()).content.decode()
    for record in (restriction, removal, correction):
        assert f'href="{record.get_absolute_url()}"' in text
    assert MOVED_NOTE not in text


def test_the_original_courts_restriction_page_shows_the_moved_lifting_and_removal_unlinked(
    api_for, client, eworld, cworld, lifting
):
    restriction, asked = lifting
    # asked after the move, by the receiving court: a removal of the signed order
    cworld.case.refresh_from_db()
    (removal,) = services.removals_start(
        case=cworld.case, trigger=Trigger.RESTORATION, reason="被执行人提供担保，信用修复",
        actor=cworld.recv_officer, sanctions=[restriction],
    )  # fmt: skip
    client.force_login(eworld.officer)
    page = client.get(restriction.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert f'href="{removal.get_absolute_url()}"' not in text
    assert client.get(removal.get_absolute_url()).status_code == 404
    assert reverse("credit:lifting_approver", args=[asked.pk]) not in text
    assert text.count(MOVED_NOTE) == 2  # the lifting and the removal


def test_the_receiving_courts_case_panel_shows_the_original_courts_records_unlinked(
    api_for, client, eworld, cworld
):
    """The other way round: a restoration the original court decided (its decision stays
    its record) shows on the receiving court's case page without a link, saying whose it
    is."""
    listing = impose(eworld, cworld.case)
    restoration = services.restoration_apply(
        case_party=listing.case_party, basis=Restoration.Basis.PERFORMED,
        evidence="银行转账凭证", actor=eworld.officer,
    )  # fmt: skip
    services.restoration_decide(restoration=restoration, grant=False, reasons="尚未全部履行",
                                actor=eworld.officer)  # fmt: skip
    _transfer(api_for, eworld, cworld)
    client.force_login(cworld.recv_officer)
    page = client.get(cworld.case.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="credit-panel"' in text
    assert f'href="{listing.get_absolute_url()}"' in text  # the case's entry: its to act on
    assert f'href="{restoration.get_absolute_url()}"' not in text
    assert "由海勃湾区人民法院办理" in text
    assert client.get(restoration.get_absolute_url()).status_code == 404


def test_a_pending_restoration_goes_to_the_receiving_court_which_decides_it(
    api_for, eworld, cworld
):
    """An application for restoration not yet decided when the case moves is decided by
    the enforcing court, now the receiving one: it moves, audited, its officer told; the
    original court's staff may no longer decide it."""
    listing = impose(eworld, cworld.case)
    restoration = services.restoration_apply(
        case_party=listing.case_party, basis=Restoration.Basis.PERFORMED,
        evidence="银行转账凭证", actor=eworld.officer,
    )  # fmt: skip
    _transfer(api_for, eworld, cworld)
    restoration.refresh_from_db()
    assert restoration.court == cworld.receiver
    entry = _last_audit(restoration)
    assert entry.changes["court"] == {"before": eworld.court.pk, "after": cworld.receiver.pk}
    assert _told(cworld.recv_officer, KIND_RESTORATION_MOVED, restoration)
    with pytest.raises(PermissionDenied):
        services.restoration_decide(restoration=restoration, grant=False, reasons="不予修复",
                                    actor=eworld.officer)  # fmt: skip
    services.restoration_decide(restoration=restoration, grant=True, reasons="已全部履行",
                                actor=cworld.recv_officer)  # fmt: skip
    restoration.refresh_from_db()
    assert restoration.state == Restoration.State.GRANTED
