"""Assignment refuses a mediator who is a party or a declared close relative of one
(matched by blind index; the numbers are never shown), and suggestions leave them out."""

import pytest
from django.core.exceptions import ValidationError

from mediation.selectors import mediator_suggestions
from mediation.services import mediation_case_delegate, mediator_assign, mediator_relative_add

from .conftest import ID_APPLICANT, ID_MEDIATOR_ZHANG, ID_RESPONDENT, ID_ZHANG_SISTER


def _case(mworld, *, applicant_id=ID_APPLICANT, respondent_id=ID_RESPONDENT, category="neighbour"):
    return mediation_case_delegate(
        court=mworld.court,
        organisation=mworld.committee,
        actor=mworld.court_clerk,
        court_reference="（2026）蒙0302民诉前调20号",
        category=category,
        facts="相邻通行纠纷",
        parties=[
            {"role": "applicant", "name": "张某", "id_number": applicant_id},
            {"role": "respondent", "name": "王某", "id_number": respondent_id},
        ],
    )


def test_mediator_who_is_a_party_is_refused(mworld):
    case = _case(mworld, applicant_id=ID_MEDIATOR_ZHANG)
    with pytest.raises(ValidationError) as refused:
        mediator_assign(case=case, mediator=mworld.zhang_profile, actor=mworld.court_clerk)
    message = " ".join(refused.value.message_dict["mediator"])
    assert "回避" in message and "张某" in message
    assert ID_MEDIATOR_ZHANG not in message and ID_MEDIATOR_ZHANG[-4:] not in message
    case.refresh_from_db()
    assert case.mediator is None
    assert mworld.zhang_profile not in [s.mediator for s in mediator_suggestions(case)]


def test_mediator_related_to_a_party_is_refused_page_and_api(mworld, client_for, api_for):
    mediator_relative_add(
        mediator=mworld.zhang_profile,
        actor=mworld.committee_clerk,
        relation="sibling",
        name="张姐",
        id_number=ID_ZHANG_SISTER,
    )
    case = _case(mworld, respondent_id=ID_ZHANG_SISTER)
    api = api_for(mworld.court_clerk)
    response = api.post(
        f"/api/mediation/cases/{case.pk}/assign/",
        {"mediator": mworld.zhang_profile.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "兄弟姐妹" in str(response.json()["fields"]["mediator"])
    assert ID_ZHANG_SISTER not in response.content.decode()
    page = client_for(mworld.court_clerk).post(
        f"/mediation/{case.pk}/assign/", {"mediator": mworld.zhang_profile.pk}
    )
    assert page.status_code == 400
    assert "应当回避" in page.content.decode()
    case.refresh_from_db()
    assert case.mediator is None


def test_unrelated_mediator_is_assigned_and_suggestions_rank_language_specialty_load(mworld):
    case = _case(mworld, category="marriage_family")
    suggestions = mediator_suggestions(case)
    # 包调解 is the family specialist; 张调解 is not
    assert suggestions[0].mediator == mworld.bao_profile
    assert suggestions[0].specialty_match
    assigned = mediator_assign(case=case, mediator=mworld.bao_profile, actor=mworld.court_clerk)
    assert assigned.mediator == mworld.bao_profile


def test_mediator_of_another_committee_is_not_eligible(mworld):
    from mediation.models import Mediator

    far = Mediator.objects.get(user=mworld.far_mediator)
    case = _case(mworld)
    with pytest.raises(ValidationError) as refused:
        mediator_assign(case=case, mediator=far, actor=mworld.court_clerk)
    assert "名册" in " ".join(refused.value.messages)
