"""Every write to surveys. The portal, the API, emailed links and Celery tasks
all come through here, so the rules (scheduling, throttling, score ranges,
expiry, who may answer, sending once) live in one place.

The life of a survey:

    scheduled --(dispatch claims it, survey_send emails it)--> sent
    sent --(answer)--> answered   (the answer may change until `expires_at`)
    sent --(one reminder at `remind_at` if unanswered)--> sent
    scheduled | sent --(expiry)--> expired
    scheduled --(ticket reopened)--> cancelled

Sending exactly once: the minute dispatch claims due rows with one
conditional UPDATE (a lease in `claimed_until`, so two dispatches at the same
moment claim each row once), then a task per survey locks the row, checks it
still needs the mail, sends, and stamps `sent_at` / `reminded_at` in the same
transaction. A retried task finds the stamp and does nothing; a crash before
the stamp rolls back, and the lease lets a later dispatch try again.
"""

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from helpdesk.errors import ApplicationError, Conflict, PermissionDenied
from surveys import mail, timing
from surveys.events import LOW_SCORE, survey_answered
from surveys.models import (
    SCORE_RANGES,
    Survey,
    SurveyKind,
    SurveyOrigin,
    SurveyResponse,
    SurveyStatus,
)
from tickets import events as ticket_events
from tickets.models import Status, Ticket, TicketEvent

logger = logging.getLogger(__name__)

MAX_COMMENT = 5_000
ANSWERABLE_STATUSES = (SurveyStatus.SENT, SurveyStatus.ANSWERED)
# How long a claimed survey waits for its send task before a dispatch claims it again.
CLAIM_LEASE = timedelta(minutes=10)
# Ticket states in which a survey about solving it still makes sense.
SOLVED_STATES = (Status.SOLVED, Status.CLOSED)


class SurveyClosed(Conflict):
    """The survey can no longer be answered: expired or withdrawn (the pages show a 410)."""


# --- creating and scheduling ------------------------------------------------------------


def survey_create(
    *,
    ticket: Ticket,
    kind: str = SurveyKind.CSAT,
    scheduled_for: datetime | None = None,
    expires_at: datetime | None = None,
    customer: User | None = None,
    origin: str = SurveyOrigin.MANUAL,
    origin_id: int | None = None,
) -> Survey:
    """A survey about `ticket` for `customer` (its requester by default), due at
    `scheduled_for` (now by default). No delay, quiet hours or throttle: the
    scheduling services below add those."""
    if kind not in SurveyKind.values:
        raise ApplicationError(
            _("“%(value)s” is not a survey kind.") % {"value": kind}, field="kind"
        )
    return Survey.objects.create(
        ticket=ticket,
        customer_id=customer.pk if customer else ticket.requester_id,
        kind=kind,
        scheduled_for=scheduled_for or timezone.now(),
        expires_at=expires_at,
        origin=origin,
        origin_id=origin_id,
    )


def _throttled(customer: User, due: datetime) -> bool:
    """Whether another survey to `customer` goes out within the throttle window of `due`."""
    window = timing.throttle_window()
    if not window:
        return False
    return (
        Survey.objects.filter(
            customer=customer, scheduled_for__gt=due - window, scheduled_for__lt=due + window
        )
        .exclude(status=SurveyStatus.CANCELLED)
        .exclude(status=SurveyStatus.EXPIRED, sent_at__isnull=True)
        .exists()
    )


def _schedule(
    *,
    ticket: Ticket,
    customer: User,
    kind: str,
    origin: str,
    origin_id: int | None,
    after: datetime,
    throttle: bool = True,
) -> Survey | None:
    """Schedules a survey SURVEY_DELAY_HOURS after `after`, out of the customer's quiet hours.

    Returns the existing survey when (origin, origin_id) already has one, and
    None when the customer is not an active customer or is throttled.
    """
    if kind not in SurveyKind.values:
        raise ApplicationError(
            _("“%(value)s” is not a survey kind.") % {"value": kind}, field="kind"
        )
    if not (customer.is_active and customer.is_customer):
        return None
    due = timing.send_time(after, customer)
    with transaction.atomic():
        # One scheduling per customer at a time: two tickets solved at the same
        # moment must not both pass the throttle check.
        list(User.objects.select_for_update().filter(pk=customer.pk).values_list("pk"))
        if origin_id is not None:
            existing = Survey.objects.filter(origin=origin, origin_id=origin_id).first()
            if existing is not None:
                return existing
        if throttle and _throttled(customer, due):
            logger.info(
                "survey for ticket %s not scheduled: customer %s throttled", ticket.pk, customer.pk
            )
            return None
        return survey_create(
            ticket=ticket,
            customer=customer,
            kind=kind,
            scheduled_for=due,
            origin=origin,
            origin_id=origin_id,
        )


