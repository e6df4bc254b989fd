from django.urls import path

from . import views

app_name = "deadlines"
urlpatterns = [
    path("", views.deadline_list, name="list"),
    path("rules/", views.rule_list, name="rules"),
    path("<int:pk>/", views.deadline_detail, name="detail"),
    path("<int:pk>/extend/", views.deadline_extend, name="extend"),
    path("<int:pk>/<slug:action>/", views.deadline_action, name="action"),
]
