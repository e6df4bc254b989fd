from django.urls import path

from . import views, views_meetings

app_name = "mediation"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("week/", views.week, name="week"),
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
