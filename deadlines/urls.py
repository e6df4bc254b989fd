from django.urls import path

from . import views

app_name = "deadlines"
urlpatterns = [
    path("", views.deadline_list, name="list"),
    path("rules/", views.rule_list, name="rules"),
    path("extensions/", views.extension_request_list, name="extension_requests"),
    path("extensions/<int:pk>/", views.extension_request_detail, name="extension_request"),
    path(
        "extensions/<int:pk>/<slug:decision>/",
        views.extension_request_decide,
        name="extension_request_decide",
    ),
    path("<int:pk>/", views.deadline_detail, name="detail"),
    path("<int:pk>/extend/", views.deadline_extend, name="extend"),
    path("<int:pk>/<slug:action>/", views.deadline_action, name="action"),
]
