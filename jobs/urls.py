from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [path("", views.job_runs, name="runs")]
