"""What a GB 11643 ID number says about its holder: birth date and sex (for the minor
exclusion and the published age and sex). The plain number is decrypted only here, in
memory, and never logged or stored in the clear."""

import datetime

from common import pii

ADULT_AGE = 18


def birth_date_and_sex(id_number: str) -> tuple[datetime.date | None, str]:
    """(birth date, "男"/"女") of an 18-digit (or old 15-digit) number, or (None, "")."""
    value = (id_number or "").strip().upper()
    try:
        if len(value) == 18:
            birth = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
            sex_digit = int(value[16])
        elif len(value) == 15:
            birth = datetime.date(1900 + int(value[6:8]), int(value[8:10]), int(value[10:12]))
            sex_digit = int(value[14])
        else:
            return None, ""
    except ValueError:
        return None, ""
    return birth, ("男" if sex_digit % 2 else "女")


def party_birth_date_and_sex(party) -> tuple[datetime.date | None, str]:
    if not party.id_number_encrypted:
        return None, ""
    try:
        plain = pii.decrypt(party.id_number_encrypted)
    except ValueError:
        return None, ""
    return birth_date_and_sex(plain)


def age_on(birth: datetime.date, date: datetime.date) -> int:
    return date.year - birth.year - ((date.month, date.day) < (birth.month, birth.day))


def is_minor_on(birth: datetime.date | None, date: datetime.date) -> bool:
    return birth is not None and age_on(birth, date) < ADULT_AGE
