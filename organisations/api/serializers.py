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
