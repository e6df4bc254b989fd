from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from organisations.models import Membership, Organisation, Region, User


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "name", "code", "level", "path", "depth"]


class OrganisationSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "kind_display",
            "region",
            "region_name",
            "court_code",
            "path",
            "depth",
            "is_active",
        ]


class MembershipSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["organisation", "organisation_name", "role", "title", "is_primary"]


class MeSerializer(serializers.ModelSerializer):
    memberships = MembershipSerializer(source="active_memberships", many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "memberships"]


class TokenLoginSerializer(serializers.Serializer):
    """User name and password for an API token (partner systems)."""

    username = serializers.CharField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})

    def validate(self, attrs):
        request = self.context["request"]
        # The Django request, not DRF's wrapper: django-axes marks a lockout on it, and its
        # middleware turns that into the 429 answer.
        user = authenticate(
            request=getattr(request, "_request", request),
            username=attrs["username"],
            password=attrs["password"],
        )
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                {"non_field_errors": [_("用户名或密码不正确。")]}, code="authorization"
            )
        attrs["user"] = user
        return attrs


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="API 令牌，仅此一次返回；请求头 Authorization: Token <令牌>"
    )
    expiry = serializers.DateTimeField(allow_null=True)
