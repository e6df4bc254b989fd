"""Partner agencies and their tokens: issue, revoke, record each read.

A token is `fqp_<prefix>_<secret>`: the prefix (8 characters) names it in lists and logs,
the secret is 256 random bits. Only SHA-256 of the whole string is stored, so a leaked
database cannot be used to read the feed, and the plain token exists only in the response
that issued it.
"""

import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_change, audit_create, snapshot

from ..models.partners import FeedRead, FeedScope, PartnerAgency, PartnerToken

TOKEN_PREFIX = "fqp_"  # noqa: S105 - the public marker of partner tokens, no secret


def token_digest(plain: str) -> str:
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()


def _check_scopes(scopes, *, allowed=None) -> list[str]:
    known = set(FeedScope.values)
    chosen = sorted(set(scopes or ()))
    unknown = [scope for scope in chosen if scope not in known]
    if unknown or not chosen:
        raise ValidationError(
            {
                "scopes": _("可读范围须从 %(known)s 中选择。")
                % {"known": "、".join(FeedScope.values)}
            }
        )
    if allowed is not None:
        beyond = [scope for scope in chosen if scope not in allowed]
        if beyond:
            raise ValidationError(
                {"scopes": _("超出该单位的可读范围：%(scopes)s。") % {"scopes": "、".join(beyond)}}
            )
    return chosen


@transaction.atomic
def partner_agency_create(
    *, actor, name: str, code: str, kind: str, scopes, agreement: str = "", contact: str = ""
) -> PartnerAgency:
    agency = PartnerAgency(
        name=name,
        code=code,
        kind=kind,
        scopes=_check_scopes(scopes),
        agreement=agreement,
        contact=contact,
    )
    agency.full_clean()
    agency.save()
    audit_create(agency, actor=actor)
    return agency


@dataclass(frozen=True)
class IssuedToken:
    token: PartnerToken
    plain: str  # shown once; never stored, never logged

    def __repr__(self) -> str:
        return f"IssuedToken({self.token.key_prefix}…)"


@transaction.atomic
def partner_token_issue(
    *, actor, agency: PartnerAgency, label: str, scopes, expires_at=None
) -> IssuedToken:
    """A new token for `agency` with `scopes` (within the agency's). The plain token is in
    the result only."""
    if not agency.active:
        raise ValidationError({"agency": _("该单位已停用，不能签发令牌。")})
    chosen = _check_scopes(scopes, allowed=set(agency.scopes))
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("有效期应晚于当前时间。")})
    prefix = secrets.token_hex(4)
    plain = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = PartnerToken.objects.create(
        agency=agency,
        label=label,
        key_prefix=prefix,
        digest=token_digest(plain),
        scopes=chosen,
        issued_by=actor,
        expires_at=expires_at,
    )
    audit_create(token, actor=actor, note=_("签发协同单位令牌"))
    return IssuedToken(token=token, plain=plain)


@transaction.atomic
def partner_token_revoke(*, actor, token: PartnerToken, reason: str) -> PartnerToken:
    """Revoke at once: the next request with it answers 401."""
    token = PartnerToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token

    before = snapshot(token)
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.revoke_reason = reason
    token.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit_change(token, actor=actor, before=before, note=_("吊销协同单位令牌"))
    return token


def partner_token_authenticate(plain: str) -> PartnerToken | None:
    """The usable token for `plain`, or None (unknown, revoked, expired, agency stopped)."""
    if not plain or not plain.startswith(TOKEN_PREFIX) or len(plain) > 120:
        return None
    token = PartnerToken.objects.select_related("agency").filter(digest=token_digest(plain)).first()
    now = timezone.now()
    if token is None or not token.usable_at(now):
        return None
    # at most one write a minute per token, not one per request
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        PartnerToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def feed_read_record(
    *, token: PartnerToken, resource: str, cursor: int, next_cursor: int, count: int, client_ip
) -> FeedRead:
    """Log one read. Called for every answered read, empty pages included."""
    return FeedRead.objects.create(
        agency_id=token.agency_id,
        token=token,
        resource=resource,
        cursor=cursor,
        next_cursor=next_cursor,
        count=count,
        client_ip=client_ip,
    )
