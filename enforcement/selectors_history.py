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


def case_documents(case: EnforcementCase) -> QuerySet[IssuedDocument]:
    """Documents issued about the case itself (urging notices, certificates …) and the
    notices' documents (执行通知书, 报告财产令)."""
    return IssuedDocument.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(EnforcementCase), object_id=case.pk)
        | Q(pk__in=EnforcementNotice.objects.filter(case=case).values("document_id"))
    )


def case_history_related(case: EnforcementCase) -> tuple[QuerySet, ...]:
    return (
        LegalBasis.objects.filter(pk=case.basis_id),
        CaseParty.objects.filter(case=case),
        EnforcementNotice.objects.filter(case=case),
        ServiceRecord.objects.filter(notice__case=case),
        AssetReport.objects.filter(order__case=case),
        AssetInquiry.objects.filter(case=case),
        AssetClue.objects.filter(case=case),
        AssetControl.objects.filter(case=case),
        FundReceipt.objects.filter(case=case),
        FundDisbursement.objects.filter(case=case),
        FundEntry.objects.filter(case=case),
        case_documents(case),
    )
