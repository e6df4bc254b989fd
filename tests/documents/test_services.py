"""Completeness, numbering, revoke and supersede."""

import threading

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from audit import registry as audit_registry
from audit.models import AuditEntry
from audit.selectors import history_for
from common.statemachine import TransitionNotAllowed
from documents.models import DocumentSequence, IssuedDocument
from documents.selectors import documents_for
from documents.services import document_issue, document_revoke, document_supersede
from tests.documents.conftest import agreement_data

pytestmark = pytest.mark.django_db


def test_a_document_lacking_required_elements_is_refused_with_each_missing_label(issue, fast_pdf):
    data = agreement_data(facts="  ", responsibilities=None)
    del data["agreed_on"]
    data["parties"][1]["identity"] = ""
    data["obligations"][0]["due_date"] = "2026-13-45"
    audit_before = AuditEntry.objects.count()

    with pytest.raises(ValidationError) as refused:
        issue(data=data)

    messages = refused.value.messages
    assert messages == [
        "人民调解协议书缺少法定要素：当事人第2项：身份证明号码（公民身份号码或统一社会信用代码）",
        "人民调解协议书缺少法定要素：纠纷的主要事实",
        "人民调解协议书缺少法定要素：各方当事人的责任",
        "人民调解协议书缺少法定要素：调解协议内容（履行义务）第1项：履行期限（日期格式不正确）",
        "人民调解协议书缺少法定要素：达成协议日期",
    ]
    # nothing written: no document, no number taken, no audit entry
    assert not IssuedDocument.objects.exists()
    assert not DocumentSequence.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_the_missing_elements_can_be_asked_before_issuing():
    from documents.selectors import document_missing_elements

    assert document_missing_elements(kind="mediation.agreement", data=agreement_data()) == []
    assert document_missing_elements(
        kind="mediation.termination", data={"parties": agreement_data()["parties"]}
    ) == ["纠纷的主要事实", "终止调解的理由", "终止调解日期", "人民调解员"]


def test_an_empty_party_or_obligation_list_is_missing_too(issue, fast_pdf):
    with pytest.raises(ValidationError) as refused:
        issue(data=agreement_data(parties=[], obligations=[]))
    assert refused.value.messages == [
        "人民调解协议书缺少法定要素：当事人",
        "人民调解协议书缺少法定要素：调解协议内容（履行义务）",
    ]


def test_optional_elements_may_be_left_out(issue, fast_pdf):
    data = agreement_data()
    del data["place"]
    del data["obligations"][0]["amount"]  # a non-money obligation (return equipment)
    data["obligations"][0]["content"] = "归还电动车一辆"
    assert issue(data=data).pk


def test_only_staff_in_the_organisations_scope_may_issue(issue, fast_pdf, loop):
    with pytest.raises(PermissionDenied):
        issue(actor=loop.outsider)
    with pytest.raises(PermissionDenied):
        issue(actor=loop.responder)  # a department: no say over the centre's documents
    assert not DocumentSequence.objects.exists()


def test_numbers_run_per_organisation_type_and_year(issue, fast_pdf, loop):
    with time_machine.travel("2026-12-31 15:00:00+08:00", tick=False):
        first = issue()
        second = issue()
        termination = issue(
            kind="mediation.termination",
            data={
                "parties": agreement_data()["parties"],
                "facts": "噪音",
                "termination_reason": "一方拒绝调解",
                "terminated_on": "2026-12-31",
                "mediator": "张调解",
            },
        )
    with time_machine.travel("2027-01-01 09:00:00+08:00", tick=False):
        next_year = issue()
    assert [first.sequence, second.sequence, termination.sequence] == [1, 2, 1]
    assert second.number == "（2026）新华街道综治中心调协字第2号"
    assert termination.number == "（2026）新华街道综治中心调终字第1号"
    assert next_year.number == "（2027）新华街道综治中心调协字第1号"


def test_revoke_needs_a_reason_and_is_audited(issue, fast_pdf, loop):
    document = issue()
    with pytest.raises(ValidationError):
        document_revoke(document=document, actor=loop.clerk, reason=" ")
    document_revoke(document=document, actor=loop.clerk, reason="当事人身份信息有误")
    document.refresh_from_db()
    assert document.status == "revoked" and document.revoked_at and document.revoked_by
    entry = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(IssuedDocument),
        object_id=str(document.pk),
        action="transition",
    ).get()
    assert entry.transition == "revoke" and entry.note == "当事人身份信息有误"
    with pytest.raises(TransitionNotAllowed):
        document_revoke(document=document, actor=loop.clerk, reason="再次撤销")
    with pytest.raises(TransitionNotAllowed):
        document_supersede(document=document, data=agreement_data(), actor=loop.clerk)


def test_an_outsider_cannot_revoke(issue, fast_pdf, loop):
    document = issue()
    with pytest.raises(TransitionNotAllowed):
        document_revoke(document=document, actor=loop.outsider, reason="无权")
    document.refresh_from_db()
    assert document.status == "issued"


def test_supersede_issues_a_replacement_the_old_one_points_to(
    issue, fast_pdf, loop, dispute, monkeypatch
):
    old = issue()
    corrected = agreement_data(performance_method="现金支付")
    new = document_supersede(document=old, data=corrected, actor=loop.clerk, reason="更正履行方式")
    old.refresh_from_db()
    assert old.status == "superseded" and old.superseded_by == new
    assert new.status == "issued" and new.sequence == old.sequence + 1
    # a series-numbered document is replaced by the series' next number
    assert new.number == old.number.replace(f"第{old.sequence}号", f"第{new.sequence}号")
    assert new.case_number == old.case_number == ""
    assert new.subject == dispute and new.organisation == old.organisation
    assert list(documents_for(dispute)) == [new, old]
    # both steps are in the record's history once the record names its documents there
    monkeypatch.setitem(
        audit_registry._related, dispute._meta.label_lower, lambda d: (documents_for(d),)
    )
    notes = [entry.note for entry in history_for(dispute)]
    assert any("由" in note and new.number in note and "更正履行方式" in note for note in notes)
    assert sum("出具人民调解协议书" in note for note in notes) == 2


def test_a_case_numbered_document_whose_case_no_app_knows_is_not_replaced(issue, fast_pdf, loop):
    """Numbered by a case number no app registered a lock for: a replacement numbered
    without the case's lock could take a number already given, so it is refused."""
    old = issue(case_number=" （2026）蒙0302执999号 ")
    assert old.number == "（2026）蒙0302执999号" and old.case_number == "（2026）蒙0302执999号"
    with pytest.raises(ValidationError) as refused:
        document_supersede(document=old, data=agreement_data(), actor=loop.clerk)
    assert refused.value.messages == [
        "找不到文书所属的案件（（2026）蒙0302执999号），无法按案号编号替换文书。"
    ]
    old.refresh_from_db()
    assert old.status == "issued" and IssuedDocument.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_numbers_stay_gapless_when_issued_concurrently(loop, register, fast_pdf):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    dispute = register()
    numbers, errors = [], []
    start = threading.Barrier(8)

    def issue_one():
        start.wait()  # all eight ask for a number at once
        try:
            document = document_issue(
                kind="mediation.agreement",
                subject=dispute,
                organisation=loop.centre,
                data=agreement_data(),
                actor=loop.clerk,
            )
            numbers.append(document.sequence)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue_one) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(numbers) == list(range(1, 9))
    assert DocumentSequence.objects.get().last == 8
