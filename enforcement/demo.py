"""Demo enforcement work of 海勃湾区人民法院 (蒙0302), so the officer (李执行), the clerk
(王书记员) and the president (吴院长) open on real work, each case moved along by the real
services (numbers, clocks, documents, audit entries, the case-fund ledger):

- 执前督促 (story 3): an inheritance judgment of 95,874.11; the applicant agreed to urging,
  the two urging documents went out four days ago, the debtor's window is still open.
- A money case (story 5, a loan of 51,770.00): filed five weeks ago, assigned to 李执行,
  执行通知书 and 报告财产令 issued and served, the debtor's report found partly false, an
  online inquiry (the simulated provider, run here as the worker would) found three
  accounts; 20,000.00 at 邮储 frozen, deducted after the freeze-to-deduct wait and
  15,000.00 of it paid out to the applicant (approved by the president), 5,000.00 still in
  the account. (The credit demo adds the consumption restriction the president signed.)
- Migrant workers' wages (story 7): a judicially confirmed instalment agreement the
  company broke; six workers, their shares, two representatives; filed today as a
  livelihood case and waiting for an officer, beside a small rent case filed today too, so
  the clerk's list and its bulk assignment have something to take.
- A traffic-accident settlement (调解书, 80,000.00) assigned to 李执行 eleven days ago whose
  执行通知书 has not gone out: its 3-day notices clock is genuinely overdue (no date is
  moved: the officer simply has not acted).
- An act (story 8): ten machines a mining company keeps after its lease ended; the 执行通知书
  served, the applicant's clue of where the machines work checked. (The credit demo lists
  the company as a dishonest debtor.)

Each step runs at its own past moment (time-machine, as the cases demo does), in court
hours, never later than now. Documents are real PDFs made by LibreOffice (five here, two
in the credit demo: about 10–20 s).

Without LibreOffice nothing is loaded (load_demo says so); a later load adds it all.

Idempotent: a story whose basis document (its number, in this court) is on record is
skipped; each story is one transaction, so an interrupted load finishes the rest next time.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric, uscc

from .models import (
    AssetFinding,
    AssetKind,
    BasisKind,
    CaseParty,
    EnforcementCase,
    EnforcementRole,
    FundReceipt,
    LegalBasis,
    NoticeKind,
    ServiceMethod,
    TargetKind,
)

D = Decimal
WORK_START, WORK_END = datetime.time(8, 30), datetime.time(17, 30)

# --- the people -----------------------------------------------------------------------------


def id_number(area: str, birth: str, sequence: int) -> str:
    """A 居民身份证 number (GB 11643) with its check character; an odd sequence is a man."""
    body = f"{area}{birth}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum reads the body before the last


def credit_code(prefix: str, base: str) -> str:
    """A 统一社会信用代码 (GB 32100) of 海勃湾区 whose organisation code (GB 11714) checks."""
    values = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}
    total = sum(w * values[c] for w, c in zip((3, 7, 9, 10, 5, 8, 4, 2), base, strict=True))
    check = 11 - total % 11
    organisation_code = base + {10: "X", 11: "0"}.get(check, str(check))
    body = f"{prefix}150302{organisation_code}"
    return body + uscc.calc_check_digit(body)


# name: (居民身份证 number, mobile). Area codes: 海勃湾区 150302, 海南区 150303, 乌达区 150304,
# and for those born before 乌海's districts existed (1976) where they came from.
PEOPLE = {
    "马秀英": (id_number("150121", "19610423", 242), "13947302518"),
    "马建华": (id_number("150121", "19660917", 311), "15847316630"),
    "刘海燕": (id_number("150302", "19820614", 126), "13624731185"),
    "陈建国": (id_number("152821", "19750412", 233), "13904738862"),
    "赵春梅": (id_number("150303", "19780228", 148), "18647302291"),
    "孙立新": (id_number("150302", "19890706", 157), "15047318804"),
    "白玉兰": (id_number("150304", "19650130", 222), "13337238815"),
    "于海龙": (id_number("150302", "19910815", 173), "18804731572"),
    "郝振山": (id_number("152921", "19700305", 215), "13904735519"),
    "王志远": (id_number("150302", "19800110", 139), "13704738820"),
    # the six workers of story 7 (from the villages around 千里山镇 and 拉僧庙镇)
    "张二虎": (id_number("150303", "19770312", 191), "15134738826"),
    "李福全": (id_number("150303", "19710506", 203), "13947317745"),
    "王金柱": (id_number("152822", "19680921", 117), "15247363306"),
    "刘三娃": (id_number("150303", "19850403", 235), "18347306621"),
    "高玉林": (id_number("150304", "19820817", 149), "17704738853"),
    "韩翠花": (id_number("150303", "19790626", 262), "13847390076"),
}

# name: (统一社会信用代码, legal representative)
COMPANIES = {
    "乌海市金岩矿业工程有限公司": (credit_code("91", "MA0PX3R7"), "郝振山"),
    "内蒙古恒信工程机械租赁有限公司": (credit_code("91", "MA0K8T2N"), "王志远"),
    "乌海市宏基建筑劳务有限公司": (credit_code("91", "MA0R5W1C"), "赵宏基"),
}

COURT_ACCOUNT = "海勃湾区人民法院执行款专户（中国工商银行乌海海勃湾支行）"


def person(name: str, role: str, **extra) -> dict:
    number, phone = PEOPLE[name]
    return {"role": role, "kind": "person", "name": name, "id_number": number, "phone": phone,
            **extra}  # fmt: skip


def company(name: str, role: str, **extra) -> dict:
    code, representative = COMPANIES[name]
    return {"role": role, "kind": "organisation", "name": name, "credit_code": code,
            "legal_representative": representative, **extra}  # fmt: skip


# The basis documents: each story's key (a second load skips a story whose basis exists).
URGING_BASIS = "（2026）蒙0302民初2138号"
MONEY_BASIS = "（2026）蒙0302民初1675号"
WAGES_BASIS = "（2026）蒙0302民特87号"
RENT_BASIS = "（2026）蒙0302民初2214号"
OVERDUE_BASIS = "（2026）蒙0302民初1420号"
ACT_BASIS = "（2026）蒙0302民初1209号"

# story 5's debtor as the simulated provider answers for him (three accounts and WeChat)
MONEY_FINDINGS = [
    {"kind": "bank_account", "institution": "中国邮政储蓄银行乌海市分行",
     "identifier": "6221881900027315846", "balance": "20000.00", "description": "活期储蓄账户"},
    {"kind": "bank_account", "institution": "乌海银行海勃湾支行",
     "identifier": "6230580000417726351", "balance": "232.00", "description": "活期储蓄账户"},
    {"kind": "bank_account", "institution": "中国农业银行乌海分行",
     "identifier": "6228480012093365817", "balance": "68.45", "description": "工资卡"},
    {"kind": "wechat", "institution": "财付通支付科技有限公司",
     "identifier": "wxid_7315846chen", "balance": "186.50", "description": "微信支付零钱"},
]  # fmt: skip


# --- the clock ------------------------------------------------------------------------------


class Moments:
    """Court-hours moments counted back from `now`; each story's steps run frozen at theirs
    (cases.demo's clock: never before the previous step, never after now)."""

    def __init__(self, now: datetime.datetime):
        from cases.demo import _Clock, _time_machine

        self.now = now
        self._travel = _time_machine().travel
        self._clock_class = _Clock

    def day(self, days_ago: int, hhmm: str) -> datetime.datetime:
        """`hhmm` on the working day `days_ago` days before today (a weekend day moves back
        to the Friday)."""
        from cases.demo import _day_at

        moment = _day_at(self.now, -days_ago, hhmm)
        while moment.weekday() >= 5:
            moment -= datetime.timedelta(days=1)
        return moment

    def on_or_after(self, day: datetime.date, hhmm: str) -> datetime.datetime:
        """`hhmm` on `day` or the next working day."""
        hour, minute = (int(p) for p in hhmm.split(":"))
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
        while moment.weekday() >= 5:
            moment += datetime.timedelta(days=1)
        return moment

    def recently(self) -> datetime.datetime:
        from cases.demo import _recently

        return _recently(self.now)

    def clock(self, start: datetime.datetime):
        return self._clock_class(self._travel, self.now, start)


def _basis_exists(court, number: str) -> bool:
    return LegalBasis.objects.filter(court=court, document_number=number).exists()


def _basis(court, clerk, number, *, kind=BasisKind.JUDGMENT, effective_on, deadlines, text):
    from .services.filing import basis_record

    return basis_record(
        court=court, actor=clerk, kind=kind, issuing_body=court.name, document_number=number,
        effective_on=effective_on, deadlines=deadlines, main_text=text,
    )  # fmt: skip


def _party(case, role, name) -> CaseParty:
    return CaseParty.objects.get(case=case, role=role, name=name)


def _serve(notice, recipient, *, actor, on, method=ServiceMethod.DIRECT, **details):
    from .services.notice_service import service_record

    return service_record(notice=notice, recipient=recipient, method=method, served_on=on,
                          actor=actor, **details)  # fmt: skip


# --- the stories ----------------------------------------------------------------------------


def _urging(context, at: Moments) -> None:
    """Story 3: 执前督促 with the applicant's consent; the window (15 days) still open."""
    from .services.filing import PROCEDURE_URGING, application_register
    from .services.urging import urging_notices_issue

    court, clerk = context["organisations"]["hbw_court"], context["users"]["clerk"]
    clock = at.clock(at.day(5, "10:10"))
    with clock.at(clock.last) as moment:
        today = timezone.localdate(moment)
        basis = _basis(
            court, clerk, URGING_BASIS, effective_on=today - datetime.timedelta(days=25),
            deadlines=[{"due_date": today - datetime.timedelta(days=15),
                        "amount": "95874.11", "description": "给付遗产折价款"}],
            text="被告马建华于本判决生效之日起十日内给付原告马秀英遗产折价款95874.11元。",
        )  # fmt: skip
        case = application_register(
            basis=basis, actor=clerk, procedure=PROCEDURE_URGING, applied_on=today,
            principal="95874.11",
            parties=[person("马秀英", "applicant", address="海勃湾区新华街道新华西社区8号楼3单元502室"),
                     person("马建华", "debtor", address="海勃湾区海北街道海北社区21号楼1单元301室")],
            urging_consent_note="申请执行人马秀英在立案窗口签署《执前督促同意书》",
        )  # fmt: skip
    with clock.at(at.day(4, "09:40")):
        urging_notices_issue(
            case=case, actor=clerk,
            payment_method=f"通过银行转账汇入{COURT_ACCOUNT}，或直接向申请执行人马秀英支付并提交凭证",
            contact="立案庭 王书记员 0473-3912208",
        )  # fmt: skip


def _money_case(context, at: Moments) -> None:
    """Story 5: filed, assigned, notices out and served, the debtor's report checked, the
    inquiry run, 20,000.00 frozen, deducted and 15,000.00 paid out."""
    from .inquiry.providers import provider_keys
    from .inquiry.simulated import simulated_script
    from .services.asset_reports import asset_report_check, asset_report_receive
    from .services.assignment import case_assign
    from .services.filing import PROCEDURE_FILE, application_register
    from .services.notices import notices_issue

    organisations, users = context["organisations"], context["users"]
    court, clerk, officer = organisations["hbw_court"], users["clerk"], users["officer"]
    president = users["president"]
    clock = at.clock(at.day(35, "09:30"))
    with clock.at(clock.last) as moment:
        today = timezone.localdate(moment)
        basis = _basis(
            court, clerk, MONEY_BASIS, effective_on=today - datetime.timedelta(days=24),
            deadlines=[{"due_date": today - datetime.timedelta(days=14), "amount": "51770.00",
                        "description": "偿还借款本金"}],
            text="被告陈建国于本判决生效之日起十日内偿还原告刘海燕借款本金51770元。"
            "案件受理费1094元，由被告陈建国负担。",
        )  # fmt: skip
        case = application_register(
            basis=basis, actor=clerk, procedure=PROCEDURE_FILE, applied_on=today,
            principal="51770.00",
            parties=[person("刘海燕", "applicant", address="海勃湾区凤凰岭街道凤凰岭社区5号楼2单元602室"),
                     person("陈建国", "debtor", address="海勃湾区新华街道团结社区3号楼2单元401室")],
        )  # fmt: skip
    applicant = _party(case, EnforcementRole.APPLICANT, "刘海燕")
    debtor = _party(case, EnforcementRole.DEBTOR, "陈建国")
    with clock.at(at.day(35, "15:20")):
        case_assign(case=case, officer=officer, actor=clerk)
    with clock.at(at.day(34, "10:00")):
        notice, order = notices_issue(
            case=case, kinds=[NoticeKind.EXECUTION_NOTICE, NoticeKind.ASSET_REPORT_ORDER],
            actor=officer, report_days=7,
        )  # fmt: skip
    with clock.at(at.day(34, "16:00")) as moment:
        _serve(notice, applicant, actor=officer, on=timezone.localdate(moment),
               method=ServiceMethod.ELECTRONIC, channel="sms")  # fmt: skip
    with clock.at(at.day(33, "09:30")) as moment:
        served_on = timezone.localdate(moment)
        for document in (notice, order):
            _serve(document, debtor, actor=officer, on=served_on, receipt_name="陈建国",
                   address="海勃湾区新华街道团结社区3号楼2单元401室")  # fmt: skip

    # the online inquiry, run here as the worker's task would run it (simulated provider)
    finding = None
    if provider_keys():
        from .inquiry.runner import run
        from .services.inquiries import inquiry_start

        with clock.at(at.day(33, "14:00")) as moment:
            simulated_script(
                identity=PEOPLE["陈建国"][0], findings=MONEY_FINDINGS,
                available_from=timezone.localdate(moment) - datetime.timedelta(days=30),
                note="演示：陈建国名下账户",
            )  # fmt: skip
            inquiry = inquiry_start(case=case, actor=officer)
            run(inquiry_ids=[inquiry.pk])
        finding = AssetFinding.objects.filter(
            inquiry__case=case, kind=AssetKind.BANK_ACCOUNT, institution__startswith="中国邮政"
        ).first()
    with clock.at(at.day(33, "15:10")):
        control = _freeze_postal_account(case, officer, applicant, debtor, finding)

    with clock.at(at.day(28, "10:30")) as moment:
        report = asset_report_receive(
            order=order, debtor=debtor, received_on=timezone.localdate(moment), actor=officer,
            summary="被执行人陈建国书面报告：无业，靠打零工为生，名下仅有乌海银行账户一个。",
            items=[{"category": "deposit", "description": "乌海银行海勃湾支行活期账户",
                    "value": "232.00"},
                   {"category": "income", "description": "打零工收入，每月约2000元"}],
        )  # fmt: skip
    with clock.at(at.day(27, "11:00")):
        asset_report_check(
            report=report, actor=officer, result="partly_false",
            note="网络查控查明其在中国邮政储蓄银行有存款20000元（已冻结），报告中未列明。",
        )  # fmt: skip

    # deducted once the freeze-to-deduct wait is over, then part of it paid out at once
    from .services.controls import control_deduct
    from .services.funds import disbursement_request, disbursements_approve, disbursements_pay

    with clock.at(at.on_or_after(control.deductible_on, "10:00")) as moment:
        control_deduct(control=control, actor=officer, amount="20000.00",
                       deducted_on=timezone.localdate(moment))  # fmt: skip
    receipt = FundReceipt.objects.get(case=case, control_id=control.pk)
    with clock.at(clock.last + datetime.timedelta(hours=2)):
        payout = disbursement_request(
            receipt=receipt, payee=applicant, amount="15000.00", actor=officer,
            note="申请执行人之父住院急需用钱，申请先行发放15000元；余款待核对后发放。",
        )  # fmt: skip
    with clock.at(clock.last + datetime.timedelta(hours=2)):
        disbursements_approve(disbursements=[payout], actor=president, note="同意先行发放")
    with clock.at(at.on_or_after(timezone.localdate(clock.last) + datetime.timedelta(days=1),
                                 "10:30")) as moment:  # fmt: skip
        disbursements_pay(disbursements=[payout], actor=officer,
                          paid_on=timezone.localdate(moment),
                          bank_reference=f"ICBC{moment:%Y%m%d}0173")  # fmt: skip


def _freeze_postal_account(case, officer, applicant, debtor, finding):
    """冻结 the 邮储 account: from the inquiry's finding, or (no inquiry channel configured,
    as in production settings) from the applicant's clue about the same account."""
    from .services.controls import control_freeze

    if finding is not None:
        return control_freeze(case=case, actor=officer, amount="20000.00", finding=finding,
                              ruling_number=f"{case.case_number}之一")  # fmt: skip
    from .services.clues import clue_check, clue_record

    clue = clue_record(
        case=case, actor=officer, kind=AssetKind.BANK_ACCOUNT, submitted_by=applicant,
        debtor=debtor, institution="中国邮政储蓄银行乌海市分行",
        identifier=MONEY_FINDINGS[0]["identifier"],
        description="申请执行人提供：被执行人在邮储银行有存款，系其工资卡。",
    )  # fmt: skip
    clue = clue_check(clue=clue, actor=officer, found=True, result="经银行查询属实，余额20000元",
                      estimated_value="20000.00")  # fmt: skip
    return control_freeze(case=case, actor=officer, amount="20000.00", clue=clue,
                          ruling_number=f"{case.case_number}之一")  # fmt: skip


WORKERS = [  # (name, share): 83,400.00 in all
    ("张二虎", "15600.00"),
    ("李福全", "14800.00"),
    ("王金柱", "14800.00"),
    ("刘三娃", "13200.00"),
    ("高玉林", "12800.00"),
    ("韩翠花", "12200.00"),
]


def _wages(context, at: Moments) -> None:
    """Story 7: six workers' wages under a broken instalment agreement, filed today as a
    livelihood case with two representatives; not yet assigned."""
    from .services.filing import PROCEDURE_FILE, application_register

    court, clerk = context["organisations"]["hbw_court"], context["users"]["clerk"]
    clock = at.clock(at.recently())
    with clock.at(clock.last) as moment:
        today = timezone.localdate(moment)
        basis = _basis(
            court, clerk, WAGES_BASIS, kind=BasisKind.CONFIRMATION_RULING,
            effective_on=today - datetime.timedelta(days=62),
            deadlines=[
                {"due_date": today - datetime.timedelta(days=45), "amount": "41700.00",
                 "description": "第一期劳务费"},
                {"due_date": today - datetime.timedelta(days=15), "amount": "41700.00",
                 "description": "第二期劳务费"},
            ],
            text="确认新华街道人民调解委员会主持达成的调解协议有效：乌海市宏基建筑劳务有限公司分两期"
            "向张二虎等六人支付拖欠的劳务费共计83400元。",
        )  # fmt: skip
        parties = [person(name, "applicant", share=share) for name, share in WORKERS]
        parties.append(company("乌海市宏基建筑劳务有限公司", "debtor",
                               address="海勃湾区千里山镇工业园区宏基大厦2层"))  # fmt: skip
        application_register(
            basis=basis, actor=clerk, procedure=PROCEDURE_FILE, applied_on=today,
            principal="83400.00", parties=parties, is_livelihood=True,
            representatives=[{"representative": 0, "represented": [1, 2]},
                             {"representative": 3, "represented": [4, 5]}],
        )  # fmt: skip


def _rent(context, at: Moments) -> None:
    """A small rent case (调解书) filed this morning, waiting for an officer too."""
    from .services.filing import PROCEDURE_FILE, application_register

    court, clerk = context["organisations"]["hbw_court"], context["users"]["clerk"]
    clock = at.clock(at.recently() - datetime.timedelta(minutes=40))
    with clock.at(clock.last) as moment:
        today = timezone.localdate(moment)
        basis = _basis(
            court, clerk, RENT_BASIS, kind=BasisKind.MEDIATION_DOCUMENT,
            effective_on=today - datetime.timedelta(days=41),
            deadlines=[{"due_date": today - datetime.timedelta(days=11), "amount": "24000.00",
                        "description": "支付拖欠租金"}],
            text="被告于海龙于2026年11月20日前一次性支付原告白玉兰拖欠的房屋租金24000元。",
        )  # fmt: skip
        application_register(
            basis=basis, actor=clerk, procedure=PROCEDURE_FILE, applied_on=today,
            principal="24000.00",
            parties=[person("白玉兰", "applicant"),
                     person("于海龙", "debtor", address="海勃湾区海北街道林荫小区7号楼104室")],
        )  # fmt: skip


def _overdue(context, at: Moments) -> None:
    """A settlement of a traffic accident: assigned eleven days ago, no notice issued yet,
    so its 3-day notices clock is overdue by itself."""
    from .services.assignment import case_assign
    from .services.filing import PROCEDURE_FILE, application_register

    organisations, users = context["organisations"], context["users"]
    court, clerk = organisations["hbw_court"], users["clerk"]
    clock = at.clock(at.day(12, "14:30"))
    with clock.at(clock.last) as moment:
        today = timezone.localdate(moment)
        basis = _basis(
            court, clerk, OVERDUE_BASIS, kind=BasisKind.MEDIATION_DOCUMENT,
            effective_on=today - datetime.timedelta(days=30),
            deadlines=[{"due_date": today - datetime.timedelta(days=20), "amount": "80000.00",
                        "description": "赔偿医疗费、误工费等"}],
            text="被告孙立新于调解书生效之日起十日内赔偿原告赵春梅医疗费、误工费、护理费等各项损失"
            "共计80000元。",
        )  # fmt: skip
        case = application_register(
            basis=basis, actor=clerk, procedure=PROCEDURE_FILE, applied_on=today,
            principal="80000.00",
            parties=[person("赵春梅", "applicant"),
                     person("孙立新", "debtor", address="海勃湾区新华街道新华西社区12号楼3单元201室")],
        )  # fmt: skip
    with clock.at(at.day(11, "09:50")):
        case_assign(case=case, officer=users["officer"], actor=clerk)


MACHINES = "返还挖掘机六台、装载机四台（型号、编号见租赁合同附件一）"


def _act(context, at: Moments) -> None:
    """Story 8: ten machines to be handed back; the notice served, the clue checked."""
    from .services.assignment import case_assign
    from .services.clues import clue_check, clue_record
    from .services.filing import PROCEDURE_FILE, application_register
    from .services.notices import notices_issue

    organisations, users = context["organisations"], context["users"]
    court, clerk, officer = organisations["hbw_court"], users["clerk"], users["officer"]
    clock = at.clock(at.day(28, "10:20"))
    with clock.at(clock.last) as moment:
        today = timezone.localdate(moment)
        basis = _basis(
            court, clerk, ACT_BASIS, effective_on=today - datetime.timedelta(days=21),
            deadlines=[{"due_date": today - datetime.timedelta(days=11),
                        "description": "返还租赁设备"}],
            text="被告乌海市金岩矿业工程有限公司于本判决生效之日起十日内向原告内蒙古恒信工程机械租赁"
            "有限公司" + MACHINES + "。",
        )  # fmt: skip
        case = application_register(
            basis=basis, actor=clerk, procedure=PROCEDURE_FILE, applied_on=today,
            target_kind=TargetKind.ACT, act_description=MACHINES, is_enterprise=True,
            parties=[company("内蒙古恒信工程机械租赁有限公司", "applicant",
                             address="海勃湾区滨河区黄河东街66号"),
                     company("乌海市金岩矿业工程有限公司", "debtor",
                             address="海南区拉僧庙镇工业园区金岩路8号")],
        )  # fmt: skip
    applicant = _party(case, EnforcementRole.APPLICANT, "内蒙古恒信工程机械租赁有限公司")
    debtor = _party(case, EnforcementRole.DEBTOR, "乌海市金岩矿业工程有限公司")
    with clock.at(at.day(27, "09:30")):
        case_assign(case=case, officer=officer, actor=clerk)
    with clock.at(at.day(27, "15:00")):
        (notice,) = notices_issue(case=case, kinds=[NoticeKind.EXECUTION_NOTICE], actor=officer)
    with clock.at(at.day(26, "10:40")) as moment:
        _serve(notice, debtor, actor=officer, on=timezone.localdate(moment),
               receipt_name="郝振山", receipt_relation="法定代表人",
               address="海南区拉僧庙镇工业园区金岩路8号")  # fmt: skip
    with clock.at(at.day(26, "16:00")) as moment:
        _serve(notice, applicant, actor=officer, on=timezone.localdate(moment),
               method=ServiceMethod.POST, address="海勃湾区滨河区黄河东街66号",
               tracking_number="1178263309425")  # fmt: skip
    with clock.at(at.day(19, "11:15")) as moment:
        clue = clue_record(
            case=case, actor=officer, kind=AssetKind.VEHICLE, submitted_by=applicant,
            debtor=debtor, institution="金岩矿业千里山镇露天矿区",
            description="申请执行人反映：十台设备仍在被执行人千里山镇露天矿区作业，已拍照录像。",
            received_at=moment,
        )  # fmt: skip
    with clock.at(at.day(15, "16:30")):
        clue_check(
            clue=clue, actor=officer, found=True,
            result="实地查看属实：挖掘机六台、装载机四台均在矿区作业，编号与租赁合同附件一致；"
            "被执行人法定代表人郝振山称工期未完，拒绝返还。",
        )  # fmt: skip


STORIES = [
    (URGING_BASIS, _urging),
    (MONEY_BASIS, _money_case),
    (ACT_BASIS, _act),
    (OVERDUE_BASIS, _overdue),
    (RENT_BASIS, _rent),
    (WAGES_BASIS, _wages),
]


def case_of(court, basis_number: str) -> EnforcementCase | None:
    """The demo case on the basis `basis_number` (the credit demo finds its cases so)."""
    return (
        EnforcementCase.objects.filter(court=court, basis__document_number=basis_number)
        .order_by("pk")
        .first()
    )


def load(context: dict) -> None:
    from common.validators import validate_credit_code, validate_id_number

    for number, _phone in PEOPLE.values():
        validate_id_number(number)
    for code, _representative in COMPANIES.values():
        validate_credit_code(code)
    from documents import converter

    if not converter.soffice_path():
        # every story but the two waiting cases issues documents, and a half-told demo is
        # worse than none: say why and leave it for the next load
        context.setdefault("warnings", []).append(
            "未安装 LibreOffice（soffice），执行与信用惩戒演示数据需要出具文书，本次未加载："
            "apt-get install libreoffice-writer-nogui fonts-noto-cjk（make converter）后重新运行 "
            "manage.py load_demo。"
        )
        return
    court = context["organisations"]["hbw_court"]
    at = Moments(timezone.now())
    for number, story in STORIES:
        if _basis_exists(court, number):
            continue
        with transaction.atomic():
            story(context, at)
