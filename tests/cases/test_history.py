"""A dispute's history as a person reads it (issue 8): labels, names, Beijing time, the
responders' steps, the CSV in the same words, and never the resident's rating link."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.services import audit_change, snapshot
from cases.models import Attachment, Difficulty
from cases.services import (
    dispatch_accept,
    dispatch_answer,
    dispatch_hand_back,
    dispute_dispatch,
    dispute_review_close,
    dispute_triage,
)
from tests.factories import image_bytes


@pytest.fixture
def story(loop, register, client):
    """Registered, triaged with a lead organisation, dispatched to two responders (one
    accepts and answers, the other hands back), closed, rated through the link."""
    dispute = register(
        attachments=[SimpleUploadedFile("现场.png", image_bytes("PNG"), content_type="image/png")]
    )
    dispute_triage(
        dispute=dispute,
        actor=loop.clerk,
        difficulty=Difficulty.SIMPLE,
        lead_organisation=loop.police,
    )
    police, heating = dispute_dispatch(
        dispute=dispute,
        actor=loop.clerk,
        targets=[{"responder": loop.police}, {"responder": loop.heating}],
    )
    dispatch_accept(dispatch=police, actor=loop.responder)
    dispatch_hand_back(dispatch=heating, actor=loop.heating_user, reason="不属于供热问题")
    dispatch_answer(dispatch=police, actor=loop.responder, answer="已上门调解")
    dispute.refresh_from_db()
    dispute, token = dispute_review_close(dispute=dispute, actor=loop.clerk)
    # the resident rates through the page: the request path carries the token
    client.post(reverse("rate", args=[token]), {"score": "1", "comment": "还有噪音"})
    dispute.refresh_from_db()
    return dispute, token


def _history_html(client, dispute):
    url = reverse("audit:history", args=["cases", "dispute", dispute.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _csv_rows(client, dispute):
    url = reverse("audit:history_csv", args=["cases", "dispute", dispute.pk])
    response = client.get(url)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _beijing(moment) -> str:
    return timezone.localtime(moment, timezone.get_fixed_timezone(8 * 60)).strftime(
        "%Y-%m-%d %H:%M:%S"
    )


def test_history_page_shows_labels_names_and_beijing_time(loop, client_for, story):
    dispute, _token = story
    html = _history_html(client_for(loop.clerk), dispute)
    # field labels and the organisation's name, not `lead_organisation: 16`
    assert "主责单位</span>：— → 新华派出所" in html
    assert "lead_organisation" not in html.replace('data-field="lead_organisation"', "")
    assert f"：{loop.police.pk}<" not in html
    # choice labels, not codes
    assert "纠纷类别</span>：邻里" in html and "：neighbour" not in html
    assert "难易程度</span>：— → 简单" in html and "simple" not in html
    # the stored UTC ISO time reads as Beijing time
    assert f"研判时间</span>：— → {_beijing(dispute.triaged_at)}" in html
    assert dispute.triaged_at.isoformat() not in html


def test_responders_steps_appear_in_the_dispute_history(loop, client_for, story):
    dispute, _token = story
    html = _history_html(client_for(loop.clerk), dispute)
    for step in ("应哨", "答卷", "退回"):
        assert f'<div class="small text-muted">{step}</div>' in html
    assert "吹哨交办 · " in html and "热力公司海勃湾分公司" in html
    assert "不属于供热问题" in html


def test_csv_says_the_same_in_the_same_words(loop, client_for, story):
    dispute, _token = story
    client = client_for(loop.clerk)
    header, *rows = _csv_rows(client, dispute)
    assert header[:8] == ["时间", "操作人", "动作", "流转", "记录", "字段", "变更前", "变更后"]
    assert [_beijing(dispute.triaged_at)] in [[row[7]] for row in rows if row[5] == "研判时间"]
    lead = [row for row in rows if row[5] == "主责单位" and row[3] == "研判"]
    assert lead and lead[0][6:8] == ["—", "新华派出所"]
    assert any(row[5] == "纠纷类别" and row[7] == "邻里" for row in rows)
    accepted = [row for row in rows if row[3] == "应哨"]
    assert accepted and accepted[0][4].startswith("吹哨交办 · ")
    assert accepted[0][1] == str(loop.responder)
    assert any(row[3] == "退回" and row[8] == "不属于供热问题" for row in rows)
    # the page shows the same labels and values
    html = _history_html(client, dispute)
    for row in rows:
        if row[5] and row[7] != "—":
            assert f"{row[5]}</span>：" in html and row[7] in html


def test_no_rating_token_in_timeline_history_or_csv(loop, client_for, story):
    dispute, token = story
    client = client_for(loop.clerk)
    detail = client.get(reverse("cases:detail", args=[dispute.pk])).content.decode()
    assert token not in detail
    assert token not in _history_html(client, dispute)
    rows = _csv_rows(client, dispute)
    flat = "\n".join(",".join(row) for row in rows)
    assert token not in flat
    # the resident's own step is still there, with its (scrubbed) page
    rated = [row for row in rows if row[1] == "群众（评价链接）"]
    assert rated and {row[11] for row in rated} == {"/r/…/"}


def test_history_page_reads_names_in_one_query_per_model(loop, client_for, story):
    """No N+1: more entries with more organisations and users cost no more queries."""
    dispute, _token = story
    client = client_for(loop.clerk)
    _history_html(client, dispute)  # warm the per-process caches (content types…)
    with CaptureQueriesContext(connection) as first:
        _history_html(client, dispute)
    for organisation, user in (
        (loop.heating, loop.heating_user),
        (loop.centre, loop.supervisor),
        (loop.community, loop.grid),
    ):
        before = snapshot(dispute)
        dispute.lead_organisation, dispute.assignee = organisation, user
        dispute.save()
        audit_change(dispute, actor=loop.clerk, before=before)
    with CaptureQueriesContext(connection) as second:
        _history_html(client, dispute)
    assert len(second.captured_queries) == len(first.captured_queries)
    html = _history_html(client, dispute)
    assert "社区居委会" in html and str(loop.grid) in html


def test_download_is_in_the_dispute_history(loop, client_for, story):
    dispute, _token = story
    client = client_for(loop.clerk)
    attachment = Attachment.objects.get(dispute=dispute)
    client.get(reverse("cases:attachment_download", args=[attachment.pk]))
    html = _history_html(client, dispute)
    assert "查看个人信息" in html and "下载附件：现场.png" in html
    assert "附件 · 现场.png" in html


def test_a_rating_link_pasted_into_a_note_is_blanked(loop, client_for, story, api_for):
    """A link copied into a note (the SMS sent, in a 督办 note) is shown without its token."""
    from cases.services import dispute_flag

    dispute, _token = story
    secret = "Zx9SECRETtoken_-42"
    dispute_flag(
        dispute=dispute,
        actor=loop.supervisor,
        note=f"已发短信 http://127.0.0.1:8000/r/{secret}/ 请跟进",
    )
    client = client_for(loop.clerk)
    detail = client.get(reverse("cases:detail", args=[dispute.pk])).content.decode()
    assert "已发短信 http://127.0.0.1:8000/r/…/ 请跟进" in detail
    history = _history_html(client, dispute)
    assert "督办说明" in history or "已发短信" in history
    csv_text = "\n".join(",".join(row) for row in _csv_rows(client, dispute))
    timeline = api_for(loop.clerk).get(f"/api/cases/disputes/{dispute.pk}/timeline/")
    assert timeline.status_code == 200
    for shown in (detail, history, csv_text, timeline.content.decode()):
        assert secret not in shown
