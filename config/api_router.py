"""The one DRF router. Each app registers its viewsets here."""

from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from organisations.api.views import MeView, OrganisationViewSet, RegionViewSet

router = DefaultRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("regions", RegionViewSet, basename="region")

app_name = "api"
urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("auth/token/", obtain_auth_token, name="token"),
    *router.urls,
]
