"""A grid worker records a complaint meeting (吐槽大会) on a phone (390×844) and turns the
sandpit issue into a dispute with one tap."""

from playwright.sync_api import expect

from cases.models import DisputeStatus, SourceChannel
from mediation.models import MeetingIssue
from tests.cases import conftest as cases_fixtures
from tests.conftest import PASSWORD
from tests.e2e.layout import laid_out_width

# the cases loop's world, used here as it is
loop = cases_fixtures.loop


def test_grid_worker_records_a_meeting_and_registers_the_sandpit(
    base_url, loop, phone_page, login, screenshot
):
    login(phone_page, "grid", PASSWORD)
    phone_page.goto("/mediation/meetings/")
    phone_page.get_by_test_id("new-meeting").click()
    form = phone_page.get_by_test_id("meeting-form")
    form.get_by_label("地点").fill("团结社区红色驿站")
    form.get_by_label("参加人员").fill("居民代表、物业公司、业委会、首席法律咨询专家")
    form.get_by_label("反映的问题").fill("小区沙坑变成了垃圾坑 / 王大妈")
    assert laid_out_width(phone_page) <= 390
    screenshot(phone_page, "meeting-form")
    form.get_by_test_id("submit").click()

    issue = MeetingIssue.objects.get()
    issues = phone_page.get_by_test_id("issues")
    expect(issues).to_contain_text("小区沙坑变成了垃圾坑")
    phone_page.get_by_test_id(f"to-dispute-{issue.pk}").click()
    expect(phone_page.get_by_test_id("issue-outcome")).to_contain_text("待研判")
    screenshot(phone_page, "meeting-issue-registered")
    issue.refresh_from_db()
    assert issue.dispute.status == DisputeStatus.REGISTERED
    assert issue.dispute.source_channel == SourceChannel.COMPLAINT_MEETING
