"""Helpers for the endings tests (enf-endings): a case with every 终本 condition on record
except the request's own statements, the province's wage table, a run of the periodic job."""

import datetime
from decimal import Decimal

from django.utils import timezone

from credit.models import Restriction
from credit.services.imposing import restriction_approve, restriction_request
from enforcement.inquiry.runner import run
from enforcement.models import (
    AverageWage,
    CaseParty,
    EnforcementCase,
    EnforcementRole,
    NoticeKind,
    ServiceMethod,
)
from enforcement.services.asset_reports import asset_report_check, asset_report_receive
from enforcement.services.inquiries import inquiry_start
from enforcement.services.notice_service import service_record
from enforcement.services.notices import notices_issue

FINAL_STATEMENTS = {
    "work_done": "网络查控两次、查封车辆并拍卖、约谈被执行人、悬赏公告，均未发现其他可供执行财产。",
    "applicant_heard_by": "signed",
    "applicant_opinion": "同意终结本次执行程序。",
    # restricted but not listed: credit cannot tell whether a ground exists
    "credit_reason": "被执行人确无履行能力（失能），不具备纳入失信名单的情形，已限制消费。",
}


def debtor_of(case) -> CaseParty:
    return CaseParty.objects.get(case=case, role=EnforcementRole.DEBTOR)


def file_months_ago(case, *, days: int) -> None:
    EnforcementCase.objects.filter(pk=case.pk).update(
        filed_at=timezone.now() - datetime.timedelta(days=days)
    )
    case.refresh_from_db()


def serve_and_report(case, world) -> None:
    """Both notices issued and served on the debtor, the report received and checked."""
    today = timezone.localdate()
    notices = notices_issue(
        case=case, kinds=[NoticeKind.EXECUTION_NOTICE, NoticeKind.ASSET_REPORT_ORDER],
        actor=world.officer, report_days=7,
    )  # fmt: skip
    debtor = debtor_of(case)
    for notice in notices:
        service_record(notice=notice, recipient=debtor, method=ServiceMethod.DIRECT,
                       served_on=today, actor=world.officer, receipt_name=debtor.name)  # fmt: skip
    order = next(n for n in notices if n.kind == NoticeKind.ASSET_REPORT_ORDER)
    report = asset_report_receive(order=order, debtor=debtor, received_on=today,
                                  actor=world.officer, no_assets=True)  # fmt: skip
    asset_report_check(report=report, actor=world.officer, result="consistent")


def restrict(case, world) -> Restriction:
    restriction = restriction_request(
        case_party=debtor_of(case), reasons="未按执行通知履行义务", approver=world.president,
        actor=world.officer,
    )  # fmt: skip
    return restriction_approve(restriction=restriction, actor=world.president)


def inquire(case, world):
    inquiry = inquiry_start(case=case, actor=world.officer)
    run(inquiry_ids=[inquiry.pk])
    inquiry.refresh_from_db()
    return inquiry


def ready_for_final(case, world, *, days: int = 100) -> None:
    serve_and_report(case, world)
    restrict(case, world)
    inquire(case, world)
    file_months_ago(case, days=days)


def wage_table(world, *, year: int, wage: str = "7000.00") -> AverageWage:
    from enforcement.services.relief import province_of

    province = province_of(world.court)
    return AverageWage.objects.create(province=province, year=year, monthly_wage=Decimal(wage))
