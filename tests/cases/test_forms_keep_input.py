"""Loop-step forms: bad input comes back on the same page (400) with the error beside its
field and everything typed still there; nothing is written. Refusals stay a message."""

import re
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEntry
from cases.models import (
    Attachment,
    Bundle,
    Difficulty,
    DispatchStatus,
    Dispute,
    DisputeEvent,
    DisputeStatus,
)
from cases.services import (
    bundle_create,
    dispatch_accept,
    dispatch_answer,
    dispute_dispatch,
    dispute_triage,
)

REQUIRED = "必填"
RESELECT = "请重新选择附件"


def feedback(html: str, field: str) -> str:
    """The text of the field's invalid-feedback (the error shown beside it)."""
    found = re.findall(
        rf'<div class="invalid-feedback[^"]*" data-testid="error-{field}">([^<]*)<', html
    )
    assert found, f"no invalid-feedback for {field}"
    return " ".join(found)


def widget(html: str, tag: str, name: str) -> str:
    found = re.search(rf'<{tag}[^>]*name="{name}"[^>]*>', html)
    assert found, f"no <{tag} name={name}>"
    return found.group(0)


@pytest.fixture
def nothing_written():
    """`with nothing_written(): …` asserts no audit entry and no timeline step was added."""
    from contextlib import contextmanager

    @contextmanager
    def check():
        audits, events = AuditEntry.objects.count(), DisputeEvent.objects.count()
        yield
        assert AuditEntry.objects.count() == audits
        assert DisputeEvent.objects.count() == events

    return check


@pytest.fixture
def dispatched(loop, register):
    """A dispute dispatched to the police, who have accepted it."""
    dispute = register()
    dispute_triage(dispute=dispute, actor=loop.clerk, difficulty=Difficulty.SIMPLE)
    [dispatch] = dispute_dispatch(
        dispute=dispute, actor=loop.clerk, targets=[{"responder": loop.police}]
    )
    dispatch_accept(dispatch=dispatch, actor=loop.responder)
    return dispatch


# --- 研判 -------------------------------------------------------------------------------


def test_triage_missing_difficulty_keeps_note(loop, client_for, register, nothing_written):
    dispute = register()
    with nothing_written():
        response = client_for(loop.clerk).post(
            reverse("cases:triage", args=[dispute.pk]),
            {"difficulty": "", "duty_note": "属物业管理职责，需住建局配合"},
        )
    assert response.status_code == 400
    html = response.content.decode()
    assert REQUIRED in feedback(html, "difficulty")
    assert "is-invalid" in widget(html, "select", "difficulty")
    assert 'value="属物业管理职责，需住建局配合"' in widget(html, "input", "duty_note")
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.REGISTERED


def test_triage_service_error_beside_its_field(loop, client_for, register, nothing_written):
    dispute = register()
    with nothing_written():
        response = client_for(loop.clerk).post(
            reverse("cases:triage", args=[dispute.pk]),
            {"difficulty": Difficulty.COMPLEX, "duty_note": "涉及供热与物业两家", "due_at": ""},
        )
    assert response.status_code == 400
    html = response.content.decode()
    assert "复杂事项须明确主责部门" in feedback(html, "lead_organisation")
    assert "is-invalid" in widget(html, "select", "lead_organisation")
    assert re.search(r'<option value="complex" selected>', html)
    assert "涉及供热与物业两家" in html
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.REGISTERED and dispute.difficulty == ""


def test_triage_past_deadline_beside_the_field(loop, client_for, register, nothing_written):
    dispute = register()
    with nothing_written():
        response = client_for(loop.clerk).post(
            reverse("cases:triage", args=[dispute.pk]),
            {"difficulty": Difficulty.SIMPLE, "due_at": "2020-01-01T09:00"},
        )
    assert response.status_code == 400
    html = response.content.decode()
    assert "办结期限应晚于当前时间" in feedback(html, "due_at")
    assert 'value="2020-01-01T09:00"' in widget(html, "input", "due_at")


