"""Demo disputes for 新华街道 (story 10): about forty residents' troubles over the last six
weeks, in every state of the whistle loop, moved along by the real services.

Idempotent: each demo dispute carries a source_reference ("DEMO-001" …) and one already
there is skipped; the 飞线充电 bundle is found by its title.

Each story is played at plausible past moments: every step (出卷, 研判, 吹哨, 应哨, 答卷, 交卷,
评卷, 销号, 督办 …) runs under `time_machine.travel(moment, tick=False)`, so the services stamp
events, audit entries, deadlines, dispatch and rating times with the story's own clock, in
Beijing working hours (08:30–17:30; the centre keeps duty at weekends). Triage comes within
hours of registration, dispatch the same day, acceptance within a day, answers within the
deadline for most and late for a few (`Story.pace`), review a day later and the rating 1–3
days after that. A step is never later than now: only disputes still open now have steps
"now" (recent dispatches), so the ledger and weekly report show resolutions spread over
the past weeks and the 督办 page shows the genuinely overdue dispatches. The deadline clocks
of finished steps are met or cancelled at their moments, so the reminder sweep after
loading sends only the few escalations of what is really overdue now.
"""

from __future__ import annotations

import contextlib
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from stdnum.cn import uscc

from . import conf
from .models import Bundle, Category, Difficulty, Dispute, ReferralTarget, RiskLevel
from .models import SourceChannel as C
from .services import (
    bundle_add,
    bundle_create,
    bundle_escalate,
    dispatch_accept,
    dispatch_answer,
    dispatch_hand_back,
    dispute_close,
    dispute_dispatch,
    dispute_flag,
    dispute_refer,
    dispute_register,
    dispute_review_close,
    dispute_send_back,
    dispute_triage,
    rating_submit,
)

# --- parties --------------------------------------------------------------------------------

# (name, sex, birth date, area code of the 居民身份证, mobile). Area codes are 乌海市's
# districts (150302 海勃湾区, 150303 海南区, 150304 乌达区, created in 1983) for residents born
# there since, and for older residents the places they came from (土默特左旗 150121, 临河县
# 152821, 阿拉善左旗 152921, 宁夏平罗县 640221 …): a code must exist in the birth year, as
# stdnum.cn.ric (and so the portal) checks.
PEOPLE = {
    "高秀梅": ("f", "19620314", "150221", "13947301826"),
    "马建军": ("m", "19790508", "152821", "15047352093"),
    "其其格": ("f", "19850921", "150303", "13847392215"),
    "韩梅": ("f", "19900217", "150302", "18647320477"),
    "巴特尔": ("m", "19720611", "152921", "13904738812"),
    "王淑琴": ("f", "19580103", "640221", "13337230958"),
    "白雪": ("f", "19960725", "150202", "17704735531"),
    "任芬": ("f", "19670830", "150222", "13947306612"),
    "赵永强": ("m", "19830419", "150302", "15847310294"),
    "李桂兰": ("f", "19550912", "150221", "13514735207"),
    "张文斌": ("m", "19880127", "150303", "18347300916"),
    "乌云": ("f", "19761105", "152921", "15247367743"),
    "陈志刚": ("m", "19690224", "640221", "13947318850"),
    "刘海涛": ("m", "19870615", "150302", "13624736608"),
    "孙国庆": ("m", "19651001", "150121", "13904731189"),
    "杨晓燕": ("f", "19920318", "150302", "18804738826"),
    "郭建华": ("m", "19740709", "152821", "15148328851"),
    "苏日娜": ("f", "19890412", "150302", "15704735529"),
    "周德胜": ("m", "19460822", "150122", "13947302203"),
    "周红梅": ("f", "19720305", "150122", "13847308871"),
    "黄磊": ("m", "19910930", "150303", "18947330452"),
    "吕丽娟": ("f", "19810216", "150222", "13614731946"),
    "朝鲁": ("m", "19770418", "152921", "15004739983"),
    "冯玉梅": ("f", "19630726", "150121", "13947305518"),
    "于振东": ("m", "19800111", "640221", "17747305216"),
    "罗晓明": ("m", "19930602", "150302", "18547318809"),
    "田秀英": ("f", "19510315", "150122", "13337233691"),
    "何俊": ("m", "19950828", "150303", "15147329972"),
    "敖登": ("f", "19840720", "150302", "13789735502"),
    "许志勇": ("m", "19780930", "150221", "13947310734"),
    "魏红": ("f", "19860514", "150302", "18604737720"),
    "邓宝山": ("m", "19600221", "152822", "13904735147"),
    "闫丽": ("f", "19940109", "150302", "15647318833"),
    "蒋华": ("m", "19751202", "150221", "13847316654"),
    "孟凡荣": ("f", "19700801", "150222", "18247360091"),
    "潘志刚": ("m", "19760318", "640221", "13904739025"),
    "石建平": ("m", "19820927", "150121", "15849348812"),
    "包金龙": ("m", "19860103", "150304", "18647305532"),
}

