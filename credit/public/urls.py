from django.urls import path

from . import views

app_name = "credit_public"
urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("challenge/", views.challenge, name="challenge"),
]
