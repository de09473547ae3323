"""Survey pages. Included by the project at path("surveys/", include("surveys.urls"))."""

from django.urls import path

from surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="list"),
    path("<str:link_token>/", views.survey_answer, name="answer"),
    path("<str:link_token>/rate/<int:score>/", views.survey_rate, name="rate"),
]
