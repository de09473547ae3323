from django.urls import path

from recovery.api import views

urlpatterns = [
    path("cases/", views.CaseListView.as_view(), name="recovery-case-list"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="recovery-case-detail"),
    path(
        "cases/<int:pk>/apology/send/",
        views.CaseApologySendView.as_view(),
        name="recovery-case-apology-send",
    ),
    path("cases/<int:pk>/issue/", views.CaseIssueView.as_view(), name="recovery-case-issue"),
    path(
        "cases/<int:pk>/approvals/",
        views.CaseApprovalView.as_view(),
        name="recovery-case-approvals",
    ),
    path(
        "approvals/<int:pk>/decision/",
        views.ApprovalDecisionView.as_view(),
        name="recovery-approval-decision",
    ),
    path("cancellations/", views.CancellationView.as_view(), name="recovery-cancellations"),
]
