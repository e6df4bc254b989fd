from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("documents/<int:pk>/", views.document_detail, name="detail"),
    path(
        "documents/<int:pk>/<slug:file_format>/",
        views.document_download,
        name="download",
    ),
    path("v/<str:code>/", views.verify, name="verify"),
]
