"""The notices pages (forms in Chinese) and the case-page panel: issue, serve, report,
check; field errors re-rendered (400); a refused step says why (409); 404 outside."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from enforcement.models import AssetReport, EnforcementNotice, EnforcementRole, ServiceRecord
from enforcement.panels import next_steps_for, panels_for
from enforcement.panels_notices import notices_panel_context
from enforcement.services.asset_reports import asset_report_receive
from enforcement.services.notice_service import service_record
from enforcement.services.notices import notices_issue
from tests.factories import image_bytes

from . import notices_fixtures
from .notices_fixtures import add_debtor

pytestmark = pytest.mark.django_db

fast_pdf = notices_fixtures.fast_pdf
money_case = notices_fixtures.money_case
act_case = notices_fixtures.act_case
BOTH = ["execution_notice", "asset_report_order"]


def debtor(case):
    return case.case_parties.get(role=EnforcementRole.DEBTOR, position=0)


def text(response) -> str:
    return response.content.decode()


def test_officer_issues_from_the_page(eworld, money_case, fast_pdf, client_for):
    client = client_for(eworld.officer)
    page = client.get(f"/enforcement/cases/{money_case.pk}/notices/issue/")
    assert page.status_code == 200
    body = text(page)
    assert "发出执行通知书、报告财产令" in body and "被执行人报告财产期限（日）" in body
    assert 'value="7"' in body  # the court's default period

    bad = client.post(
        f"/enforcement/cases/{money_case.pk}/notices/issue/", {"kinds": BOTH, "report_days": 3}
    )
    assert bad.status_code == 400
    assert 'data-testid="error-report_days"' in text(bad)
    assert not EnforcementNotice.objects.exists()

    done = client.post(
        f"/enforcement/cases/{money_case.pk}/notices/issue/", {"kinds": BOTH, "report_days": 8}
    )
    assert done.status_code == 302
    assert done["Location"] == f"/enforcement/cases/{money_case.pk}/#notices"
    page = client.get(done["Location"])  # the case page (enf-workbench) with the panel
    body = text(page)
    notice, order = EnforcementNotice.objects.order_by("pk")
    for expected in (notice.document.number, order.document.number, "报告期限8日",
                     f"/documents/{order.document.pk}/pdf/", "1名被执行人未送达", "等待被执行人报告"):  # fmt: skip
        assert expected in body, expected
    # nothing left to issue: the page says so
    again = client.get(f"/enforcement/cases/{money_case.pk}/notices/issue/")
    assert 'data-testid="nothing-to-issue"' in text(again)
    refused = client.post(
        f"/enforcement/cases/{money_case.pk}/notices/issue/", {"kinds": ["execution_notice"]}
    )
    assert refused.status_code == 400  # no longer a choice on the form


def test_act_case_form_offers_only_the_execution_notice(eworld, act_case, client_for):
    page = client_for(eworld.officer).get(f"/enforcement/cases/{act_case.pk}/notices/issue/")
    body = text(page)
    assert "执行通知书" in body and "asset_report_order" not in body
    assert "report_days" not in body


def test_missing_elements_are_listed_before_issuing(eworld, money_case, client_for):
    party = debtor(money_case).party
    party.id_number_encrypted = party.id_number_index = ""
    party.save(update_fields=["id_number_encrypted", "id_number_index"])
    body = text(
        client_for(eworld.officer).get(f"/enforcement/cases/{money_case.pk}/notices/issue/")
    )
    assert 'data-testid="missing-elements"' in body and "身份证明号码" in body


def test_service_and_report_forms(eworld, money_case, fast_pdf, client_for):
    notice, order = notices_issue(case=money_case, kinds=BOTH, actor=eworld.officer)
    client = client_for(eworld.clerk)
    form = client.get(f"/enforcement/notices/{notice.pk}/service/")
    assert form.status_code == 200
    body = text(form)
    for label in (
        "受送达人",
        "送达方式",
        "直接送达",
        "公告送达",
        "电子送达平台",
        "签收人",
        "送达凭证",
    ):
        assert label in body, label

    bad = client.post(
        f"/enforcement/notices/{notice.pk}/service/",
        {"recipient": debtor(money_case).pk, "method": "direct", "served_on": ""},
    )
    assert bad.status_code == 400 and 'data-testid="error-served_on"' in text(bad)
    bad = client.post(
        f"/enforcement/notices/{notice.pk}/service/",
        {"recipient": debtor(money_case).pk, "method": "direct",
         "served_on": timezone.localdate().isoformat()},
    )  # fmt: skip
    assert bad.status_code == 400 and "直接送达须填写签收人" in text(bad)

    photo = SimpleUploadedFile("签收.png", image_bytes("PNG"), content_type="image/png")
    done = client.post(
        f"/enforcement/notices/{notice.pk}/service/",
        {"recipient": debtor(money_case).pk, "method": "direct", "receipt_name": "王被执",
         "served_on": timezone.localdate().isoformat(), "proof": photo},
    )  # fmt: skip
    assert done.status_code == 302
    record = ServiceRecord.objects.get()
    download = client.get(f"/enforcement/service-records/{record.pk}/proof/")
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    assert "已送达全部被执行人" in text(client.get(done["Location"]))

    report = client.post(
        f"/enforcement/notices/{order.pk}/report/",
        {"debtor": debtor(money_case).pk, "received_on": timezone.localdate().isoformat(),
         "summary": "住房一套", "items-TOTAL_FORMS": "3", "items-INITIAL_FORMS": "0",
         "items-0-category": "real_estate", "items-0-description": "团结社区3号楼住房",
         "items-0-value": "350000.00"},
    )  # fmt: skip
    assert report.status_code == 302, text(report)
    saved = AssetReport.objects.get()
    assert saved.items.get().value == 350000
    check = client.get(f"/enforcement/asset-reports/{saved.pk}/check/")
    assert "核查结果" in text(check) and "团结社区3号楼住房" in text(check)
    bad = client.post(f"/enforcement/asset-reports/{saved.pk}/check/", {"result": "false"})
    assert bad.status_code == 400 and "不实之处" in text(bad)
    done = client.post(
        f"/enforcement/asset-reports/{saved.pk}/check/", {"result": "partly_false",
                                                          "note": "另有车辆一辆未报告"}
    )  # fmt: skip
    assert done.status_code == 302
    body = text(client.get(done["Location"]))
    assert "部分不实" in body and "财产报告不实" in body


def test_service_of_a_revoked_notice_is_refused_on_the_page(
    eworld, money_case, fast_pdf, client_for
):
    (notice,) = notices_issue(case=money_case, kinds=["execution_notice"], actor=eworld.officer)
    client = client_for(eworld.officer)
    revoked = client.post(f"/enforcement/notices/{notice.pk}/revoke/", {"reason": "案号有误"})
    assert revoked.status_code == 302
    page = client.get(f"/enforcement/notices/{notice.pk}/service/")
    assert 'data-testid="revoked"' in text(page)
    refused = client.post(
        f"/enforcement/notices/{notice.pk}/service/",
        {"recipient": debtor(money_case).pk, "method": "direct", "receipt_name": "王被执",
         "served_on": timezone.localdate().isoformat()},
    )  # fmt: skip
    assert refused.status_code == 409 and "已撤销或被替换" in text(refused)


def test_outsider_gets_404_on_every_page(eworld, money_case, fast_pdf, client_for):
    notice, order = notices_issue(case=money_case, kinds=BOTH, actor=eworld.officer)
    photo = SimpleUploadedFile("签收.png", image_bytes("PNG"), content_type="image/png")
    record = service_record(notice=notice, recipient=debtor(money_case), actor=eworld.officer,
                            method="direct", receipt_name="王被执",
                            served_on=timezone.localdate(), proof=photo)  # fmt: skip
    report = asset_report_receive(order=order, debtor=debtor(money_case), actor=eworld.officer,
                                  received_on=timezone.localdate(), summary="无")  # fmt: skip
    for stranger in (eworld.outsider, eworld.centre_supervisor):
        client = client_for(stranger)
        for url in (
            f"/enforcement/cases/{money_case.pk}/notices/",
            f"/enforcement/cases/{money_case.pk}/notices/issue/",
            f"/enforcement/notices/{notice.pk}/service/",
            f"/enforcement/notices/{order.pk}/report/",
            f"/enforcement/asset-reports/{report.pk}/check/",
            f"/enforcement/service-records/{record.pk}/proof/",
        ):
            assert client.get(url).status_code == 404, url
        assert client.post(f"/enforcement/notices/{notice.pk}/revoke/",
                           {"reason": "x"}).status_code == 404  # fmt: skip
    # a higher court's president reads, but the forms are not theirs
    client = client_for(eworld.higher_supervisor)
    assert client.get(f"/enforcement/cases/{money_case.pk}/notices/").status_code == 200
    assert client.get(f"/enforcement/cases/{money_case.pk}/notices/issue/").status_code == 403


def test_panel_context_and_next_steps(eworld, money_case, fast_pdf, django_assert_max_num_queries):
    """The case page (enf-workbench) renders the panel with the dict its context returns."""
    assert "发出执行通知书" in next_steps_for(money_case)
    assert "发出报告财产令" in next_steps_for(money_case)
    assert "notices" in [p.key for p, _context in panels_for(money_case, eworld.officer)]
    context = notices_panel_context(money_case, eworld.officer)["notices_panel"]
    assert context["may_issue"] and context["to_issue"] == ["执行通知书", "报告财产令"]

    notice, order = notices_issue(case=money_case, kinds=BOTH, actor=eworld.officer)
    for number in range(3):
        add_debtor(money_case, name=f"连带被执行人{number}", position=number + 1)
    with django_assert_max_num_queries(8):
        context = notices_panel_context(money_case, eworld.officer)
    panel = context["notices_panel"]
    assert not panel["may_issue"] and panel["report"].code == "awaiting"
    assert [len(s.recipients) for s in panel["states"]] == [5, 4]

    request = RequestFactory().get("/")
    request.user = eworld.officer
    html = render_to_string("enforcement/notices/panel.html", context, request=request)
    assert 'data-testid="notices-panel"' in html
    assert notice.document.number in html and order.document.number in html
    assert f"/documents/{notice.document.pk}/pdf/" in html
    assert len(re.findall("未送达", html)) >= 9  # each debtor and the applicant, per notice
    assert "送达执行通知书" in next_steps_for(money_case)
    # the outsider's page never gets here (404), and a reader sees no forms
    reader = notices_panel_context(money_case, eworld.higher_supervisor)["notices_panel"]
    assert not reader["may_record"] and not reader["may_issue"]


def _render_panel(case, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    context = notices_panel_context(case, user)
    return render_to_string("enforcement/notices/panel.html", context, request=request)


def test_panel_queries_do_not_grow_with_the_case(
    eworld, money_case, fast_pdf, django_assert_max_num_queries
):
    """Context and template together: the same count for one debtor or five, each with a
    report of several items and a service record per notice."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from organisations.models import User

    def fill(case):
        notice, order = notices_issue(case=case, kinds=BOTH, actor=eworld.officer)
        for party in case.case_parties.filter(role=EnforcementRole.DEBTOR):
            for target in (notice, order):
                service_record(notice=target, recipient=party, actor=eworld.officer,
                               method="direct", receipt_name=party.name,
                               served_on=timezone.localdate())  # fmt: skip
            asset_report_receive(
                order=order, debtor=party, actor=eworld.officer,
                received_on=timezone.localdate(), summary="有",
                items=[{"category": "deposit", "description": f"账户{i}"} for i in range(3)],
            )  # fmt: skip

    fill(money_case)
    from .conftest import make_case

    big = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    for number in range(4):
        add_debtor(big, name=f"被执行人{number}", position=number + 1)
    fill(big)
    counts = []
    for case in (money_case, big):
        officer = User.objects.get(pk=eworld.officer.pk)  # memberships not cached yet
        with CaptureQueriesContext(connection) as queries:
            html = _render_panel(case, officer)
        counts.append(len(queries))
        assert html.count("直接送达") >= 2
    assert counts[0] == counts[1], counts
    assert counts[1] <= 8, counts


