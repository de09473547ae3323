"""The events recovery cases emit: the audit trail, and a signal after commit.

Every service that changes a case writes a `RecoveryCaseEvent` in its
transaction through `record()`. After commit, `case_event` is sent with the
saved row, so later parts (apology drafts, approvals, follow-up surveys,
live dashboards) can listen without changing the services.
"""

from typing import Any

from django.db import transaction
from django.dispatch import Signal

from recovery.models import RecoveryCase, RecoveryCaseEvent

# Sent after commit with `event=<RecoveryCaseEvent>`.
case_event = Signal()

OPENED = "case.opened"  # data: failure_type, ticket_id, signal_id, source, severity, proactive, playbook_id
SIGNAL_ADDED = "case.signal_added"  # data: signal_id, kind, ticket_id, source, proactive
RESCORED = "case.rescored"  # data: severity {from, to}, recovery_chance {from, to}
STATUS_CHANGED = "case.status_changed"  # data: from, to
OUTCOME_SET = "case.outcome_set"  # data: from, to
ASSIGNED = "case.assigned"  # data: from, to (user ids)
FACTS_CHANGED = "case.facts_changed"  # data: from, to
APOLOGY_CHANGED = "case.apology_changed"  # data: subject (bool), body (bool): what changed
APOLOGY_DRAFTED = "case.apology_drafted"  # data: language, engine ("composer" or "llm")
APOLOGY_SENT = "case.apology_sent"  # data: message_id, ticket_id
APPROVAL_REQUESTED = "case.approval_requested"  # data: approval_id, kind, amount, currency
APPROVAL_DECIDED = "case.approval_decided"  # data: approval_id, status, amount, currency
COMPENSATION_ISSUED = "case.compensation_issued"  # data: issue_id, kind, amount, currency
FOLLOW_UP_SCHEDULED = "case.follow_up_scheduled"  # data: survey_id
CHURNED = "case.churned"  # data: source ("cancellation")
RETYPED = "case.failure_type_changed"  # data: from, to (a diagnosis joined a symptom's case)
PLAYBOOK_CHANGED = "case.playbook_changed"  # data: from, to (playbook ids)
STEP_DONE = "case.step_done"  # data: step_id, title
STEP_UNDONE = "case.step_undone"  # data: step_id, title
ROOT_CAUSE_SET = "case.root_cause_set"  # data: from, to (root cause ids), note_changed
COACHING_NOTE_ADDED = "case.coaching_note_added"  # data: note_id, agent_id (never the text)

TYPES = (
    OPENED,
    SIGNAL_ADDED,
    RESCORED,
    STATUS_CHANGED,
    OUTCOME_SET,
    ASSIGNED,
    FACTS_CHANGED,
    APOLOGY_CHANGED,
    APOLOGY_DRAFTED,
    APOLOGY_SENT,
    APPROVAL_REQUESTED,
    APPROVAL_DECIDED,
    COMPENSATION_ISSUED,
    FOLLOW_UP_SCHEDULED,
    CHURNED,
    RETYPED,
    PLAYBOOK_CHANGED,
    STEP_DONE,
    STEP_UNDONE,
    ROOT_CAUSE_SET,
    COACHING_NOTE_ADDED,
)


def record(
    *, case: RecoveryCase, actor: Any, type: str, data: dict | None = None
) -> RecoveryCaseEvent:
    """Writes the audit row and announces it once the transaction commits.

    Precondition: called inside the service's `transaction.atomic` block.
    """
    assert type in TYPES, f"unknown recovery event type {type!r}"
    event = RecoveryCaseEvent.objects.create(
        case=case,
        actor=actor if getattr(actor, "pk", None) else None,
        type=type,
        data=data or {},
    )
    transaction.on_commit(lambda: case_event.send(sender=RecoveryCaseEvent, event=event))
    return event
