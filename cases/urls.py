from django.urls import path

from . import views, views_figures

app_name = "cases"
urlpatterns = [
    path("", views.dispute_list, name="list"),
    path("new/", views.dispute_create, name="create"),
    path("report/", views.grid_report, name="report"),
    path("figures/", views_figures.dispute_figures, name="figures"),
    path("figures/list/", views_figures.dispute_figures_list, name="figures_list"),
    path("bulk/", views.dispute_bulk, name="bulk"),
    path("filters/save/", views.saved_filter_save, name="filter_save"),
    path("filters/<int:pk>/delete/", views.saved_filter_delete, name="filter_delete"),
    path("<int:pk>/", views.dispute_detail, name="detail"),
    path("<int:pk>/triage/", views.dispute_triage, name="triage"),
    path("<int:pk>/dispatch/", views.dispute_dispatch, name="dispatch"),
    path("<int:pk>/review/", views.dispute_review, name="review"),
    path("<int:pk>/send-back/", views.dispute_send_back, name="send_back"),
    path("<int:pk>/close/", views.dispute_close, name="close"),
    path("<int:pk>/refer/", views.dispute_refer, name="refer"),
    path("<int:pk>/flag/", views.dispute_flag, name="flag"),
    path("<int:pk>/rating-link/", views.dispute_rating_link, name="rating_link"),
    path("attachments/<int:pk>/download/", views.attachment_download, name="attachment_download"),
    path("inbox/", views.inbox, name="inbox"),
    path("dispatches/<int:pk>/", views.dispatch_detail, name="dispatch_detail"),
    path("dispatches/<int:pk>/accept/", views.dispatch_accept, name="dispatch_accept"),
    path("dispatches/<int:pk>/answer/", views.dispatch_answer, name="dispatch_answer"),
    path("dispatches/<int:pk>/hand-back/", views.dispatch_hand_back, name="dispatch_hand_back"),
    path("dispatches/<int:pk>/redispatch/", views.dispatch_redispatch, name="dispatch_redispatch"),
    path("supervision/", views.supervision, name="supervision"),
    path("supervision/urge/", views.supervision_urge, name="supervision_urge"),
    path("bundles/", views.bundle_list, name="bundles"),
    path("bundles/<int:pk>/", views.bundle_detail, name="bundle_detail"),
    path("bundles/<int:pk>/escalate/", views.bundle_escalate, name="bundle_escalate"),
    path("bundles/<int:pk>/close/", views.bundle_close, name="bundle_close"),
    path("parties/<int:pk>/", views.party_detail, name="party_detail"),
    path("parties/<int:pk>/reveal/", views.party_reveal, name="party_reveal"),
    path(
        "<int:pk>/parties/<int:link_pk>/reveal/",
        views.dispute_party_reveal,
        name="dispute_party_reveal",
    ),
]
