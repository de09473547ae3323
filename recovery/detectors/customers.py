"""Detectors on what customers say and do: upset messages, explicit escalation
requests, repeat contacts about the same issue, low survey scores.

Sentiment and escalation read the customer's words on `ticket.created` (the
first message) and on public `ticket.message_added` from the customer; see
`recovery.detectors.sentiment` for which languages are understood and how.
"""

from datetime import timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from recovery.detectors.base import Context, Detection, Detector, excerpt, is_customer_words
from recovery.detectors.phrases import (
    CANCEL,
    CHARGEBACK,
    COMPLAINT,
    LEGAL,
    MANAGER,
    find_escalation,
)
from recovery.detectors.sentiment import analyse
from recovery.detectors.text import jaccard, shares_reference, subject_tokens
from recovery.models import FailureType
from tickets import events
from tickets.models import Category, Channel, Ticket, format_reference

LOW_SCORE = "survey.low_score"  # emitted by surveys: data survey_id, kind, score, comment
MAX_EARLIER_TICKETS = 50


class NegativeSentiment(Detector):
    """A customer message reading at or below `sentiment_threshold` (-1..0)."""

    name = "negative_sentiment"
    event_types = frozenset({events.CREATED, events.MESSAGE_ADDED})
    setting = "sentiment_enabled"

    def accepts(self, event) -> bool:
        return super().accepts(event) and is_customer_words(event)

    def detect(self, context: Context) -> Detection | None:
        sentiment = context.message_sentiment
        if sentiment is None or not sentiment.supported:
            return None
        if sentiment.compound > context.config.sentiment_threshold:
            return None
        message = context.customer_message
        return Detection(
            FailureType.NEGATIVE_SENTIMENT,
            facts={
                "description": _("The customer wrote: “%(text)s”") % {"text": excerpt(message.body)}
            },
            sentiment=sentiment.compound,
            detail={
                "message_id": message.pk,
                "compound": sentiment.compound,
                "language": sentiment.language,
            },
        )


ESCALATION_WORDS = {
    MANAGER: gettext_lazy("asked for a manager"),
    CANCEL: gettext_lazy("threatened to cancel"),
    CHARGEBACK: gettext_lazy("mentioned a chargeback"),
    LEGAL: gettext_lazy("mentioned legal steps"),
    COMPLAINT: gettext_lazy("threatened an official complaint"),
}


class EscalationRequest(Detector):
    """The customer asked for a manager, to cancel, for a chargeback or legal steps
    (English and Spanish phrases; see `recovery.detectors.phrases`)."""

    name = "escalation_request"
    event_types = frozenset({events.CREATED, events.MESSAGE_ADDED})
    setting = "escalation_enabled"

    def accepts(self, event) -> bool:
        return super().accepts(event) and is_customer_words(event)

    def detect(self, context: Context) -> Detection | None:
        message = context.customer_message
        if message is None:
            return None
        found = find_escalation(message.body)
        if found is None:
            return None
        sentiment = context.message_sentiment
        compound = sentiment.compound if sentiment and sentiment.supported else None
        return Detection(
            FailureType.ESCALATION_REQUEST,
            facts={
                "description": _("The customer %(what)s: “%(text)s”")
                % {"what": ESCALATION_WORDS[found.reason], "text": excerpt(message.body)}
            },
            sentiment=compound if compound is not None and compound < 0 else None,
            detail={
                "message_id": message.pk,
                "reason": found.reason,
                "phrase": found.phrase,
                "language": found.language,
            },
        )


