"""Opening, joining, scoring and changing recovery cases. The API, the pages,
detectors and Celery all come through here, so the rules live in one place.

Each service runs in one transaction, locks the rows it changes, saves with
`update_fields`, records a `RecoveryCaseEvent` and leaves side effects to
`transaction.on_commit` (see `recovery.events`).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from helpdesk.errors import ApplicationError, Conflict
from recovery import events, scoring
from recovery.facts import clean_facts, merge_facts
from recovery.models import (
    ACTIVE_STATUSES,
    DIAGNOSES,
    FINISHED_STATUSES,
    CaseStatus,
    FailureType,
    Outcome,
    RecoveryCase,
    RecoverySignal,
)
from recovery.services import apology, compensation, playbooks
from recovery.services.common import UNSET, check_choice, clean_text, lock_case, require_staff
from tickets.models import Ticket

# A new signal for the same customer and failure type within this window
# joins the open case instead of opening another.
DUPLICATE_WINDOW = timedelta(days=14)
# Earlier failures of the customer that count against the score.
PRIOR_FAILURE_WINDOW = timedelta(days=365)
# The beat rescores active cases whose score is older than this.
RESCORE_EVERY = timedelta(minutes=15)

MAX_SOURCE = 100
MAX_APOLOGY_SUBJECT = 255
MAX_APOLOGY_BODY = 20_000


@dataclass(frozen=True)
class CaseOpened:
    case: RecoveryCase
    created: bool  # False: the signal joined a case already in work
    signal: RecoverySignal | None  # None: this source had been delivered before


def _clean_source(source: str | None) -> str:
    if source is None:
        return ""
    return clean_text(source, field="source", max_length=MAX_SOURCE)


def _clean_sentiment(sentiment: float | None) -> float | None:
    if sentiment is None:
        return None
    if isinstance(sentiment, bool) or not isinstance(sentiment, int | float):
        raise ApplicationError(_("Sentiment must be a number."), field="sentiment")
    if not -1 <= sentiment <= 1:
        raise ApplicationError(_("Sentiment runs from -1 to 1."), field="sentiment")
    return round(float(sentiment), 4)


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
    """Sets the case's severity and recovery chance with their reasons, and `scored_at`;
    True when the score or its reasons changed."""
    inputs = scoring.ScoreInputs(
        failure_type=case.failure_type,
        facts=case.facts,
        tier=customer.tier,
        lifetime_value=customer.lifetime_value,
        prior_failures=_prior_failures(case),
        waited_hours=_waited_hours(case, now),
        signal_count=signal_count,
        sentiment=case.sentiment,
        proactive=case.proactive,
    )
    severity = scoring.severity(inputs)
    chance = scoring.recovery_chance(inputs, severity_total=severity.total)
    before = (case.severity, case.score_reasons, case.recovery_chance, case.recovery_chance_reasons)
    case.severity = severity.total
    case.score_reasons = severity.reasons_as_dicts()
    case.recovery_chance = chance.total
    case.recovery_chance_reasons = chance.reasons_as_dicts()
    case.scored_at = now
    after = (case.severity, case.score_reasons, case.recovery_chance, case.recovery_chance_reasons)
    return before != after


SCORE_FIELDS = ["severity", "score_reasons", "recovery_chance", "recovery_chance_reasons"]


def _rescore_locked(case: RecoveryCase, *, actor: User | None, now: datetime) -> list[str]:
    """Rescores the locked, saved case and records a move; returns the fields to save
    (`scored_at` always, the score fields when they changed)."""
    previous = (case.severity, case.recovery_chance)
    if not _apply_score(case, customer=case.customer, signal_count=case.signals.count(), now=now):
        return ["scored_at"]
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
    return ["scored_at", *SCORE_FIELDS]


# --- cases ------------------------------------------------------------------------


def case_open(
    *,
    actor: User | None,
    ticket: Ticket,
    failure_type: str,
    facts: dict[str, Any] | None = None,
    source: str | None = None,
    detected_at: datetime | None = None,
    proactive: bool = False,
    sentiment: float | None = None,
    related_ticket_ids: Iterable[int] = (),
    detail: dict[str, Any] | None = None,
) -> CaseOpened:
    """Opens a recovery case for the ticket's customer, or adds the signal to one in work.

    Precondition: `ticket` came from a selector scoped to `actor` (or from an
    event, when `actor` is None: the system). The signal joins the customer's
    active case about the same issue: the one on this ticket, else one on a
    `related_ticket_ids` ticket (a repeat contact names the earlier ticket),
    else one of the same failure type detected in the last 14 days. It is
    rescored; no duplicate is opened. A `source` delivered before adds nothing,
    even when two deliveries race (the database holds sources unique).

    A diagnosis (one of the five failure categories) joining a case opened on
    a symptom gives the case its type, and with it its playbook (unless a step
    is already ticked). `proactive`: the failure has not happened yet; a real
    failure joining a proactive case ends that. `sentiment` (-1..1): how upset
    the customer's message read; the case keeps the most negative. `detail`:
    what the detector saw, kept on the signal.
    """
    require_staff(actor, allow_system=True)
    check_choice(failure_type, FailureType, field="failure_type")
    request = _OpenRequest(
        actor=actor,
        ticket=ticket,
        failure_type=failure_type,
        facts=clean_facts(facts),
        source=_clean_source(source),
        detected_at=detected_at,
        proactive=bool(proactive),
        sentiment=_clean_sentiment(sentiment),
        related_ticket_ids=tuple(int(pk) for pk in related_ticket_ids if int(pk) != ticket.pk),
        detail=dict(detail or {}),
    )
    try:
        return _open(request)
    except IntegrityError:
        # Two opens raced past the customer lock (only possible where the
        # database ignores row locks) and met at a constraint (one active case
        # per ticket, one signal per source): the second attempt finds the
        # winner's case or signal and joins it or stops.
        return _open(request)


@dataclass(frozen=True)
class _OpenRequest:
    actor: User | None
    ticket: Ticket
    failure_type: str
    facts: dict[str, Any]
    source: str
    detected_at: datetime | None
    proactive: bool
    sentiment: float | None
    related_ticket_ids: tuple[int, ...]
    detail: dict[str, Any]


def _open(request: _OpenRequest) -> CaseOpened:
    actor, ticket, failure_type = request.actor, request.ticket, request.failure_type
    with transaction.atomic():
        # Serialises opens for one customer: the duplicate check below and the
        # insert must not interleave with another open for the same person.
        customer = User.objects.select_for_update().get(pk=ticket.requester_id)
        if request.source:
            seen = RecoverySignal.objects.filter(source=request.source).select_related("case")
            seen = seen.first()
            if seen is not None:
                return CaseOpened(case=seen.case, created=False, signal=None)
        now = timezone.now()
        same_issue = Q(ticket=ticket) | Q(
            failure_type=failure_type, detected_at__gte=now - DUPLICATE_WINDOW
        )
        # Prefer the case on this ticket, then one on a related ticket, then the oldest.
        preference = [When(ticket=ticket, then=Value(0))]
        if request.related_ticket_ids:
            same_issue |= Q(ticket_id__in=request.related_ticket_ids)
            preference.append(When(ticket_id__in=request.related_ticket_ids, then=Value(1)))
        case = (
            RecoveryCase.objects.select_for_update()
            .filter(customer=customer, status__in=ACTIVE_STATUSES)
            .filter(same_issue)
            .order_by(
                Case(*preference, default=Value(2), output_field=IntegerField()),
                "detected_at",
                "id",
            )
            .first()
        )
        if case is not None:
            return _join(case, customer=customer, request=request, now=now)

        case = RecoveryCase(
            ticket=ticket,
            customer=customer,
            failure_type=failure_type,
            facts=request.facts,
            proactive=request.proactive,
            sentiment=request.sentiment,
            opened_by=actor,
            detected_at=min(request.detected_at or now, now),
            created_at=now,
            updated_at=now,
        )
        case.playbook = playbooks.playbook_for(case.situation)
        _apply_score(case, customer=customer, signal_count=1, now=now)
        compensation.suggest_locked(case, customer=customer)
        case.save(force_insert=True)
        signal = _add_signal(case, request)
        playbooks.copy_steps(case, case.playbook)
        events.record(
            case=case,
            actor=actor,
            type=events.OPENED,
            data={
                "failure_type": failure_type,
                "ticket_id": ticket.pk,
                "signal_id": signal.pk,
                "source": request.source,
                "severity": case.severity,
                "proactive": case.proactive,
                "playbook_id": case.playbook_id,
            },
        )
        # The draft's wording is seeded by the case id, so it is composed once saved.
        drafted = apology.draft_locked(case, actor=actor)
        if drafted:
            case.save(update_fields=drafted)
        return CaseOpened(case=case, created=True, signal=signal)


def _join(
    case: RecoveryCase, *, customer: User, request: _OpenRequest, now: datetime
) -> CaseOpened:
    """Adds the signal to the locked active case and rescores it."""
    case.customer = customer
    signal = _add_signal(case, request)
    changed = ["updated_at"]
    merged = merge_facts(case.facts, request.facts)
    if merged != case.facts:
        case.facts = merged
        changed.append("facts")
    if request.sentiment is not None and (
        case.sentiment is None or request.sentiment < case.sentiment
    ):
        case.sentiment = request.sentiment
        changed.append("sentiment")
    events.record(
        case=case,
        actor=request.actor,
        type=events.SIGNAL_ADDED,
        data={
            "signal_id": signal.pk,
            "kind": request.failure_type,
            "ticket_id": request.ticket.pk,
            "source": request.source,
            "proactive": request.proactive,
        },
    )
    refit = False
    if request.failure_type in DIAGNOSES and case.failure_type not in DIAGNOSES:
        # The case was opened on a symptom (an upset message, a breach); now we know
        # what actually failed, and that decides the playbook.
        events.record(
            case=case,
            actor=request.actor,
            type=events.RETYPED,
            data={"from": case.failure_type, "to": request.failure_type},
        )
        case.failure_type = request.failure_type
        changed.append("failure_type")
        refit = True
    if case.proactive and not request.proactive:
        # The failure the case was opened to prevent has happened after all.
        case.proactive = False
        changed.append("proactive")
        refit = True
    if refit:
        changed += playbooks.refit_locked(case, actor=request.actor)
    changed += _rescore_locked(case, actor=request.actor, now=now)
    changed += compensation.suggest_locked(case, customer=customer)
    changed += apology.draft_locked(case, actor=request.actor)
    case.updated_at = now
    case.save(update_fields=sorted(set(changed)))
    return CaseOpened(case=case, created=False, signal=signal)


def _add_signal(case: RecoveryCase, request: _OpenRequest) -> RecoverySignal:
    data: dict[str, Any] = {"facts": request.facts, **request.detail}
    if request.proactive:
        data["proactive"] = True
    if request.sentiment is not None:
        data["sentiment"] = request.sentiment
    if request.related_ticket_ids:
        data["related_ticket_ids"] = list(request.related_ticket_ids)
    actor = request.actor
    return RecoverySignal.objects.create(
        case=case,
        kind=request.failure_type,
        ticket=request.ticket,
        source=request.source,
        actor=actor if getattr(actor, "pk", None) else None,
        data=data,
    )


def case_rescore(*, actor: User | None, case: RecoveryCase) -> RecoveryCase:
    """Scores the case again from what is known now (facts, history, time waited).

    `actor=None` is the system (the periodic rescore). Records an event only
    when the severity or the recovery chance moved.
    """
    require_staff(actor, allow_system=True)
    with transaction.atomic():
        case = lock_case(case)
        now = timezone.now()
        fields = _rescore_locked(case, actor=actor, now=now)
        if len(fields) > 1:
            case.updated_at = now
            fields.append("updated_at")
        case.save(update_fields=fields)
    return case


def cases_rescore_stale(
    *, stale_after: timedelta = RESCORE_EVERY, batch: int = 200, max_batches: int = 50
) -> int:
    """Rescores active cases whose score is older than `stale_after`, stalest first.

    Scores grow stale as a case waits (the waiting factor and the chance of
    recovery move with time). Ids come in batches through the partial index
    on `scored_at` of active cases; each case is rescored in its own short
    transaction under its row lock, which stamps `scored_at` and so takes it
    out of the next batch. Returns how many cases were rescored.
    """
    cutoff = timezone.now() - stale_after
    done = 0
    for _batch in range(max_batches):
        ids = list(
            RecoveryCase.objects.filter(status__in=ACTIVE_STATUSES, scored_at__lt=cutoff)
            .order_by("scored_at", "id")
            .values_list("id", flat=True)[:batch]
        )
        if not ids:
            break
        for case_id in ids:
            try:
                case_rescore(actor=None, case=RecoveryCase(pk=case_id))
            except RecoveryCase.DoesNotExist:
                continue  # deleted since the batch was read
            done += 1
    return done


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
    require_staff(actor)
    if status is not UNSET:
        check_choice(status, CaseStatus, field="status")
    if outcome is not UNSET and outcome != "":
        check_choice(outcome, Outcome, field="outcome")
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
        apology_subject = clean_text(
            apology_subject, field="apology_subject", max_length=MAX_APOLOGY_SUBJECT
        )
    if apology_body is not UNSET:
        apology_body = clean_text(apology_body, field="apology_body", max_length=MAX_APOLOGY_BODY)

    with transaction.atomic():
        case = lock_case(case)
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
            if case.apology_sent_at is not None:
                raise Conflict(_("The apology has already been sent."))
            events.record(case=case, actor=actor, type=events.APOLOGY_CHANGED, data=apology_changes)
            case.apology_edited = True
            changed.append("apology_edited")

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
            case.outcome_at = now if outcome else None
            case.time_to_recover = (case.resolved_at or now) - case.detected_at if outcome else None
            changed += ["outcome", "outcome_at", "time_to_recover"]

        if rescore:
            changed += _rescore_locked(case, actor=actor, now=now)
        if rescore:
            changed += compensation.suggest_locked(case, customer=case.customer)
        if "facts" in changed or "compensation_kind" in changed or "compensation_amount" in changed:
            changed += apology.draft_locked(case, actor=actor)
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