def test_pages_fit_a_phone(eworld, money_case, fast_pdf, client_for):
    """No fixed widths and the viewport meta on every form (the browser test looks at one)."""
    notice, order = notices_issue(case=money_case, kinds=BOTH, actor=eworld.officer)
    client = client_for(eworld.officer)
    for url in (
        f"/enforcement/cases/{money_case.pk}/notices/",
        f"/enforcement/notices/{notice.pk}/service/",
        f"/enforcement/notices/{order.pk}/report/",
    ):
        body = text(client.get(url))
        assert 'name="viewport"' in body
        assert not re.search(r'style="[^"]*width:\s*\d{3,}px', body)


def test_next_steps_of_a_list_page_in_a_fixed_number_of_queries(eworld, fast_pdf):
    """The workbench asks every row's next steps (panels.next_steps_for_many): the notices'
    part answers from four queries however many rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from enforcement.models import EnforcementCase
    from enforcement.panels import next_steps_for_many
    from enforcement.selectors_notices import notices_next_steps, notices_next_steps_prefetch

    from .conftest import make_case

    def counted(cases):
        fresh = list(EnforcementCase.objects.filter(pk__in=[c.pk for c in cases]).order_by("pk"))
        # the notices' part alone (the workbench test counts all parts together)
        with CaptureQueriesContext(connection) as queries:
            notices_next_steps_prefetch(fresh)
            steps = [notices_next_steps(case) for case in fresh]
        return len(queries), steps

    first = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
    few, steps = counted([first])
    assert steps == [["发出执行通知书", "发出报告财产令"]]
    cases = [first]
    for number in range(5):
        case = make_case(eworld.court, eworld.clerk, officer=eworld.officer)
        notices_issue(case=case, kinds=BOTH[: 1 + number % 2], actor=eworld.officer)
        cases.append(case)
    many, steps = counted(cases)
    assert few <= many <= 4  # notices, their service records, parties, the orders' reports
    assert steps[1] == ["送达执行通知书", "发出报告财产令"]
    assert steps[2] == ["送达执行通知书", "送达报告财产令"]
    # and the same answer as the case page's one-by-one reading, and inside the whole list's
    assert [notices_next_steps(EnforcementCase.objects.get(pk=c.pk)) for c in cases] == steps
    fresh = list(EnforcementCase.objects.filter(pk__in=[c.pk for c in cases]).order_by("pk"))
    for own, every in zip(steps, next_steps_for_many(fresh), strict=True):
        assert every[: len(own)] == own
