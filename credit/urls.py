from django.urls import path

from . import views, views_figures, views_search

app_name = "credit"

urlpatterns = [
    path("", views.home, name="home"),
    path("removals/late/", views.late_removals, name="late"),
    # the court's year in figures (supervisors), and the records behind each number
    path("figures/", views_figures.court_figures, name="figures"),
    path("figures/entries/", views_figures.figure_entries, name="figures_entries"),
    path("debtors/<int:party_pk>/", views.debtor, name="debtor"),
    path("voluntary/new/", views.voluntary_new, name="voluntary_new"),
    # what a case offers
    path("cases/<int:case_pk>/finding/", views.finding_new, name="finding_new"),
    path("cases/<int:case_pk>/listing/", views.listing_new, name="listing_new"),
    path("cases/<int:case_pk>/restriction/", views.restriction_new, name="restriction_new"),
    path("cases/<int:case_pk>/removal/", views.removal_new, name="removal_new"),
    path("cases/<int:case_pk>/restoration/", views.restoration_new, name="restoration_new"),
    path("cases/<int:case_pk>/certificate/", views.performance_certificate,
         name="performance_certificate"),
    # records and their steps
    path("listings/<int:pk>/", views.listing_detail, name="listing"),
    path("listings/<int:pk>/grade/", views.listing_grade, name="listing_grade"),
    path("listings/<int:pk>/correction/", views.listing_correction, name="listing_correction"),
    path("restrictions/<int:pk>/", views.restriction_detail, name="restriction"),
    path("restrictions/<int:pk>/approver/", views.restriction_approver,
         name="restriction_approver"),
    path("restrictions/<int:pk>/<str:decision>/", views.restriction_decide,
         name="restriction_decide"),
    path("restrictions/<int:pk>/lifting/new/", views.restriction_lifting,
         name="restriction_lifting"),
    path("restrictions/<int:pk>/correction/new/", views.restriction_correction,
         name="restriction_correction"),
    path("liftings/<int:pk>/approver/", views.lifting_approver, name="lifting_approver"),
    path("liftings/<int:pk>/<str:decision>/", views.lifting_decide, name="lifting_decide"),
    path("removals/<int:pk>/", views.removal_detail, name="removal"),
    path("removals/<int:pk>/<str:step>/", views.removal_step, name="removal_step"),
    path("restorations/<int:pk>/", views.restoration_detail, name="restoration"),
    path("restorations/<int:pk>/decide/", views.restoration_decide, name="restoration_decide"),
    path("restorations/<int:pk>/certificate/", views.restoration_certificate,
         name="restoration_certificate"),
    path("corrections/<int:pk>/", views.correction_detail, name="correction"),
    path("corrections/<int:pk>/<str:step>/", views.correction_step, name="correction_step"),
    path("certificates/<int:pk>/", views.certificate_detail, name="certificate"),
    # credit-finish: staff search by name (2+ characters) or ID number
    path("search/", views_search.search, name="search"),
]  # fmt: skip
