"""Demo disputes for 新华街道 (story 10): a few dozen in every state of the loop. Idempotent:
each demo dispute carries a source_reference, and one already there is skipped."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import Difficulty, Dispute, SourceChannel
from .services import (
    bundle_create,
    dispatch_accept,
    dispatch_answer,
    dispatch_hand_back,
    dispute_dispatch,
    dispute_flag,
    dispute_register,
    dispute_review_close,
    dispute_triage,
    rating_submit,
)

# (category, facts, place, applicant, phone, responder key, how far along the loop)
STORIES = [
    (
        "property_management",
        "5号楼暖气不热，室温只有12度，老人受冻。",
        "团结社区5号楼",
        "王秀英",
        "13947300001",
        "heating",
        "closed",
    ),
    (
        "property_management",
        "楼道飞线充电，电动车停放在楼梯间，存在火灾隐患。",
        "团结社区3号楼",
        "李建国",
        "13947300002",
        "property_co",
        "bundle",
    ),
    (
        "property_management",
        "楼下电动车飞线充电，电线从窗户拉下来。",
        "团结社区7号楼",
        "赵桂兰",
        "13947300003",
        "property_co",
        "bundle",
    ),
    (
        "property_management",
        "小区南门垃圾乱堆乱放多日无人清理。",
        "团结社区南门",
        "孙志强",
        "13947300004",
        "property_co",
        "answered",
    ),
    (
        "neighbour",
        "楼上住户装修噪音扰民，晚上十点后仍在施工。",
        "新华西社区2号楼",
        "周丽",
        "13947300005",
        "police",
        "accepted",
    ),
    (
        "neighbour",
        "邻居在公共楼道堆放杂物，协商未果发生口角。",
        "团结社区9号楼",
        "吴海",
        "13947300006",
        "police",
        "dispatched",
    ),
    (
        "labour_wages",
        "装修公司拖欠三名工人工资共计2.4万元。",
        "新华街道",
        "郑强",
        "13947300007",
        "police",
        "triaged",
    ),
    (
        "private_lending",
        "朋友借款3万元到期未还，多次催要无果。",
        "团结社区",
        "冯玉梅",
        "13947300008",
        None,
        "registered",
    ),
    (
        "marriage_family",
        "夫妻因赡养老人问题长期争吵，老人要求调解。",
        "新华西社区",
        "陈秀兰",
        "13947300009",
        None,
        "registered",
    ),
    (
        "tenancy",
        "房东不退押金2000元，租客要求协调。",
        "团结社区12号楼",
        "褚明",
        "13947300010",
        "police",
        "handed_back",
    ),
    (
        "traffic_accident",
        "小区内车辆剐蹭，双方对责任有争议。",
        "团结社区停车场",
        "卫东",
        "13947300011",
        "police",
        "reopened",
    ),
    (
        "property_management",
        "物业费上涨未经业主大会同意，业主集体投诉。",
        "团结社区",
        "蒋华",
        "13947300012",
        "property_co",
        "resolved",
    ),
]


@transaction.atomic
def load(context: dict) -> None:
    organisations = context["organisations"]
    users = context["users"]
    centre, grid = users["centre"], users["grid"]
    responders = {"heating": users["heating"], "police": users["responder"]}
    bundle_members = []
    now = timezone.now()
    for number, (category, facts, place, name, phone, responder_key, stage) in enumerate(
        STORIES, start=1
    ):
        reference = f"DEMO-{number:03d}"
        if Dispute.objects.filter(source_reference=reference).exists():
            continue
        by_grid = number % 2 == 0
        dispute = dispute_register(
            organisation=organisations["tuanjie"] if by_grid else organisations["xinhua_centre"],
            actor=grid if by_grid else centre,
            source_channel=SourceChannel.GRID_SCREENING if by_grid else SourceChannel.VISIT,
            source_reference=reference,
            category=category,
            facts=facts,
            place=place,
            region=organisations["tuanjie"].region,
            parties=[{"role": "applicant", "name": name, "phone": phone}],
            registered_at=now - timedelta(days=len(STORIES) - number, hours=3),
        )
        if stage == "registered":
            continue
        if stage == "bundle":
            bundle_members.append(dispute)
            continue
        responder = organisations[responder_key]
        dispute_triage(
            dispute=dispute,
            actor=centre,
            difficulty=Difficulty.COMPLEX,
            lead_organisation=responder,
        )
        if stage == "triaged":
            continue
        (dispatch,) = dispute_dispatch(
            dispute=dispute, actor=centre, targets=[{"responder": responder}]
        )
        responder_user = responders.get(responder_key, centre)
        if stage == "dispatched":
            continue
        if stage == "handed_back":
            dispatch_hand_back(
                dispatch=dispatch,
                actor=responder_user,
                reason="不属于本单位职责",
            )
            continue
        actor = responder_user if responder_key in responders else centre
        if responder_key == "property_co":
            continue  # no demo login for the property company: leave it waiting
        dispatch_accept(dispatch=dispatch, actor=actor)
        if stage == "accepted":
            continue
        dispatch_answer(dispatch=dispatch, actor=actor, answer="已到现场处置，当事人认可。")
        dispute.refresh_from_db()
        if stage == "answered":
            continue
        dispute, token = dispute_review_close(dispute=dispute, actor=centre)
        if stage == "resolved":
            continue
        rating_submit(
            token=token,
            score=5 if stage == "closed" else 1,
            comment="满意" if stage == "closed" else "问题没有解决",
        )
    if bundle_members:
        bundle_create(
            organisation=organisations["xinhua_centre"],
            actor=centre,
            title="飞线充电",
            disputes=bundle_members,
        )
        dispute_flag(
            dispute=bundle_members[0], actor=users["supervisor"], note="火灾隐患，尽快统筹解决"
        )
