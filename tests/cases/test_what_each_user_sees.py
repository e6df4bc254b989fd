"""What each user sees (issue 8): the home page's counts match the lists they link to, the
menu reaches every role's work, lists say when their filters cannot match, 督办 催办, the
forms' missing-field messages, and no internal codes or untranslated words on screen."""

import datetime
import re
from html import unescape

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from cases.models import Difficulty, Dispatch, Dispute, DisputeEvent
from cases.selectors import bounded_count
from cases.services import (
    dispatch_accept,
    dispatch_answer,
    dispute_dispatch,
    dispute_review_close,
    dispute_triage,
)
from common.context_processors import active_item
from deadlines.models import Deadline, period_text
from deadlines.services import deadline_meet, deadline_start
from notifications.models import Notification
from organisations.roles import Role
from tests.factories import member

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
TILE = re.compile(
    r'<a class="fq-tile[^"]*" href="([^"]+)" data-testid="([^"]+)">\s*'
    r'<span class="fq-tile-count" data-count="(\d+)">'
)
ROW_MARKERS = (
    'data-testid="dispute-row"',
    'data-testid="inbox-item"',
    'data-testid="deadline-row"',
)


def tiles(html: str) -> dict[str, tuple[str, int]]:
    return {testid: (unescape(url), int(n)) for url, testid, n in TILE.findall(html)}


def rows_on(client, url: str) -> int:
    html = client.get(url).content.decode()
    return sum(html.count(marker) for marker in ROW_MARKERS)


def assert_tiles_match_lists(client, *, expect: dict[str, int]):
    """Every tile on the home page counts exactly the rows of the list it links to."""
    home = client.get(reverse("home")).content.decode()
    found = tiles(home)
    assert found, "no count tiles on the home page"
    for testid, (url, count) in found.items():
        assert rows_on(client, url) == count, f"{testid}: {count} on home, list differs ({url})"
    for testid, count in expect.items():
        assert found[testid][1] == count, f"{testid}: {found[testid][1]} != {count}"
    return found


def _overdue(dispute, *, days=2):
    Dispute.objects.filter(pk=dispute.pk).update(
        due_at=timezone.now() - datetime.timedelta(days=days)
    )


@pytest.fixture
def work(loop, register):
    """A centre with one of each: new, overdue (triaged), due today, answered, closed."""
    new = register()
    Dispute.objects.filter(pk=new.pk).update(
        triage_due_at=timezone.now() + datetime.timedelta(days=3)
    )
    overdue = register(facts="小区路灯损坏多日无人修理，夜间出行不便。")
    dispute_triage(dispute=overdue, actor=loop.clerk, difficulty=Difficulty.SIMPLE)
    _overdue(overdue)
    due_today = register(facts="楼道堆放杂物堵塞消防通道，物业劝说无果。")
    dispute_triage(dispute=due_today, actor=loop.clerk, difficulty=Difficulty.SIMPLE)
    end_of_day = timezone.localtime().replace(hour=23, minute=59, second=0, microsecond=0)
    Dispute.objects.filter(pk=due_today.pk).update(due_at=end_of_day)
    answered = register(facts="邻居饲养犬只夜间吠叫扰民，协商未果。")
    dispute_triage(dispute=answered, actor=loop.clerk, difficulty=Difficulty.SIMPLE)
    (dispatch,) = dispute_dispatch(
        dispute=answered, actor=loop.clerk, targets=[{"responder": loop.police}]
    )
    dispatch_accept(dispatch=dispatch, actor=loop.responder)
    dispatch_answer(dispatch=dispatch, actor=loop.responder, answer="已上门调解，双方达成一致。")
    pending = register(facts="供暖不热，室温不足十五度。", category="property_management")
    dispute_triage(dispute=pending, actor=loop.clerk, difficulty=Difficulty.SIMPLE)
    (to_accept,) = dispute_dispatch(
        dispute=pending, actor=loop.clerk, targets=[{"responder": loop.police}]
    )
    return {"new": new, "overdue": overdue, "due_today": due_today, "answered": answered,
            "to_accept": to_accept}  # fmt: skip


# --- home: counts that match their lists ---------------------------------------------------


def test_clerk_home_counts_match_the_linked_lists(loop, work, client_for):
    found = assert_tiles_match_lists(
        client_for(loop.clerk),
        expect={"tile-overdue": 1, "tile-due-today": 1, "tile-new": 1, "tile-answered": 1},
    )
    assert "status=registered" in found["tile-new"][0]


