"""Cross-enforcement scoping (交叉执行 / 指定执行, enf-commission part 2), from the outside:
when a higher court's supervisor moves a case, its open clocks — the case's own and its
records' (a clue's check) — go to the receiving court and officer, so the receiving court's
deadline lists and overdue counts show them and the original court's no longer do; the
original court's list and workbench (pages and API) no longer show the case, though its
staff still read the case page (read access kept) and no longer act on it; a court that
had nothing to do with it gets 404."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from deadlines.models import Deadline
from enforcement.models import AssetKind
from enforcement.selectors_filing import TIME_LIMIT
from enforcement.services import commission as service
from enforcement.services.clues import clue_record
from enforcement.services.filing import case_clock_start

from . import commission_fixtures

cworld = commission_fixtures.cworld


@pytest.fixture
def moved(eworld, cworld):
    case = cworld.case
    # the 6-month limit started long ago: overdue; a clue waiting to be checked
    case_clock_start(case, TIME_LIMIT, actor=eworld.clerk,
                     start=timezone.now() - datetime.timedelta(days=200))  # fmt: skip
    clue_record(case=case, actor=eworld.clerk, kind=AssetKind.VEHICLE,
                description="被执行人在海南区有一辆轿车", identifier="蒙C66666")  # fmt: skip
    before = [d.pk for d in service.clocks_of_case(case)]
    assert len(before) == 2
    service.case_transfer(case=case, actor=eworld.higher_supervisor, to_court=cworld.receiver,
                          officer=cworld.recv_officer, kind="cross", reason="交叉执行专项")  # fmt: skip
    case.refresh_from_db()
    return case, before


def test_the_open_clocks_go_to_the_receiving_court_and_officer_audited(eworld, cworld, moved):
    case, clocks = moved
    for clock in Deadline.objects.filter(pk__in=clocks):
        assert clock.organisation_id == cworld.receiver.pk
        assert clock.owner_id == cworld.recv_officer.pk
        entry = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(clock),
                                          object_id=str(clock.pk), action="change").latest("pk")  # fmt: skip
        assert "交叉执行" in entry.note and "海南区人民法院" in entry.note
    # closed clocks stay where they were (nothing of the original court's record is rewritten)
    assert not Deadline.objects.filter(pk__in=clocks, organisation=eworld.court).exists()


def test_deadline_lists_follow_the_clocks(api_for, client, eworld, cworld, moved):
    case, clocks = moved
    receiving = {row["id"] for row in api_for(cworld.recv_officer).get(
        "/api/deadlines/", {"state": "pending"}).json()["results"]}  # fmt: skip
    assert set(clocks) <= receiving
    original = {row["id"] for row in api_for(eworld.officer).get(
        "/api/deadlines/", {"state": "pending"}).json()["results"]}  # fmt: skip
    assert not set(clocks) & original
    for clock in clocks:
        client.force_login(eworld.officer)
        assert client.get(reverse("deadlines:detail", args=[clock])).status_code == 404
        client.force_login(cworld.recv_officer)
        assert client.get(reverse("deadlines:detail", args=[clock])).status_code == 200


def test_overdue_counts_are_the_receiving_courts(client, eworld, cworld, moved):
    case, _clocks = moved
    client.force_login(cworld.recv_clerk)
    overdue = client.get(reverse("enforcement:list"), {"overdue": "on"}).content.decode()
    assert case.case_number in overdue
    client.force_login(eworld.clerk)
    overdue = client.get(reverse("enforcement:list"), {"overdue": "on"}).content.decode()
    assert case.case_number not in overdue
    client.force_login(cworld.recv_officer)
    bench = client.get(reverse("enforcement:workbench")).content.decode()
    assert case.case_number in bench
    assert 'data-testid="figure-overdue"' in bench


def test_the_original_court_no_longer_lists_it_but_still_reads_it(client, api_for, eworld,
                                                                    cworld, moved):  # fmt: skip
    case, _clocks = moved
    other = cworld.other_case.case_number
    client.force_login(eworld.officer)
    listed = client.get(reverse("enforcement:list")).content.decode()
    assert case.case_number not in listed and other in listed
    assert case.case_number not in client.get(reverse("enforcement:workbench")).content.decode()
    assert client.get(reverse("enforcement:detail", args=[case.pk])).status_code == 200
    api = api_for(eworld.officer)
    numbers = {row["case_number"] for row in api.get("/api/enforcement/cases/").json()["results"]}
    assert case.case_number not in numbers and other in numbers
    bench = {row["case_number"] for row in api.get("/api/enforcement/workbench/").json()["results"]}
    assert case.case_number not in bench
    assert api.get(f"/api/enforcement/cases/{case.pk}/").status_code == 200
    # reads, does not act: the endings are the receiving court's now
    refused = api.post(f"/api/enforcement/endings/{case.pk}/terminate/",
                       {"ground": "withdrawn", "reason": "申请人撤回"}, format="json")  # fmt: skip
    assert refused.status_code in (403, 404)
    # the receiving court lists it (page and API)
    client.force_login(cworld.recv_clerk)
    assert case.case_number in client.get(reverse("enforcement:list")).content.decode()
    receiving = api_for(cworld.recv_officer)
    numbers = {
        row["case_number"] for row in receiving.get("/api/enforcement/workbench/").json()["results"]
    }
    assert case.case_number in numbers


def test_a_court_with_nothing_to_do_with_it_gets_404(client, api_for, cworld, moved):
    case, clocks = moved
    client.force_login(cworld.third_clerk)
    assert client.get(reverse("enforcement:detail", args=[case.pk])).status_code == 404
    assert case.case_number not in client.get(reverse("enforcement:list")).content.decode()
    api = api_for(cworld.third_clerk)
    assert api.get(f"/api/enforcement/cases/{case.pk}/").status_code == 404
    assert api.get(f"/api/deadlines/{clocks[0]}/").status_code == 404


def test_the_receiving_court_ends_it_and_its_ruling_goes_on_from_the_letter(api_for, eworld,
                                                                             cworld):  # fmt: skip
    case = cworld.case
    commission = service.commission_request(case=case, actor=eworld.officer,
                                            receiving_court=cworld.third, matters="查询存款")  # fmt: skip
    assert commission.letter.number == case.case_number
    service.commission_withdraw(commission=commission, actor=eworld.officer, reason="改为交叉执行")
    service.case_transfer(case=case, actor=eworld.higher_supervisor, to_court=cworld.receiver,
                          officer=cworld.recv_officer, kind="cross", reason="交叉执行专项")  # fmt: skip
    api = api_for(cworld.recv_officer)
    done = api.post(f"/api/enforcement/endings/{case.pk}/terminate/",
                    {"ground": "withdrawn", "reason": "申请执行人撤回申请"}, format="json")  # fmt: skip
    assert done.status_code == 200, done.content
    ruling = case.endings.get().document
    assert ruling.organisation == cworld.receiver
    assert ruling.number == f"{case.case_number}之一"  # the same case, numbered on
    overview = api.get(f"/api/enforcement/endings/{case.pk}/").json()
    assert overview["endings"][0]["document_number"] == ruling.number
