"""The one DRF router. Each app registers its viewsets here."""

from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from cases.api.ledger import LedgerAPIView
from cases.api.views import DispatchViewSet, DisputeViewSet
from deadlines.api.views import DeadlineViewSet, ExtensionRequestViewSet
from mediation.api.views import MediationCaseViewSet, MediatorViewSet
from notifications.api.views import NotificationViewSet
from organisations.api.views import MeView, OrganisationViewSet, RegionViewSet

router = DefaultRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("regions", RegionViewSet, basename="region")
router.register("deadlines", DeadlineViewSet, basename="deadline")
router.register(
    "deadline-extension-requests", ExtensionRequestViewSet, basename="deadline-extension-request"
)
router.register("notifications", NotificationViewSet, basename="notification")
router.register("cases/disputes", DisputeViewSet, basename="case-dispute")
router.register("cases/dispatches", DispatchViewSet, basename="case-dispatch")
router.register("mediation/cases", MediationCaseViewSet, basename="mediation-case")
router.register("mediation/mediators", MediatorViewSet, basename="mediation-mediator")

app_name = "api"
urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("auth/token/", obtain_auth_token, name="token"),
    path("cases/ledger/", LedgerAPIView.as_view(), name="cases-ledger"),
    *router.urls,
]
