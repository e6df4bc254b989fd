"""Configurable numbers of the case's endings (enf-endings). Override any in settings (same
name); the defaults are the law's (DOMAIN.md, "终本 and resumption", "Settlement",
"Judicial relief")."""

from django.conf import settings

DEFAULTS = {
    # 终本 only when more than this many months have passed since filing
    "ENFORCEMENT_FINAL_MIN_MONTHS": 3,
    # after 终本: an online check every N months for M years
    "ENFORCEMENT_FINAL_CHECK_MONTHS": 6,
    "ENFORCEMENT_FINAL_CHECK_YEARS": 5,
    # how many due schedules one claim of the beat job takes (one transaction each)
    "ENFORCEMENT_FINAL_CHECK_BATCH": 500,
    # a settlement broken: the original basis may be enforced again on an application
    # within this many years of the settlement's last performance day
    "ENFORCEMENT_SETTLEMENT_RESUMPTION_YEARS": 2,
    # judicial relief: at most N × the province's average monthly wage of the previous year
    "ENFORCEMENT_RELIEF_WAGE_MONTHS": 36,
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])
