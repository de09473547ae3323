"""Every write to surveys. The portal, the API, emailed links and Celery tasks
all come through here, so the rules (score ranges, expiry, who may answer)
live in one place."""

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.errors import ApplicationError, Conflict, PermissionDenied
from surveys.events import survey_answered
from surveys.models import SCORE_RANGES, Survey, SurveyKind, SurveyResponse, SurveyStatus
from tickets.models import Ticket

MAX_COMMENT = 5_000
# How long a sent survey may be answered, unless its sender says otherwise.
ANSWER_WINDOW = timedelta(days=14)
ANSWERABLE_STATUSES = (SurveyStatus.SENT, SurveyStatus.ANSWERED)


def survey_create(
    *,
    ticket: Ticket,
    kind: str = SurveyKind.CSAT,
    scheduled_for: datetime | None = None,
    expires_at: datetime | None = None,
) -> Survey:
    """A survey about `ticket` for its requester, due at `scheduled_for` (now by default)."""
    if kind not in SurveyKind.values:
        raise ApplicationError(
            _("“%(value)s” is not a survey kind.") % {"value": kind}, field="kind"
        )
    return Survey.objects.create(
        ticket=ticket,
        customer_id=ticket.requester_id,
        kind=kind,
        scheduled_for=scheduled_for or timezone.now(),
        expires_at=expires_at,
    )


@transaction.atomic
def survey_mark_sent(*, survey: Survey, at: datetime | None = None) -> Survey:
    """Records that the survey reached the customer; it may be answered from now on.

    Idempotent: a survey already sent (or answered, or expired) is left as it is.
    """
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != SurveyStatus.SCHEDULED:
        return survey
    survey.status = SurveyStatus.SENT
    survey.sent_at = at or timezone.now()
    if survey.expires_at is None or survey.expires_at <= survey.sent_at:
        survey.expires_at = survey.sent_at + ANSWER_WINDOW
    survey.save(update_fields=["status", "sent_at", "expires_at"])
    return survey


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
    comment: Any = "",
    actor: Any = None,
    at: datetime | None = None,
) -> SurveyResponse:
    """Records (or changes) the customer's answer to a sent survey.

    `actor` is the logged-in person answering, who must be the survey's
    customer; None means the caller has already proved who answers (a signed
    link, an import). `at` backdates the answer, for imports and demo data.
    """
    if actor is not None and getattr(actor, "pk", None) != survey.customer_id:
        raise PermissionDenied(_("Only the customer who was asked can answer this survey."))
    at = at or timezone.now()
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status not in ANSWERABLE_STATUSES:
        if survey.status == SurveyStatus.EXPIRED:
            raise Conflict(_("This survey has expired."))
        raise Conflict(_("This survey has not been sent yet."))
    if survey.is_expired(at):
        raise Conflict(_("This survey has expired."))
    score = _clean_score(score, survey.kind)
    comment = _clean_comment(comment)

    response = SurveyResponse.objects.filter(survey=survey).first()
    if response is None:
        response = SurveyResponse.objects.create(
            survey=survey,
            kind=survey.kind,
            score=score,
            comment=comment,
            answered_at=at,
            updated_at=at,
        )
    else:
        response.score = score
        response.comment = comment
        response.updated_at = at
        response.save(update_fields=["score", "comment", "updated_at"])
    if survey.status != SurveyStatus.ANSWERED:
        survey.status = SurveyStatus.ANSWERED
        survey.save(update_fields=["status"])
    transaction.on_commit(
        lambda: survey_answered.send(sender=Survey, survey=survey, response=response)
    )
    return response
