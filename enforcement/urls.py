from django.urls import path

from . import views, views_assets, views_case, views_filing, views_funds

app_name = "enforcement"

urlpatterns: list = [
    path("cases/<int:pk>/funds/", views_funds.funds_page, name="funds"),
    path("cases/<int:pk>/funds/<slug:step>/", views_funds.funds_step, name="funds_step"),
    path("funds/reconciliation/", views_funds.reconciliation_page, name="funds_reconciliation"),
    path("", views.workbench, name="workbench"),
    path("cases/", views.case_list, name="list"),
    path("cases/assign/", views.bulk_assign, name="bulk_assign"),
    path("cases/<int:pk>/", views.case_detail, name="detail"),
    path("cases/<int:pk>/parties/", views_case.case_parties_page, name="case_parties"),
    path("cases/<int:pk>/deadlines/", views_case.case_deadlines_page, name="case_deadlines"),
]

# --- filing (enf-filing): the clerk's desk, basis, application, the case's filing workspace
urlpatterns += [
    path("filing/", views_filing.desk, name="filing_desk"),
    path("filing/bulk-assign/", views_filing.bulk_assign, name="filing_bulk_assign"),
    path("filing/bases/new/", views_filing.basis_new, name="filing_basis_new"),
    path("filing/bases/<int:pk>/apply/", views_filing.application_new, name="filing_apply"),
    path("filing/confirmations/", views_filing.confirmations, name="filing_confirmations"),
    path("filing/confirmations/<int:pk>/take/", views_filing.confirmation_take,
         name="filing_confirmation_take"),
    path("filing/cases/<int:pk>/", views_filing.case_workspace, name="filing_case"),
    path("filing/cases/<int:pk>/urging/notices/", views_filing.urging_notices,
         name="filing_urging_notices"),
    path("filing/cases/<int:pk>/urging/performed/", views_filing.urging_performed,
         name="filing_urging_performed"),
    path("filing/cases/<int:pk>/file/", views_filing.file_case, name="filing_file"),
    path("filing/cases/<int:pk>/assign/", views_filing.assign, name="filing_assign"),
    path("filing/cases/<int:pk>/reassign/", views_filing.reassign, name="filing_reassign"),
    path("filing/cases/<int:pk>/representatives/", views_filing.representatives,
         name="filing_representatives"),
    path("filing/cases/<int:pk>/suspend/", views_filing.suspend, name="filing_suspend"),
    path("filing/cases/<int:pk>/end-suspension/", views_filing.end_suspension,
         name="filing_end_suspension"),
    path("filing/cases/<int:pk>/extension/", views_filing.extension, name="filing_extension"),
]  # fmt: skip
# notices, service and the asset report (enf-notices)
from .urls_notices import urlpatterns as notices_urlpatterns  # noqa: E402

urlpatterns += notices_urlpatterns
# assets (财产查控)
urlpatterns += [
    path("cases/<int:pk>/assets/", views_assets.assets_page, name="assets"),
    path("cases/<int:pk>/assets/inquiries/", views_assets.inquiry_start, name="inquiry_start"),
    path("cases/<int:pk>/assets/clues/", views_assets.clue_record, name="clue_record"),
    path("cases/<int:pk>/assets/clues/<int:clue_pk>/check/", views_assets.clue_check,
         name="clue_check"),
    path("cases/<int:pk>/assets/clues/<int:clue_pk>/control/", views_assets.clue_control,
         name="clue_control"),
    path("cases/<int:pk>/assets/findings/<int:finding_pk>/control/", views_assets.finding_control,
         name="finding_control"),
    path("cases/<int:pk>/assets/controls/<int:control_pk>/<slug:action>/",
         views_assets.control_step, name="control_step"),
]  # fmt: skip
# --- enf-endings: settlement, 终本, resumption, other endings, judicial relief
from . import views_endings  # noqa: E402

urlpatterns += [
    path("cases/<int:pk>/endings/", views_endings.endings_page, name="endings"),
    path("cases/<int:pk>/endings/<slug:step>/", views_endings.endings_step, name="endings_step"),
    path(
        "cases/<int:pk>/settlement/guarantee/",
        views_endings.settlement_guarantee_new,
        name="settlement_guarantee",
    ),
]
# coercive measures, objections, campaigns (enf-measures)
from .urls_measures import urlpatterns as measures_urlpatterns  # noqa: E402

urlpatterns += measures_urlpatterns

# --- enf-commission: 委托执行, 交叉/指定/提级执行
from . import views_commission  # noqa: E402

urlpatterns += [
    path("commissions/received/", views_commission.received_page, name="commission_received"),
    path("cases/<int:pk>/commission/", views_commission.commission_page, name="commission"),
    path("cases/<int:pk>/commission/<slug:step>/", views_commission.commission_step,
         name="commission_step"),
]  # fmt: skip

# --- enf-guarantee: 执行担保 (guarantee, 暂缓执行, enforcement against the guarantor)
from . import views_guarantee  # noqa: E402

urlpatterns += [
    path("cases/<int:pk>/guarantee/", views_guarantee.guarantee_page, name="guarantee"),
    path("cases/<int:pk>/guarantee/<slug:step>/", views_guarantee.guarantee_step,
         name="guarantee_step"),
]  # fmt: skip

# --- the court's 执行质效 figures (supervisors): one court's year, each number's cases
from . import views_figures  # noqa: E402

urlpatterns += [
    path("figures/", views_figures.court_figures, name="figures"),
    path("figures/cases/", views_figures.figure_cases, name="figures_cases"),
]
