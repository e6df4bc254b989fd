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
from common.api_approvals import ApprovalsView
from credit.api.views import (
    CertificateViewSet,
    CorrectionViewSet,
    DebtorViewSet,
    LiftingViewSet,
    ListingViewSet,
    RemovalViewSet,
    RestorationViewSet,
    RestrictionViewSet,
    ReviewViewSet,
    VoluntaryPerformanceViewSet,
)
from credit.api.views import FindingViewSet as CreditFindingViewSet
from credit.api.views_search import CreditSearchView  # credit-finish: staff search
from credit.feed.api import ChangesView, ReadsView, VoluntaryView
from deadlines.api.views import DeadlineViewSet, ExtensionRequestViewSet
from documents.api.views import DocumentVerifyAPIView
from enforcement.api.notices import (
    AssetReportViewSet,
    CaseNoticesViewSet,
    NoticeViewSet,
    ServiceRecordViewSet,
)
from enforcement.api.views_assets import (
    ClueViewSet,
    ControlViewSet,
    FindingViewSet,
    InquiryViewSet,
)
from enforcement.api.views_commission import CaseCommissionViewSet  # enf-commission
from enforcement.api.views_endings import CaseEndingsViewSet  # enf-endings
from enforcement.api.views_filing import (
    BasisViewSet,
    ConfirmationViewSet,
    EnforcementCaseViewSet,
)
from enforcement.api.views_funds import CaseFundsViewSet
from enforcement.api.views_guarantee import CaseGuaranteeViewSet  # enf-guarantee
from enforcement.api.views_lists import WorkbenchViewSet
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
router.register("enforcement/funds", CaseFundsViewSet, basename="enforcement-funds")
# enforcement: notices, service and the asset report (enf-notices)
router.register("enforcement/case-notices", CaseNoticesViewSet, basename="enforcement-case-notices")
router.register("enforcement/notices", NoticeViewSet, basename="enforcement-notice")
router.register(
    "enforcement/service-records", ServiceRecordViewSet, basename="enforcement-service-record"
)
router.register(
    "enforcement/asset-reports", AssetReportViewSet, basename="enforcement-asset-report"
)
router.register("enforcement/workbench", WorkbenchViewSet, basename="enforcement-workbench")

# enforcement filing (enf-filing); its case viewset extends the read API of views_lists
router.register("enforcement/bases", BasisViewSet, basename="enforcement-basis")
router.register(
    "enforcement/confirmations", ConfirmationViewSet, basename="enforcement-confirmation"
)
router.register("enforcement/cases", EnforcementCaseViewSet, basename="enforcement-case")
# enforcement: assets (网络查控、财产线索、控制措施)
router.register("enforcement/inquiries", InquiryViewSet, basename="enforcement-inquiry")
router.register("enforcement/findings", FindingViewSet, basename="enforcement-finding")
router.register("enforcement/clues", ClueViewSet, basename="enforcement-clue")
router.register("enforcement/controls", ControlViewSet, basename="enforcement-control")
# enforcement: endings — settlement, 终本, resumption, other endings, relief (enf-endings)
router.register("enforcement/endings", CaseEndingsViewSet, basename="enforcement-endings")
# enforcement: commission (委托执行) and cross-enforcement (交叉/指定/提级执行) (enf-commission)
router.register("enforcement/commission", CaseCommissionViewSet, basename="enforcement-commission")
# enforcement: guarantee — 执行担保, 暂缓执行, enforcement against the guarantor (enf-guarantee)
router.register("enforcement/guarantee", CaseGuaranteeViewSet, basename="enforcement-guarantee")
router.register("credit/findings", CreditFindingViewSet, basename="credit-finding")
router.register("credit/listings", ListingViewSet, basename="credit-listing")
router.register("credit/restrictions", RestrictionViewSet, basename="credit-restriction")
router.register("credit/liftings", LiftingViewSet, basename="credit-lifting")
router.register("credit/removals", RemovalViewSet, basename="credit-removal")
router.register("credit/restorations", RestorationViewSet, basename="credit-restoration")
router.register("credit/corrections", CorrectionViewSet, basename="credit-correction")
router.register("credit/reviews", ReviewViewSet, basename="credit-review")
router.register("credit/certificates", CertificateViewSet, basename="credit-certificate")
router.register(
    "credit/voluntary-performances", VoluntaryPerformanceViewSet, basename="credit-voluntary"
)
router.register("credit/debtors", DebtorViewSet, basename="credit-debtor")

app_name = "api"

# enforcement: coercive measures, objections, campaigns (enf-measures)
from enforcement.api.views_measures import (  # noqa: E402
    CampaignViewSet,
    MeasureViewSet,
    ObjectionViewSet,
)

router.register("enforcement/measures", MeasureViewSet, basename="enforcement-measure")
router.register("enforcement/objections", ObjectionViewSet, basename="enforcement-objection")
router.register("enforcement/campaigns", CampaignViewSet, basename="enforcement-campaign")

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("approvals/", ApprovalsView.as_view(), name="approvals"),
    path("auth/token/", TokenLoginView.as_view(), name="token"),
    path("auth/logout/", TokenLogoutView.as_view(), name="token-logout"),
    path("cases/ledger/", LedgerAPIView.as_view(), name="cases-ledger"),
    path("rating/<str:token>/", RatingLinkView.as_view(), name="rating-link"),
    path(
        "documents/verify/<str:code>/",
        DocumentVerifyAPIView.as_view(),
        name="documents-verify",
    ),
    path("credit/feed/changes/", ChangesView.as_view(), name="credit-feed-changes"),
    path("credit/feed/voluntary/", VoluntaryView.as_view(), name="credit-feed-voluntary"),
    path("credit/feed/reads/", ReadsView.as_view(), name="credit-feed-reads"),
    # credit-finish: the staff credit search
    path("credit/search/", CreditSearchView.as_view(), name="credit-search"),
    *router.urls,
]
