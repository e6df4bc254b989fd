"""Pages of coercive measures, objections and campaigns (included by enforcement/urls.py)."""

from django.urls import path

from . import views_measures as views

urlpatterns = [
    path("cases/<int:pk>/measures/new/", views.measure_new, name="measure_new"),
    path("measures/approvals/", views.measures_awaiting, name="measures_awaiting"),
    path("measures/<int:pk>/", views.measure_detail, name="measure"),
    path("measures/<int:pk>/<slug:step>/", views.measure_step, name="measure_step"),
    path("cases/<int:pk>/objections/new/", views.objection_new, name="objection_new"),
    path("objections/<int:pk>/", views.objection_detail, name="objection"),
    path("objections/<int:pk>/<slug:step>/", views.objection_step, name="objection_step"),
    path("campaigns/", views.campaigns, name="campaigns"),
    path("campaigns/tag/", views.campaign_tag, name="campaign_bulk_tag"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/tag/", views.campaign_tag, name="campaign_tag"),
    path("campaigns/<int:pk>/cases/<int:case_pk>/untag/", views.campaign_untag,
         name="campaign_untag"),
]  # fmt: skip
