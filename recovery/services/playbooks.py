"""Playbook steps on cases: chosen when a case opens, ticked off by agents.

A case's steps are copied from its playbook when it opens, so a manager
editing the playbook later changes new cases, not the checklist an agent is
halfway through. A proactive case whose failure then happens gets the
playbook of the real failure instead, as long as nobody has ticked a step.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from helpdesk.errors import Conflict, NotFound
from recovery import events
from recovery.models import GENERIC, CaseStatus, CaseStep, Playbook, RecoveryCase
from recovery.services.common import lock_case, require_staff


def playbook_for(situation: str) -> Playbook | None:
    """The active playbook for the situation, else the generic one (None if neither exists)."""
    rows = {
        playbook.situation: playbook
        for playbook in Playbook.objects.filter(situation__in=[situation, GENERIC], is_active=True)
    }
    return rows.get(situation) or rows.get(GENERIC)


def copy_steps(case: RecoveryCase, playbook: Playbook | None) -> list[CaseStep]:
    """Copies the playbook's steps onto the saved case. Precondition: in the case's transaction."""
    if playbook is None:
        return []
    return CaseStep.objects.bulk_create(
        [
            CaseStep(
                case=case,
                playbook_step=step,
                position=step.position,
                kind=step.kind,
                title=step.title,
                guidance=step.guidance,
            )
            for step in playbook.steps.order_by("position", "id")
        ]
    )


def refit_locked(case: RecoveryCase, *, actor: User | None) -> list[str]:
    """Gives the locked case the playbook of its situation now, unless a step is ticked.

    Returns the fields to save.
    """
    playbook = playbook_for(case.situation)
    if playbook is None or playbook.pk == case.playbook_id:
        return []
    if case.steps.filter(completed_at__isnull=False).exists():
        return []  # work has started on the old checklist: keep it
    case.steps.all().delete()
    copy_steps(case, playbook)
    events.record(
        case=case,
        actor=actor,
        type=events.PLAYBOOK_CHANGED,
        data={"from": case.playbook_id, "to": playbook.pk},
    )
    case.playbook = playbook
    return ["playbook"]


def case_playbook_apply(*, actor: User, case: RecoveryCase) -> RecoveryCase:
    """Gives a case without steps (opened before playbooks existed) its playbook's steps."""
    require_staff(actor)
    with transaction.atomic():
        case = lock_case(case)
        if case.steps.exists():
            return case
        playbook = case.playbook or playbook_for(case.situation)
        if playbook is None:
            return case
        copy_steps(case, playbook)
        events.record(
            case=case,
            actor=actor,
            type=events.PLAYBOOK_CHANGED,
            data={"from": case.playbook_id, "to": playbook.pk},
        )
        case.playbook = playbook
        case.updated_at = timezone.now()
        case.save(update_fields=["playbook", "updated_at"])
    return case


def case_step_set_done(*, actor: User, case: RecoveryCase, step_id: int, done: bool) -> CaseStep:
    """Ticks a step off (recording who and when) or unticks it. Ticking twice changes nothing."""
    require_staff(actor)
    with transaction.atomic():
        case = lock_case(case)
        step = case.steps.filter(pk=step_id).first()
        if step is None:
            raise NotFound(_("No such step on this case."))
        if case.status == CaseStatus.CLOSED:
            raise Conflict(_("This case is closed; its steps can no longer change."))
        if step.is_done == done:
            return step
        now = timezone.now()
        step.completed_at = now if done else None
        step.completed_by = actor if done else None
        step.save(update_fields=["completed_at", "completed_by"])
        events.record(
            case=case,
            actor=actor,
            type=events.STEP_DONE if done else events.STEP_UNDONE,
            data={"step_id": step.pk, "title": step.title},
        )
        case.updated_at = now
        case.save(update_fields=["updated_at"])
    return step
