"""Arithmetic for agreements: splitting a sum into monthly instalments, exact to the fen."""

import datetime
from decimal import Decimal

from common.money import CENT, to_yuan
from deadlines.calendar import add_months


def monthly_instalments(total, count: int, last_due: datetime.date) -> list[dict]:
    """`count` monthly instalments ending on `last_due`; equal shares in fen, the remainder
    of the division on the first instalment, so the sum is exactly `total`."""
    total = to_yuan(total)
    fen = int(total / CENT)
    share, remainder = divmod(fen, count)
    rows = []
    for number in range(1, count + 1):
        amount = Decimal(share + (remainder if number == 1 else 0)) * CENT
        rows.append({"amount": amount, "due_date": add_months(last_due, number - count)})
    return rows
