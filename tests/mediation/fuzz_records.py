"""Real mediation records for the schemathesis run (tests/cases/test_api_fuzz.py): an
agreement with an instalment, a complaint meeting with an issue and a legal consultation,
all in the loop centre's scope, so the id-bound pass reaches these endpoints too."""

import datetime
from decimal import Decimal

from django.utils import timezone

from mediation.models import Instalment, MediatorKind
from mediation.services import (
    complaint_meeting_create,
    legal_consultation_record,
    mediation_agree,
    mediation_case_request,
    mediation_receipt_sign,
    mediator_assign,
    mediator_create,
    session_log,
)
from organisations.models import Organisation, User


def mediation_records(loop) -> dict:
    # read back: sorted inserts moved the organisations' paths after the fixture built them
    centre = Organisation.objects.get(pk=loop.centre.pk)
    clerk = User.objects.get(pk=loop.clerk.pk)
    mediator = mediator_create(
        organisation=centre, actor=clerk, user=clerk, name="中心调解员",
        kind=MediatorKind.PEOPLES,
    )  # fmt: skip
    case = mediation_case_request(
        organisation=centre, actor=clerk, category="neighbour", facts="借款未还",
        parties=[{"role": "applicant", "name": "甲"}, {"role": "respondent", "name": "乙"}],
    )  # fmt: skip
    case = mediator_assign(case=case, mediator=mediator, actor=clerk)
    case = mediation_receipt_sign(case=case, actor=clerk)
    session_log(case=case, actor=clerk, record="达成一致")
    applicant = case.case_parties.get(role="applicant")
    respondent = case.case_parties.get(role="respondent")
    due = timezone.localdate() + datetime.timedelta(days=30)
    mediation_agree(case=case, actor=clerk, terms="乙还甲1000元", obligations=[{
        "obligor": respondent.pk, "obligee": applicant.pk, "kind": "money",
        "amount": Decimal("1000.00"), "due_date": due}])  # fmt: skip
    meeting = complaint_meeting_create(
        organisation=centre, actor=clerk, held_on=timezone.localdate(),
        place="红色驿站", attendees="居民代表", issues=[{"summary": "小区沙坑"}],
    )  # fmt: skip
    expert = mediator_create(
        organisation=centre, actor=clerk, name="首席专家",
        kind=MediatorKind.CHIEF_LEGAL_EXPERT,
    )  # fmt: skip
    consultation = legal_consultation_record(
        expert=expert, actor=clerk, asked_on=timezone.localdate(), asker_name="王大妈",
        topic="物业", question="沙坑谁管？", answer="物业依合同维护。",
    )  # fmt: skip
    return {
        "/api/mediation/compliance/": case.pk,
        "/api/mediation/cases/": case.pk,
        "/api/mediation/mediators/": mediator.pk,
        "/api/mediation/instalments/": Instalment.objects.get(obligation__agreement__case=case).pk,
        "/api/mediation/meetings/": meeting.pk,
        "/api/mediation/meeting-issues/": meeting.issues.get().pk,
        "/api/mediation/consultations/": consultation.pk,
    }