# --- 吹哨 -------------------------------------------------------------------------------


def test_dispatch_without_responder_keeps_instructions(loop, client_for, register, nothing_written):
    dispute = register()
    dispute_triage(dispute=dispute, actor=loop.clerk, difficulty=Difficulty.SIMPLE)
    with nothing_written():
        response = client_for(loop.clerk).post(
            reverse("cases:dispatch", args=[dispute.pk]),
            {"responders": [], "instructions": "请三日内入户核实噪音情况", "deadline": ""},
        )
    assert response.status_code == 400
    html = response.content.decode()
    assert REQUIRED in feedback(html, "responders")
    assert "请三日内入户核实噪音情况</textarea>" in html
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.TRIAGED and not dispute.dispatches.exists()


def test_dispatch_twice_to_the_same_responder_says_so_beside_the_list(
    loop, client_for, dispatched, nothing_written
):
    dispute = dispatched.dispute
    with nothing_written():
        response = client_for(loop.clerk).post(
            reverse("cases:dispatch", args=[dispute.pk]),
            {"responders": [loop.police.pk, loop.heating.pk], "instructions": "再派一次"},
        )
    assert response.status_code == 400
    html = response.content.decode()
    assert "无需重复" in feedback(html, "responders")
    checked = re.findall(
        r'<input type="checkbox" name="responders" value="(\d+)"[^>]*checked', html
    )
    assert sorted(map(int, checked)) == sorted([loop.police.pk, loop.heating.pk])
    assert dispute.dispatches.count() == 1


# --- 答卷 / 退回 ------------------------------------------------------------------------


