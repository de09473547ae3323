"""Every write to recovery cases. The API, the manager pages, detectors and
Celery all come through here, so the rules live in one place.

Each service runs in one transaction, locks the rows it changes, saves with
`update_fields`, records a `RecoveryCaseEvent` and leaves side effects to
`transaction.on_commit` (see `recovery.events`).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from helpdesk.errors import ApplicationError, Conflict, PermissionDenied
from recovery import events, scoring
from recovery.facts import clean_facts, merge_facts
from recovery.models import (
    ACTIVE_STATUSES,
    FINISHED_STATUSES,
    CaseStatus,
    FailureType,
    Outcome,
    RecoveryCase,
    RecoverySignal,
)
from tickets.models import Ticket

# A new signal for the same customer and failure type within this window
# joins the open case instead of opening another.
DUPLICATE_WINDOW = timedelta(days=14)
# Earlier failures of the customer that count against the score.
PRIOR_FAILURE_WINDOW = timedelta(days=365)

MAX_SOURCE = 100
MAX_APOLOGY_SUBJECT = 255
MAX_APOLOGY_BODY = 20_000


class _Unset:
    """Marks an argument the caller did not give (None is a real value: "unassign")."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


@dataclass(frozen=True)
class CaseOpened:
    case: RecoveryCase
    created: bool  # False: the signal joined a case already in work
    signal: RecoverySignal | None  # None: this source had been delivered before


# --- access and validation ------------------------------------------------------


def _require_staff(actor: User | None, *, allow_system: bool = False) -> None:
    """Staff only. `actor=None` is the system (a detector), where the caller allows it."""
    if actor is None and allow_system:
        return
    if actor is None or not actor.is_active or not actor.is_agent:
        raise PermissionDenied(_("Only support staff may work on recovery cases."))


def _check_choice(value: Any, choices: type, *, field: str) -> str:
    if not isinstance(value, str) or value not in choices.values:
        raise ApplicationError(
            _("“%(value)s” is not a valid choice.") % {"value": str(value)[:50]}, field=field
        )
    return value


def _clean_text(value: Any, *, field: str, max_length: int) -> str:
    if not isinstance(value, str):
        raise ApplicationError(_("Must be text."), field=field)
    value = value.replace("\x00", "").strip()
    if len(value) > max_length:
        raise ApplicationError(
            _("Too long (at most %(max)d characters).") % {"max": max_length}, field=field
        )
    return value


def _clean_source(source: str | None) -> str:
    if source is None:
        return ""
    return _clean_text(source, field="source", max_length=MAX_SOURCE)


# --- scoring --------------------------------------------------------------------


def _waited_hours(case: RecoveryCase, now: datetime) -> float:
    """Hours from detection until the case was resolved, or until now while it is worked."""
    end = case.resolved_at or now
    return max(0.0, (end - case.detected_at).total_seconds() / 3600)


def _prior_failures(case: RecoveryCase) -> int:
    """The customer's other cases detected in the 12 months up to this one."""
    earlier = RecoveryCase.objects.filter(
        customer_id=case.customer_id,
        detected_at__lte=case.detected_at,
        detected_at__gte=case.detected_at - PRIOR_FAILURE_WINDOW,
    )
    if case.pk:
        earlier = earlier.exclude(pk=case.pk)
    return earlier.count()


def _apply_score(case: RecoveryCase, *, customer: User, signal_count: int, now: datetime) -> bool:
    """Sets the case's severity and recovery chance with their reasons; True when they changed."""
    inputs = scoring.ScoreInputs(
        failure_type=case.failure_type,
        facts=case.facts,
        tier=customer.tier,
        lifetime_value=customer.lifetime_value,
        prior_failures=_prior_failures(case),
        waited_hours=_waited_hours(case, now),
        signal_count=signal_count,
    )
    severity = scoring.severity(inputs)
    chance = scoring.recovery_chance(inputs, severity_total=severity.total)
    before = (case.severity, case.score_reasons, case.recovery_chance, case.recovery_chance_reasons)
    case.severity = severity.total
    case.score_reasons = severity.reasons_as_dicts()
    case.recovery_chance = chance.total
    case.recovery_chance_reasons = chance.reasons_as_dicts()
    after = (case.severity, case.score_reasons, case.recovery_chance, case.recovery_chance_reasons)
    return before != after


