"""Configurable numbers of enforcement filing. Override any of them in settings (same name).

The defaults are the law's (DOMAIN.md, "Legal rules / Enforcement clocks") or common
practice; local courts set stricter ones. Periods that belong to one court only are better
kept in the deadlines app's local rules table (DeadlineRule), which `deadline_start` reads.
"""

from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

DEFAULTS = {
    # 小额快执: a money case whose target (principal + interest + costs) is below this many
    # yuan is a small claim, marked automatically at filing.
    "ENFORCEMENT_SMALL_CLAIM_LIMIT": Decimal("100000.00"),
    # Stricter default clocks for priority cases, used at filing and at assignment when they
    # are shorter than the court's own rule (statutory or local). Per priority, per deadline
    # kind: {"amount": N, "unit": "calendar_days" | "working_days" | "months"}.
    "ENFORCEMENT_PRIORITY_CLOCKS": {
        # 快立、快查、快执、快结
        "small_claim": {
            "enforcement.time_limit": {"amount": 3, "unit": "months"},
            "enforcement.officer_assignment": {"amount": 3, "unit": "calendar_days"},
        },
        # 涉民生案件 (migrant workers' wages, child support)
        "livelihood": {
            "enforcement.officer_assignment": {"amount": 3, "unit": "calendar_days"},
        },
        # 涉企绿色通道
        "enterprise": {
            "enforcement.officer_assignment": {"amount": 3, "unit": "calendar_days"},
        },
    },
    # 执前督促: the window given to the debtor after the notices (the deadline kind
    # enforcement.urging_window; a court may set its own in the local rules table).
    "ENFORCEMENT_URGING_WINDOW_DAYS": 15,
    # The 6-month limit's extension: asked within this many days before expiry, granted
    # for this many months (the president approves).
    "ENFORCEMENT_EXTENSION_ASK_DAYS": 5,
    "ENFORCEMENT_EXTENSION_MONTHS": 3,
    # 加倍部分债务利息: the daily rate (日万分之一点七五).
    "ENFORCEMENT_LATE_INTEREST_DAILY_RATE": Decimal("0.000175"),
    # The court's 执行质效 figures (enforcement/figures.py): which concluded cases count as
    # "actually performed" (实际执行率 = these ÷ all concluded) and as 终本 (终本率). A case
    # settled and then performed (和解履行完毕) and one the debtor paid of their own accord
    # during enforcement both end as "performed" (执行完毕), so the default counts them all.
    "ENFORCEMENT_FIGURES_PERFORMED_STATUSES": ("performed",),
    "ENFORCEMENT_FIGURES_FINAL_STATUSES": ("terminated_round",),
    # coercive measures counted as decided in the year (by their decision time)
    "ENFORCEMENT_FIGURES_MEASURE_STATUSES": ("approved", "executed", "ended"),
}

PRIORITY_LABELS = {
    "small_claim": _("小额快执"),
    "livelihood": _("涉民生案件"),
    "enterprise": _("涉企绿色通道"),
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])
