"""Models of the cases app, one module per room; import them from here."""

from .choices import (
    ACTIVE_DISPATCH_STATUSES,
    OPEN_STATUSES,
    Category,
    Difficulty,
    DispatchStatus,
    DisputeStatus,
    PartyRole,
    ReferralTarget,
    RiskLevel,
    SourceChannel,
)
from .disputes import Attachment, Bundle, Dispute, DisputeParty, ReferenceSequence, SavedFilter
from .imports import ImportBatch
from .loop import Dispatch, DisputeEvent, Rating
from .parties import Party

__all__ = [
    "ACTIVE_DISPATCH_STATUSES",
    "OPEN_STATUSES",
    "Attachment",
    "Bundle",
    "Category",
    "Difficulty",
    "Dispatch",
    "DispatchStatus",
    "Dispute",
    "DisputeEvent",
    "DisputeParty",
    "DisputeStatus",
    "ImportBatch",
    "Party",
    "PartyRole",
    "Rating",
    "ReferenceSequence",
    "ReferralTarget",
    "RiskLevel",
    "SavedFilter",
    "SourceChannel",
]
