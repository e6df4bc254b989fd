from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("<str:app_label>/<str:model_name>/<str:pk>/", views.history, name="history"),
    path(
        "<str:app_label>/<str:model_name>/<str:pk>/export.csv",
        views.history_csv,
        name="history_csv",
    ),
]
