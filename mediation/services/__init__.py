"""Writes of the mediation app: `from mediation.services import session_log`."""

from .assignment import (
    mediator_assign,
    mediator_create,
    mediator_relative_add,
    mediators_reassign_bulk,
)
from .compliance import instalment_clocks_start, instalment_record_payment
from .confirmation import (
    agreement_document_generate,
    application_documents,
    confirmation_accept,
    confirmation_apply,
    confirmation_confirm,
    confirmation_refuse_acceptance,
    confirmation_reject,
    confirmation_ruling_extension_request,
    termination_document_generate,
)
from .intake import (
    committee_for_dispute,
    mediation_case_create_from_dispute,
    mediation_case_delegate,
    mediation_case_entrust,
    mediation_case_request,
)
from .meetings import (
    complaint_meeting_create,
    legal_consultation_record,
    meeting_issue_add,
    meeting_issue_link_dispute,
    meeting_issue_to_dispute,
)
from .workflow import (
    case_may_act,
    mediation_agree,
    mediation_extend_with_consent,
    mediation_fail,
    mediation_file_add,
    mediation_file_read,
    mediation_receipt_sign,
    mediation_withdraw,
    session_log,
)

__all__ = [
    "agreement_document_generate",
    "application_documents",
    "confirmation_accept",
    "confirmation_apply",
    "confirmation_confirm",
    "confirmation_refuse_acceptance",
    "confirmation_reject",
    "confirmation_ruling_extension_request",
    "case_may_act",
    "committee_for_dispute",
    "complaint_meeting_create",
    "instalment_clocks_start",
    "instalment_record_payment",
    "legal_consultation_record",
    "meeting_issue_add",
    "meeting_issue_link_dispute",
    "meeting_issue_to_dispute",
    "mediation_agree",
    "mediation_case_create_from_dispute",
    "mediation_case_delegate",
    "mediation_case_entrust",
    "mediation_case_request",
    "mediation_extend_with_consent",
    "mediation_fail",
    "mediation_file_add",
    "mediation_file_read",
    "mediation_receipt_sign",
    "mediation_withdraw",
    "mediator_assign",
    "mediator_create",
    "mediator_relative_add",
    "mediators_reassign_bulk",
    "session_log",
    "termination_document_generate",
]
