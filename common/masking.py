"""Display masking of personal numbers: first 3 and last 4 characters shown (e.g. 150********1234)."""


def mask_middle(value: str | None, keep_start: int = 3, keep_end: int = 4) -> str:
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return value[:1] + "*" * (len(value) - 1)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


def mask_id_number(value: str | None) -> str:
    return mask_middle(value, 3, 4)


def mask_phone(value: str | None) -> str:
    return mask_middle(value, 3, 4)


def mask_name(value: str | None) -> str:
    """Public-view name masking as on the national enforcement information site: 张*、欧阳**."""
    if not value:
        return ""
    if len(value) == 1:
        return value
    keep = 2 if len(value) >= 4 else 1
    return value[:keep] + "*" * (len(value) - keep)
