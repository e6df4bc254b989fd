"""The credit app's writes — what enforcement (parts 1 and 2), pages and the API call.

See each module's docstring: imposing (finding, listing, restriction), removal (the
3-working-day removals, expiry), restoration (信用修复, 单次解禁), corrections (纠正, 复议),
certificates (履行完毕证明, 自动履行证明, 信用修复证明), feed (the partner feed's versions).
"""

from .certificates import (
    certificate_performance_issue,
    certificate_restoration_issue,
    certificate_voluntary_issue,
    voluntary_performance_record,
)
from .corrections import (
    correction_decide,
    correction_fix,
    correction_receive,
    review_apply,
    review_decide,
)
from .feed import feed_record
from .imposing import (
    Exclusions,
    ability_finding_record,
    exclusion_provider_register,
    listing_grade_change,
    listing_impose,
    listing_period,
    listing_refusals,
    listings_publish_due,
    restriction_approve,
    restriction_approver_name,
    restriction_refuse,
    restriction_request,
)
from .removal import (
    live_sanctions,
    removal_approve,
    removal_approver_name,
    removal_execute,
    removal_refuse,
    removals_start,
    sanctions_expire,
)
from .restoration import (
    one_time_lifting_approve,
    one_time_lifting_approver_name,
    one_time_lifting_refuse,
    one_time_lifting_request,
    restoration_apply,
    restoration_decide,
)

__all__ = [
    "Exclusions",
    "ability_finding_record",
    "certificate_performance_issue",
    "certificate_restoration_issue",
    "certificate_voluntary_issue",
    "correction_decide",
    "correction_fix",
    "correction_receive",
    "exclusion_provider_register",
    "feed_record",
    "listing_grade_change",
    "listing_impose",
    "listing_period",
    "listing_refusals",
    "listings_publish_due",
    "live_sanctions",
    "one_time_lifting_approve",
    "one_time_lifting_approver_name",
    "one_time_lifting_refuse",
    "one_time_lifting_request",
    "removal_approve",
    "removal_approver_name",
    "removal_execute",
    "removal_refuse",
    "removals_start",
    "restoration_apply",
    "restoration_decide",
    "restriction_approve",
    "restriction_approver_name",
    "restriction_refuse",
    "restriction_request",
    "review_apply",
    "review_decide",
    "sanctions_expire",
    "voluntary_performance_record",
]
