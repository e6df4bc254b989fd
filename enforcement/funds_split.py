"""Splitting one receipt among many applicants, exact to the fen.

The rule (stated on the page and in docs/enforcement-funds.md):

1. Each applicant's weight is what they are still owed: their share (CaseParty.share)
   minus what they have been paid or asked for already. Applicants owed nothing get nothing.
2. If the money covers everyone's weight, each gets exactly their weight; the rest stays
   in the account (for fees or a refund to the debtor).
3. Otherwise each gets amount × weight / total, rounded down to the fen; the fen left over
   (fewer than the number of applicants) go one each to the applicants with the largest
   remainders (最大余额法), ties broken by position (顺序) and then by record id.

The parts always add up to the amount (or to the total weight in case 2). Integer fen
arithmetic throughout: no rounding error can creep in.
"""

from collections.abc import Sequence
from decimal import Decimal

FEN = Decimal("0.01")


def _fen(amount: Decimal) -> int:
    value = amount * 100
    if value != value.to_integral_value():
        raise ValueError(f"{amount} is not a whole number of fen")
    return int(value)


def split_by_weights(amount: Decimal, weights: Sequence[tuple[object, Decimal]]) -> dict:
    """{key: Decimal} for `weights` given as (key, weight) in tie-break order (position,
    id). Keys with weight 0 are left out."""
    total_fen = _fen(amount)
    items = [(key, _fen(weight)) for key, weight in weights if weight > 0]
    owed = sum(weight for _key, weight in items)
    if total_fen < 0:
        raise ValueError("cannot split a negative amount")
    if not items or total_fen == 0:
        return {}
    if total_fen >= owed:
        return {key: Decimal(weight) * FEN for key, weight in items}
    parts = []
    for order, (key, weight) in enumerate(items):
        quotient, remainder = divmod(total_fen * weight, owed)
        parts.append([key, quotient, remainder, order])
    left = total_fen - sum(part[1] for part in parts)
    # largest remainder first; ties by the given order (position, then id)
    for part in sorted(parts, key=lambda p: (-p[2], p[3]))[:left]:
        part[1] += 1
    return {key: Decimal(fen) * FEN for key, fen, _r, _o in parts if fen > 0}
