"""Personal information at rest (PIPL): ID numbers and phones.

Each value is stored three ways:

- ``*_encrypted``: Fernet (AES-128-CBC + HMAC-SHA256) ciphertext, to show the full value
  to a role that needs it (and the view is audited);
- ``*_index``: an HMAC-SHA256 blind index of the normalised value, for exact lookup and
  uniqueness without decrypting;
- ``*_masked``: the display form (first 3 + last 4), which is all most pages ever show.

Both keys are derived with HKDF from ``settings.PII_ENCRYPTION_KEY`` with different
``info`` labels, so the index key cannot decrypt and the encryption key cannot be used to
build an index table. Never log the plain value, and never pass it to an exception message.
"""

import base64
import hashlib
import hmac
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from common.masking import mask_id_number, mask_phone
from common.validators import normalise_id_number, normalise_mobile

_ENCRYPTION_INFO = b"fengqiao/pii/fernet/v1"
_INDEX_INFO = b"fengqiao/pii/blind-index/v1"


def _derive(master: str, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(
        master.encode("utf-8")
    )


@lru_cache(maxsize=4)
def _keys(master: str) -> tuple[Fernet, bytes]:
    if not master:
        raise ImproperlyConfigured("PII_ENCRYPTION_KEY (env FENGQIAO_PII_KEY) is not set.")
    fernet = Fernet(base64.urlsafe_b64encode(_derive(master, _ENCRYPTION_INFO)))
    return fernet, _derive(master, _INDEX_INFO)


def encrypt(value: str) -> str:
    if not value:
        return ""
    fernet, _index_key = _keys(settings.PII_ENCRYPTION_KEY)
    return fernet.encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """The plain value; raises ValueError (without the value) if the token is damaged."""
    if not token:
        return ""
    fernet, _index_key = _keys(settings.PII_ENCRYPTION_KEY)
    try:
        return fernet.decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ValueError("personal data could not be decrypted (wrong key or damaged)") from exc


def blind_index(value: str, *, kind: str) -> str:
    """HMAC-SHA256 of the normalised value; `kind` keeps ID numbers and phones apart."""
    if not value:
        return ""
    _fernet, index_key = _keys(settings.PII_ENCRYPTION_KEY)
    message = f"{kind}:{value}".encode()
    return hmac.new(index_key, message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Sealed:
    """One personal value ready to store: assign with `seal_into`."""

    encrypted: str
    index: str
    masked: str

    def __repr__(self) -> str:  # never show even the ciphertext in tracebacks
        return f"Sealed(masked={self.masked!r})"


EMPTY = Sealed("", "", "")


def seal_id_number(value: str) -> Sealed:
    normalised = normalise_id_number(value)
    if not normalised:
        return EMPTY
    return Sealed(
        encrypt(normalised), blind_index(normalised, kind="id"), mask_id_number(normalised)
    )


def seal_phone(value: str) -> Sealed:
    normalised = normalise_mobile(value)
    if not normalised:
        return EMPTY
    return Sealed(
        encrypt(normalised), blind_index(normalised, kind="phone"), mask_phone(normalised)
    )


def id_number_index(value: str) -> str:
    return blind_index(normalise_id_number(value), kind="id")


def phone_index(value: str) -> str:
    return blind_index(normalise_mobile(value), kind="phone")


def seal_into(instance, prefix: str, sealed: Sealed) -> None:
    """Set `<prefix>_encrypted`, `<prefix>_index`, `<prefix>_masked` on `instance`."""
    setattr(instance, f"{prefix}_encrypted", sealed.encrypted)
    setattr(instance, f"{prefix}_index", sealed.index)
    setattr(instance, f"{prefix}_masked", sealed.masked)
