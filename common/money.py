"""Money: Decimal yuan with two places; amounts in Chinese capitals for documents."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import cn2an

CENT = Decimal("0.01")


def to_yuan(value) -> Decimal:
    """Coerce to Decimal yuan with two places. Floats are refused: they cannot be exact."""
    if isinstance(value, float):
        raise TypeError("Money must not be a float; pass a str or Decimal.")
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError) as exc:
        raise ValueError(f"Not an amount of money: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"Not an amount of money: {value!r}")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_yuan(value) -> str:
    """¥12,345.60 style, for pages and tables."""
    amount = to_yuan(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


def amount_in_capitals(value, *, zheng_after_jiao: bool = False) -> str:
    """人民币大写, e.g. 12000 → 壹万贰仟元整, 95874.11 → 玖万伍仟捌佰柒拾肆元壹角壹分.

    The payment rules put 整 after 元 and allow it after 角; `zheng_after_jiao=True` writes
    it there too (issued documents: 壹万贰仟叁佰肆拾伍元陆角整, so nothing can be added).
    """
    amount = to_yuan(value)
    if amount < 0:
        return "负" + amount_in_capitals(-amount, zheng_after_jiao=zheng_after_jiao)
    # cn2an's rmb mode reads the string form; it handles 整, 零 and jiao/fen.
    capitals = cn2an.an2cn(format(amount, "f"), "rmb")
    if zheng_after_jiao and capitals.endswith("角"):
        capitals += "整"
    return capitals