SCORE_FIELDS = ["severity", "score_reasons", "recovery_chance", "recovery_chance_reasons"]


def _rescore_locked(case: RecoveryCase, *, actor: User | None, now: datetime) -> list[str]:
    """Rescores the locked, saved case and records the change; returns the fields to save."""
    previous = (case.severity, case.recovery_chance)
    if not _apply_score(case, customer=case.customer, signal_count=case.signals.count(), now=now):
        return []
    if previous != (case.severity, case.recovery_chance):
        events.record(
            case=case,
            actor=actor,
            type=events.RESCORED,
            data={
                "severity": {"from": previous[0], "to": case.severity},
                "recovery_chance": {"from": previous[1], "to": case.recovery_chance},
            },
        )
    return SCORE_FIELDS


def _lock(case: RecoveryCase) -> RecoveryCase:
    """Reloads the case under a row lock, so concurrent changes serialise."""
    return (
        RecoveryCase.objects.select_for_update(of=("self",))
        .select_related("customer", "ticket")
        .get(pk=case.pk)
    )


# --- cases ------------------------------------------------------------------------


def case_open(
    *,
    actor: User | None,
    ticket: Ticket,
    failure_type: str,
    facts: dict[str, Any] | None = None,
    source: str | None = None,
    detected_at: datetime | None = None,
) -> CaseOpened:
    """Opens a recovery case for the ticket's customer, or adds the signal to one in work.

    Precondition: `ticket` came from a selector scoped to `actor` (or from an
    event, when `actor` is None: the system). An active case for the same
    customer and ticket, or for the same customer and failure type detected
    in the last 14 days, takes the signal and is rescored; no duplicate is
    opened. A `source` delivered before adds nothing.
    """
    _require_staff(actor, allow_system=True)
    _check_choice(failure_type, FailureType, field="failure_type")
    facts = clean_facts(facts)
    source = _clean_source(source)
    try:
        return _open(actor, ticket, failure_type, facts, source, detected_at)
    except IntegrityError:
        # Two opens raced past the customer lock (only possible where the
        # database ignores row locks) and met at the one-active-case-per-ticket
        # constraint: the second attempt finds the winner's case and joins it.
        return _open(actor, ticket, failure_type, facts, source, detected_at)


