"""Complaint meetings (吐槽大会): issues recorded, each turned into a dispute in one click,
and the meeting page showing how each ended — the sandpit story end to end."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEntry
from cases.models import Difficulty, Dispute, DisputeStatus, SourceChannel
from cases.services import (
    dispatch_accept,
    dispatch_answer,
    dispute_dispatch,
    dispute_review_close,
    dispute_triage,
    rating_submit,
)
from mediation.models import ComplaintMeeting, MeetingIssue
from mediation.services import complaint_meeting_create, meeting_issue_to_dispute
from organisations.models import Organisation, User
from organisations.roles import Role
from tests.cases.conftest import loop  # noqa: F401 (the cases loop's world, as a fixture)
from tests.factories import OrganisationFactory, member

TODAY = timezone.localdate


@pytest.fixture
def town(loop):  # noqa: F811
    """The cases loop's world with the estate's property company as a responder; everything
    read back afterwards (sorted inserts move organisation paths)."""
    loop.property_company = OrganisationFactory(
        name="团结小区物业公司", kind=Organisation.Kind.DEPARTMENT, region=loop.street
    )
    loop.manager = member(loop.property_company, Role.RESPONDER, username="property")
    for name in ("centre", "community", "outsider_org", "police", "property_company"):
        getattr(loop, name).refresh_from_db()
    for name in ("clerk", "grid", "responder", "outsider", "manager"):
        setattr(loop, name, User.objects.get(pk=getattr(loop, name).pk))
    return loop


def _meeting(town, *issues, actor=None):
    return complaint_meeting_create(
        organisation=town.community,
        actor=actor or town.grid,
        held_on=TODAY(),
        place="团结社区红色驿站",
        attendees="居民代表、物业公司、业委会、社区工作人员、首席法律咨询专家",
        issues=[{"summary": s, "raised_by": "王大妈"} for s in issues],
    )


def test_the_sandpit_story(town, client_for):
    """A meeting logs 小区沙坑 → one click → a dispute in the town → triaged, dispatched to
    the property company, answered, closed after the resident's rating → the meeting page
    shows it resolved."""
    property_company, manager = town.property_company, town.manager
    meeting = _meeting(town, "小区沙坑变成了垃圾坑，孩子没法玩")
    (issue,) = meeting.issues.all()
    grid = client_for(town.grid)
    page = grid.get(f"/mediation/meetings/{meeting.pk}/").content.decode()
    assert "小区沙坑" in page and f'data-testid="to-dispute-{issue.pk}"' in page

    clicked = grid.post(f"/mediation/meeting-issues/{issue.pk}/dispute/")
    assert clicked.status_code == 302
    issue.refresh_from_db()
    dispute = issue.dispute
    assert dispute is not None and dispute.status == DisputeStatus.REGISTERED
    assert dispute.source_channel == SourceChannel.COMPLAINT_MEETING
    assert dispute.organisation == town.community and "小区沙坑" in dispute.facts
    assert dispute.dispute_parties.filter(party__name="王大妈").exists()

    dispute_triage(dispute=dispute, actor=town.clerk, difficulty=Difficulty.COMPLEX,
                   lead_organisation=property_company)  # fmt: skip
    (dispatch,) = dispute_dispatch(
        dispute=dispute, actor=town.clerk, targets=[{"responder": property_company}]
    )
    page = grid.get(f"/mediation/meetings/{meeting.pk}/").content.decode()
    assert "已吹哨" in page
    dispatch_accept(dispatch=dispatch, actor=manager)
    dispatch_answer(dispatch=dispatch, actor=manager, answer="沙坑清理翻新，两天完工。")
    dispute.refresh_from_db()
    dispute, token = dispute_review_close(dispute=dispute, actor=town.clerk)
    rating_submit(token=token, score=5, comment="孩子们又能玩沙了，点赞！")
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.CLOSED

    page = grid.get(f"/mediation/meetings/{meeting.pk}/").content.decode()
    assert dispute.reference in page and "已销号" in page and "化解" in page
    assert f'data-testid="to-dispute-{issue.pk}"' not in page  # once only
    api = grid.get(f"/api/mediation/meetings/{meeting.pk}/").json()
    assert api["issues"][0]["dispute_status"] == "closed"


def test_one_click_is_once_only(town):
    meeting = _meeting(town, "楼道堆物")
    (issue,) = meeting.issues.all()
    meeting_issue_to_dispute(issue=issue, actor=town.grid)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        meeting_issue_to_dispute(issue=issue, actor=town.grid)
    assert Dispute.objects.count() == 1
    assert AuditEntry.objects.filter(content_type__model="meetingissue", action="change").exists()


def test_an_issue_already_registered_points_to_its_dispute(town, client_for):
    """The centre registered the sandpit at the meeting itself: the issue is linked to that
    dispute rather than registered twice; once per issue and per dispute, and only by
    someone who sees both."""
    from django.core.exceptions import ValidationError

    from cases.services import dispute_register
    from mediation.services import meeting_issue_link_dispute

    meeting = _meeting(town, "小区沙坑变成了垃圾坑", "楼道堆物")
    sandpit, clutter = meeting.issues.order_by("pk")
    dispute = dispute_register(
        organisation=town.centre, actor=town.clerk, source_channel=SourceChannel.COMPLAINT_MEETING,
        category="property_management", facts="吐槽大会上居民反映：小区沙坑变成了垃圾坑。",
        parties=[{"role": "applicant", "name": "王大妈"}], region=town.community.region,
    )  # fmt: skip
    with pytest.raises(ValidationError) as unseen:  # the grid worker does not see the centre's
        meeting_issue_link_dispute(issue=sandpit, actor=town.grid, dispute=dispute)
    assert "dispute" in unseen.value.message_dict
    linked = meeting_issue_link_dispute(issue=sandpit, actor=town.clerk, dispute=dispute)
    assert linked.dispute == dispute and linked.category == "property_management"
    with pytest.raises(ValidationError):  # once per issue
        meeting_issue_link_dispute(issue=sandpit, actor=town.clerk, dispute=dispute)
    with pytest.raises(ValidationError):  # and per dispute
        meeting_issue_link_dispute(issue=clutter, actor=town.clerk, dispute=dispute)
    assert Dispute.objects.count() == 1
    entry = AuditEntry.objects.get(content_type__model="meetingissue", action="change")
    assert dispute.reference in entry.note and entry.actor == town.clerk
    page = client_for(town.grid).get(f"/mediation/meetings/{meeting.pk}/").content.decode()
    assert dispute.reference in page and f'data-testid="to-dispute-{sandpit.pk}"' not in page


def test_outsiders_get_404_and_no_dispute(town, client_for, api_for):
    meeting = _meeting(town, "路灯不亮")
    (issue,) = meeting.issues.all()
    outsider = client_for(town.outsider)
    assert outsider.get(f"/mediation/meetings/{meeting.pk}/").status_code == 404
    assert outsider.post(f"/mediation/meeting-issues/{issue.pk}/dispute/").status_code == 404
    api = api_for(town.outsider)
    assert api.get(f"/api/mediation/meetings/{meeting.pk}/").status_code == 404
    assert (
        api.post(
            f"/api/mediation/meeting-issues/{issue.pk}/register-dispute/", {}, format="json"
        ).status_code
        == 404
    )
    assert not Dispute.objects.exists()
    # a responder department sees nothing and may not record a meeting
    assert not ComplaintMeeting.objects.filter(organisation=town.police).exists()


def test_meeting_page_queries_do_not_grow_with_issues(town, client_for):
    few = _meeting(town, "一")
    many = _meeting(town, "一", "二", "三", "四", "五")
    for issue in MeetingIssue.objects.all():
        meeting_issue_to_dispute(issue=issue, actor=town.grid)
    grid = client_for(town.grid)
    grid.get(f"/mediation/meetings/{few.pk}/")  # warm caches
    with CaptureQueriesContext(connection) as one:
        grid.get(f"/mediation/meetings/{few.pk}/")
    with CaptureQueriesContext(connection) as five:
        grid.get(f"/mediation/meetings/{many.pk}/")
    assert len(five) == len(one)


def test_meeting_form_and_errors_beside_fields(town, client_for):
    grid = client_for(town.grid)
    assert grid.get("/mediation/meetings/new/").status_code == 200
    bad = grid.post("/mediation/meetings/new/", {"organisation": town.community.pk,
                                                 "held_on": TODAY().isoformat(), "place": "",
                                                 "attendees": ""})  # fmt: skip
    assert bad.status_code == 400 and 'data-testid="error-place"' in bad.content.decode()
    good = grid.post("/mediation/meetings/new/", {
        "organisation": town.community.pk, "held_on": TODAY().isoformat(), "place": "社区广场",
        "attendees": "居民代表", "issues": "小区沙坑 / 王大妈\n停车难 / 李大爷\n",
    })  # fmt: skip
    assert good.status_code == 302
    meeting = ComplaintMeeting.objects.get()
    assert list(meeting.issues.values_list("summary", "raised_by")) == [
        ("小区沙坑", "王大妈"), ("停车难", "李大爷"),
    ]  # fmt: skip
    assert client_for(town.responder).get("/mediation/meetings/new/").status_code == 403


def test_meeting_api(town, api_for):
    api = api_for(town.grid)
    made = api.post("/api/mediation/meetings/", {
        "organisation": town.community.pk, "held_on": TODAY().isoformat(), "place": "红色驿站",
        "attendees": "居民代表", "issues": [{"summary": "小区沙坑", "raised_by": "王大妈"}],
    }, format="json")  # fmt: skip
    assert made.status_code == 201, made.json()
    issue_id = made.json()["issues"][0]["id"]
    registered = api.post(
        f"/api/mediation/meeting-issues/{issue_id}/register-dispute/",
        {"category": "property_management"}, format="json",
    )  # fmt: skip
    assert registered.status_code == 201
    assert registered.json()["dispute_status"] == "registered"
    again = api.post(
        f"/api/mediation/meeting-issues/{issue_id}/register-dispute/", {}, format="json"
    )
    assert again.status_code == 400
    foreign = api.post("/api/mediation/meetings/", {
        "organisation": town.outsider_org.pk, "held_on": TODAY().isoformat(), "place": "x",
        "attendees": "y"}, format="json")  # fmt: skip
    assert foreign.status_code == 400 and "organisation" in foreign.json()["fields"]
    blank = api.post(f"/api/mediation/meetings/{made.json()['id']}/issues/", {"summary": ""},
                     format="json")  # fmt: skip
    assert blank.status_code == 400


def test_navigation_offers_meetings_and_consultations_to_the_right_roles(town, client_for):
    grid_home = client_for(town.grid).get("/mediation/meetings/").content.decode()
    assert 'href="/mediation/meetings/"' in grid_home
    responder_home = client_for(town.responder).get("/").content.decode()
    assert 'href="/mediation/meetings/"' not in responder_home
    assert 'href="/mediation/consultations/"' not in responder_home
    clerk_home = client_for(town.clerk).get("/").content.decode()
    assert 'href="/mediation/consultations/"' in clerk_home
