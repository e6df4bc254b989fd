"""Demo credit sanctions of 海勃湾区人民法院, on the enforcement demo's cases:

- 限制消费令 (story 5): 陈建国 let the 执行通知书's period pass and hid his 邮储 account from
  his asset report; 李执行 asked for a consumption restriction and the president (吴院长)
  signed it the next day — the order is a real document and the restriction is published.
- 失信 (story 8): 乌海市金岩矿业工程有限公司 keeps the ten machines it must return although
  they work in its own pit (the officer saw them): found able but unwilling (失信, not 失能)
  and listed on ground 1 with its legal representative bound; the listing asks the president
  for the consumption restriction it always brings, which waits for his signature — so the
  president has one approval on his desk.

Each step at its own past moment, as the enforcement demo's. Idempotent: a sanction already
on the debtor in that case is not asked for again; a case the enforcement demo did not make
is skipped.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from enforcement.demo import ACT_BASIS, MONEY_BASIS, PEOPLE, Moments, case_of
from enforcement.models import CaseParty, EnforcementRole

from .models import Listing, Restriction
from .services import (
    ability_finding_record,
    listing_impose,
    restriction_approve,
    restriction_request,
)


def _debtor(case) -> CaseParty:
    return CaseParty.objects.filter(case=case, role=EnforcementRole.DEBTOR).order_by("pk").first()


def _restriction(context, at: Moments) -> None:
    users = context["users"]
    case = case_of(context["organisations"]["hbw_court"], MONEY_BASIS)
    if case is None:
        return
    debtor = _debtor(case)
    if Restriction.objects.filter(case_party=debtor).exists():
        return
    clock = at.clock(at.day(26, "10:30"))
    with clock.at(clock.last):
        restriction = restriction_request(
            case_party=debtor, approver=users["president"], actor=users["officer"],
            basis=Restriction.Basis.MISSED_NOTICE,
            reasons="被执行人陈建国收到执行通知书后未在指定期间履行给付义务，且报告财产时隐瞒其在"
            "中国邮政储蓄银行的存款。",
        )  # fmt: skip
    with clock.at(at.day(25, "09:20")):
        restriction_approve(restriction=restriction, actor=users["president"], note="同意签发")


def _listing(context, at: Moments) -> None:
    users = context["users"]
    officer, president = users["officer"], users["president"]
    case = case_of(context["organisations"]["hbw_court"], ACT_BASIS)
    if case is None:
        return
    debtor = _debtor(case)
    if Listing.objects.filter(case_party=debtor).exists():
        return
    clock = at.clock(at.day(3, "15:00"))
    with clock.at(clock.last) as moment:
        finding = ability_finding_record(
            case_party=debtor, finding="unwilling", actor=officer,
            found_on=timezone.localdate(moment),
            reasons="经实地查看，应返还的挖掘机六台、装载机四台均在被执行人千里山镇露天矿区作业，"
            "被执行人有能力返还；执行通知书送达后逾期二十余日仍拒不返还。",
        )  # fmt: skip
    with clock.at(at.day(2, "10:00")) as moment:
        listing_impose(
            case_party=debtor, ground="1", grade="general", ability_finding=finding,
            duty="向内蒙古恒信工程机械租赁有限公司返还挖掘机六台、装载机四台",
            conduct="设备在其矿区持续使用，经执行通知、实地约谈仍以工期未完为由拒不返还。",
            performance="全部未履行", decided_on=timezone.localdate(moment),
            approver=president, actor=officer,
            bound_persons=[{"name": "郝振山", "role": "legal_representative",
                            "id_number": PEOPLE["郝振山"][0]}],
        )  # fmt: skip


@transaction.atomic
def load(context: dict) -> None:
    from documents import converter

    if not converter.soffice_path():
        return  # the enforcement demo has said why (it needs LibreOffice too)
    at = Moments(timezone.now())
    _restriction(context, at)
    _listing(context, at)
