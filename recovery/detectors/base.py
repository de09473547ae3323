"""What a detector is: a name, the event types it reads, the setting that switches it
on, and `detect(context)` returning a `Detection` or None.

Detectors only read; opening or joining a case is `recovery.services.case_open`,
called by `recovery.services.event_detect` with the source
``event:<event id>:<detector name>`` so a redelivered event adds nothing.
"""

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar

from recovery.detectors.sentiment import Sentiment, analyse
from recovery.models import DetectorSettings
from tickets import events
from tickets.models import Message, Ticket, TicketEvent

EXCERPT = 300


@dataclass(frozen=True)
class Detection:
    failure_type: str
    facts: dict[str, Any] = field(default_factory=dict)
    proactive: bool = False
    sentiment: float | None = None
    related_ticket_ids: tuple[int, ...] = ()
    detail: dict[str, Any] = field(
        default_factory=dict
    )  # what the detector saw, kept on the signal


class Context:
    """One event being examined, with what several detectors need loaded once."""

    def __init__(self, event: TicketEvent, config: DetectorSettings):
        self.event = event
        self.config = config

    @property
    def data(self) -> dict[str, Any]:
        return self.event.data if isinstance(self.event.data, dict) else {}

    @property
    def ticket(self) -> Ticket:
        return self.event.ticket

    @cached_property
    def customer_message(self) -> Message | None:
        """The customer's words this event brought: the first message of a new ticket,
        or a public message from the customer."""
        if self.event.type == events.MESSAGE_ADDED and (
            not self.data.get("from_customer") or self.data.get("internal")
        ):
            return None
        if self.event.type not in (events.CREATED, events.MESSAGE_ADDED):
            return None
        message_id = self.data.get("message_id")
        if not isinstance(message_id, int):
            return None
        return (
            Message.objects.filter(pk=message_id, ticket_id=self.event.ticket_id, internal=False)
            .only("id", "body", "author_id", "channel", "created_at")
            .first()
        )

    @cached_property
    def message_sentiment(self) -> Sentiment | None:
        message = self.customer_message
        if message is None:
            return None
        return analyse(message.body, language_hint=self.ticket.requester.language)


class Detector:
    name: ClassVar[str]
    event_types: ClassVar[frozenset[str]]
    setting: ClassVar[str]  # the DetectorSettings switch

    def enabled(self, config: DetectorSettings) -> bool:
        return bool(getattr(config, self.setting))

    def accepts(self, event: TicketEvent) -> bool:
        """A cheap look at the event's data, before any task is queued."""
        return event.type in self.event_types

    def source(self, event: TicketEvent) -> str:
        """What makes a finding the same finding: by default this event, for this detector."""
        return f"event:{event.pk}:{self.name}"

    def detect(self, context: Context) -> Detection | None:
        raise NotImplementedError


def excerpt(text: str, length: int = EXCERPT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def is_staff_reply(data: dict[str, Any]) -> bool:
    return not data.get("internal") and data.get("from_customer") is False


def is_customer_words(event: TicketEvent) -> bool:
    data = event.data if isinstance(event.data, dict) else {}
    if event.type == events.CREATED:
        return True
    return (
        event.type == events.MESSAGE_ADDED
        and bool(data.get("from_customer"))
        and not data.get("internal")
    )
