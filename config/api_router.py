"""The one DRF router. Each app registers its viewsets here."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from cases.api.ledger import LedgerAPIView
from cases.api.views import DispatchViewSet, DisputeViewSet
from cases.api.views_attachments import DisputeAttachmentViewSet
from cases.api.views_bundles import BundleViewSet
from cases.api.views_filters import SavedFilterViewSet
from cases.api.views_imports import ImportBatchViewSet
from cases.api.views_rating import RatingLinkView
from cases.api.views_supervision import SupervisionViewSet
from deadlines.api.views import DeadlineViewSet, ExtensionRequestViewSet
from documents.api.views import DocumentVerifyAPIView
from mediation.api.views import MediationCaseViewSet, MediatorViewSet
from mediation.api.views_compliance import (
    AgreementComplianceViewSet,
    ComplaintMeetingViewSet,
    InstalmentViewSet,
    LegalConsultationViewSet,
    MeetingIssueViewSet,
)
from mediation.api.views_confirmation import (
    JudicialConfirmationViewSet,
    MediationAgreementViewSet,
)
from notifications.api.views import NotificationViewSet
from organisations.api.views import (
    MeView,
    OrganisationViewSet,
    RegionViewSet,
    TokenLoginView,
    TokenLogoutView,
)

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
router.register(
    r"cases/disputes/(?P<dispute_pk>\d+)/attachments",
    DisputeAttachmentViewSet,
    basename="case-attachment",
)
router.register("cases/bundles", BundleViewSet, basename="case-bundle")
router.register("cases/imports", ImportBatchViewSet, basename="case-import")
router.register("cases/saved-filters", SavedFilterViewSet, basename="case-saved-filter")
router.register("cases/supervision", SupervisionViewSet, basename="case-supervision")
router.register("mediation/cases", MediationCaseViewSet, basename="mediation-case")
router.register("mediation/mediators", MediatorViewSet, basename="mediation-mediator")
router.register("mediation/agreements", MediationAgreementViewSet, basename="mediation-agreement")
router.register(
    "mediation/confirmations", JudicialConfirmationViewSet, basename="mediation-confirmation"
)
router.register("mediation/compliance", AgreementComplianceViewSet, basename="mediation-compliance")
router.register("mediation/instalments", InstalmentViewSet, basename="mediation-instalment")
router.register("mediation/meetings", ComplaintMeetingViewSet, basename="mediation-meeting")
router.register("mediation/meeting-issues", MeetingIssueViewSet, basename="mediation-meeting-issue")
router.register(
    "mediation/consultations", LegalConsultationViewSet, basename="mediation-consultation"
)

app_name = "api"
urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("auth/token/", TokenLoginView.as_view(), name="token"),
    path("auth/logout/", TokenLogoutView.as_view(), name="token-logout"),
    path("cases/ledger/", LedgerAPIView.as_view(), name="cases-ledger"),
    path("rating/<str:token>/", RatingLinkView.as_view(), name="rating-link"),
    path(
        "documents/verify/<str:code>/",
        DocumentVerifyAPIView.as_view(),
        name="documents-verify",
    ),
    *router.urls,
]
