"""Follow-up and outcome: a CSAT survey when a case is resolved, its answer closing the
case as recovered (4-5) or not, and a later cancellation marking it churned.

Receivers only queue tasks (`recovery.receivers`); these services do the work once.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from helpdesk.errors import ApplicationError
from recovery import events
from recovery.models import CaseStatus, Outcome, RecoveryCase
from recovery.services.common import lock_case, require_staff

# CSAT answers at or above this close a case as recovered.
RECOVERED_FROM_SCORE = 4
# A cancellation marks as churned the customer's cases finished within this window.
CHURN_WINDOW = timedelta(days=180)


def case_follow_up_schedule(*, case_id: int):
    """Schedules the follow-up CSAT for a resolved case (once: surveys keys it on the case)."""
    from surveys.services import survey_schedule_for_recovery

    case = RecoveryCase.objects.select_related("ticket", "customer").filter(pk=case_id).first()
    if case is None or case.status != CaseStatus.RESOLVED or case.outcome:
        return None
    survey = survey_schedule_for_recovery(
        ticket=case.ticket,
        customer=case.customer,
        case_id=case.pk,
        kind="csat",
        closed_at=case.resolved_at,
        throttle=False,
    )
    if survey is not None:
        with transaction.atomic():
            case = lock_case(case)
            if not case.events.filter(
                type=events.FOLLOW_UP_SCHEDULED, data__survey_id=survey.pk
            ).exists():
                events.record(
                    case=case,
                    actor=None,
                    type=events.FOLLOW_UP_SCHEDULED,
                    data={"survey_id": survey.pk},
                )
    return survey


def _finish(case: RecoveryCase, *, outcome: str, now) -> list[str]:
    """Records the outcome on the locked case and closes it; returns the fields to save."""
    fields = ["outcome", "outcome_at", "time_to_recover", "updated_at"]
    events.record(
        case=case, actor=None, type=events.OUTCOME_SET, data={"from": case.outcome, "to": outcome}
    )
    case.outcome = outcome
    case.outcome_at = now
    case.time_to_recover = (case.resolved_at or now) - case.detected_at
    if case.status != CaseStatus.CLOSED:
        events.record(
            case=case,
            actor=None,
            type=events.STATUS_CHANGED,
            data={"from": case.status, "to": CaseStatus.CLOSED},
        )
        if case.resolved_at is None:
            case.resolved_at = now
            fields.append("resolved_at")
        case.status = CaseStatus.CLOSED
        fields.append("status")
    case.updated_at = now
    return fields


def case_follow_up_answered(*, case_id: int, kind: str, score: int) -> RecoveryCase | None:
    """The follow-up survey was answered: closes the case as recovered (CSAT 4-5) or not.

    A case already marked churned keeps that outcome.
    """
    with transaction.atomic():
        case = RecoveryCase.objects.select_for_update().filter(pk=case_id).first()
        if case is None or case.outcome == Outcome.CHURNED:
            return case
        recovered = kind == "csat" and score >= RECOVERED_FROM_SCORE
        outcome = Outcome.RECOVERED if recovered else Outcome.NOT_RECOVERED
        if case.outcome == outcome and case.status == CaseStatus.CLOSED:
            return case
        now = timezone.now()
        case.save(update_fields=_finish(case, outcome=outcome, now=now))
    return case


def customer_cancellation_record(*, actor: User, customer: User) -> list[RecoveryCase]:
    """The customer cancelled: their cases finished (or in work) lately are marked churned."""
    require_staff(actor)
    if customer is None or not customer.is_customer:
        raise ApplicationError(_("No such customer."), field="customer")
    now = timezone.now()
    changed = []
    with transaction.atomic():
        cases = list(
            RecoveryCase.objects.select_for_update()
            .filter(customer=customer, detected_at__gte=now - CHURN_WINDOW)
            .exclude(outcome=Outcome.CHURNED)
            .order_by("id")
        )
        for case in cases:
            fields = _finish(case, outcome=Outcome.CHURNED, now=now)
            events.record(
                case=case, actor=actor, type=events.CHURNED, data={"source": "cancellation"}
            )
            case.save(update_fields=fields)
            changed.append(case)
    return changed