class RepeatContact(Detector):
    """A new ticket from a customer who wrote about the same issue within
    `repeat_contact_days`, on any channel: subjects sharing at least
    `repeat_contact_similarity` of their words (token Jaccard) or an order
    number, or the same specific category. The case joins the earlier
    ticket's open case, if it has one."""

    name = "repeat_contact"
    event_types = frozenset({events.CREATED})
    setting = "repeat_contact_enabled"

    def detect(self, context: Context) -> Detection | None:
        ticket = context.ticket
        config = context.config
        since = ticket.created_at - timedelta(days=config.repeat_contact_days)
        earlier = (
            Ticket.objects.filter(
                requester_id=ticket.requester_id,
                created_at__gte=since,
                created_at__lte=ticket.created_at,
                pk__lt=ticket.pk,
            )
            .order_by("-created_at", "-id")
            .only("id", "subject", "category", "channel", "created_at")[:MAX_EARLIER_TICKETS]
        )
        tokens = subject_tokens(ticket.subject)
        best, best_score, same_category = None, 0.0, False
        for other in earlier:
            other_tokens = subject_tokens(other.subject)
            score = 1.0 if shares_reference(tokens, other_tokens) else jaccard(tokens, other_tokens)
            category_match = (
                other.category == ticket.category and ticket.category != Category.GENERAL
            )
            if score < config.repeat_contact_similarity and not category_match:
                continue
            if best is None or score > best_score:
                best, best_score, same_category = other, score, category_match
        if best is None:
            return None
        days = max(0, (ticket.created_at - best.created_at).days)
        return Detection(
            FailureType.REPEAT_CONTACT,
            facts={
                "description": _(
                    "Wrote again about the same issue after %(days)d days: “%(earlier)s” "
                    "(%(reference)s, by %(earlier_channel)s), now “%(subject)s” (by %(channel)s)."
                )
                % {
                    "days": days,
                    "earlier": excerpt(best.subject, 120),
                    "reference": format_reference(best.pk),
                    "earlier_channel": _channel(best.channel),
                    "subject": excerpt(ticket.subject, 120),
                    "channel": _channel(ticket.channel),
                }
            },
            related_ticket_ids=(best.pk,),
            detail={
                "earlier_ticket_id": best.pk,
                "similarity": round(best_score, 2),
                "same_category": same_category,
            },
        )


def _channel(value: str) -> str:
    return str(Channel(value).label) if value in Channel.values else value


class LowSurveyScore(Detector):
    """A low CSAT or NPS answer (`survey.low_score` from surveys: data survey_id, kind,
    score, comment), at or below the manager's thresholds; other survey kinds (effort)
    count as surveys judged them."""

    name = "low_csat"
    event_types = frozenset({LOW_SCORE})
    setting = "low_csat_enabled"

    def source(self, event) -> str:
        """One signal per survey: surveys emits again when the customer edits a low
        answer, which is the same failure, not a second one."""
        survey_id = (event.data or {}).get("survey_id")
        if isinstance(survey_id, int) and not isinstance(survey_id, bool):
            return f"survey:{survey_id}:{self.name}"
        return super().source(event)

    def detect(self, context: Context) -> Detection | None:
        data = context.data
        kind, score = data.get("kind"), data.get("score")
        if isinstance(score, bool) or not isinstance(score, int):
            return None
        if kind == "csat" and score > context.config.csat_max_score:
            return None
        if kind == "nps" and score > context.config.nps_max_score:
            return None
        comment = data.get("comment") if isinstance(data.get("comment"), str) else ""
        out_of = {"csat": 5, "nps": 10, "effort": 7}.get(kind)
        rating = (
            _("Rated %(kind)s %(score)d out of %(out_of)d.")
            % {"kind": str(kind).upper(), "score": score, "out_of": out_of}
            if out_of
            else _("Gave a low survey score (%(score)d).") % {"score": score}
        )
        sentiment = None
        if comment.strip():
            rating += " " + _("Comment: “%(text)s”") % {"text": excerpt(comment)}
            read = analyse(comment, language_hint=context.ticket.requester.language)
            if read.supported and read.compound < 0:
                sentiment = read.compound
        return Detection(
            FailureType.LOW_CSAT,
            facts={"description": rating},
            sentiment=sentiment,
            detail={"survey_id": data.get("survey_id"), "kind": kind, "score": score},
        )
