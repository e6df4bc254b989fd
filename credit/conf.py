"""The credit app's configurable rules (settings, with the defaults the law and 2025
practice suggest). Read at call time so tests and deployments can override them."""

from django.conf import settings

# Removal triggers the court decides on before removing (the president approves): the
# applicant's request, the empty searches after 终本, security. The others are duties.
DEFAULT_REMOVAL_APPROVAL_TRIGGERS = frozenset({"applicant_request", "empty_searches", "security"})


def removal_approval_triggers() -> frozenset[str]:
    return frozenset(
        getattr(settings, "CREDIT_REMOVAL_APPROVAL_TRIGGERS", DEFAULT_REMOVAL_APPROVAL_TRIGGERS)
    )


def one_time_lifting_enabled() -> bool:
    """单次解禁 is a 2025 practice some courts adopt: on unless turned off."""
    return bool(getattr(settings, "CREDIT_ONE_TIME_LIFTING", True))


def one_time_lifting_max_days() -> int:
    """The longest one-time lifting, in calendar days (a trip for medical care)."""
    return int(getattr(settings, "CREDIT_ONE_TIME_LIFTING_MAX_DAYS", 30))


def grace_months_max() -> int:
    """善意执行: a grace period of 1–3 months before publishing."""
    return int(getattr(settings, "CREDIT_GRACE_MONTHS_MAX", 3))
