"""Runs the detectors on one ticket event and turns what they find into cases."""

import logging

from django.conf import settings
from django.db import OperationalError
from django.utils import translation

from recovery import detectors
from recovery.models import DetectorSettings, RecoverySignal
from recovery.services.cases import CaseOpened, case_open
from tickets.models import TicketEvent

logger = logging.getLogger(__name__)


def event_detect(*, event_id: int) -> list[CaseOpened]:
    """Asks each enabled detector for this event's type; opens or joins a case per finding.

    Idempotent: each detector's finding carries the source
    ``event:<id>:<detector>``, so a detector that already reported this event
    is skipped, and a duplicate delivery racing this one is stopped by the
    unique source (see `case_open`). Tickets of staff members are not
    customers' failures and are left alone. Facts are written in the site's
    language. One detector failing does not stop the others; a database
    hiccup is raised for the task to retry (done detectors are then skipped).
    """
    event = (
        TicketEvent.objects.select_related("ticket__requester", "actor").filter(pk=event_id).first()
    )
    if event is None or event.type not in detectors.EVENT_TYPES:
        return []
    if not event.ticket.requester.is_customer:
        return []
    context = detectors.Context(event, DetectorSettings.load())
    opened = []
    with translation.override(settings.LANGUAGE_CODE):
        for detector in detectors.for_event(event.type):
            if not detector.enabled(context.config):
                continue
            source = detectors.source_for(event, detector)
            if RecoverySignal.objects.filter(source=source).exists():
                continue
            try:
                found = detector.detect(context)
                if found is None:
                    continue
                opened.append(
                    case_open(
                        actor=None,
                        ticket=event.ticket,
                        failure_type=found.failure_type,
                        facts=found.facts,
                        source=source,
                        detected_at=event.created_at,
                        proactive=found.proactive,
                        sentiment=found.sentiment,
                        related_ticket_ids=found.related_ticket_ids,
                        detail={"detector": detector.name, "event_id": event.pk, **found.detail},
                    )
                )
            except OperationalError:
                raise  # a database hiccup: the task retries, skipping detectors already done
            except Exception:
                logger.exception("detector %s failed on event %s", detector.name, event.pk)
    return opened
