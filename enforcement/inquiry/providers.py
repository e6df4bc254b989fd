"""The inquiry provider interface.

A provider answers one question: given a debtor (name and identity — the resident ID
number or the unified social credit code), what assets does it find on a given day? The
national online inquiry system (网络查控, through the SPC's 总对总 link) and a province's
local banks (点对点) are providers; the portal ships only the simulated one, for
development, tests and the bench. Which providers an inquiry asks is configured in
settings, like CACHES:

    ENFORCEMENT_INQUIRY_PROVIDERS = {
        "simulated": {
            "BACKEND": "enforcement.inquiry.simulated.SimulatedProvider",
            "LABEL": "模拟查控（开发测试）",
            "OPTIONS": {"latency_ms": 0},
        },
    }

Production has none until a court configures the real ones; starting an inquiry then
refuses with a message, never pretends to have asked anyone.

Personal data: the identity travels encrypted (the party's Fernet token) and is decrypted
only inside the provider's call (`Debtor.identity()`); `repr` shows the masked form, and a
provider's error message is scrubbed before it is stored. Providers must be thread-safe
and must not touch the database in `inquire` (the runner calls it from a thread pool):
anything they need from the database they load in `open()`, in the worker's main thread.
"""

import datetime
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from common import pii


class FindingKind:
    """What a provider can find (the choices live on AssetFinding.Kind)."""

    BANK_ACCOUNT = "bank_account"
    ALIPAY = "alipay"
    WECHAT = "wechat"
    REAL_ESTATE = "real_estate"
    VEHICLE = "vehicle"
    SECURITIES = "securities"
    EMPLOYER = "employer"
    SOCIAL_INSURANCE = "social_insurance"

    ALL = (
        BANK_ACCOUNT,
        ALIPAY,
        WECHAT,
        REAL_ESTATE,
        VEHICLE,
        SECURITIES,
        EMPLOYER,
        SOCIAL_INSURANCE,
    )


@dataclass(frozen=True)
class Debtor:
    """A debtor as a provider sees it. `ref` is the CaseParty id (never personal);
    `identity_index` a keyed blind index of the identity (for scripted findings and
    caches, never reversible); the identity itself only through `identity()`."""

    ref: int
    name: str
    kind: str  # "person" | "organisation"
    identity_masked: str
    identity_index: str
    _identity_token: str = field(default="", repr=False)
    _credit_code: str = field(default="", repr=False)

    def identity(self) -> str:
        """The plain ID number (decrypted now) or credit code. Call it only inside a
        provider's `inquire`, never log it, never put it in an exception message."""
        if self._credit_code:
            return self._credit_code
        return pii.decrypt(self._identity_token)

    @classmethod
    def from_party(cls, *, ref: int, name: str, party) -> "Debtor | None":
        """From a cases.Party; None when it has no identity a provider could ask by."""
        if party.credit_code:
            return cls(
                ref=ref,
                name=name,
                kind="organisation",
                identity_masked=party.credit_code,
                identity_index=credit_code_index(party.credit_code),
                _credit_code=party.credit_code,
            )
        if party.id_number_encrypted and party.id_number_index:
            return cls(
                ref=ref,
                name=name,
                kind="person",
                identity_masked=party.id_number_masked,
                identity_index=party.id_number_index,
                _identity_token=party.id_number_encrypted,
            )
        return None


def credit_code_index(code: str) -> str:
    return pii.blind_index(code.strip().upper(), kind="credit_code")


def identity_index(identity: str) -> str:
    """The blind index a Debtor carries, from the plain identity (scripts, tests)."""
    value = identity.strip().upper()
    if len(value) == 18 and not value[:17].isdigit():
        return credit_code_index(value)
    return pii.id_number_index(value)


@dataclass(frozen=True)
class Finding:
    """One asset found. `identifier` is the account number, plate, certificate number …
    in full (stored encrypted and shown masked where it is personal); money is Decimal
    yuan (balance for accounts, estimated value for things)."""

    kind: str
    institution: str
    identifier: str = field(repr=False)
    description: str = ""
    balance: Decimal | None = None
    estimated_value: Decimal | None = None
    # 正常 / 已被他案冻结（查封） / 已抵押 …: what the institution reports about it
    asset_status: str = "normal"

    def __post_init__(self):
        if self.kind not in FindingKind.ALL:
            raise ValueError(f"unknown finding kind {self.kind!r}")
        for name in ("balance", "estimated_value"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, Decimal):
                raise TypeError(f"{name} must be a Decimal, not {type(value).__name__}")


class ProviderError(Exception):
    """A provider could not answer. `transient` errors (timeouts, the link being down)
    are retried; the others (the identity is not known to it, the request was refused)
    end this debtor's inquiry with this provider. The message must not carry personal
    data (it is scrubbed anyway before it is stored)."""

    transient = True


class ProviderRefused(ProviderError):
    transient = False


class InquiryProvider(ABC):
    """Subclass and list it in settings.ENFORCEMENT_INQUIRY_PROVIDERS."""

    def __init__(self, *, key: str, label: str = "", **options):
        self.key = key
        self.label = label or key
        self.options = options

    def open(self) -> None:  # noqa: B027 - optional hook, nothing to do by default
        """Called in the worker's main thread before a batch: load what `inquire` needs
        from the database, log in, open a session. Default: nothing."""

    @abstractmethod
    def inquire(self, debtor: Debtor, *, on: datetime.date) -> list[Finding]:
        """Everything this provider finds for `debtor` as of `on`. Thread-safe, no
        database access; raise ProviderError when it cannot answer."""


def provider_settings() -> dict:
    return getattr(settings, "ENFORCEMENT_INQUIRY_PROVIDERS", {}) or {}


@lru_cache(maxsize=16)
def _build(key: str, backend: str, label: str, options: tuple) -> InquiryProvider:
    cls = import_string(backend)
    if not issubclass(cls, InquiryProvider):
        raise ImproperlyConfigured(f"{backend} is not an InquiryProvider")
    return cls(key=key, label=label, **dict(options))


def provider_get(key: str) -> InquiryProvider:
    """The configured provider `key` (instances are shared; they must be thread-safe)."""
    config = provider_settings().get(key)
    if config is None:
        raise ProviderRefused(f"inquiry provider {key!r} is not configured")
    options = tuple(sorted((config.get("OPTIONS") or {}).items()))
    return _build(key, config["BACKEND"], str(config.get("LABEL", "")), options)


def provider_keys() -> list[str]:
    return list(provider_settings())


def provider_label(key: str) -> str:
    config = provider_settings().get(key)
    return str(config.get("LABEL") or key) if config else key
