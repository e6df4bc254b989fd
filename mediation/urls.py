from django.urls import path

from . import views, views_confirmation, views_figures, views_meetings

app_name = "mediation"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("week/", views.week, name="week"),
    path("figures/", views_figures.court_figures, name="figures"),
    path("mediators/", views.roster, name="roster"),
    path("mediators/<int:pk>/", views.mediator_detail, name="mediator_detail"),
    path("files/<int:pk>/download/", views.file_download, name="file_download"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/sign/", views.case_sign, name="sign"),
    path("<int:pk>/assign/", views.case_assign, name="assign"),
    path("<int:pk>/fail/", views.case_fail, name="fail"),
    path("<int:pk>/withdraw/", views.case_withdraw, name="withdraw"),
    path("<int:pk>/extend/", views.case_extend, name="extend"),
    path("<int:pk>/sessions/new/", views.session_new, name="session_new"),
    path("<int:pk>/agreement/", views.agreement, name="agreement"),
    path(
        "<int:pk>/agreement/document/",
        views_confirmation.agreement_document,
        name="agreement_document",
    ),
    path(
        "<int:pk>/agreement/confirmation/",
        views_confirmation.confirmation_apply,
        name="confirmation_apply",
    ),
    path(
        "<int:pk>/termination-notice/",
        views_confirmation.termination_document,
        name="termination_document",
    ),
    path("confirmations/", views_confirmation.confirmation_list, name="confirmation_list"),
    path(
        "confirmations/<int:pk>/",
        views_confirmation.confirmation_detail,
        name="confirmation_detail",
    ),
    path(
        "confirmations/<int:pk>/accept/",
        views_confirmation.confirmation_accept,
        name="confirmation_accept",
    ),
    path(
        "confirmations/<int:pk>/refuse/",
        views_confirmation.confirmation_refuse,
        name="confirmation_refuse",
    ),
    path(
        "confirmations/<int:pk>/confirm/",
        views_confirmation.confirmation_confirm,
        name="confirmation_confirm",
    ),
    path(
        "confirmations/<int:pk>/reject/",
        views_confirmation.confirmation_reject,
        name="confirmation_reject",
    ),
    path(
        "confirmations/<int:pk>/extend/",
        views_confirmation.confirmation_extend,
        name="confirmation_extend",
    ),
    path("<int:pk>/compliance/", views_meetings.compliance, name="compliance"),
    path("meetings/", views_meetings.meeting_list, name="meetings"),
    path("meetings/new/", views_meetings.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views_meetings.meeting_detail, name="meeting_detail"),
    path(
        "meeting-issues/<int:pk>/dispute/",
        views_meetings.meeting_issue_dispute,
        name="meeting_issue_dispute",
    ),
    path("consultations/", views_meetings.consultation_list, name="consultations"),
    path("consultations/new/", views_meetings.consultation_create, name="consultation_create"),
    path("consultations/<int:pk>/", views_meetings.consultation_detail, name="consultation_detail"),
]
