"""The notices panel of the case page: the notices with their documents, service per
recipient, the asset report, and what this user may do next. A fixed number of queries
(about six) whatever the number of notices, recipients and reports."""

from deadlines.models import Deadline

from .case_data import shared
from .models import CaseStatus, EnforcementRole, NoticeKind
from .selectors_filing import NOTICE_ISSUE
from .selectors_notices import (
    asset_report_state,
    case_notices,
    live_notice_state,
    notice_recipients,
    notice_states,
)
from .services.notices import may_act, notice_missing_elements


def notices_panel_context(case, user) -> dict | None:
    if case.status in (CaseStatus.URGING, CaseStatus.URGING_PERFORMED):
        return None  # no case yet: urging has its own documents
    notices = case_notices(case)
    parties = notice_recipients(case)
    states = notice_states(case, notices=notices, parties=parties)
    report = asset_report_state(
        case, notices=notices, debtors=[p for p in parties if p.role == EnforcementRole.DEBTOR]
    )
    acting = may_act(case, user)
    wanted = [NoticeKind.EXECUTION_NOTICE]
    if case.is_money_case:
        wanted.append(NoticeKind.ASSET_REPORT_ORDER)
    to_issue = [kind for kind in wanted if live_notice_state(states, kind) is None]
    may_issue = acting and case.status == CaseStatus.IN_PROGRESS and bool(to_issue)
    page = shared(case)
    if page is not None:  # the case page read the case's clocks once
        clock = page.latest_clock(NOTICE_ISSUE)
    else:
        clock = (
            Deadline.objects.filter(
                content_type__app_label="enforcement",
                content_type__model="enforcementcase",
                object_id=case.pk,
                kind=NOTICE_ISSUE,
            )
            .order_by("-pk")
            .first()
        )
    return {
        "notices_panel": {
            "case": case,
            "states": states,
            "report": report,
            "order_state": live_notice_state(states, NoticeKind.ASSET_REPORT_ORDER),
            "may_issue": may_issue,
            "may_record": acting and case.is_open,
            # a debtor has yet to report in answer to the live order
            "report_open": any(row.report is None for row in report.debtors),
            "to_issue": [NoticeKind(kind).label for kind in to_issue],
            "missing": {
                NoticeKind(kind).label: notice_missing_elements(case, kind) for kind in to_issue
            }
            if may_issue
            else {},
            "clock": clock,
        }
    }
