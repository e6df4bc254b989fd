"""Bulk import, the screening ledger and the weekly report (mounted under /cases/)."""

from django.urls import path

from . import views_reports as views

app_name = "case_reports"
urlpatterns = [
    path("imports/", views.import_upload, name="import_upload"),
    path("imports/template.xlsx", views.import_template, name="import_template"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/errors.xlsx", views.import_error_report, name="import_error_report"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/disputes/", views.ledger_dispute_list, name="ledger_disputes"),
    path("weekly/", views.weekly, name="weekly"),
    path("weekly.xlsx", views.weekly_xlsx, name="weekly_xlsx"),
]
