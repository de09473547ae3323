"""Learning from failures: each case's root cause, and coaching notes for agents."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from helpdesk.errors import ApplicationError
from recovery import events
from recovery.models import CoachingNote, RecoveryCase, RootCause
from recovery.services.common import clean_text, lock_case, require_staff, require_supervisor

MAX_ROOT_CAUSE_NOTE = 5000
MAX_COACHING_NOTE = 5000


def case_set_root_cause(
    *, actor: User, case: RecoveryCase, root_cause: RootCause | None, note: str = ""
) -> RecoveryCase:
    """Records where the failure came from (an active sub-cause of the taxonomy) and why.

    Allowed on finished cases too: the cause is often clear only afterwards.
    """
    require_staff(actor)
    note = clean_text(note, field="root_cause_note", max_length=MAX_ROOT_CAUSE_NOTE)
    if root_cause is not None and not root_cause.is_active:
        raise ApplicationError(_("This root cause is no longer in use."), field="root_cause")
    with transaction.atomic():
        case = lock_case(case)
        new_id = root_cause.pk if root_cause else None
        if new_id == case.root_cause_id and note == case.root_cause_note:
            return case
        events.record(
            case=case,
            actor=actor,
            type=events.ROOT_CAUSE_SET,
            data={
                "from": case.root_cause_id,
                "to": new_id,
                "note_changed": note != case.root_cause_note,
            },
        )
        case.root_cause = root_cause
        case.root_cause_note = note
        case.updated_at = timezone.now()
        case.save(update_fields=["root_cause", "root_cause_note", "updated_at"])
    return case


def coaching_note_add(*, actor: User, case: RecoveryCase, agent: User, note: str) -> CoachingNote:
    """A supervisor's note for the agent whose handling caused the failure.

    Only the agent, the leads of the agent's teams, managers and the author
    read it (`CoachingNote.objects.visible_to`). The case's audit trail names
    the note, never its text.
    """
    require_supervisor(actor)
    if not (agent.is_active and agent.is_agent):
        raise ApplicationError(_("Coaching notes are for active staff."), field="agent")
    note = clean_text(note, field="note", max_length=MAX_COACHING_NOTE)
    if not note:
        raise ApplicationError(_("Write the note."), field="note")
    with transaction.atomic():
        case = lock_case(case)
        coaching = CoachingNote.objects.create(
            agent=agent, case=case, note=note, author=actor, created_at=timezone.now()
        )
        events.record(
            case=case,
            actor=actor,
            type=events.COACHING_NOTE_ADDED,
            data={"note_id": coaching.pk, "agent_id": agent.pk},
        )
    return coaching