def survey_schedule_after_solve(*, event_id: int) -> Survey | None:
    """Schedules the survey a `ticket.status_changed` to solved calls for (once per event).

    Nothing when the event is not a solve, or the ticket was reopened since.
    """
    event = (
        TicketEvent.objects.select_related("ticket__requester")
        .filter(pk=event_id, type=ticket_events.STATUS_CHANGED)
        .first()
    )
    if event is None or (event.data or {}).get("to") != Status.SOLVED:
        return None
    ticket = event.ticket
    if ticket.status not in SOLVED_STATES:
        return None
    return _schedule(
        ticket=ticket,
        customer=ticket.requester,
        kind=settings.SURVEY_KIND_ON_SOLVE,
        origin=SurveyOrigin.SOLVED,
        origin_id=event.pk,
        after=event.created_at,
    )


def survey_schedule_for_recovery(
    *,
    ticket: Ticket,
    customer: User,
    case_id: int | None = None,
    kind: str = SurveyKind.CSAT,
    closed_at: datetime | None = None,
    throttle: bool = True,
) -> Survey | None:
    """The public entry point for service recovery: a follow-up survey when a case closes.

    Scheduled like any survey (delay, quiet hours, throttle, reminder,
    expiry). With `case_id`, calling again for the same case returns the
    survey already made. `throttle=False` lets a recovery follow-up through
    even when the customer was surveyed lately (about the failure itself).
    Returns None when the customer is throttled or not an active customer.
    """
    return _schedule(
        ticket=ticket,
        customer=customer,
        kind=kind,
        origin=SurveyOrigin.RECOVERY,
        origin_id=case_id,
        after=closed_at or timezone.now(),
        throttle=throttle,
    )


def survey_cancel_for_ticket(*, ticket_id: int) -> int:
    """Withdraws the ticket's surveys not sent yet (it was reopened); returns how many.

    A survey being sent right now holds its row lock; this waits for it and
    then finds it sent, so it is never both sent and cancelled.
    """
    return Survey.objects.filter(
        ticket_id=ticket_id, status=SurveyStatus.SCHEDULED, sent_at__isnull=True
    ).update(status=SurveyStatus.CANCELLED, claimed_until=None)


# --- the minute dispatch ------------------------------------------------------------------


def survey_dispatch(*, now: datetime | None = None, batch: int = 500) -> dict[str, int]:
    """Expires what is past its time, then claims due sends and reminders and queues them.

    Reads only due rows through the indexes on `scheduled_for`, `remind_at`
    and `expires_at`. Each claim is one conditional UPDATE: a concurrent
    dispatch skips rows this one holds and finds claimed ones leased.
    """
    from surveys import tasks

    now = now or timezone.now()
    with transaction.atomic():
        expired = _expire(now)
    with transaction.atomic():
        to_send = _claim(reminders=False, now=now, batch=batch)
        transaction.on_commit(lambda: [tasks.send_survey.delay(pk) for pk in to_send])
    with transaction.atomic():
        to_remind = _claim(reminders=True, now=now, batch=batch)
        transaction.on_commit(lambda: [tasks.send_survey_reminder.delay(pk) for pk in to_remind])
    return {"queued": len(to_send), "reminders": len(to_remind), "expired": expired}


def _expire(now: datetime) -> int:
    """Closes sent surveys past `expires_at`, and scheduled ones too stale to send."""
    closing = Survey.objects.filter(
        status__in=(SurveyStatus.SCHEDULED, SurveyStatus.SENT), expires_at__lte=now
    ).update(status=SurveyStatus.EXPIRED, claimed_until=None)
    stale = Survey.objects.filter(
        status=SurveyStatus.SCHEDULED, scheduled_for__lte=now - timing.answer_window()
    ).update(status=SurveyStatus.EXPIRED, claimed_until=None)
    return closing + stale


