"""Manager pages of the surveys app. Included at path("manager/surveys/", ...)."""

from django.urls import path

from surveys import results_views

app_name = "survey_results"
urlpatterns = [
    path("", results_views.results, name="results"),
]