# (name, legal representative, type prefix, 8-character organisation code base)
COMPANIES = {
    "乌海市鑫宏装饰工程有限公司": ("潘志刚", "91", "MA0N4R2K"),
    "金裕物业服务有限公司": ("钱伟", "91", "MA13T7BX"),
    "乌海市速达物流有限公司": ("石建平", "91", "MA0QY9DL"),
    "海勃湾区兴旺建材商店": ("蒋华", "92", "L3K8P2WD"),
}

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CODE_VALUES = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}


def id_number(name: str) -> str:
    """A well-formed 居民身份证 number (GB 11643) for a demo person; sequence odd for men."""
    sex, birth, area, _phone = PEOPLE[name]
    position = list(PEOPLE).index(name)
    sequence = 100 + 2 * position + (1 if sex == "m" else 0)
    body = f"{area}{birth}{sequence:03d}"
    total = sum(int(digit) * weight for digit, weight in zip(body, ID_WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def credit_code(name: str) -> str:
    """A well-formed 统一社会信用代码 (GB 32100) whose organisation code passes GB 11714."""
    _rep, prefix, base = COMPANIES[name]
    total = sum(w * _CODE_VALUES[c] for w, c in zip((3, 7, 9, 10, 5, 8, 4, 2), base, strict=True))
    check = 11 - total % 11
    organisation_code = base + {10: "X", 11: "0"}.get(check, str(check))
    body = f"{prefix}150302{organisation_code}"
    return body + uscc.calc_check_digit(body)


def _party(name: str, role: str) -> dict:
    if name in COMPANIES:
        return {
            "role": role,
            "kind": "organisation",
            "name": name,
            "credit_code": credit_code(name),
            "legal_representative": COMPANIES[name][0],
        }
    return {"role": role, "kind": "person", "name": name, "id_number": id_number(name),
            "phone": PEOPLE[name][3]}  # fmt: skip


# --- the stories ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Story:
    days_ago: int
    at: str  # Beijing time of registration, "HH:MM"
    channel: str
    category: str
    facts: str
    place: str
    applicants: tuple[str, ...]
    # how far along the loop: registered, triaged, bundle, referred_mediation, referred_court,
    # dispatched, redispatched, handed_back, accepted, answered, sent_back, resolved, closed,
    # closed_unrated, reopened
    stage: str
    respondents: tuple[str, ...] = ()
    community: str = "tuanjie"  # region: tuanjie / xinhuaxi community, or "district"
    by_grid: bool = False  # registered by the grid worker of 团结社区 rather than the centre
    amount: str | None = None
    risk: str = RiskLevel.ORDINARY
    difficulty: str = Difficulty.COMPLEX
    responders: tuple[str, ...] = ()
    duty_note: str = ""
    answer: str = ""
    rating: tuple[int, str] | None = None
    flag: str = ""
    # Days after registration of 答卷, 交卷 (review) and 评卷 or 销号 (rating, or closing
    # unrated); missing ones follow from the deadline: answer halfway, review the next day,
    # rating 1–3 days later. An answer day at or past the deadline (7 days for complex) is a
    # late answer, as some are.
    pace: tuple[int, ...] = ()
    extra: dict = field(default_factory=dict)


S = Story
D = Difficulty
K = Category
R = RiskLevel

# Oldest first, so reference numbers run with the registration dates.
STORIES: list[Story] = [
    S(41, "09:20", C.HOTLINE_12345, K.PROPERTY_MANAGEMENT,
      "金裕花园6号楼1单元602室业主反映：楼上702室卫生间防水层破损，连续一周向下渗水，卧室顶棚墙皮"
      "脱落、木地板起鼓，多次找物业未解决。",
      "团结社区金裕花园6号楼1单元", ("高秀梅",), "closed", respondents=("金裕物业服务有限公司",),
      amount="4500", responders=("property_co",), duty_note="物业管理范围内的渗漏，由物业公司牵头",
      answer="物业维修班组入户查勘，确认702室卫生间防水层破损，协调702室业主同意重做防水；闭水试验48小时"
      "无渗漏。602室顶棚由物业修补，木地板损失经协商由702室业主赔偿3800元，已付清。",
      rating=(5, "漏水彻底解决了，物业态度也好。"), pace=(5, 6, 8)),
    S(39, "15:10", C.GRID_SCREENING, K.LABOUR_WAGES,
      "网格员排查发现：乌海市鑫宏装饰工程有限公司承接团结社区老旧小区改造项目，拖欠12名农民工9月份"
      "工资共计38600元，工人多次讨要未果，情绪激动，扬言到区政府上访。",
      "团结社区老旧小区改造项目工地", ("马建军", "郭建华"), "closed", by_grid=True,
      respondents=("乌海市鑫宏装饰工程有限公司",), amount="38600", risk=R.SERIOUS,
      difficulty=D.MULTI_DEPARTMENT, responders=("police", "xinhua_committee"),
      duty_note="涉农民工工资，派出所维稳、人民调解委员会组织调解",
      answer="约谈公司法定代表人潘志刚，现场核对考勤和工资表，公司当日通过银行转账向12名工人支付工资"
      "38600元，工人代表签字确认。",
      rating=(5, "工资全部拿到了，谢谢社区和派出所。"), pace=(2, 3, 4)),
    S(37, "10:05", C.VISIT, K.NEIGHBOUR,
      "盛世华庭南区7号楼住户反映：楼上住户每晚十一点后在家中跳绳、拖动家具，噪音影响老人和孩子休息，"
      "上门沟通后双方发生争吵。",
      "新华西社区盛世华庭南区7号楼", ("其其格",), "closed", respondents=("刘海涛",),
      community="xinhuaxi", difficulty=D.SIMPLE, responders=("xinhua_committee",),
      answer="人民调解员会同网格员上门，双方约定晚十点后不再进行健身活动，家具加装防滑垫，签订邻里公约。",
      rating=(4, "现在晚上安静多了。"), pace=(2, 3, 5)),
    S(35, "14:30", C.MINI_PROGRAM, K.PROPERTY_MANAGEMENT,
      "随拍即报：团结社区8号楼楼道及消防通道长期堆放旧家具、纸箱等杂物，乱堆乱放堵塞消防通道。",
      "团结社区8号楼", ("韩梅",), "closed", responders=("property_co",),
      answer="物业组织保洁人员清理楼道杂物两车，张贴“消防通道禁止堆物”告示，纳入每日巡查。",
      rating=(5, "楼道干净了，点赞。"), pace=(3, 4, 5)),
    S(33, "09:50", C.VISIT, K.PRIVATE_LENDING,
      "2025年3月借给同事王某现金30000元，约定一年内归还；到期后王某以生意亏损为由拖延，仅归还5000元，"
      "现电话不接。",
      "新华街道综治中心", ("巴特尔",), "closed", amount="25000", difficulty=D.SIMPLE,
      responders=("xinhua_committee",),
      answer="经人民调解委员会调解，双方达成分期还款协议：王某于12月底前还款10000元，余款15000元于"
      "2027年3月底前还清，已出具调解协议书，并告知可申请司法确认。",
      rating=(4, "达成协议了，希望他按时还。"), pace=(2, 3, 6)),
    S(31, "16:20", C.HOTLINE_12345, K.PROPERTY_MANAGEMENT,
      "金裕花园3号楼4单元住户反映：供暖开始后室内温度只有14度，暖气片上热下凉，家中有八旬老人。",
      "团结社区金裕花园3号楼4单元", ("王淑琴",), "closed", responders=("heating",),
      answer="热力公司维修人员入户检测，单元立管阀门开度不足、暖气片积气，已调整阀门并排气，复测室温"
      "20.5度。",
      rating=(5, "暖气热了，老人不受冻了。"), pace=(9, 10, 11)),  # answered late
    S(29, "11:00", C.GRID_SCREENING, K.TENANCY,
      "租户反映：退租时房东以墙面污损为由拒不退还押金2000元，双方对污损责任有争议。",
      "团结社区12号楼2单元", ("白雪",), "closed", by_grid=True, respondents=("孙国庆",),
      amount="2000", difficulty=D.SIMPLE, responders=("tuanjie",),
      answer="社区组织双方现场查看，确认墙面污损系正常使用损耗，房东同意退还押金1700元、扣除300元清洁费，"
      "当场转账。",
      rating=(4, "基本满意。"), pace=(2, 3, 4)),
    S(27, "10:40", C.COMPLAINT_MEETING, K.PROPERTY_MANAGEMENT,
      "吐槽大会上居民反映：小区南区儿童沙坑长期无人管理，沙子里被倒入生活垃圾，成了垃圾坑，孩子无处玩耍。",
      "新华西社区盛世华庭南区", ("任芬",), "closed", community="xinhuaxi",
      difficulty=D.MULTI_DEPARTMENT, responders=("property_co", "tuanjie"),
      duty_note="社区、物业、业主委员会共同研究",
      answer="首席法律咨询专家讲解了公共区域管理责任；社区、物业、业主委员会商定由物业清运垃圾、更换新沙"
      "并加装围挡，两天内完成改造。",
      rating=(5, "沙坑焕然一新，孩子们又能玩了。"), pace=(4, 5, 7)),
    S(24, "15:40", C.VISIT, K.TRAFFIC_ACCIDENT,
      "小区内倒车时剐蹭停放的电动车，电动车主要求赔偿维修费及误工费1500元，车主只认可500元。",
      "团结社区停车场", ("赵永强",), "closed", respondents=("张文斌",), amount="1500",
      responders=("police",),
      answer="派出所民警调取监控确认倒车一方全责，组织双方协商，车主赔偿维修费800元，双方签字确认。",
      rating=(4, "处理得公道。"), pace=(4, 5, 6)),
    S(22, "09:30", C.HOTLINE_12345, K.PROPERTY_MANAGEMENT,
      "团结社区11号楼电梯频繁停运，一周内困人两次，业主要求物业彻底维修。",
      "团结社区11号楼", ("李桂兰",), "closed_unrated", responders=("property_co",),
      answer="物业联系电梯维保单位更换门机板和曳引机编码器，经特种设备检验机构检验合格后恢复运行。",
      pace=(8, 9, 14),  # answered late (waiting for the inspection), closed unrated
      extra={"close_note": "多次电话联系反映人未接通；回访同楼栋业主，电梯运行正常，予以销号。"}),
    S(20, "10:15", C.HOTLINE_12345, K.PROPERTY_MANAGEMENT,
      "盛世华庭北区2号楼顶层住户反映暖气不热，室温不足15度，已反映三次。",
      "新华西社区盛世华庭北区2号楼", ("乌云",), "reopened", community="xinhuaxi",
      responders=("heating",), answer="已对该户暖气片和楼顶管网排气，复测室温18度。",
      rating=(1, "只热了两天又不热了，问题没有解决。"),
      flag="群众不满意重办：热力公司查清管网原因，一周内解决", pace=(3, 4, 6)),
    S(19, "10:00", C.COURT_DELEGATED, K.SALES_CONTRACT,
      "海勃湾区人民法院诉前委派：海勃湾区兴旺建材商店诉称，装修户购买瓷砖、卫浴等建材，尚欠货款16800元"
      "未付；被告称部分瓷砖有色差。",
      "新华街道人民调解委员会", ("蒋华",), "accepted", respondents=("陈志刚",), amount="16800",
      responders=("xinhua_committee",), duty_note="法院委派诉前调解，30日内调结",
      extra={"due_days": 30}),
    S(18, "14:00", C.GRID_SCREENING, K.LABOUR_WAGES,
      "餐馆服务员反映：老板拖欠两个月工资7200元后关店，电话联系不上。",
      "团结社区商业街", ("杨晓燕",), "resolved", by_grid=True, respondents=("许志勇",),
      amount="7200", responders=("xinhua_committee",),
      answer="调解员联系到店主，经调解店主同意一次性支付工资7200元，已当面结清并签收。", pace=(6, 7)),
    S(16, "11:30", C.VISIT, K.MARRIAGE_FAMILY,
      "八旬老人反映：三个子女互相推诿赡养责任，老人独居无人照料，要求子女轮流照顾并支付生活费。",
      "团结社区5号楼", ("周德胜",), "resolved", respondents=("周红梅",), difficulty=D.SIMPLE,
      responders=("xinhua_committee",),
      answer="调解员召集三名子女召开家庭会议，约定每人每月支付赡养费800元，按月轮流照料，签订赡养协议。",
      pace=(2, 3)),
    S(14, "09:10", C.MINI_PROGRAM, K.PROPERTY_MANAGEMENT,
      "随拍即报：12号楼下公共绿地被个别居民私自开垦种菜，并堆放装修建筑垃圾。",
      "团结社区12号楼", ("苏日娜",), "resolved", responders=("property_co",),
      answer="物业与社区联合上门劝导，已恢复绿地、清运建筑垃圾，住户承诺不再私占公共绿地。", pace=(4, 5)),
    S(13, "08:50", C.GRID_SCREENING, K.PROPERTY_MANAGEMENT,
      "飞线充电：3号楼一楼住户从窗户私拉电线给电动车充电，电线横穿人行道。",
      "团结社区3号楼", ("吕丽娟",), "bundle", by_grid=True),
    S(12, "15:20", C.VISIT, K.LAND_BOUNDARY,
      "两户牧民因千里山镇草场围栏边界相差约3米发生争执，一方拆除了对方的围栏，双方均持有草原承包证。",
      "千里山镇草场", ("朝鲁",), "referred_mediation", respondents=("邓宝山",),
      community="district", risk=R.SERIOUS, difficulty=D.SIMPLE,
      duty_note="草场边界争议，先由人民调解，必要时申请确权",
      extra={"refer_note": "移交新华街道人民调解委员会，邀请林草部门现场勘界"}),
    S(11, "10:30", C.HOTLINE_12345, K.PROPERTY_MANAGEMENT,
      "物业漏水：9号楼顶层屋面防水老化，雨雪天客厅漏水，物业称需动用维修资金，迟迟不修。",
      "团结社区9号楼", ("冯玉梅",), "sent_back", respondents=("金裕物业服务有限公司",),
      responders=("property_co",), answer="已安排维修。", pace=(3, 4),
      extra={"send_back": "答卷未写明维修方案、完成时间和效果，请补充现场照片和业主确认意见。"}),
    S(10, "16:00", C.MINI_PROGRAM, K.PROPERTY_MANAGEMENT,
      "飞线充电：楼道内电动车飞线充电，插线板放在楼梯间，夜间无人看管。",
      "新华西社区盛世华庭南区5号楼", ("于振东",), "bundle", community="xinhuaxi"),
    S(10, "09:40", C.HOTLINE_12345, K.NEIGHBOUR,
      "邻居饲养大型犬不拴绳，在楼道吠叫，前天咬伤一名小学生，双方对医药费有争议。",
      "团结社区10号楼", ("罗晓明",), "answered", respondents=("何俊",), amount="2600",
      responders=("police",),
      answer="民警上门核查，犬只已办理登记，责令犬主文明养犬、出户拴绳；犬主已赔付医药费和疫苗费2600元。",
      pace=(9,)),  # answered late
    S(9, "14:10", C.VISIT, K.WORK_CONTRACT,
      "委托装修队翻新厨房，完工后橱柜尺寸与约定不符、台面开裂，装修队拒绝返工，尾款6000元未结。",
      "新华西社区盛世华庭北区6号楼", ("敖登",), "answered", respondents=("石建平",),
      community="xinhuaxi", amount="6000", responders=("xinhua_committee",),
      answer="调解员组织双方现场查看，装修队同意更换台面、调整橱柜门板，完工验收后业主支付尾款6000元。",
      pace=(6,)),
    S(8, "10:50", C.HOTLINE_12345, K.PROPERTY_MANAGEMENT,
      "金裕花园9号楼整栋暖气不热，60余户室温不足16度，居民聚集到物业办公室。",
      "团结社区金裕花园9号楼", ("田秀英",), "resolved", risk=R.SERIOUS, difficulty=D.MAJOR,
      responders=("heating", "property_co"), duty_note="涉及整栋楼60余户，区分管领导牵头",
      answer="热力公司更换9号楼入户管道堵塞的过滤器并平衡调节，物业配合逐户排气，全楼复测室温19至21度。",
      flag="整栋楼暖气不热，群体性隐患，热力公司与物业联合处置", pace=(2, 3)),
    S(8, "15:30", C.GRID_SCREENING, K.NEIGHBOUR,
      "消防通道被私家车长期占用停车，居民投诉救护车曾无法进入。",
      "团结社区东门消防通道", ("孟凡荣",), "redispatched", by_grid=True, responders=("police",),
      extra={"hand_back": "小区内部道路停车管理属物业职责，请转物业公司处置。",
             "redispatch": "property_co"}),  # fmt: skip
    S(7, "09:15", C.VISIT, K.LABOUR_WAGES,
      "快递分拣员4人反映：乌海市速达物流有限公司拖欠10月份工资共19600元，公司称客户回款慢。",
      "新华街道综治中心", ("黄磊", "张文斌"), "accepted", respondents=("乌海市速达物流有限公司",),
      amount="19600", risk=R.SERIOUS, responders=("xinhua_committee",),
      flag="临近年底，欠薪问题要盯紧，十日内兑付", extra={"due_days": 10}),
    S(6, "10:20", C.GRID_SCREENING, K.NEIGHBOUR,
      "楼上空调外机冷凝水滴到楼下阳台雨棚，日夜滴答作响，协商未果。",
      "团结社区4号楼", ("魏红",), "accepted", by_grid=True, difficulty=D.SIMPLE,
      responders=("tuanjie",)),
    S(6, "16:45", C.HOTLINE_12345, K.PROPERTY_MANAGEMENT,
      "飞线充电：电线从三楼窗户垂下给楼下电动车充电，雨天有触电危险。",
      "团结社区7号楼", ("闫丽",), "bundle"),
    S(5, "11:10", C.VISIT, K.CUSTODY_VISITATION,
      "离婚后孩子随母亲生活，女方近三个月拒绝男方按离婚协议每月两次探望孩子。",
      "新华西社区", ("包金龙",), "accepted", respondents=("吕丽娟",), community="xinhuaxi",
      responders=("xinhua_committee",)),
    S(5, "14:50", C.VISIT, K.INHERITANCE,
      "兄妹三人因父母遗留的一套住房继承份额发生纠纷，长兄已入住并拒绝其他人进入。",
      "团结社区14号楼", ("李桂兰",), "handed_back", respondents=("孙国庆",), amount="360000",
      responders=("police",),
      extra={"hand_back": "系家庭继承纠纷，不属公安机关职责，建议由人民调解委员会调解。"}),
    S(4, "09:35", C.MINI_PROGRAM, K.PROPERTY_MANAGEMENT,
      "小区路灯损坏半个多月，晚上一片漆黑，老人摔倒过。",
      "团结社区金裕花园", ("高秀梅",), "accepted", responders=("property_co",)),
    S(4, "10:25", C.HOTLINE_12345, K.PROPERTY_MANAGEMENT,
      "暖气不热：15号楼2单元501室室温16度，家有婴儿。",
      "团结社区15号楼2单元", ("杨晓燕",), "dispatched", responders=("heating",)),
    S(3, "09:00", C.HOTLINE_12345, K.FINANCIAL_LOAN,
      "居民反映：网贷平台催收人员频繁电话骚扰其亲属和同事，并发送侮辱性短信。",
      "团结社区", ("何俊",), "dispatched", responders=("police",)),
    S(3, "11:40", C.GRID_SCREENING, K.NEIGHBOUR,
      "住户在楼道内私拉晾衣绳并堆放腌菜缸，影响通行，邻居劝说无果。",
      "团结社区2号楼", ("赵永强",), "dispatched", by_grid=True, responders=("property_co",)),
    S(3, "15:15", C.VISIT, K.TENANCY,
      "临街商铺租户要求房东维修漏雨屋顶，房东要求租户自行承担，租户拒交本季度租金9000元。",
      "团结社区商业街8号商铺", ("苏日娜",), "triaged", respondents=("冯玉梅",), amount="9000",
      duty_note="租赁合同纠纷，由人民调解委员会牵头",
      extra={"lead": "xinhua_committee"}),
    S(3, "16:40", C.HOTLINE_12345, K.PROPERTY_MANAGEMENT,
      "业主反映：物业公司未经业主大会同意，将物业费从每平方米0.8元上调至1.2元。",
      "团结社区金裕花园", ("陈志刚",), "registered", respondents=("金裕物业服务有限公司",)),
    S(2, "10:00", C.COMPLAINT_MEETING, K.PROPERTY_MANAGEMENT,
      "飞线充电：吐槽大会上多名居民反映小区没有集中充电桩，只能从家里飞线充电，冬季电瓶车多，隐患大。",
      "团结社区", ("任芬",), "bundle"),
    S(2, "14:30", C.VISIT, K.LABOUR_WAGES,
      "保洁员反映：用工单位未签劳动合同，辞职后拒发最后一个月工资3100元。",
      "新华街道综治中心", ("孟凡荣",), "dispatched", amount="3100",
      responders=("xinhua_committee",)),
    S(2, "16:10", C.HOTLINE_12345, K.OTHER,
      "小区门口流动摊贩占道经营，烧烤油烟扰民，夜间喧哗。",
      "团结社区南门", ("闫丽",), "triaged", difficulty=D.SIMPLE),
    S(2, "16:50", C.GRID_SCREENING, K.NEIGHBOUR,
      "楼上住户装修时水泥浆堵塞下水管道，导致楼下卫生间返水，双方对修复费用有争议。",
      "团结社区6号楼", ("韩梅",), "registered", by_grid=True, respondents=("罗晓明",),
      flag="已超过24小时未研判，请抓紧研判吹哨"),
    S(1, "15:00", C.VISIT, K.MARRIAGE_FAMILY,
      "夫妻因家庭琐事长期争吵，女方要求社区介入调解，暂不考虑离婚。",
      "新华西社区", ("魏红",), "triaged", community="xinhuaxi", difficulty=D.SIMPLE),
    S(1, "16:30", C.VISIT, K.TRAFFIC_ACCIDENT,
      "两车在新华大街与人民路交叉口相撞，一方腰椎骨折住院，交警认定同等责任，双方对86000元赔偿分歧大，伤者坚持起诉。",
      "海勃湾区新华大街与人民路交叉口", ("郭建华",), "referred_court", respondents=("黄磊",),
      community="district", amount="86000", difficulty=D.SIMPLE,
      extra={"refer_note": "双方分歧较大，当事人坚持诉讼，引导至海勃湾区人民法院立案。"}),
    S(0, "09:05", C.VISIT, K.PRIVATE_LENDING,
      "借给亲戚50000元用于购车，有借条，约定半年归还，已逾期一年。",
      "新华街道综治中心", ("邓宝山",), "registered", respondents=("朝鲁",), amount="50000"),
    S(0, "09:30", C.MINI_PROGRAM, K.NEIGHBOUR,
      "随拍即报：楼下烧烤店排烟管道直对住户窗户，油烟扰民。",
      "新华西社区盛世华庭南区1号楼", ("其其格",), "registered", community="xinhuaxi"),
]  # fmt: skip

BUNDLE_TITLE = "飞线充电"
BUNDLE_DESCRIPTION = (
    "多个小区居民反映电动车飞线充电，根源是缺少集中充电设施，需区级统筹建设充电桩。"
)
BUNDLE_FLAG = "火灾隐患，尽快统筹解决"

# Who acts for each responder organisation (demo logins).
RESPONDER_USERS = {
    "police": "responder",
    "heating": "heating",
    "property_co": "property",
    "xinhua_committee": "mediator",
    "tuanjie": "grid",
}


def reference_for(number: int) -> str:
    return f"DEMO-{number:03d}"


WORK_START = datetime.time(8, 30)
WORK_END = datetime.time(17, 30)


def _time_machine():
    """time-machine freezes the clock for each step; imported here so that the portal
    itself never needs it."""
    try:
        import time_machine
    except ImportError as exc:
        raise CommandError(
            "演示数据需要 time-machine 才能按过去六周的时间逐步办理（见 requirements/lock.txt）："
            "请先运行 make install，或 .venv/bin/uv pip install -r requirements/lock.txt。"
        ) from exc
    return time_machine


def _day_at(moment: datetime.datetime, days: int, hhmm: str, minutes: int = 0):
    """Beijing time `hhmm` (plus `minutes`) on the local day `days` after `moment`'s."""
    hour, minute = (int(part) for part in hhmm.split(":"))
    day = timezone.localtime(moment).date() + datetime.timedelta(days=days)
    at = datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )
    return at + datetime.timedelta(minutes=minutes)


def _on_duty(moment: datetime.datetime, minutes: int = 0) -> datetime.datetime:
    """`moment` if it falls in working hours, else the next morning (08:30 + `minutes`)."""
    local = timezone.localtime(moment)
    if local.time() < WORK_START:
        return _day_at(local, 0, "08:30", minutes)
    if local.time() > WORK_END:
        return _day_at(local, 1, "08:30", minutes)
    return local


def _recently(now: datetime.datetime) -> datetime.datetime:
    """The last working-hours moment an hour or more before `now`: for the steps of
    disputes still open, which happened today or yesterday."""
    local = timezone.localtime(now) - datetime.timedelta(hours=1)
    if local.time() < WORK_START:
        return _day_at(local, -1, "16:30")
    if local.time() > WORK_END:
        return _day_at(local, 0, "16:30")
    return local


def _registered_at(story: Story, now: datetime.datetime) -> datetime.datetime:
    return min(_day_at(now, -story.days_ago, story.at), now - datetime.timedelta(minutes=30))


class _Clock:
    """One story's clock: each step runs frozen at its moment, never before the previous
    step and never later than `now`."""

    def __init__(self, travel, now: datetime.datetime, start: datetime.datetime):
        self.travel, self.now, self.last = travel, now, start

    @contextlib.contextmanager
    def at(self, moment: datetime.datetime):
        moment = max(self.last, min(moment, self.now))
        self.last = moment
        with self.travel(moment, tick=False):
            yield moment


def _pace(story: Story, number: int) -> tuple[int, int, int]:
    """Days after registration of answer, review and rating (or closing unrated)."""
    window = story.extra.get("due_days") or conf.deadline_for(story.difficulty).days
    answer = story.pace[0] if story.pace else max(1, window // 2)
    review = story.pace[1] if len(story.pace) > 1 else answer + 1
    last = story.pace[2] if len(story.pace) > 2 else review + 1 + number % 3
    return answer, review, last


def _play(
    story: Story, number: int, context: dict, clock: _Clock
) -> tuple[Dispute | None, datetime.datetime]:
    """Register one story and move it as far along the loop as it goes, each step at its
    moment on `clock`. Returns the dispute when it is to join the 飞线充电 bundle (else None)
    and the moment of its last step."""
    organisations, users, regions = context["organisations"], context["users"], context["regions"]
    centre, supervisor = users["centre"], users["supervisor"]
    jitter = (number * 7) % 40  # minutes, so the timeline does not tick like a metronome
    registered_at = clock.last
    region = (
        regions["150302"]
        if story.community == "district"
        else organisations[story.community].region
    )
    parties = [_party(name, "applicant") for name in story.applicants]
    parties += [_party(name, "respondent") for name in story.respondents]
    with clock.at(registered_at):
        dispute = dispute_register(
            organisation=organisations["tuanjie" if story.by_grid else "xinhua_centre"],
            actor=users["grid"] if story.by_grid else centre,
            source_channel=story.channel,
            source_reference=reference_for(number),
            category=story.category,
            facts=story.facts,
            place=story.place,
            region=region,
            parties=parties,
            amount_in_dispute=Decimal(story.amount) if story.amount else None,
            risk_level=story.risk,
            registered_at=registered_at,
        )
    if story.stage == "registered":
        if story.flag:
            # 督办 of a dispute left untriaged past its 24 hours
            with clock.at(dispute.triage_due_at + datetime.timedelta(minutes=30 + jitter)):
                dispute_flag(dispute=dispute, actor=supervisor, note=story.flag)
        return None, clock.last

    lead_key = story.extra.get("lead") or (story.responders[0] if story.responders else None)
    if story.stage == "bundle":
        lead_key = "property_co"
    with clock.at(_on_duty(registered_at + datetime.timedelta(minutes=50 + jitter), jitter)) as at:
        due_days = story.extra.get("due_days")
        dispute = dispute_triage(
            dispute=dispute,
            actor=centre,
            difficulty=story.difficulty,
            duty_note=story.duty_note,
            lead_organisation=organisations[lead_key] if lead_key else None,
            coordinator=supervisor if story.difficulty == Difficulty.MAJOR else None,
            due_at=at + datetime.timedelta(days=due_days) if due_days else None,
        )
    if story.flag and story.stage != "reopened":
        with clock.at(clock.last + datetime.timedelta(minutes=10)):
            dispute_flag(dispute=dispute, actor=supervisor, note=story.flag)
    if story.stage in ("triaged", "bundle"):
        return (dispute if story.stage == "bundle" else None), clock.last
    if story.stage.startswith("referred_"):
        with clock.at(_on_duty(clock.last + datetime.timedelta(hours=1), jitter)):
            dispute_refer(
                dispute=dispute,
                actor=centre,
                target=ReferralTarget.MEDIATION
                if story.stage == "referred_mediation"
                else ReferralTarget.COURT,
                note=story.extra.get("refer_note", ""),
            )
        return None, clock.last

    # Disputes still waiting for their responders were dispatched today or yesterday; the
    # others straight after triage.
    dispatch_at = (
        _recently(clock.now)
        if story.stage == "dispatched"
        else _on_duty(clock.last + datetime.timedelta(minutes=20 + jitter % 20), jitter)
    )
    with clock.at(dispatch_at):
        dispatches = dispute_dispatch(
            dispute=dispute,
            actor=centre,
            targets=[
                {
                    "responder": organisations[key],
                    "instructions": "请尽快联系反映人，现场核实处置后答卷。",
                }
                for key in story.responders
            ],
        )
    acting = [
        (d, users[RESPONDER_USERS[key]])
        for d, key in zip(dispatches, story.responders, strict=True)
    ]
    if story.stage == "dispatched":
        return None, clock.last
    if story.stage in ("handed_back", "redispatched"):
        with clock.at(_day_at(clock.last, 1, "09:10", jitter)):
            for dispatch, user in acting:
                dispatch_hand_back(dispatch=dispatch, actor=user, reason=story.extra["hand_back"])
        if story.stage == "redispatched":
            dispute.refresh_from_db()
            with clock.at(_recently(clock.now)) as at:
                # the first deadline may have passed meanwhile: the new responder gets 3 days
                dispute_dispatch(
                    dispute=dispute,
                    actor=centre,
                    targets=[
                        {
                            "responder": organisations[story.extra["redispatch"]],
                            "deadline": at + conf.deadline_for(Difficulty.SIMPLE),
                        }
                    ],
                    note="转物业公司处置",
                )
        return None, clock.last
    # 应哨 within the day: a few hours later, or first thing the next morning
    with clock.at(_on_duty(clock.last + datetime.timedelta(hours=3 + number % 4), jitter)):
        for dispatch, user in acting:
            dispatch_accept(dispatch=dispatch, actor=user)
    if story.stage == "accepted":
        return None, clock.last
    answer_day, review_day, last_day = _pace(story, number)
    with clock.at(_day_at(registered_at, answer_day, "10:00" if number % 2 else "15:00", jitter)):
        for dispatch, user in acting:
            dispatch_answer(dispatch=dispatch, actor=user, answer=story.answer)
    dispute.refresh_from_db()
    if story.stage == "answered":
        return None, clock.last
    with clock.at(_day_at(registered_at, review_day, "09:30", jitter)):
        if story.stage == "sent_back":
            dispute_send_back(dispute=dispute, actor=centre, reason=story.extra["send_back"])
            return None, clock.last
        dispute, token = dispute_review_close(dispute=dispute, actor=centre)
    if story.stage == "resolved":
        return None, clock.last
    if story.stage == "closed_unrated":
        with clock.at(_day_at(registered_at, last_day, "16:00", jitter)):
            dispute_close(dispute=dispute, actor=centre, note=story.extra["close_note"])
        return None, clock.last
    score, comment = story.rating
    with clock.at(_day_at(registered_at, last_day, "11:00" if number % 2 else "16:10", jitter)):
        rating_submit(token=token, score=score, comment=comment)
    if story.flag and story.stage == "reopened":
        # 督办 after the resident's unsatisfied rating
        with clock.at(clock.last + datetime.timedelta(hours=1)):
            dispute_flag(dispute=dispute, actor=supervisor, note=story.flag)
    return None, clock.last


@transaction.atomic
def load(context: dict) -> None:
    organisations, users = context["organisations"], context["users"]
    travel = _time_machine().travel
    now = timezone.now()
    new_members = []
    members_ready = None  # when the last new member of the bundle was triaged
    for number, story in enumerate(STORIES, start=1):
        if Dispute.objects.filter(source_reference=reference_for(number)).exists():
            continue
        clock = _Clock(travel, now, _registered_at(story, now))
        member, last = _play(story, number, context, clock)
        if member is not None:
            new_members.append(member)
            members_ready = max(members_ready or last, last)
    if not new_members:
        return
    centre_org, centre = organisations["xinhua_centre"], users["centre"]
    # 打包 the same afternoon the last 飞线充电 report was triaged, 反映 upward the next morning
    clock = _Clock(travel, now, members_ready)
    bundle = Bundle.objects.filter(organisation=centre_org, title=BUNDLE_TITLE).first()
    if bundle is not None:
        with clock.at(_on_duty(members_ready + datetime.timedelta(hours=1))):
            bundle_add(bundle=bundle, actor=centre, disputes=new_members)
        return
    with clock.at(_on_duty(members_ready + datetime.timedelta(hours=3))):
        bundle = bundle_create(
            organisation=centre_org,
            actor=centre,
            title=BUNDLE_TITLE,
            description=BUNDLE_DESCRIPTION,
            category=Category.PROPERTY_MANAGEMENT,
            disputes=new_members,
        )
    with clock.at(_day_at(members_ready, 1, "10:00")):
        bundle_escalate(
            bundle=bundle,
            actor=centre,
            escalated_to=organisations["hbw_centre"],
            note="打包向区综治中心反映：建议统筹建设小区电动车集中充电设施。",
        )
    with clock.at(clock.last + datetime.timedelta(hours=1)):
        dispute_flag(dispute=new_members[0], actor=users["supervisor"], note=BUNDLE_FLAG)
