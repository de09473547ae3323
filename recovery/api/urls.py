from django.urls import path

from recovery.api import views

urlpatterns = [
    path("cases/", views.CaseListView.as_view(), name="recovery-case-list"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="recovery-case-detail"),
]