def _open(
    actor: User | None,
    ticket: Ticket,
    failure_type: str,
    facts: dict[str, Any],
    source: str,
    detected_at: datetime | None,
) -> CaseOpened:
    with transaction.atomic():
        # Serialises opens for one customer: the duplicate check below and the
        # insert must not interleave with another open for the same person.
        customer = User.objects.select_for_update().get(pk=ticket.requester_id)
        if source:
            seen = RecoverySignal.objects.filter(source=source).select_related("case").first()
            if seen is not None:
                return CaseOpened(case=seen.case, created=False, signal=None)
        now = timezone.now()
        case = (
            RecoveryCase.objects.select_for_update()
            .filter(customer=customer, status__in=ACTIVE_STATUSES)
            .filter(
                Q(ticket=ticket)
                | Q(failure_type=failure_type, detected_at__gte=now - DUPLICATE_WINDOW)
            )
            .order_by(
                Case(
                    When(ticket=ticket, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                ),
                "detected_at",
                "id",
            )
            .first()
        )
        if case is not None:
            case.customer = customer
            signal = _add_signal(
                case, actor=actor, ticket=ticket, kind=failure_type, facts=facts, source=source
            )
            changed = ["updated_at"]
            merged = merge_facts(case.facts, facts)
            if merged != case.facts:
                case.facts = merged
                changed.append("facts")
            events.record(
                case=case,
                actor=actor,
                type=events.SIGNAL_ADDED,
                data={
                    "signal_id": signal.pk,
                    "kind": failure_type,
                    "ticket_id": ticket.pk,
                    "source": source,
                },
            )
            changed += _rescore_locked(case, actor=actor, now=now)
            case.updated_at = now
            case.save(update_fields=changed)
            return CaseOpened(case=case, created=False, signal=signal)

        case = RecoveryCase(
            ticket=ticket,
            customer=customer,
            failure_type=failure_type,
            facts=facts,
            opened_by=actor,
            detected_at=min(detected_at or now, now),
            created_at=now,
            updated_at=now,
        )
        _apply_score(case, customer=customer, signal_count=1, now=now)
        case.save(force_insert=True)
        signal = _add_signal(
            case, actor=actor, ticket=ticket, kind=failure_type, facts=facts, source=source
        )
        events.record(
            case=case,
            actor=actor,
            type=events.OPENED,
            data={
                "failure_type": failure_type,
                "ticket_id": ticket.pk,
                "signal_id": signal.pk,
                "source": source,
                "severity": case.severity,
            },
        )
        return CaseOpened(case=case, created=True, signal=signal)


def _add_signal(
    case: RecoveryCase,
    *,
    actor: User | None,
    ticket: Ticket,
    kind: str,
    facts: dict[str, Any],
    source: str,
) -> RecoverySignal:
    return RecoverySignal.objects.create(
        case=case,
        kind=kind,
        ticket=ticket,
        source=source,
        actor=actor if getattr(actor, "pk", None) else None,
        data={"facts": facts},
    )


def case_rescore(*, actor: User | None, case: RecoveryCase) -> RecoveryCase:
    """Scores the case again from what is known now (facts, history, time waited).

    `actor=None` is the system (a periodic rescore). Records an event only when
    the severity or the recovery chance moved.
    """
    _require_staff(actor, allow_system=True)
    with transaction.atomic():
        case = _lock(case)
        now = timezone.now()
        changed = _rescore_locked(case, actor=actor, now=now)
        if changed:
            case.updated_at = now
            case.save(update_fields=[*changed, "updated_at"])
    return case


def case_update(
    *,
    actor: User,
    case: RecoveryCase,
    status: str = UNSET,
    outcome: str = UNSET,
    assigned_to: User | None = UNSET,
    facts: dict[str, Any] = UNSET,
    apology_subject: str = UNSET,
    apology_body: str = UNSET,
) -> RecoveryCase:
    """Changes a case (staff only); one audit event per change.

    Status follows `TRANSITIONS`; resolving stamps `resolved_at`, taking a
    resolved case up again clears it and the outcome. An outcome belongs to a
    resolved or closed case. A closed case takes only its outcome.
    New facts rescore the case.
    """
    _require_staff(actor)
    if status is not UNSET:
        _check_choice(status, CaseStatus, field="status")
    if outcome is not UNSET and outcome != "":
        _check_choice(outcome, Outcome, field="outcome")
    if (
        assigned_to is not UNSET
        and assigned_to is not None
        and not (assigned_to.is_agent and assigned_to.is_active)
    ):
        raise ApplicationError(
            _("Cases can only be assigned to active staff."), field="assigned_to"
        )
    if facts is not UNSET:
        facts = clean_facts(facts)
    if apology_subject is not UNSET:
        apology_subject = _clean_text(
            apology_subject, field="apology_subject", max_length=MAX_APOLOGY_SUBJECT
        )
    if apology_body is not UNSET:
        apology_body = _clean_text(apology_body, field="apology_body", max_length=MAX_APOLOGY_BODY)

    with transaction.atomic():
        case = _lock(case)
        now = timezone.now()
        changed: list[str] = []
        rescore = False

        if case.status == CaseStatus.CLOSED and (
            (facts is not UNSET and facts != case.facts)
            or (apology_subject is not UNSET and apology_subject != case.apology_subject)
            or (apology_body is not UNSET and apology_body != case.apology_body)
            or (
                assigned_to is not UNSET
                and (assigned_to.pk if assigned_to else None) != case.assigned_to_id
            )
        ):
            raise Conflict(_("This case is closed; only its outcome can still be recorded."))

        if facts is not UNSET and facts != case.facts:
            events.record(
                case=case,
                actor=actor,
                type=events.FACTS_CHANGED,
                data={"from": case.facts, "to": facts},
            )
            case.facts = facts
            changed.append("facts")
            rescore = True

        apology_changes = {}
        if apology_subject is not UNSET and apology_subject != case.apology_subject:
            case.apology_subject = apology_subject
            apology_changes["subject"] = True
            changed.append("apology_subject")
        if apology_body is not UNSET and apology_body != case.apology_body:
            case.apology_body = apology_body
            apology_changes["body"] = True
            changed.append("apology_body")
        if apology_changes:
            events.record(case=case, actor=actor, type=events.APOLOGY_CHANGED, data=apology_changes)

        if (
            assigned_to is not UNSET
            and (assigned_to.pk if assigned_to else None) != case.assigned_to_id
        ):
            events.record(
                case=case,
                actor=actor,
                type=events.ASSIGNED,
                data={"from": case.assigned_to_id, "to": assigned_to.pk if assigned_to else None},
            )
            case.assigned_to = assigned_to
            changed.append("assigned_to")

        if status is not UNSET and status != case.status:
            changed += _set_status(case, actor=actor, status=status, now=now)
            rescore = True  # the waiting time stops at resolution

        if outcome is not UNSET and outcome != case.outcome:
            if outcome and case.status not in FINISHED_STATUSES:
                raise ApplicationError(
                    _("Record an outcome when the case is resolved or closed."), field="outcome"
                )
            events.record(
                case=case,
                actor=actor,
                type=events.OUTCOME_SET,
                data={"from": case.outcome, "to": outcome},
            )
            case.outcome = outcome
            changed.append("outcome")

        if rescore:
            changed += _rescore_locked(case, actor=actor, now=now)
        if changed:
            case.updated_at = now
            case.save(update_fields=sorted({*changed, "updated_at"}))
    return case


def _set_status(case: RecoveryCase, *, actor: User, status: str, now: datetime) -> list[str]:
    """Moves the locked case to `status` and records it; returns the fields to save."""
    previous = case.status
    if not case.can_transition_to(status):
        raise ApplicationError(
            _("A case cannot go from “%(from)s” to “%(to)s”.")
            % {"from": CaseStatus(previous).label, "to": CaseStatus(status).label},
            field="status",
        )
    fields = ["status"]
    if status in ACTIVE_STATUSES and previous in FINISHED_STATUSES:
        # Taken up again: only one case per ticket may be in work.
        if (
            RecoveryCase.objects.active()
            .filter(ticket_id=case.ticket_id)
            .exclude(pk=case.pk)
            .exists()
        ):
            raise Conflict(_("Another recovery case for this ticket is already in work."))
        case.resolved_at = None
        fields.append("resolved_at")
        if case.outcome:
            events.record(
                case=case,
                actor=actor,
                type=events.OUTCOME_SET,
                data={"from": case.outcome, "to": ""},
            )
            case.outcome = ""
            fields.append("outcome")
    elif status in FINISHED_STATUSES and case.resolved_at is None:
        case.resolved_at = now
        fields.append("resolved_at")
    case.status = status
    events.record(
        case=case, actor=actor, type=events.STATUS_CHANGED, data={"from": previous, "to": status}
    )
    return fields
