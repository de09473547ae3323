from django.urls import path

from sla import views

app_name = "sla"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("policies/new/", views.policy_edit, name="policy_new"),
    path("policies/<int:pk>/", views.policy_edit, name="policy_edit"),
    path("calendars/new/", views.calendar_edit, name="calendar_new"),
    path("calendars/<int:pk>/", views.calendar_edit, name="calendar_edit"),
]
