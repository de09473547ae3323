"""Failure detectors: small units that read the ticket event stream.

One receiver (`recovery.receivers.on_ticket_event`, connected in
`RecoveryConfig.ready`) queues `recovery.tasks.detect` for each event some
detector `accepts`; the task runs `recovery.services.event_detect`, which asks
every enabled detector for that event type and opens or joins a case for each
detection, with the source ``event:<event id>:<detector>`` (a duplicate
delivery is a no-op; low survey scores key on the survey instead). Thresholds live in `DetectorSettings`, edited by
managers.

| detector | reads | opens |
| --- | --- | --- |
| sla_breach | `sla.breached` | sla_breach |
| sla_warning | `sla.warning`, valued customers only | sla_breach, proactive |
| long_wait | first public staff reply | long_wait |
| handoffs | `ticket.assigned` / `ticket.team_changed` with handoff | handoffs |
| reopened | `ticket.reopened` | reopened |
| repeat_contact | `ticket.created` | repeat_contact |
| negative_sentiment | customer's words (created, message_added) | negative_sentiment |
| escalation_request | customer's words (created, message_added) | escalation_request |
| low_csat | `survey.low_score` | low_csat |
| failure_category | `ticket.category_changed` (and created) to a failure category | that type |

A new detector is a class here and a line in `DETECTORS`; `tickets` never changes.
"""

from recovery.detectors.base import Context, Detection, Detector
from recovery.detectors.customers import (
    EscalationRequest,
    LowSurveyScore,
    NegativeSentiment,
    RepeatContact,
)
from recovery.detectors.sla import SlaBreach, SlaWarning
from recovery.detectors.tickets import FailureCategory, Handoffs, LongWait, Reopened
from tickets.models import TicketEvent

DETECTORS: tuple[Detector, ...] = (
    SlaBreach(),
    SlaWarning(),
    LongWait(),
    Handoffs(),
    Reopened(),
    RepeatContact(),
    FailureCategory(),
    NegativeSentiment(),
    EscalationRequest(),
    LowSurveyScore(),
)
EVENT_TYPES = frozenset().union(*(detector.event_types for detector in DETECTORS))


def for_event(event_type: str) -> list[Detector]:
    return [detector for detector in DETECTORS if event_type in detector.event_types]


def wanted(event: TicketEvent) -> bool:
    """Whether any detector may find something in this event (a cheap look at its data)."""
    return event.type in EVENT_TYPES and any(
        detector.accepts(event) for detector in for_event(event.type)
    )


def source_for(event: TicketEvent, detector: Detector) -> str:
    """The signal source that makes a redelivery a no-op (``event:<id>:<detector>``,
    or what the detector keys on instead)."""
    return detector.source(event)


__all__ = ["DETECTORS", "EVENT_TYPES", "Context", "Detection", "Detector", "for_event", "wanted"]
