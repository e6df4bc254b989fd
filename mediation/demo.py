"""Demo mediation for 新华街道 (seeds 000, 001, 003): the committee's mediators, a court's
invited mediators, a pre-litigation delegation being mediated, an entrustment waiting for
the receipt, a party's request that ended in an instalment agreement, and the grassland
boundary dispute the centre referred (created by the cases demo through the referral hook).

Idempotent: cases are found by their court reference / facts, mediators by name.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from .models import Language as L
from .models import MediationCase, Mediator, MediatorKind, Specialty, Status
from .services import (
    mediation_agree,
    mediation_case_delegate,
    mediation_case_entrust,
    mediation_case_request,
    mediation_receipt_sign,
    mediator_assign,
    mediator_create,
    session_log,
)

# (name, organisation key, user, kind, title, specialties, languages, on the court's roster)
MEDIATORS = [
    ("张调解", "xinhua_committee", "mediator", MediatorKind.PEOPLES, "新华街道人民调解员",
     [Specialty.NEIGHBOUR, Specialty.PROPERTY, Specialty.LAND], [L.MANDARIN], True),
    ("巴特尔", "xinhua_committee", None, MediatorKind.INVITED, "特邀调解员（退休法官）",
     [Specialty.FAMILY, Specialty.LAND, Specialty.INHERITANCE], [L.MANDARIN, L.MONGOLIAN], True),
    ("马律师", "legal_station", None, MediatorKind.CHIEF_LEGAL_EXPERT, "首席法律咨询专家",
     [Specialty.CONTRACT, Specialty.LABOUR], [L.MANDARIN], True),
    ("高阿姨", "tuanjie", None, MediatorKind.VOLUNTEER, "团结社区热心人",
     [Specialty.NEIGHBOUR, Specialty.FAMILY], [L.MANDARIN], False),
]  # fmt: skip

PEOPLE = {
    # name: a valid 居民身份证 number (乌海 area codes, checked like the cases demo's)
    "孙丽": "15030219850312002X",
    "周强": "150302198007150019",
    "吴敏": "150303199001010024",
    "郑海": "150302197806060015",
    "钱芳": "150302198811110026",
    "冯军": "150302198202020017",
}


def _party(name, role):
    return {"role": role, "name": name, "id_number": PEOPLE[name]}


def _mediators(context) -> dict[str, Mediator]:
    organisations, users = context["organisations"], context["users"]
    admin = users["admin"]
    found = {}
    for name, org_key, username, kind, title, specialties, languages, roster in MEDIATORS:
        organisation = organisations[org_key]
        mediator = Mediator.objects.filter(name=name, organisation=organisation).first()
        if mediator is None:
            mediator = mediator_create(
                organisation=organisation,
                actor=admin,
                user=users.get(username) if username else None,
                name=name,
                kind=kind,
                title=title,
                specialties=specialties,
                languages=languages,
                serves=[organisation, organisations["xinhua_committee"]],
                rosters=[organisations["hbw_court"]] if roster else [],
            )
        found[name] = mediator
    return found


@transaction.atomic
def load(context: dict) -> None:
    from common.validators import validate_id_number

    for number in PEOPLE.values():
        validate_id_number(number)
    organisations, users = context["organisations"], context["users"]
    mediators = _mediators(context)
    committee, court = organisations["xinhua_committee"], organisations["hbw_court"]
    clerk, mediator_user = users["clerk"], users["mediator"]
    now = timezone.now()

    reference = "（2026）蒙0302民诉前调15号"
    if not MediationCase.objects.filter(court_reference=reference).exists():
        case = mediation_case_delegate(
            court=court,
            organisation=committee,
            actor=clerk,
            court_reference=reference,
            category="property_management",
            facts="业主孙丽诉金裕物业：9号楼顶层漏水三个月未修，拒交物业费；物业起诉追缴物业费 2,376 元。法院诉前委派调解。",
            parties=[_party("孙丽", "applicant"), _party("周强", "respondent")],
            amount_in_dispute="2376.00",
        )
        mediator_assign(case=case, mediator=mediators["张调解"], actor=clerk)
        mediation_receipt_sign(case=case, actor=mediator_user)
        session_log(
            case=case,
            actor=mediator_user,
            place="团结社区红色驿站",
            record="业主陈述漏水经过；物业称需动用维修资金。双方同意先由物业临时修补，下周业委会到场商议维修资金。",
            attendees=["party", "property_company", "owners_committee"],
            next_steps="通知业委会主任参加下次调解",
            next_session_at=now + datetime.timedelta(days=5),
        )

    reference = "（2026）蒙0302民初321号"
    if not MediationCase.objects.filter(court_reference=reference).exists():
        case = mediation_case_entrust(
            court=court,
            organisation=committee,
            actor=clerk,
            court_reference=reference,
            category="marriage_family",
            facts="离婚后子女探望安排纠纷，已立案，适用简易程序，委托调解。",
            parties=[_party("吴敏", "applicant"), _party("郑海", "respondent")],
            simplified_procedure=True,
        )
        mediator_assign(case=case, mediator=mediators["张调解"], actor=clerk)

    facts = "邻居冯军装修借用钱芳家院墙搭建彩钢棚，雨水倒灌钱芳院内，钱芳要求拆除并赔偿。"
    if not MediationCase.objects.filter(facts=facts).exists():
        case = mediation_case_request(
            organisation=committee,
            actor=mediator_user,
            category="neighbour",
            facts=facts,
            parties=[_party("钱芳", "applicant"), _party("冯军", "respondent")],
            amount_in_dispute="5000.00",
        )
        mediator_assign(case=case, mediator=mediators["张调解"], actor=mediator_user)
        mediation_receipt_sign(case=case, actor=mediator_user)
        session_log(
            case=case,
            actor=mediator_user,
            place="新华街道人民调解委员会调解室",
            record="双方到场。冯军同意十日内拆除彩钢棚，分两期赔偿钱芳 3,000 元。",
            attendees=["party"],
        )
        applicant = case.case_parties.get(role="applicant")
        respondent = case.case_parties.get(role="respondent")
        today = timezone.localdate()
        mediation_agree(
            case=case,
            actor=mediator_user,
            terms="一、冯军于十日内拆除借用钱芳院墙搭建的彩钢棚；二、冯军赔偿钱芳损失3,000元，分两期支付。",
            obligations=[
                {"obligor": respondent, "obligee": applicant, "kind": "act",
                 "act": "拆除借用院墙搭建的彩钢棚", "due_date": today + datetime.timedelta(days=10)},
                {"obligor": respondent, "obligee": applicant, "kind": "money", "amount": "3000.00",
                 "due_date": today + datetime.timedelta(days=60),
                 "instalments": [
                     {"amount": "1500.00", "due_date": today + datetime.timedelta(days=30)},
                     {"amount": "1500.00", "due_date": today + datetime.timedelta(days=60)},
                 ]},
            ],
        )  # fmt: skip

    # the grassland dispute the centre referred (cases demo → referral hook): 巴特尔 speaks
    # Mongolian and knows land boundaries
    referred = MediationCase.objects.filter(
        dispute__isnull=False, status=Status.RECEIVED, mediator__isnull=True
    )
    for case in referred:
        mediator_assign(case=case, mediator=mediators["巴特尔"], actor=users["admin"])
