"""Authentication and permissions for the partner feed: `Authorization: Bearer fqp_…`.

Only the feed's views use these classes, and they use nothing else: a staff token (knox) or
session is no key to the feed, and a partner token opens no other endpoint.
"""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

from ..models.partners import PartnerToken
from .services import partner_token_authenticate

KEYWORD = "Bearer"


class PartnerTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("令牌格式不正确。"))
        try:
            plain = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("令牌格式不正确。")) from exc
        token = partner_token_authenticate(plain)
        if token is None:
            raise exceptions.AuthenticationFailed(_("令牌无效、已过期或已吊销。"))
        return (AnonymousUser(), token)

    def authenticate_header(self, request):
        # makes DRF answer 401 (not 403) to a request without a usable token
        return f'{KEYWORD} realm="credit-feed"'


class HasPartnerScope(BasePermission):
    """A usable partner token whose scopes include the view's `partner_scope`."""

    message = _("该令牌无权读取此范围的数据。")

    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, PartnerToken):
            raise exceptions.NotAuthenticated()
        needed = getattr(view, "partner_scope", None)
        return needed is None or needed in token.scopes


class PartnerRateThrottle(SimpleRateThrottle):
    """Per agency (not per address: a bank reads from several servers)."""

    scope = "partner_feed"

    def get_rate(self):
        from django.conf import settings

        return settings.THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        token = request.auth
        if not isinstance(token, PartnerToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": f"agency-{token.agency_id}"}


class PartnerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "credit.feed.auth.PartnerTokenAuthentication"
    name = "partnerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "协同单位令牌（由法院管理员签发，形如 fqp_xxxxxxxx_…）。"
                "Partner-agency token issued by the court's administrator: "
                "`Authorization: Bearer fqp_…`. Staff tokens are not accepted here."
            ),
        }
