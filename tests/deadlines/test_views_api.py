"""Pages and API: scoped, explained, with actions and the record partial."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse

from deadlines.sweep import deadlines_sweep

from .factories import local, make_deadline

pytestmark = pytest.mark.django_db


@pytest.fixture
def deadline(world):
    return make_deadline(world, kind="credit.correction_fix", start=local(2025, 1, 27))


def test_detail_page_explains(client_for, world, deadline):
    response = client_for(world.colleague).get(reverse("deadlines:detail", args=[deadline.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "2025-02-07" in html and "春节" in html and 'data-testid="deadline-explain"' in html


def test_outsider_cannot_read(client_for, api_for, world, deadline):
    assert (
        client_for(world.outsider).get(reverse("deadlines:detail", args=[deadline.pk])).status_code
        == 404
    )
    assert api_for(world.outsider).get(f"/api/deadlines/{deadline.pk}/").status_code == 404
    assert api_for(world.outsider).get("/api/deadlines/").json()["results"] == []


def test_outsider_cannot_change(client_for, api_for, world, deadline):
    response = api_for(world.outsider).post(f"/api/deadlines/{deadline.pk}/pause/", {"reason": "x"})
    assert response.status_code == 404
    response = client_for(world.outsider).post(
        reverse("deadlines:action", args=[deadline.pk, "meet"])
    )
    assert response.status_code == 404
    deadline.refresh_from_db()
    assert deadline.state == "pending"


def test_api_lists_with_explain_and_actions(
    api_for, world, deadline, django_assert_max_num_queries, court_head
):
    api = api_for(world.owner)
    for _ in range(5):
        make_deadline(world, kind="enforcement.time_limit", start=local(2025, 1, 27))
    with django_assert_max_num_queries(12):
        body = api.get("/api/deadlines/").json()
    assert len(body["results"]) == 6
    item = api.get(f"/api/deadlines/{deadline.pk}/").json()
    assert item["explain"]["due_date"] == "2025-02-07" and item["state_label"] == "进行中"
    paused = api.post(
        f"/api/deadlines/{deadline.pk}/pause/", {"reason": "中止"}, format="json"
    ).json()
    assert paused["state"] == "paused"
    conflict = api.post(f"/api/deadlines/{deadline.pk}/pause/", {"reason": "again"}, format="json")
    assert conflict.status_code == 409 and conflict.json()["code"] == "transition_not_allowed"
    assert api.post(f"/api/deadlines/{deadline.pk}/resume/").json()["state"] == "pending"
    bad = api.post(
        f"/api/deadlines/{deadline.pk}/extend/",
        {"approver": world.colleague.pk, "reason": "x", "amount": 1},
        format="json",
    )
    assert bad.status_code == 400 and "approver" in bad.json()["fields"]
    asked = api.post(
        f"/api/deadlines/{deadline.pk}/extend/",
        {"approver": court_head.pk, "reason": "x", "amount": 1},
        format="json",
    )
    assert asked.status_code == 201 and asked.json()["status"] == "pending"
    assert api.get(f"/api/deadlines/{deadline.pk}/").json()["extensions"] == []
    request_url = f"/api/deadline-extension-requests/{asked.json()['id']}/"
    assert api.post(f"{request_url}approve/").status_code == 403  # the asker cannot
    ok = api_for(court_head).post(f"{request_url}approve/", {"note": "同意"}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "approved"
    item = api.get(f"/api/deadlines/{deadline.pk}/").json()
    assert item["extensions"][0]["days_added"] == 1
    assert item["extensions"][0]["approved_by"] == str(court_head)


def test_nobody_meets_or_cancels_a_clock_through_the_api_or_pages(
    client_for, api_for, world, deadline
):
    api = api_for(world.owner)
    assert api.post(f"/api/deadlines/{deadline.pk}/meet/").status_code in (404, 405)
    assert api.post(f"/api/deadlines/{deadline.pk}/cancel/", {"reason": "x"}).status_code in (
        404,
        405,
    )
    client = client_for(world.owner)
    client.post(reverse("deadlines:action", args=[deadline.pk, "meet"]))
    client.post(reverse("deadlines:action", args=[deadline.pk, "cancel"]), {"reason": "x"})
    deadline.refresh_from_db()
    assert deadline.state == "pending"
    html = client.get(reverse("deadlines:detail", args=[deadline.pk])).content.decode()
    assert "标记完成" not in html and "撤销期限" not in html


def test_page_actions(client_for, world, deadline, court_head):
    client = client_for(world.owner)
    client.post(reverse("deadlines:action", args=[deadline.pk, "pause"]), {"reason": "执行中止"})
    deadline.refresh_from_db()
    assert deadline.state == "paused"
    client.post(reverse("deadlines:action", args=[deadline.pk, "resume"]))
    due = deadline.due_at
    client.post(
        reverse("deadlines:extend", args=[deadline.pk]),
        {"approver": court_head.pk, "amount": 2, "unit": "calendar_days", "reason": "批准"},
    )
    deadline.refresh_from_db()
    (request,) = deadline.extension_requests.all()
    assert deadline.extensions.count() == 0 and deadline.due_at == due
    decide = reverse("deadlines:extension_request_decide", args=[request.pk, "approve"])
    # the asker sees the request but has no decision buttons, and cannot approve
    page = client.get(reverse("deadlines:extension_request", args=[request.pk]))
    assert (
        page.status_code == 200 and 'data-testid="extension-decision"' not in page.content.decode()
    )
    assert client.post(decide).status_code == 404
    approver = client_for(court_head)
    assert (
        "批准延长"
        in approver.get(reverse("deadlines:extension_request", args=[request.pk])).content.decode()
    )
    assert (
        request.deadline.label
        in approver.get(reverse("deadlines:extension_requests")).content.decode()
    )
    approver.post(decide, {"note": "同意"})
    deadline.refresh_from_db()
    assert deadline.extensions.get().approved_by == court_head
    assert deadline.due_at > due


def test_record_partial_shows_deadlines_and_delivery_status(world, deadline, published, rf):
    world.owner.email = "o@example.cn"
    world.owner.save()
    deadlines_sweep(now=local(2025, 2, 6, 9, 0))
    html = Template(
        '{% include "deadlines/partials/record_deadlines.html" with record=obj %}'
    ).render(Context({"obj": world.court}))
    assert "纠正失信信息" in html and "2025-02-07" in html
    assert "邮件" in html and "待发送" in html and "站内" in html


def test_rule_table_page_shows_statutory_kinds(client_for, world):
    html = client_for(world.owner).get(reverse("deadlines:rules")).content.decode()
    for kind in (
        "enforcement.time_limit",
        "credit.correction_fix",
        "mediation.confirmation_window",
        "enforcement.freeze_bank",
    ):
        assert kind in html


def test_list_page(client_for, world, deadline):
    response = client_for(world.owner).get(reverse("deadlines:list"), {"mine": "1"})
    assert response.status_code == 200 and "纠正失信信息" in response.content.decode()


def test_list_pagination_keeps_the_filters(client_for, world, deadline):
    for day in range(1, 51):
        make_deadline(
            world, kind="credit.correction_fix", start=local(2025, 3, 1) + timedelta(days=day)
        )
    response = client_for(world.owner).get(
        reverse("deadlines:list"), {"mine": "1", "state": "pending"}
    )
    html = response.content.decode()
    assert response.context["page"].paginator.count == 51
    assert 'href="?mine=1&amp;state=pending&page=2"' in html


def test_history_names_the_kind_and_source_not_their_codes(client_for, world, deadline):
    """The deadline's history (page and CSV) once read 期限类型 enforcement.…, object id 3,
    内容类型 组织与用户 | 组织机构, 规则来源 statutory, and the sweep's 下次处理时间."""
    from deadlines.services import deadline_pause

    deadline_pause(deadline, actor=world.owner, reason="当事人申请中止")
    client = client_for(world.owner)
    history = f"/audit/deadlines/deadline/{deadline.pk}/"
    for page in (
        client.get(history).content.decode(),
        client.get(f"{history}export.csv").content.decode("utf-8-sig"),
    ):
        assert deadline.label in page and "法定" in page
        assert deadline.kind not in page and "statutory" not in page
        assert "object id" not in page and "内容类型" not in page and "下次处理时间" not in page
