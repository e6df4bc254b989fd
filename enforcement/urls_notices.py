"""Pages of the notices part (included by enforcement/urls.py)."""

from django.urls import path

from . import views_notices as views

urlpatterns = [
    path("cases/<int:pk>/notices/", views.notices_page, name="notices"),
    path("cases/<int:pk>/notices/issue/", views.notice_issue, name="notice_issue"),
    path("notices/<int:pk>/service/", views.service_record, name="notice_service"),
    path("notices/<int:pk>/revoke/", views.notice_revoke, name="notice_revoke"),
    path("notices/<int:pk>/report/", views.asset_report_new, name="asset_report_new"),
    path("asset-reports/<int:pk>/check/", views.asset_report_check, name="asset_report_check"),
    path("service-records/<int:pk>/proof/", views.service_proof, name="service_proof"),
]
