"""Sessions, outcomes, agreements, bulk reassignment; page and API."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from common.statemachine import TransitionNotAllowed
from deadlines.models import Deadline
from mediation import clocks
from mediation.models import Agreement, Session, Status
from mediation.services import (
    mediation_agree,
    mediation_receipt_sign,
    mediation_withdraw,
    mediator_relative_add,
    mediators_reassign_bulk,
    session_log,
)
from tests.factories import image_bytes

from .conftest import ID_RESPONDENT


@pytest.fixture
def signed(mworld, delegated):
    return mediation_receipt_sign(case=delegated, actor=mworld.zhang)


def test_a_session_needs_the_receipt_first(mworld, delegated):
    with pytest.raises(ValidationError) as refused:
        session_log(case=delegated, actor=mworld.zhang, record="到场")
    assert "签收" in " ".join(refused.value.messages)


def test_phone_form_logs_a_session_with_photo_and_next_session_reminder(mworld, signed, client_for):
    next_time = timezone.localtime() + datetime.timedelta(days=3)
    response = client_for(mworld.zhang).post(
        f"/mediation/{signed.pk}/sessions/new/",
        {
            "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "place": "团结社区红色驿站",
            "attendees": ["party", "property_company"],
            "record": "双方陈述，物业说明维修计划。",
            "photos": SimpleUploadedFile("p.jpg", image_bytes("JPEG"), content_type="image/jpeg"),
            "next_session_at": next_time.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    session = Session.objects.get(case=signed)
    assert session.place == "团结社区红色驿站"
    assert sorted(session.attendees.values_list("kind", flat=True)) == ["party", "property_company"]
    assert list(session.mediators.all()) == [mworld.zhang_profile]
    assert session.files.get().kind == "photo"
    signed.refresh_from_db()
    assert signed.status == Status.IN_MEDIATION
    reminder = clocks.open_clocks(signed, clocks.NEXT_SESSION)[0]
    assert reminder.owner == mworld.zhang
    assert timezone.localtime(reminder.due_at).date() == next_time.date()


def test_session_form_errors_beside_fields(mworld, signed, client_for):
    response = client_for(mworld.zhang).post(
        f"/mediation/{signed.pk}/sessions/new/",
        {"held_at": (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="error-held_at"' in body and 'data-testid="error-record"' in body
    assert not Session.objects.exists()


def test_withdrawal_only_for_a_filed_case(mworld, signed):
    session_log(case=signed, actor=mworld.zhang, record="到场")
    with pytest.raises(TransitionNotAllowed) as refused:
        mediation_withdraw(case=signed, actor=mworld.zhang)
    assert "委托调解" in refused.value.message


def _money(respondent, applicant, **extra):
    return {
        "obligor": respondent.pk,
        "obligee": applicant.pk,
        "kind": "money",
        "due_date": "2026-12-31",
        **extra,
    }


def test_agreement_through_the_api_money_as_strings_instalments_and_no_document_yet(
    mworld, signed, api_for, client_for
):
    session_log(case=signed, actor=mworld.zhang, record="达成一致")
    applicant = signed.case_parties.get(role="applicant")
    respondent = signed.case_parties.get(role="respondent")
    api = api_for(mworld.zhang)
    url = f"/api/mediation/cases/{signed.pk}/agreement/"
    number = api.post(
        url,
        {"terms": "赔偿", "obligations": [_money(respondent, applicant, amount=3000)]},
        format="json",
    )
    assert number.status_code == 400 and "amount" in str(number.json()["fields"])
    uneven = api.post(
        url,
        {"terms": "赔偿", "obligations": [_money(respondent, applicant, amount="3000.00", instalments=[
            {"amount": "1000.00", "due_date": "2026-10-31"}, {"amount": "1000.00", "due_date": "2026-11-30"}])]},
        format="json",
    )  # fmt: skip
    assert uneven.status_code == 400 and "之和" in str(uneven.json()["fields"])
    assert not Agreement.objects.exists()
    made = api.post(
        url,
        {"terms": "赵某分两期赔偿李某3000元，丙公司担保。", "obligations": [_money(respondent, applicant, amount="3000.00",
            guarantor_name="丙公司", instalments=[{"amount": "1500.00", "due_date": "2026-11-30"},
                                                  {"amount": "1500.00", "due_date": "2026-12-31"}])]},
        format="json",
    )  # fmt: skip
    assert made.status_code == 201, made.json()
    obligation = made.json()["obligations"][0]
    assert obligation["amount"] == "3000.00" and obligation["guarantor_name"] == "丙公司"
    assert made.json()["document_generated"] is False
    signed.refresh_from_db()
    assert signed.status == Status.AGREED
    page = client_for(mworld.court_clerk).get(f"/mediation/{signed.pk}/agreement/").content.decode()
    assert "调解协议书尚未生成" in page and "¥1,500.00" in page


def test_agreement_refuses_a_party_owing_themselves(mworld, signed):
    session_log(case=signed, actor=mworld.zhang, record="达成一致")
    applicant = signed.case_parties.get(role="applicant")
    with pytest.raises(ValidationError):
        mediation_agree(
            case=signed,
            actor=mworld.zhang,
            terms="x",
            obligations=[{"obligor": applicant, "obligee": applicant, "kind": "act", "act": "道歉",
                          "due_date": datetime.date(2026, 12, 1)}],
        )  # fmt: skip
    signed.refresh_from_db()
    assert signed.status == Status.IN_MEDIATION and not Agreement.objects.exists()


def test_bulk_reassignment_moves_open_cases_and_keeps_a_conflicted_one(mworld, delegated, signed):
    from mediation.services import mediation_case_delegate, mediator_assign

    from .conftest import parties

    second = mediation_case_delegate(
        court=mworld.court, organisation=mworld.committee, actor=mworld.court_clerk,
        court_reference="（2026）蒙0302民诉前调13号", category="neighbour", facts="噪音",
        parties=parties(),
    )  # fmt: skip
    mediator_assign(case=second, mediator=mworld.zhang_profile, actor=mworld.court_clerk)
    # 包调解 turns out to be the respondent's relative: that case must not move to them
    mediator_relative_add(
        mediator=mworld.bao_profile, actor=mworld.committee_clerk, relation="spouse",
        name="赵某", id_number=ID_RESPONDENT,
    )  # fmt: skip
    with pytest.raises(ValidationError):
        mediators_reassign_bulk(
            from_mediator=mworld.zhang_profile, actor=mworld.committee_clerk, reason=""
        )
    result = mediators_reassign_bulk(
        from_mediator=mworld.zhang_profile,
        actor=mworld.committee_clerk,
        to_mediator=mworld.bao_profile,
        reason="张调解退休",
        mark_left=True,
    )
    assert result["moved"] == []
    assert len(result["kept"]) == 2 and all("回避" in why for _case, why in result["kept"])
    mworld.zhang_profile.refresh_from_db()
    assert not mworld.zhang_profile.is_active


def test_bulk_reassignment_hands_over_clocks(mworld, signed, api_for):
    response = api_for(mworld.committee_clerk).post(
        f"/api/mediation/mediators/{mworld.zhang_profile.pk}/reassign/",
        {"to_mediator": mworld.bao_profile.pk, "reason": "张调解调离"},
        format="json",
    )
    assert response.json() == {"moved": [signed.pk], "kept": []}
    signed.refresh_from_db()
    assert signed.mediator == mworld.bao_profile
    clock = Deadline.objects.get(object_id=signed.pk, kind=clocks.PRE_LITIGATION)
    assert clock.owner == mworld.bao