def test_supervisor_home_counts_and_overdue_by_unit(loop, work, register, client_for):
    community_case = register(organisation=loop.community, actor=member(loop.community))
    dispute_triage(dispute=community_case, actor=loop.clerk, difficulty=Difficulty.SIMPLE)
    _overdue(community_case)
    client = client_for(loop.supervisor)
    assert_tiles_match_lists(client, expect={"tile-overdue": 2})
    home = client.get(reverse("home")).content.decode()
    units = re.findall(
        r'<a href="([^"]+)">([^<]+)</a><span class="ms-auto badge text-bg-danger" '
        r'data-count="(\d+)">',
        home,
    )
    assert {name: int(n) for _url, name, n in units} == {"新华街道综治中心": 1, "团结社区居委会": 1}
    for url, _name, n in units:
        # the unit's own disputes, not its subtree: the street's 1 excludes the community's
        assert rows_on(client, unescape(url)) == int(n)
    # the list says which unit it is limited to (the filter is not in the visible form)
    assert 'data-testid="unit-filter"' in client.get(unescape(units[0][0])).content.decode()


def test_responder_home_counts_match_the_inbox(loop, work, client_for):
    Dispatch.objects.filter(pk=work["to_accept"].pk).update(
        accept_due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert_tiles_match_lists(
        client_for(loop.responder),
        expect={"tile-to-accept": 1, "tile-inbox-overdue": 1, "tile-to-answer": 0},
    )


def test_grid_worker_home_shows_own_reports_and_outcomes(loop, register, client_for):
    mine = register(organisation=loop.community, actor=loop.grid)
    register()  # the centre's, not the grid worker's
    client = client_for(loop.grid)
    found = assert_tiles_match_lists(client, expect={"tile-mine-open": 1, "tile-mine-closed": 0})
    assert "mine=1" in found["tile-mine-open"][0]
    home = client.get(reverse("home")).content.decode()
    assert mine.reference in home and 'data-testid="dispute-card"' in home


def test_mediator_reaches_their_matters_from_the_menu(loop, register, client_for):
    committee = loop.community  # any organisation that receives 交办
    mediator = member(committee, Role.MEDIATOR, username="mediator")
    dispute = register()
    dispute_triage(dispute=dispute, actor=loop.clerk, difficulty=Difficulty.SIMPLE)
    dispute_dispatch(dispute=dispute, actor=loop.clerk, targets=[{"responder": committee}])
    client = client_for(mediator)
    home = client.get(reverse("home")).content.decode()
    menu = home.split('data-testid="main-nav"')[1].split("</ul>")[0]
    assert reverse("cases:inbox") in menu
    assert_tiles_match_lists(client, expect={"tile-to-accept": 1})


def test_deadline_tiles_match_the_deadline_list(world, client_for):
    now = timezone.now()
    court = world.court
    for due_in in (3, -37):  # one running, due in three days; one long past
        deadline_start(subject=court, kind="enforcement.time_limit", organisation=court,
                       owner=world.owner, actor=None, start=now - datetime.timedelta(days=40),
                       due_at=now + datetime.timedelta(days=due_in))  # fmt: skip
    deadline_meet(Deadline.objects.order_by("due_at").first(), actor=world.owner)
    assert_tiles_match_lists(
        client_for(world.owner), expect={"tile-deadlines-week": 1, "tile-deadlines-overdue": 0}
    )


def test_court_clerk_home_leads_to_their_deadlines(world, client_for):
    court = world.court
    deadline_start(subject=court, kind="enforcement.time_limit", organisation=court,
                   owner=world.owner, actor=None,
                   due_at=timezone.now() + datetime.timedelta(days=2))  # fmt: skip
    found = assert_tiles_match_lists(client_for(world.owner), expect={"tile-deadlines-week": 1})
    assert found["tile-deadlines-week"][0].startswith(reverse("deadlines:list"))


def test_counts_are_bounded(loop, register):
    for _ in range(3):
        register()
    assert bounded_count(Dispute.objects.all(), limit=2) == 3  # i.e. "2+": it stopped at 3


# --- the menu ------------------------------------------------------------------------------


def test_one_menu_item_is_highlighted(loop, client_for):
    html = client_for(loop.responder).get(reverse("cases:inbox")).content.decode()
    menu = html.split('data-testid="main-nav"')[1].split("</ul>")[0]
    assert menu.count("nav-link active") == 1
    assert 'active" href="/cases/inbox/"' in menu
    items = [{"url": "/"}, {"url": "/cases/"}, {"url": "/cases/inbox/"}]
    assert active_item(items, "/cases/inbox/3/")["url"] == "/cases/inbox/"
    assert active_item(items, "/")["url"] == "/"


def test_a_records_history_keeps_its_section_highlighted(loop, register, client_for):
    """/audit/cases/dispute/1/ is the dispute's history: 矛盾纠纷 stays lit, as on the
    dispute's own page (no item was)."""
    dispute = register()
    html = client_for(loop.clerk).get(f"/audit/cases/dispute/{dispute.pk}/").content.decode()
    menu = html.split('data-testid="main-nav"')[1].split("</ul>")[0]
    assert menu.count("nav-link active") == 1 and 'active" href="/cases/"' in menu
    items = [{"url": "/"}, {"url": "/cases/"}, {"url": "/deadlines/"}]
    assert active_item(items, "/audit/deadlines/deadline/4/")["url"] == "/deadlines/"


# --- lists ---------------------------------------------------------------------------------


def test_dispute_list_shows_applicant_and_cards(loop, work, client_for):
    html = client_for(loop.clerk).get(reverse("cases:list")).content.decode()
    assert html.count('data-testid="dispute-card"') == 5
    assert "张三" in html  # the applicant's name, in both the table and the cards
    assert 'class="fq-row-overdue"' in html and 'data-testid="overdue-badge"' in html
    # five rows fit one page: the exact number, not an estimate
    assert 'data-testid="total"' in html and "共 5 条" in html


def test_impossible_date_range_is_an_error_beside_the_field(loop, work, client_for):
    response = client_for(loop.clerk).get(
        reverse("cases:list"), {"date_from": "2026-11-20", "date_to": "2026-11-01"}
    )
    html = response.content.decode()
    assert 'data-testid="error-date_to"' in html and "早于" in html
    assert 'data-testid="dispute-row"' not in html  # nothing listed, not everything


def test_deadline_list_opens_on_open_deadlines_soonest_first(world, client_for):
    now = timezone.now()
    court = world.court
    old = deadline_start(subject=court, kind="enforcement.time_limit", organisation=court,
                         actor=None, due_at=now - datetime.timedelta(days=300))  # fmt: skip
    deadline_meet(old, actor=world.owner)
    later = deadline_start(subject=court, kind="credit.correction_fix", organisation=court, actor=None,
                           due_at=now + datetime.timedelta(days=9))  # fmt: skip
    sooner = deadline_start(subject=court, kind="enforcement.time_limit", organisation=court,
                            actor=None, due_at=now + datetime.timedelta(days=2))  # fmt: skip
    html = client_for(world.owner).get(reverse("deadlines:list")).content.decode()
    rows = html.split('data-testid="deadline-row"')[1:]
    assert len(rows) == 2  # the completed one is not on the first screen
    assert reverse("deadlines:detail", args=[sooner.pk]) in rows[0]
    assert reverse("deadlines:detail", args=[later.pk]) in rows[1]
    # the subject is a link to its record; the kind is its label, never the code
    assert f'href="{reverse("organisations:detail", args=[court.pk])}"' in rows[0]
    assert "enforcement.time_limit" not in html and "执行期限" in html


def test_deadline_detail_shows_no_kind_code(world, client_for):
    court = world.court
    deadline = deadline_start(subject=court, kind="enforcement.time_limit", organisation=court,
                              actor=None)  # fmt: skip
    html = client_for(world.owner).get(reverse("deadlines:detail", args=[deadline.pk]))
    assert "enforcement.time_limit" not in html.content.decode()


# --- 督办 催办 -------------------------------------------------------------------------------


def test_supervision_lists_overdue_with_days_and_holder(loop, work, client_for):
    html = client_for(loop.supervisor).get(reverse("cases:supervision")).content.decode()
    row = next(
        r for r in html.split('data-testid="overdue-row"')[1:] if work["overdue"].reference in r
    )
    assert "新华街道综治中心" in row  # unit and holder (no assignee: the centre's clerks)
    assert re.search(r'data-testid="days-overdue">2 天<', row)
    assert 'name="csrfmiddlewaretoken"' in row and "onclick" not in html


def test_urge_notifies_the_holder_and_is_logged(
    loop, work, client_for, django_capture_on_commit_callbacks
):
    dispute = work["overdue"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(loop.supervisor).post(
            reverse("cases:supervision_urge"), {"record": "dispute", "pk": dispute.pk}
        )
    assert response.status_code == 302
    note = Notification.objects.get(kind="cases.urged")
    assert note.recipient == loop.clerk and dispute.reference in note.title
    event = DisputeEvent.objects.get(dispute=dispute, kind=DisputeEvent.Kind.URGED)
    assert event.actor == loop.supervisor
    assert AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Dispute),
        object_id=str(dispute.pk),
        transition="urge",
        actor=loop.supervisor,
    ).exists()


