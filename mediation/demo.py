"""Demo mediation for 新华街道 (seeds 000, 001, 003): the committee's mediators, a court's
invited mediators, a pre-litigation delegation being mediated, an entrustment waiting for
the receipt, a party's request that ended in an instalment agreement, and the grassland
boundary dispute the centre referred (created by the cases demo through the referral hook).

And the sandpit story (seed 000; DOMAIN.md, "Stories"): the complaint meetings (吐槽大会)
where residents raised it and the 飞线充电 issue — each issue pointing to the dispute the
centre registered (the cases demo), a new one registered in one click, one still open —
and the chief legal expert's consultations (法律咨询): the law on the estate's common parts
explained at the meeting, and a cleaner's unpaid wages. Meetings and consultations are
recorded at their own past moments (time-machine, as the cases demo does).

Idempotent: cases are found by their court reference / facts, mediators by name, meetings
by unit, day and place, consultations by expert, asker and day.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from .models import (
    ComplaintMeeting,
    LegalConsultation,
    MediationCase,
    Mediator,
    MediatorKind,
    Specialty,
    Status,
)
from .models import Language as L
from .services import (
    complaint_meeting_create,
    legal_consultation_record,
    mediation_agree,
    mediation_case_delegate,
    mediation_case_entrust,
    mediation_case_request,
    mediation_receipt_sign,
    mediator_assign,
    mediator_create,
    meeting_issue_link_dispute,
    meeting_issue_to_dispute,
    session_log,
)

# (name, organisation key, user, kind, title, specialties, languages, on the court's roster)
MEDIATORS = [
    ("张调解", "xinhua_committee", "mediator", MediatorKind.PEOPLES, "新华街道人民调解员",
     [Specialty.NEIGHBOUR, Specialty.PROPERTY, Specialty.LAND], [L.MANDARIN], True),
    ("巴特尔", "xinhua_committee", None, MediatorKind.INVITED, "特邀调解员（退休法官）",
     [Specialty.FAMILY, Specialty.LAND, Specialty.INHERITANCE], [L.MANDARIN, L.MONGOLIAN], True),
    ("马律师", "legal_station", "expert", MediatorKind.CHIEF_LEGAL_EXPERT, "首席法律咨询专家",
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

    load_meetings_and_consultations(context)


# --- the sandpit story: complaint meetings and legal consultations ---------------------------

SANDPIT = "吐槽大会上居民反映：小区南区儿童沙坑"  # the cases demo's dispute (seed 000)
CHARGING = "飞线充电：吐槽大会上多名居民反映"  # one of the 飞线充电 bundle's disputes
WAGES = "保洁员反映：用工单位未签劳动合同"


def _time_machine():
    """time-machine, to record each meeting and consultation at its own moment (the cases
    demo needs it too, and says how to install it)."""
    from cases.demo import _time_machine as cases_time_machine

    return cases_time_machine()


def _recently(now) -> datetime.datetime:
    """The last working-hours moment an hour or more before `now` (the cases demo's)."""
    from cases.demo import _recently as cases_recently

    return cases_recently(now)


def _at(day, hhmm: str) -> datetime.datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _registered(facts_start: str):
    from cases.models import Dispute

    return Dispute.objects.filter(facts__startswith=facts_start).order_by("pk").first()


def _meetings(context, travel, now) -> None:
    organisations, users = context["organisations"], context["users"]
    centre_clerk, grid = users["centre"], users["grid"]

    # 27 days ago at 盛世华庭 (新华西社区): the sandpit, which the centre registered there
    sandpit = _registered(SANDPIT)
    if sandpit is not None:
        day = timezone.localtime(sandpit.registered_at).date()
        place = "新华西社区盛世华庭南区红色驿站"
        if not ComplaintMeeting.objects.filter(held_on=day, place=place).exists():
            with travel(min(_at(day, "11:00"), now), tick=False):
                meeting = complaint_meeting_create(
                    organisation=organisations["xinhuaxi"],
                    actor=centre_clerk,
                    held_on=day,
                    place=place,
                    attendees="居民代表12人、金裕物业服务有限公司、盛世华庭业主委员会、新华西社区工作人员、"
                    "首席法律咨询专家马律师",
                    notes="居民集中吐槽小区公共区域无人管理。首席法律咨询专家现场讲解业主共有部分的"
                    "归属和物业服务人的维护义务；社区、物业、业委会当场商定先改造儿童沙坑。",
                    issues=[
                        {"summary": "南区儿童沙坑变成了垃圾坑，孩子没处玩",
                         "details": "沙子里被倒入生活垃圾和建筑垃圾，夏天有异味，物业说不归他们管。",
                         "raised_by": "任芬", "category": "property_management"},
                        {"summary": "地下车库照明灯坏了一半，晚上走着害怕",
                         "details": "物业当场答应一周内全部更换。",
                         "raised_by": "居民代表", "category": "property_management"},
                        {"summary": "绿化带被个别住户圈起来种菜",
                         "details": "业委会当场表示由其出面劝说，恢复绿化。",
                         "raised_by": "居民代表"},
                    ],
                )  # fmt: skip
                # the garage lights and the vegetable patch were settled on the spot (物业
                # and 业委会 promised to act): not registered, one click away if they recur
                sandpit_issue = meeting.issues.order_by("pk").first()
                meeting_issue_link_dispute(issue=sandpit_issue, actor=centre_clerk, dispute=sandpit)

    # two days ago at 团结社区: 飞线充电 (the centre registered it and bundled it), and the
    # fitness equipment, which the grid worker registers in one click today
    charging = _registered(CHARGING)
    if charging is not None:
        day = timezone.localtime(charging.registered_at).date()
        place = "团结社区红色驿站"
        if not ComplaintMeeting.objects.filter(held_on=day, place=place).exists():
            with travel(min(_at(day, "10:30"), now), tick=False):
                meeting = complaint_meeting_create(
                    organisation=organisations["tuanjie"],
                    actor=grid,
                    held_on=day,
                    place=place,
                    attendees="居民代表9人、金裕物业服务有限公司、社区民警、网格员刘网格",
                    notes="冬季前集中听取居民意见，重点是电动车充电和小区设施。",
                    issues=[
                        {"summary": "没有集中充电桩，只能飞线充电",
                         "details": "冬季电瓶车多，电线从窗户垂下，担心起火。",
                         "raised_by": "任芬", "category": "property_management"},
                        {"summary": "小区健身器材损坏，老人锻炼时被划伤",
                         "details": "中心广场两台扭腰器松动，一台漫步机踏板断裂。",
                         "raised_by": "田秀英", "category": "property_management"},
                        {"summary": "快递柜前堆放包裹，堵住了单元门口",
                         "raised_by": "居民代表"},
                    ],
                )  # fmt: skip
            charging_issue, equipment, _parcels = meeting.issues.order_by("pk")
            with travel(min(_at(day, "11:00"), now), tick=False):
                meeting_issue_link_dispute(
                    issue=charging_issue, actor=centre_clerk, dispute=charging
                )
            # registered in one click within the last working hours (never at night)
            with travel(_recently(now), tick=False):
                meeting_issue_to_dispute(issue=equipment, actor=grid)


CONSULTATIONS = [
    # (facts of the linked dispute, asker, phone, topic, question, answer, follow-up, time)
    (SANDPIT, "任芬", "13947306612", "小区公共区域的管理责任",
     "小区南区的儿童沙坑成了垃圾坑，物业说沙坑不在物业合同里，不归他们管。沙坑到底归谁管？"
     "维修改造的钱由谁出？",
     "沙坑位于小区建筑区划内，属于业主共有的场所和设施（《民法典》第二百七十四条）。物业服务人"
     "应当按照约定和物业的使用性质，妥善维修、养护、清洁业主共有部分（《民法典》第九百四十二条），"
     "清运垃圾属于日常保洁，不能以合同未列明沙坑为由推脱；改造费用可由业主共同决定使用公共收益"
     "或者专项维修资金。建议社区牵头，物业、业委会共同商定整改方案和期限。",
     "社区当场召集物业和业委会，商定物业两天内清运垃圾、更换新沙、加装围挡。", "10:30"),
    (WAGES, "孟凡荣", "18247360091", "未签劳动合同的工资追讨",
     "我在小区做保洁一年多，单位一直没和我签劳动合同。我辞职后，他们不发最后一个月3100元工资，"
     "我该怎么办？",
     "用人单位应当按时足额支付劳动报酬，离职时应当结清工资。用人单位自用工之日起超过一个月不满"
     "一年未与劳动者订立书面劳动合同的，应当向劳动者每月支付二倍的工资（《劳动合同法》第八十二条）。"
     "可以先申请劳动争议调解；调解不成的，可以在知道权利受侵害之日起一年内申请劳动争议仲裁"
     "（《劳动争议调解仲裁法》第二十七条）。请保存考勤、工资转账记录、工作群聊天记录等证据。",
     "已登记矛盾纠纷并转区劳动争议人民调解委员会，告知申请仲裁的时效。", "15:30"),
]  # fmt: skip


def _consultations(context, mediators, travel, now) -> None:
    expert = mediators["马律师"]
    # the expert records their own; a profile made before the expert had a login is
    # recorded by the administrator on their behalf
    actor = expert.user if expert.user_id else context["users"]["admin"]
    for facts, asker, phone, topic, question, answer, follow_up, hhmm in CONSULTATIONS:
        dispute = _registered(facts)
        if dispute is None:
            continue
        day = timezone.localtime(dispute.registered_at).date()
        if LegalConsultation.objects.filter(expert=expert, asker_name=asker, asked_on=day).exists():
            continue
        with travel(min(_at(day, hhmm), now), tick=False):
            legal_consultation_record(
                expert=expert, actor=actor, asked_on=day, asker_name=asker, asker_phone=phone,
                topic=topic, question=question, answer=answer, follow_up=follow_up,
                dispute=dispute,
            )  # fmt: skip


@transaction.atomic
def load_meetings_and_consultations(context: dict) -> None:
    travel = _time_machine().travel
    now = timezone.now()
    _meetings(context, travel, now)
    _consultations(context, _mediators(context), travel, now)
