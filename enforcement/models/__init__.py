from .core import (
    CONCLUDED_STATUSES,
    OPEN_STATUSES,
    PRE_FILING_STATUSES,
    BasisKind,
    CaseParty,
    CaseSequence,
    CaseStatus,
    CaseType,
    EnforcementCase,
    EnforcementRole,
    LegalBasis,
    PerformanceDeadline,
    TargetKind,
)
from .notices import (
    AssetCategory,
    AssetReport,
    AssetReportItem,
    AssetReportStatus,
    CheckResult,
    ElectronicChannel,
    EnforcementNotice,
    NoticeKind,
    ServiceMethod,
    ServiceRecord,
)

__all__ = [
    "CONCLUDED_STATUSES",
    "OPEN_STATUSES",
    "PRE_FILING_STATUSES",
    "BasisKind",
    "CaseParty",
    "CaseSequence",
    "CaseStatus",
    "CaseType",
    "EnforcementCase",
    "EnforcementRole",
    "LegalBasis",
    "PerformanceDeadline",
    "TargetKind",
    # notices
    "AssetCategory",
    "AssetReport",
    "AssetReportItem",
    "AssetReportStatus",
    "CheckResult",
    "ElectronicChannel",
    "EnforcementNotice",
    "NoticeKind",
    "ServiceMethod",
    "ServiceRecord",
]

from .assets import (  # noqa: E402
    AssetClass,
    AssetClue,
    AssetControl,
    AssetFinding,
    AssetInquiry,
    AssetKind,
    AssetState,
    ClueStatus,
    ControlAction,
    ControlActionKind,
    ControlStatus,
    InquiryPurpose,
    InquiryStatus,
    InquiryTarget,
    Measure,
    SimulatedInquiryScript,
    TargetStatus,
)

__all__ += [
    "AssetClass",
    "AssetClue",
    "AssetControl",
    "AssetFinding",
    "AssetInquiry",
    "AssetKind",
    "AssetState",
    "ClueStatus",
    "ControlAction",
    "ControlActionKind",
    "ControlStatus",
    "InquiryPurpose",
    "InquiryStatus",
    "InquiryTarget",
    "Measure",
    "SimulatedInquiryScript",
    "TargetStatus",
]

from .funds import (  # noqa: E402
    OUTGOING_KINDS,
    PENDING_DISBURSEMENT,
    DirectPayment,
    DirectPaymentEvidence,
    DisbursementKind,
    DisbursementStatus,
    EntryKind,
    FeeKind,
    FundAccount,
    FundDisbursement,
    FundEntry,
    FundReceipt,
    ReceiptSource,
)

__all__ += [
    "OUTGOING_KINDS",
    "PENDING_DISBURSEMENT",
    "DirectPayment",
    "DirectPaymentEvidence",
    "DisbursementKind",
    "DisbursementStatus",
    "EntryKind",
    "FeeKind",
    "FundAccount",
    "FundDisbursement",
    "FundEntry",
    "FundReceipt",
    "ReceiptSource",
]

# --- enf-endings: settlement, 终本, periodic checks, other endings, judicial relief
from .endings import (  # noqa: E402
    ApprovalStatus,
    AverageWage,
    CaseEnding,
    CheckResultKind,
    EndingKind,
    FinalCheck,
    FinalCheckSchedule,
    FinalConclusionRequest,
    HeardBy,
    JudicialRelief,
    ScheduleStatus,
    Settlement,
    SettlementInstalment,
    SettlementPayment,
    SettlementStatus,
    TerminationGround,
)

__all__ += [
    "ApprovalStatus",
    "AverageWage",
    "CaseEnding",
    "CheckResultKind",
    "EndingKind",
    "FinalCheck",
    "FinalCheckSchedule",
    "FinalConclusionRequest",
    "HeardBy",
    "JudicialRelief",
    "ScheduleStatus",
    "Settlement",
    "SettlementInstalment",
    "SettlementPayment",
    "SettlementStatus",
    "TerminationGround",
]

# --- enf-measures: coercive measures, objections, campaigns
from .measures import (  # noqa: E402
    Campaign,
    CampaignCase,
    CoerciveMeasure,
    MeasureKind,
    MeasureStatus,
    Objection,
    ObjectionKind,
    ObjectionStatus,
)

__all__ += [
    "Campaign",
    "CampaignCase",
    "CoerciveMeasure",
    "MeasureKind",
    "MeasureStatus",
    "Objection",
    "ObjectionKind",
    "ObjectionStatus",
]

# --- enf-commission: 委托执行, 交叉执行/指定执行/提级执行
from .commission import (  # noqa: E402
    COMMISSION_OPEN_STATUSES,
    CaseTransfer,
    Commission,
    CommissionReport,
    CommissionStatus,
    TransferKind,
)

__all__ += [
    "COMMISSION_OPEN_STATUSES",
    "CaseTransfer",
    "Commission",
    "CommissionReport",
    "CommissionStatus",
    "TransferKind",
]

# --- enf-guarantee: 执行担保 (guarantee, 暂缓执行, enforcement against the guarantor)
from .guarantee import (  # noqa: E402
    EnforcementGuarantee,
    GuaranteeKind,
    GuaranteeStatus,
    GuarantorKind,
)

__all__ += ["EnforcementGuarantee", "GuaranteeKind", "GuaranteeStatus", "GuarantorKind"]