def test_answer_empty_asks_again_and_to_reselect_files(
    loop, client_for, dispatched, nothing_written
):
    upload = SimpleUploadedFile("scene.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    with nothing_written():
        response = client_for(loop.responder).post(
            reverse("cases:dispatch_answer", args=[dispatched.pk]),
            {"answer": "   ", "attachments": [upload]},
        )
    assert response.status_code == 400
    html = response.content.decode()
    assert REQUIRED in feedback(html, "answer")
    assert "is-invalid" in widget(html, "textarea", "answer")
    assert RESELECT in feedback(html, "attachments")
    dispatched.refresh_from_db()
    assert dispatched.status == DispatchStatus.ACCEPTED and dispatched.answer == ""
    assert not Attachment.objects.exists()


def test_answer_with_refused_file_keeps_the_long_answer(
    loop, client_for, dispatched, nothing_written
):
    answer = "已入户核实：楼上住户装修时间为每日8时至20时，已约定中午12时至14时停工。" * 5
    fake = SimpleUploadedFile("photo.jpg", b"not really a picture", content_type="image/jpeg")
    with nothing_written():
        response = client_for(loop.responder).post(
            reverse("cases:dispatch_answer", args=[dispatched.pk]),
            {"answer": answer, "attachments": [fake]},
        )
    assert response.status_code == 400
    html = response.content.decode()
    error = feedback(html, "attachments")
    assert "photo.jpg" in error and RESELECT in error
    assert f">\n{answer}</textarea>" in html
    dispatched.refresh_from_db()
    assert dispatched.status == DispatchStatus.ACCEPTED and dispatched.answer == ""
    assert not Attachment.objects.exists()


def test_hand_back_without_reason(loop, client_for, dispatched, nothing_written):
    with nothing_written():
        response = client_for(loop.responder).post(
            reverse("cases:dispatch_hand_back", args=[dispatched.pk]), {"reason": "  "}
        )
    assert response.status_code == 400
    html = response.content.decode()
    assert REQUIRED in feedback(html, "reason")
    assert "is-invalid" in widget(html, "textarea", "reason")
    # the page is the dispatch page, the answer form still offered beside it
    assert 'data-testid="answer-form"' in html and 'data-testid="hand-back-form"' in html
    dispatched.refresh_from_db()
    assert dispatched.status == DispatchStatus.ACCEPTED


# --- 交卷 / 销号 / 移交 / 督办 -------------------------------------------------------------


@pytest.fixture
def answered(loop, dispatched):
    dispatch_answer(dispatch=dispatched, actor=loop.responder, answer="已协调停工时段。")
    dispute = dispatched.dispute
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.ANSWERED
    return dispute


def test_send_back_without_reason(loop, client_for, answered, nothing_written):
    with nothing_written():
        response = client_for(loop.clerk).post(
            reverse("cases:send_back", args=[answered.pk]), {"reason": ""}
        )
    assert response.status_code == 400
    assert REQUIRED in feedback(response.content.decode(), "reason")
    answered.refresh_from_db()
    assert answered.status == DisputeStatus.ANSWERED


def test_refer_to_unknown_target_keeps_note(loop, client_for, register, nothing_written):
    dispute = register()
    with nothing_written():
        response = client_for(loop.clerk).post(
            reverse("cases:refer", args=[dispute.pk]),
            {"target": "moon", "note": "请调解委员会接手"},
        )
    assert response.status_code == 400
    html = response.content.decode()
    assert feedback(html, "target")
    assert 'value="请调解委员会接手"' in widget(html, "input", "note")


def test_flag_note_too_long(loop, client_for, register, nothing_written):
    dispute = register()
    note = "督" * 201
    with nothing_written():
        response = client_for(loop.supervisor).post(
            reverse("cases:flag", args=[dispute.pk]), {"flagged": "1", "note": note}
        )
    assert response.status_code == 400
    html = response.content.decode()
    assert feedback(html, "note")
    assert note in html
    dispute.refresh_from_db()
    assert not dispute.is_flagged


def test_bundle_close_without_result(loop, client_for, register, nothing_written):
    bundle = bundle_create(
        organisation=loop.centre, actor=loop.clerk, title="装修噪音", disputes=[register()]
    )
    with nothing_written():
        response = client_for(loop.clerk).post(
            reverse("cases:bundle_close", args=[bundle.pk]), {"result": ""}
        )
    assert response.status_code == 400
    assert REQUIRED in feedback(response.content.decode(), "result")
    bundle.refresh_from_db()
    assert bundle.status == Bundle.Status.OPEN


# --- refusals stay a message --------------------------------------------------------------


def test_wrong_state_is_a_refusal_even_with_bad_input(loop, client_for, register):
    dispute = register()
    client = client_for(loop.clerk)
    response = client.post(reverse("cases:send_back", args=[dispute.pk]), {"reason": ""})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "不能执行" in html
    assert Dispute.objects.get(pk=dispute.pk).status == DisputeStatus.REGISTERED


def test_valid_step_still_redirects(loop, client_for, dispatched):
    response = client_for(loop.responder).post(
        reverse("cases:dispatch_hand_back", args=[dispatched.pk]), {"reason": "非本单位职责"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("cases:inbox")
    dispatched.refresh_from_db()
    assert dispatched.status == DispatchStatus.HANDED_BACK


def test_dispute_page_ids_are_unique(loop, client_for, register, answered):
    for dispute in (register(), answered):  # triage + refer forms; review + send back forms
        html = client_for(loop.clerk).get(reverse("cases:detail", args=[dispute.pk]))
        ids = Counter(re.findall(r'\bid="([^"]+)"', html.content.decode()))
        assert [i for i, n in ids.items() if n > 1] == []


def test_cursor_goes_to_the_first_field_in_error(loop, client_for, dispatched):
    response = client_for(loop.responder).post(
        reverse("cases:dispatch_answer", args=[dispatched.pk]), {"answer": ""}
    )
    assert "autofocus" in widget(response.content.decode(), "textarea", "answer")
    assert (
        "autofocus"
        not in client_for(loop.responder)
        .get(reverse("cases:dispatch_detail", args=[dispatched.pk]))
        .content.decode()
    )
