import django_filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.views import LoginView as KnoxLoginView
from knox.views import LogoutView as KnoxLogoutView
from rest_framework import viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from organisations.models import Organisation, Region
from organisations.selectors import organisations_visible_to

from .serializers import (
    MeSerializer,
    OrganisationSerializer,
    RegionSerializer,
    TokenLoginSerializer,
    TokenSerializer,
)


class OrganisationFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="contains")

    class Meta:
        model = Organisation
        fields = ["kind", "region", "is_active", "name"]


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Organisations the caller may see: their own subtree (supervisors: their region's)."""

    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter

    def get_queryset(self):
        return organisations_visible_to(self.request.user).select_related("region")


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """The region tree (public administrative data)."""

    serializer_class = RegionSerializer
    queryset = Region.objects.all()
    filterset_fields = ["level", "code"]


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class TokenLoginView(KnoxLoginView):
    """User name and password → an API token (django-rest-knox: stored hashed, expiring).
    Rate-limited per address (scope `token`); a locked-out user name answers 429."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_scope = "token"

    @extend_schema(
        request=TokenLoginSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="Wrong user name or password (field errors)."),
            429: OpenApiResponse(description="Locked out (code locked_out) or rate-limited."),
        },
    )
    def post(self, request, format=None):
        serializer = TokenLoginSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        request.user = serializer.validated_data["user"]
        return super().post(request, format=format)


class TokenLogoutView(KnoxLogoutView):
    """Ends the token the request was made with."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request, format=None):
        return super().post(request, format=format)
