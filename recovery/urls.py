from django.urls import path

from recovery.views import approvals, manage, pages, panel

app_name = "manager"

urlpatterns = [
    path("", pages.dashboard, name="dashboard"),
    path("recovery/queue/", pages.recovery_queue, name="recovery_queue"),
    path("recovery/cases/<int:case_id>/", pages.case_detail, name="recovery_case"),
    path(
        "recovery/cases/<int:case_id>/root-cause/",
        pages.case_root_cause,
        name="recovery_case_root_cause",
    ),
    path(
        "recovery/cases/<int:case_id>/coaching/",
        pages.case_coaching_note,
        name="recovery_case_coaching",
    ),
    path(
        "recovery/cases/<int:case_id>/steps/<int:step_id>/",
        panel.case_step,
        name="recovery_case_step",
    ),
    path(
        "recovery/cases/<int:case_id>/playbook/",
        panel.case_playbook,
        name="recovery_case_playbook",
    ),
    path(
        "recovery/cases/<int:case_id>/apology/",
        panel.case_apology,
        name="recovery_case_apology",
    ),
    path(
        "recovery/cases/<int:case_id>/apology/send/",
        panel.case_apology_send,
        name="recovery_case_apology_send",
    ),
    path(
        "recovery/tickets/<int:ticket_id>/panel/",
        panel.ticket_panel,
        name="recovery_ticket_panel",
    ),
    path(
        "recovery/tickets/<int:ticket_id>/cases/",
        panel.ticket_case_open,
        name="recovery_ticket_case_open",
    ),
    path(
        "recovery/cases/<int:case_id>/approvals/",
        approvals.case_request_approval,
        name="recovery_case_request_approval",
    ),
    path(
        "recovery/cases/<int:case_id>/issue/",
        approvals.case_issue,
        name="recovery_case_issue",
    ),
    path("recovery/approvals/", approvals.approvals_inbox, name="recovery_approvals"),
    path(
        "recovery/approvals/<int:approval_id>/",
        approvals.approval_decide,
        name="recovery_approval_decide",
    ),
    path("recovery/coaching/", pages.coaching_notes, name="recovery_coaching"),
    path("recovery/settings/", manage.detector_settings, name="recovery_settings"),
    path("recovery/playbooks/", manage.playbooks, name="recovery_playbooks"),
    path("recovery/playbooks/new/", manage.playbook_edit, name="recovery_playbook_new"),
    path("recovery/playbooks/<int:pk>/", manage.playbook_edit, name="recovery_playbook_edit"),
    path("recovery/root-causes/", manage.root_causes, name="recovery_root_causes"),
]
