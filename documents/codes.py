"""Verification codes: 12 characters of Crockford base32 (60 random bits), typed as
ABCD-EFGH-JKMN. The alphabet leaves out I, L, O and U; reading accepts lower case, spaces,
dashes and the look-alikes O→0, I/L→1, so a code read off paper still matches."""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str) -> str | None:
    """The stored form of a typed code, or None when it cannot be one (nothing is looked up)."""
    code = "".join((text or "").split()).replace("-", "").upper().translate(_LOOK_ALIKES)
    if len(code) != LENGTH or any(character not in ALPHABET for character in code):
        return None
    return code


def group(code: str) -> str:
    return "-".join(code[index : index + 4] for index in range(0, len(code), 4))
