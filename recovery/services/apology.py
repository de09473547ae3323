"""Apology drafts on cases: drafted by the composer, edited and sent by agents.

Nothing reaches the customer without an agent: `case_apology_send` posts the
(possibly edited) draft as a public reply through `tickets.services.message_add`,
which emails it after commit.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from helpdesk.errors import ApplicationError, Conflict
from recovery import events
from recovery.apology import compose, input_for_case, llm
from recovery.models import CaseStatus, RecoveryCase
from recovery.services.common import lock_case, require_staff
from tickets import services as ticket_services


def draft_locked(case: RecoveryCase, *, actor: User | None) -> list[str]:
    """Redrafts the saved, locked case's apology from its facts; returns the fields to save.

    Leaves an agent's edited draft, and a sent one, alone. The promised reply
    time counts from detection, so a redraft of unchanged facts reads the same.
    Precondition: the caller holds the row lock; `customer` and `ticket` are loaded.
    """
    if case.apology_edited or case.apology_sent_at is not None:
        return []
    draft = compose(input_for_case(case, start=case.detected_at))
    if (draft.subject, draft.body) == (case.apology_subject, case.apology_body):
        return []
    case.apology_subject, case.apology_body = draft.subject, draft.body
    events.record(
        case=case,
        actor=actor,
        type=events.APOLOGY_DRAFTED,
        data={"language": case.customer.language, "engine": "composer"},
    )
    if llm.enabled():
        # The model is asked after commit, never while the case row is locked.
        from recovery import tasks  # tasks import services: keep it lazy

        case_id = case.pk
        transaction.on_commit(lambda: tasks.polish_apology.delay(case_id))
    return ["apology_subject", "apology_body"]


def case_apology_polish(*, case_id: int) -> bool:
    """Lets the language model rewrite the composed draft (setting `RECOVERY_LLM_URL`).

    Runs without locks while the model answers, then keeps the rewrite only if
    the draft is still the composer's (no agent edited it, nothing was sent,
    the facts did not move meanwhile). True when the rewrite was kept.
    """
    case = (
        RecoveryCase.objects.select_related("customer", "ticket", "assigned_to", "ticket__assignee")
        .filter(pk=case_id)
        .first()
    )
    if case is None or case.apology_edited or case.apology_sent_at is not None:
        return False
    data = input_for_case(case, start=case.detected_at)
    composed = compose(data)
    if composed.body != case.apology_body:
        return False  # already rewritten, or the draft changed since
    rewritten, engine = llm.rewrite(composed, data=data)
    if engine != "llm":
        return False
    with transaction.atomic():
        case = lock_case(case)
        if case.apology_edited or case.apology_sent_at or case.apology_body != composed.body:
            return False
        case.apology_body = rewritten.body
        case.save(update_fields=["apology_body"])
        events.record(
            case=case,
            actor=None,
            type=events.APOLOGY_DRAFTED,
            data={"language": case.customer.language, "engine": "llm"},
        )
    return True


def case_apology_redraft(*, actor: User, case: RecoveryCase) -> RecoveryCase:
    """Throws the agent's edits away and drafts again from the facts."""
    require_staff(actor)
    with transaction.atomic():
        case = lock_case(case)
        if case.apology_sent_at is not None:
            raise Conflict(_("The apology has already been sent."))
        case.apology_edited = False
        fields = ["apology_edited", *draft_locked(case, actor=actor)]
        case.updated_at = timezone.now()
        case.save(update_fields=[*fields, "updated_at"])
    return case


def case_apology_send(*, actor: User, case: RecoveryCase) -> RecoveryCase:
    """Sends the case's apology to the customer as a public reply on its ticket, once.

    Precondition: `case` came from a selector scoped to `actor`.
    """
    require_staff(actor)
    with transaction.atomic():
        case = lock_case(case)
        if case.apology_sent_at is not None:
            raise Conflict(_("The apology has already been sent."))
        if case.status == CaseStatus.CLOSED:
            raise Conflict(_("This case is closed."))
        if not case.apology_body.strip():
            raise ApplicationError(_("Write the apology before sending it."), field="apology")
        message = ticket_services.message_add(
            actor=actor, ticket=case.ticket, body=case.apology_body
        )
        now = timezone.now()
        case.apology_sent_at = now
        case.updated_at = now
        case.save(update_fields=["apology_sent_at", "updated_at"])
        events.record(
            case=case,
            actor=actor,
            type=events.APOLOGY_SENT,
            data={"message_id": message.pk, "ticket_id": case.ticket_id},
        )
    return case
