"""The enforcement case's history (操作记录): besides the case's own entries, those of the
records each part of enforcement writes about it, so one page tells the whole story — the
basis and parties (filing), the notices and their service, the debtor's asset reports, the
online inquiries and clues, the controls (freeze, deduct, seal …), the case-fund ledger's
receipts, disbursements and entries, and the documents issued about the case.

Registered with `audit.registry.register_history(related=…)` in `EnforcementConfig.ready`;
`audit.selectors.history_for` reads each queryset's ids once (a fixed number of queries,
however many records the case has)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from documents.models import IssuedDocument

from .case_data import may_hold
from .models import (
    AssetClue,
    AssetControl,
    AssetInquiry,
    AssetReport,
    CaseParty,
    EnforcementCase,
    EnforcementNotice,
    FundDisbursement,
    FundEntry,
    FundReceipt,
    LegalBasis,
    ServiceRecord,
)


def case_documents(case: EnforcementCase, *, notices: bool = True) -> QuerySet[IssuedDocument]:
    """Documents issued about the case itself (urging notices, certificates …) and, unless
    the case is known to have none (`notices`), the notices' documents (执行通知书,
    报告财产令)."""
    condition = Q(
        content_type=ContentType.objects.get_for_model(EnforcementCase), object_id=case.pk
    )
    if notices:
        condition |= Q(pk__in=EnforcementNotice.objects.filter(case=case).values("document_id"))
    return IssuedDocument.objects.filter(condition)


def case_history_related(case: EnforcementCase) -> tuple[QuerySet, ...]:
    """On the case page (`case_data.sharing`), the records the case holds none of are left
    out: the page already asked, and each queryset left in is compiled into the history's
    query (most cases hold a few kinds of record, not all)."""
    notices = may_hold(case, EnforcementNotice)
    candidates = (
        (True, LegalBasis.objects.filter(pk=case.basis_id)),
        (True, CaseParty.objects.filter(case=case)),
        (notices, EnforcementNotice.objects.filter(case=case)),
        (notices, ServiceRecord.objects.filter(notice__case=case)),
        (notices, AssetReport.objects.filter(order__case=case)),
        (may_hold(case, AssetInquiry), AssetInquiry.objects.filter(case=case)),
        (may_hold(case, AssetClue), AssetClue.objects.filter(case=case)),
        (may_hold(case, AssetControl), AssetControl.objects.filter(case=case)),
        (may_hold(case, FundReceipt), FundReceipt.objects.filter(case=case)),
        (may_hold(case, FundDisbursement), FundDisbursement.objects.filter(case=case)),
        (may_hold(case, FundEntry), FundEntry.objects.filter(case=case)),
        (True, case_documents(case, notices=notices)),
    )
    return tuple(queryset for held, queryset in candidates if held)
