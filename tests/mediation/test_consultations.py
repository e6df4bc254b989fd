"""Legal consultations (法律咨询) by chief legal experts: the phone form, the asker's phone
kept like a party's (encrypted, masked), scoped to the expert's organisation (outsiders
404), the API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases.models import Dispute
from mediation.models import LegalConsultation, MediatorKind
from mediation.services import legal_consultation_record, mediator_create
from organisations.models import User
from organisations.roles import Role
from tests.factories import member


@pytest.fixture
def expert(mworld):
    user = member(mworld.committee, Role.MEDIATOR, username="expert", full_name="刘律师")
    profile = mediator_create(
        organisation=mworld.committee,
        actor=mworld.committee_clerk,
        user=user,
        name="刘律师",
        kind=MediatorKind.CHIEF_LEGAL_EXPERT,
    )
    return User.objects.get(pk=user.pk), profile


def _record(who, **extra):
    user, profile = who
    values = {
        "expert": profile, "actor": user, "asked_on": timezone.localdate(),
        "asker_name": "王大妈", "asker_phone": "13912345678", "topic": "小区公共设施维护",
        "question": "小区沙坑成了垃圾坑，谁来管？",
        "answer": "属于业主共有部分，物业服务企业应依合同维护；可由业委会督促。",
    }  # fmt: skip
    values.update(extra)
    return legal_consultation_record(**values)


def test_the_phone_is_kept_like_a_partys(expert):
    consultation = _record(expert)
    stored = LegalConsultation.objects.get(pk=consultation.pk)
    assert stored.asker_phone_masked == "139****5678"
    assert "13912345678" not in stored.asker_phone_encrypted
    assert stored.asker_phone_index and stored.organisation == expert[1].organisation


def test_only_a_chief_legal_expert_answers_and_nobody_in_anothers_name(mworld, expert):
    with pytest.raises(ValidationError) as not_expert:
        _record(expert, expert=mworld.zhang_profile)
    assert "expert" in not_expert.value.message_dict
    with pytest.raises(PermissionDenied):
        _record(expert, actor=mworld.bao)  # a colleague, not the expert, not a clerk
    # the committee's clerk may record on the expert's behalf
    assert _record(expert, actor=mworld.committee_clerk).recorded_by == mworld.committee_clerk


def test_form_on_a_phone_errors_beside_fields_and_list(mworld, expert, client_for):
    client = client_for(expert[0])
    assert client.get("/mediation/consultations/new/").status_code == 200
    bad = client.post("/mediation/consultations/new/", {
        "expert": expert[1].pk, "asked_on": timezone.localdate().isoformat(),
        "asker_name": "王大妈", "asker_phone": "12345", "topic": "", "question": "q",
        "answer": "a", "dispute": "JF-NOPE"})  # fmt: skip
    page = bad.content.decode()
    assert bad.status_code == 400
    assert 'data-testid="error-topic"' in page and 'data-testid="error-asker_phone"' in page
    unknown = client.post("/mediation/consultations/new/", {
        "expert": expert[1].pk, "asked_on": timezone.localdate().isoformat(),
        "asker_name": "王大妈", "topic": "t", "question": "q", "answer": "a",
        "dispute": "JF-NOPE"})  # fmt: skip
    assert unknown.status_code == 400 and 'data-testid="error-dispute"' in unknown.content.decode()
    assert not LegalConsultation.objects.exists()
    good = client.post("/mediation/consultations/new/", {
        "expert": expert[1].pk, "asked_on": timezone.localdate().isoformat(),
        "asker_name": "王大妈", "asker_phone": "13912345678", "topic": "公共设施",
        "question": "沙坑谁来管？", "answer": "物业依合同维护。"})  # fmt: skip
    assert good.status_code == 302
    listing = client.get("/mediation/consultations/").content.decode()
    assert "公共设施" in listing and "13912345678" not in listing


def test_outsiders_get_404(mworld, expert, client_for, api_for):
    consultation = _record(expert)
    for user in (mworld.outsider, mworld.far_mediator):
        assert (
            client_for(user).get(f"/mediation/consultations/{consultation.pk}/").status_code == 404
        )
        assert (
            api_for(user).get(f"/api/mediation/consultations/{consultation.pk}/").status_code == 404
        )
        assert api_for(user).get("/api/mediation/consultations/").json()["results"] == []
    assert (
        client_for(mworld.committee_clerk)
        .get(f"/mediation/consultations/{consultation.pk}/")
        .status_code
        == 200
    )


def test_api_records_the_experts_own_and_links_a_dispute_in_scope(mworld, expert, api_for):
    api = api_for(expert[0])
    made = api.post("/api/mediation/consultations/", {
        "asked_on": timezone.localdate().isoformat(), "asker_name": "李大爷",
        "asker_phone": "13800001111", "topic": "继承", "question": "房子怎么分？",
        "answer": "按法定继承顺序。", "follow_up": "下周带材料再来"}, format="json")  # fmt: skip
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["expert_name"] == "刘律师" and body["asker_phone_masked"] == "138****1111"
    assert "asker_phone" not in body
    bad_phone = api.post("/api/mediation/consultations/", {
        "asked_on": timezone.localdate().isoformat(), "asker_name": "李大爷",
        "asker_phone": "123", "topic": "t", "question": "q", "answer": "a"}, format="json")  # fmt: skip
    assert bad_phone.status_code == 400 and "asker_phone" in bad_phone.json()["fields"]
    missing_dispute = api.post("/api/mediation/consultations/", {
        "asked_on": timezone.localdate().isoformat(), "asker_name": "李大爷", "topic": "t",
        "question": "q", "answer": "a", "dispute": 987654}, format="json")  # fmt: skip
    assert missing_dispute.status_code == 400 and "dispute" in missing_dispute.json()["fields"]
    not_expert = api_for(mworld.zhang).post("/api/mediation/consultations/", {
        "asked_on": timezone.localdate().isoformat(), "asker_name": "x", "topic": "t",
        "question": "q", "answer": "a"}, format="json")  # fmt: skip
    assert not_expert.status_code == 400 and "expert" in not_expert.json()["fields"]
    assert not Dispute.objects.exists()