def _claim(*, reminders: bool, now: datetime, batch: int) -> list[int]:
    """Leases up to `batch` due surveys until now + CLAIM_LEASE; returns their ids.

    Precondition: inside a transaction. Statuses are written into the SQL (not
    bound) so PostgreSQL can match the partial index on `remind_at`.
    """
    table = Survey._meta.db_table
    skip_locked = (
        " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    )
    if reminders:
        due = "remind_at"
        state = f"status = '{SurveyStatus.SENT.value}' AND reminded_at IS NULL"
    else:
        due = "scheduled_for"
        state = f"status = '{SurveyStatus.SCHEDULED.value}' AND sent_at IS NULL"
    sql = (
        f"UPDATE {table} SET claimed_until = %s WHERE id IN ("  # noqa: S608 - names are constants
        f"SELECT id FROM {table} WHERE {state} AND {due} <= %s"
        f" AND (claimed_until IS NULL OR claimed_until <= %s)"
        f" ORDER BY {due} LIMIT %s{skip_locked}) RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [now + CLAIM_LEASE, now, now, batch])
        return sorted(row[0] for row in cursor.fetchall())


def _lock(survey_id: int) -> Survey | None:
    return (
        Survey.objects.select_for_update(of=("self",))
        .select_related("ticket", "customer")
        .filter(pk=survey_id)
        .first()
    )


def _defer_if_quiet(survey: Survey, now: datetime, *, field: str) -> bool:
    """A dispatch running late into the customer's night waits for the morning.

    Precondition: the caller holds the row lock. Returns True when deferred.
    """
    later = timing.next_allowed(now, timing.zone_of(survey.customer))
    if later <= now:
        return False
    setattr(survey, field, later)
    survey.claimed_until = None
    survey.save(update_fields=[field, "claimed_until"])
    return True


def _withdraw(survey: Survey) -> None:
    survey.status = SurveyStatus.CANCELLED
    survey.claimed_until = None
    survey.save(update_fields=["status", "claimed_until"])


def _stamp_sent(survey: Survey, at: datetime) -> None:
    """Sets the sent state in memory: answerable until the window ends, reminder planned."""
    survey.status = SurveyStatus.SENT
    survey.sent_at = at
    if survey.expires_at is None or survey.expires_at <= at:
        survey.expires_at = at + timing.answer_window()
    survey.remind_at = timing.reminder_time(at, survey.expires_at, survey.customer)
    survey.claimed_until = None


def survey_send(*, survey_id: int) -> str:
    """Emails a scheduled survey to its customer, once; returns what happened.

    The row lock plus `sent_at`, set in the transaction that sends, make a
    retried or duplicated call a no-op once the mail went out.
    """
    now = timezone.now()
    with transaction.atomic():
        survey = _lock(survey_id)
        if survey is None or survey.status != SurveyStatus.SCHEDULED or survey.sent_at:
            return "skipped"
        if survey.is_expired(now):
            return "skipped"  # the next dispatch marks it expired
        if not survey.customer.is_active or (
            survey.origin == SurveyOrigin.SOLVED and survey.ticket.status not in SOLVED_STATES
        ):
            _withdraw(survey)
            return "cancelled"
        if _defer_if_quiet(survey, now, field="scheduled_for"):
            return "deferred"
        _stamp_sent(survey, now)
        mail.build_survey_email(survey).send()
        survey.save(update_fields=["status", "sent_at", "expires_at", "remind_at", "claimed_until"])
    return "sent"


def survey_send_reminder(*, survey_id: int) -> str:
    """Emails the one reminder of a sent, unanswered survey, once (row lock + `reminded_at`)."""
    now = timezone.now()
    with transaction.atomic():
        survey = _lock(survey_id)
        if (
            survey is None
            or survey.status != SurveyStatus.SENT
            or survey.reminded_at is not None
            or survey.remind_at is None
            or survey.is_expired(now)
            or not survey.customer.is_active
        ):
            return "skipped"
        if _defer_if_quiet(survey, now, field="remind_at"):
            return "deferred"
        mail.build_survey_email(survey, reminder=True).send()
        survey.reminded_at = now
        survey.claimed_until = None
        survey.save(update_fields=["reminded_at", "claimed_until"])
    return "sent"


@transaction.atomic
def survey_mark_sent(*, survey: Survey, at: datetime | None = None) -> Survey:
    """Records that the survey reached the customer by other means (imports, demo data).

    Idempotent: a survey already sent (or answered, or expired) is left as it is.
    """
    survey = Survey.objects.select_for_update().select_related("customer").get(pk=survey.pk)
    if survey.status != SurveyStatus.SCHEDULED:
        return survey
    _stamp_sent(survey, at or timezone.now())
    survey.save(update_fields=["status", "sent_at", "expires_at", "remind_at", "claimed_until"])
    return survey


# --- answering ----------------------------------------------------------------------------


def _clean_score(score: Any, kind: str) -> int:
    if isinstance(score, bool) or not isinstance(score, int):
        raise ApplicationError(_("The score must be a whole number."), field="score")
    low, high = SCORE_RANGES[kind]
    if not low <= score <= high:
        raise ApplicationError(
            _("The score must be between %(low)d and %(high)d.") % {"low": low, "high": high},
            field="score",
        )
    return score


def _clean_comment(comment: Any) -> str:
    if comment is None:
        return ""
    if not isinstance(comment, str):
        raise ApplicationError(_("The comment must be text."), field="comment")
    comment = comment.replace("\x00", "").strip()
    if len(comment) > MAX_COMMENT:
        raise ApplicationError(
            _("The comment is too long (at most %(max)d characters).") % {"max": MAX_COMMENT},
            field="comment",
        )
    return comment


@transaction.atomic
def survey_answer(
    *,
    survey: Survey,
    score: Any,
    comment: Any = None,
    actor: Any = None,
    at: datetime | None = None,
    announce: bool = True,
) -> SurveyResponse:
    """Records (or changes) the customer's answer to a sent survey.

    `actor` is the logged-in person answering, who must be the survey's
    customer; None means the caller has already proved who answers (a signed
    link, an import). `comment` None keeps the comment already given (a
    one-click rating); "" clears it. `at` backdates the answer, for imports
    and demo data, which also pass `announce=False`: no low-score event, alert
    or signal for history.

    A low answer records `survey.low_score` on the ticket in this transaction
    and queues one alert email to the team lead (or the managers) per survey.
    """
    if actor is not None and getattr(actor, "pk", None) != survey.customer_id:
        raise PermissionDenied(_("Only the customer who was asked can answer this survey."))
    at = at or timezone.now()
    survey = (
        Survey.objects.select_for_update(of=("self",))
        .select_related("ticket", "customer")
        .get(pk=survey.pk)
    )
    if survey.status not in ANSWERABLE_STATUSES:
        if survey.status in (SurveyStatus.EXPIRED, SurveyStatus.CANCELLED):
            raise SurveyClosed(_("This survey has expired."))
        raise Conflict(_("This survey has not been sent yet."))
    if survey.is_expired(at):
        raise SurveyClosed(_("This survey has expired."))
    score = _clean_score(score, survey.kind)
    response = SurveyResponse.objects.filter(survey=survey).first()
    if comment is None:
        comment = response.comment if response else ""
    comment = _clean_comment(comment)

    before = (response.score, response.comment) if response else None
    if response is None:
        response = SurveyResponse.objects.create(
            survey=survey,
            kind=survey.kind,
            score=score,
            comment=comment,
            answered_at=at,
            updated_at=at,
        )
    elif before != (score, comment):
        response.score = score
        response.comment = comment
        response.updated_at = at
        response.save(update_fields=["score", "comment", "updated_at"])
    if survey.status != SurveyStatus.ANSWERED:
        survey.status = SurveyStatus.ANSWERED
        survey.save(update_fields=["status"])
    if announce:
        if survey.is_low(score) and before != (score, comment):
            _record_low_score(survey, response, previous_score=before[0] if before else None)
        transaction.on_commit(
            lambda: survey_answered.send(sender=Survey, survey=survey, response=response)
        )
    return response


def _record_low_score(
    survey: Survey, response: SurveyResponse, *, previous_score: int | None
) -> None:
    """Precondition: inside the answering transaction, survey row locked."""
    from surveys import tasks

    ticket_events.record(
        ticket=survey.ticket,
        actor=survey.customer,
        type=LOW_SCORE,
        data={
            "survey_id": survey.pk,
            "kind": survey.kind,
            "score": response.score,
            "comment": response.comment,
            "previous_score": previous_score,
        },
    )
    if survey.low_score_alerted_at is None:
        transaction.on_commit(lambda: tasks.alert_low_score.delay(survey.pk))


def _alert_recipients(ticket: Ticket) -> list[User]:
    """The lead of the ticket's team; without one, the managers."""
    lead = ticket.team.lead if ticket.team_id and ticket.team else None
    if lead is not None and lead.is_active:
        return [lead]
    return list(User.objects.filter(role=Role.MANAGER, is_active=True).order_by("pk"))


def survey_alert_low_score(*, survey_id: int) -> str:
    """Emails the team lead (or managers) about a low answer, once per survey.

    One message to all recipients, sent under the row lock and stamped with
    `low_score_alerted_at` in the same transaction, so a retry sends nothing
    more. An answer raised out of the low range before this ran sends nothing.
    """
    now = timezone.now()
    with transaction.atomic():
        survey = (
            Survey.objects.select_for_update(of=("self",))
            .select_related("ticket__team__lead", "ticket__assignee", "customer")
            .filter(pk=survey_id, low_score_alerted_at__isnull=True)
            .first()
        )
        if survey is None:
            return "skipped"
        response = SurveyResponse.objects.filter(survey=survey).first()
        if response is None or not survey.is_low(response.score):
            return "no longer low"
        recipients = _alert_recipients(survey.ticket)
        if not recipients:
            logger.warning("low score on survey %s: no team lead or manager to tell", survey.pk)
            return "no recipients"
        mail.build_low_score_alert(survey, response, recipients).send()
        survey.low_score_alerted_at = now
        survey.save(update_fields=["low_score_alerted_at"])
    return "sent"