def test_urge_a_dispatch_notifies_the_responders(
    loop, work, client_for, django_capture_on_commit_callbacks
):
    dispatch = work["to_accept"]
    Dispatch.objects.filter(pk=dispatch.pk).update(
        accept_due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        client_for(loop.supervisor).post(
            reverse("cases:supervision_urge"), {"record": "dispatch", "pk": dispatch.pk}
        )
    assert list(Notification.objects.filter(kind="cases.urged").values_list("recipient", flat=True)) == [loop.responder.pk]  # fmt: skip


def test_only_supervisors_urge_and_only_by_post(
    loop, work, client_for, django_capture_on_commit_callbacks
):
    url = reverse("cases:supervision_urge")
    data = {"record": "dispute", "pk": work["overdue"].pk}
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(loop.supervisor).get(url, data).status_code == 405
        refused = client_for(loop.clerk).post(url, data, follow=True)
        assert "只有监督领导可以催办" in refused.content.decode()
        assert client_for(loop.outsider).post(url, data).status_code == 404
    assert not Notification.objects.filter(kind="cases.urged").exists()
    assert not DisputeEvent.objects.filter(kind=DisputeEvent.Kind.URGED).exists()


# --- forms ---------------------------------------------------------------------------------


def test_login_with_empty_fields_says_what_is_missing(db, client):
    html = client.post(reverse("login"), {"username": "", "password": ""}).content.decode()
    assert re.search(r'data-testid="error-username">请填写用户名。<', html)
    assert re.search(r'data-testid="error-password">请填写密码。<', html)
    html = client.post(reverse("login"), {"username": "someone", "password": ""}).content.decode()
    assert 'data-testid="error-username"' not in html and "请填写密码。" in html


def test_added_untouched_party_row_is_ignored(loop, client_for):
    data = {
        "source_channel": "visit", "category": "neighbour", "risk_level": "ordinary",
        "region": loop.street.pk, "facts": "楼上漏水，协商未果。", "confirm_new": "1",
        "parties-TOTAL_FORMS": "2", "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "1", "parties-MAX_NUM_FORMS": "1000",
        "parties-0-role": "applicant", "parties-0-kind": "person", "parties-0-name": "王五",
        # the row the clerk added and left: only its selects carry values
        "parties-1-role": "applicant", "parties-1-kind": "person",
    }  # fmt: skip
    response = client_for(loop.clerk).post(reverse("cases:create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    dispute = Dispute.objects.get()
    assert list(dispute.dispute_parties.values_list("party__name", flat=True)) == ["王五"]


def test_grid_report_asks_to_reselect_the_photo_after_a_field_error(loop, client_for):
    photo = SimpleUploadedFile("scene.png", PNG, content_type="image/png")
    response = client_for(loop.grid).post(
        reverse("cases:report"),
        {"category": "neighbour", "facts": "", "name": "赵六", "photos": photo},
    )
    html = response.content.decode()
    assert 'data-testid="error-facts"' in html
    assert re.search(r'data-testid="error-photos">[^<]*重新选择', html)


# --- the resident's rating page ------------------------------------------------------------


def test_rating_page_shows_what_was_done(loop, work, client):
    dispute = work["answered"]
    dispute.refresh_from_db()
    dispute, token = dispute_review_close(dispute=dispute, actor=loop.clerk, note="已回访")
    html = client.get(reverse("rate", args=[token])).content.decode()
    section = html.split('data-testid="what-was-done"')[1]
    assert (
        "新华派出所" in section and "已上门调解，双方达成一致。" in section and "已回访" in section
    )


# --- words and numbers ----------------------------------------------------------------------


def test_periods_are_pluralised_in_english(settings):
    from django.utils import translation

    with translation.override("en"):
        one, three = period_text(1, "calendar_days"), period_text(3, "working_days")
    assert "1 day" in one and "days" not in one
    assert "3 working days" in three
    assert period_text(3, "calendar_days") == "3日"


def test_english_pages_have_labels_not_codes(loop, work, client_for, settings):
    client = client_for(loop.supervisor)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(reverse("cases:supervision")).content.decode()
    assert re.search(r'data-testid="days-overdue">2 days<', html)
    assert "Urge" in html and "催办" not in html
    weekly = client.get(
        reverse("case_reports:weekly"), {"organisation": loop.centre.pk}
    ).content.decode()
    title = re.search(r'data-testid="weekly-title">([^<]+)<', weekly)[1]
    assert "Weekly" in title and "周报表" not in title
    # the Excel handed upward keeps its Chinese title, and the page says so
    assert 'data-testid="weekly-xlsx-note"' in weekly
    assert "Prepared by:" in weekly and "年" not in weekly.split("Prepared by:")[1][:80]
    ledger = client.get(
        reverse("case_reports:ledger"), {"organisation": loop.centre.pk}
    ).content.decode()
    period = re.search(r"and its subordinate organisations; period ([^<]+)<", ledger)[1]
    assert "年" not in period


def test_panels_with_work_come_first(world, client_for):
    """A court clerk has no disputes but has deadlines: the deadlines open the page."""
    court = world.court
    deadline_start(subject=court, kind="enforcement.time_limit", organisation=court,
                   owner=world.owner, actor=None,
                   due_at=timezone.now() + datetime.timedelta(days=2))  # fmt: skip
    html = client_for(world.owner).get(reverse("home")).content.decode()
    assert html.index('data-testid="home-deadlines"') < html.index('data-testid="home-disputes"')


def test_rating_link_reissue_says_the_old_one_stops_working(
    loop, work, client_for, django_capture_on_commit_callbacks
):
    """Another session of the centre cannot see the link (only its hash is kept): the page
    offers to re-issue it, says the old one is revoked, and the old one is refused after."""
    dispute = work["answered"]
    dispute.refresh_from_db()
    dispute, old_token = dispute_review_close(dispute=dispute, actor=loop.clerk)
    client = client_for(loop.clerk)
    page = client.get(reverse("cases:detail", args=[dispute.pk])).content.decode()
    assert 'data-testid="rating-link-reissue"' in page and "重新生成评价链接" in page
    response = client.post(reverse("cases:rating_link", args=[dispute.pk]), follow=True)
    html = response.content.decode()
    assert "旧链接失效" in html and 'data-testid="rating-url"' in html
    assert client.get(reverse("rate", args=[old_token])).status_code == 410
    # the ratings panel says which link is dead, not "valid until today" for the old one
    rows = re.findall(r'data-testid="rating-row">([^<]+)<', html)
    assert len(rows) == 2
    assert "已失效" in rows[1] and "有效期至" not in rows[1]
    assert "有效期至" in rows[0] and "已失效" not in rows[0]


def test_list_total_is_exact_up_to_the_bound_then_estimated(
    loop, register, client_for, monkeypatch
):
    from cases import selectors, views

    for _ in range(4):
        register()
    monkeypatch.setattr(views, "PAGE_SIZE", 2)  # more than one page
    client = client_for(loop.clerk)
    html = client.get(reverse("cases:list")).content.decode()
    assert "共 4 条" in html  # the same bounded count the home page shows
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 3)  # past the bound: the planner's estimate
    monkeypatch.setattr(selectors, "estimated_count", lambda queryset: 12_345)
    html = client.get(reverse("cases:list")).content.decode()
    assert 'data-testid="estimate"' in html and "约 12,300 条" in html


def test_deadline_list_queries_do_not_grow_per_row(
    loop, work, client_for, django_assert_max_num_queries
):
    """Dispatch deadlines link to their dispatch: the subject's name is the stored one, so
    no query per row (a dispatch's name would load its dispute and responder)."""
    client = client_for(loop.supervisor)
    client.get(reverse("deadlines:list"))  # warm up the session and caches
    with django_assert_max_num_queries(14):
        html = client.get(reverse("deadlines:list")).content.decode()
    assert html.count('data-testid="deadline-subject"') >= 3


def test_handling_history_names_the_system_and_the_resident_in_the_readers_language(
    loop, register, client_for
):
    """Steps are stored in the working language (系统, 群众); an English reader of the
    dispute page and of the API timeline reads them in English."""
    from cases.services._common import event_record

    dispute = register()
    event_record(dispute, kind=DisputeEvent.Kind.RATED, actor="群众", note="")
    event_record(dispute, kind=DisputeEvent.Kind.ALL_ANSWERED, actor=None)
    client = client_for(loop.clerk)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("cases:detail", args=[dispute.pk])).content.decode()
    actors = re.findall(r'data-testid="event-actor">([^<（]+)', page)
    assert "Complainant" in actors and "System" in actors
    assert "群众" not in actors and "系统" not in actors
    timeline = client.get(f"/api/cases/disputes/{dispute.pk}/timeline/").json()
    assert {"Complainant", "System"} <= {step["actor_display"] for step in timeline}
