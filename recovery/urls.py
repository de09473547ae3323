from django.urls import path

from recovery import views

app_name = "manager"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("recovery/queue/", views.recovery_queue, name="recovery_queue"),
    path("recovery/cases/<int:case_id>/", views.case_detail, name="recovery_case"),
]
