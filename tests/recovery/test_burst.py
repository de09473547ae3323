"""A burst for one customer and one issue: a breach, an angry message and a reopen in the
same minute, each event delivered twice (and, on PostgreSQL, all at once), make one
case holding the three signals, never a duplicate."""

import contextlib
import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection

from recovery import tasks
from recovery.models import RecoveryCase, RecoverySignal
from sla.services import sla_scan
from tests.recovery.conftest import file_ticket
from tests.sla.conftest import make_policy
from tickets import services as ticket_services
from tickets.models import Status, TicketEvent

MONDAY_10 = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
ANGRY = "This is unacceptable. Worst service ever, I am furious!"


def the_burst(customer, agent, committed=contextlib.nullcontext):
    """Within one minute: the first-reply target breaches, the agent marks the ticket
    solved without a word, and the customer answers, angry, which reopens it.

    `committed()` wraps each step as its own commit would (after-commit work runs)."""
    make_policy("Around the clock")
    with time_machine.travel(MONDAY_10, tick=False), committed():
        ticket = file_ticket(customer, subject="Blender", body="My blender is broken.")
    with time_machine.travel(MONDAY_10 + timedelta(minutes=61), tick=False), committed():
        sla_scan()
    solved_at = MONDAY_10 + timedelta(minutes=61, seconds=20)
    with time_machine.travel(solved_at, tick=False), committed():
        ticket_services.ticket_change_status(actor=agent, ticket=ticket, status=Status.SOLVED)
    with time_machine.travel(solved_at + timedelta(seconds=20), tick=False), committed():
        ticket_services.message_add(actor=customer, ticket=ticket, body=ANGRY)
    return ticket


def burst_events(ticket) -> list[int]:
    events = TicketEvent.objects.filter(
        ticket=ticket, type__in=["sla.breached", "ticket.message_added", "ticket.reopened"]
    )
    return list(events.order_by("id").values_list("id", flat=True))


def assert_one_case_with_the_three_signals(ticket):
    case = RecoveryCase.objects.get()
    assert case.ticket == ticket
    assert sorted(case.signals.values_list("kind", flat=True)) == [
        "negative_sentiment",
        "reopened",
        "sla_breach",
    ]
    assert RecoverySignal.objects.count() == 3
    reasons = {reason["factor"]: reason for reason in case.score_reasons}
    assert reasons["repeated_signals"]["data"] == {"count": 3}
    assert "sentiment" in reasons
    return case


@pytest.mark.django_db
def test_a_burst_delivered_twice_makes_one_case_with_three_signals(on_commit, customer, agent):
    ticket = the_burst(customer, agent, committed=on_commit)
    case = assert_one_case_with_the_three_signals(ticket)
    severity = case.severity

    # The broker delivers every event again (a worker died before acking, say).
    for event_id in burst_events(ticket):
        assert tasks.detect(event_id) == 0

    case = assert_one_case_with_the_three_signals(ticket)
    assert case.severity == severity


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks")
def test_a_burst_delivered_concurrently_and_twice_makes_one_case(customer, agent, monkeypatch):
    # Given the events, recorded but not yet examined (their tasks held back)...
    monkeypatch.setattr(tasks.detect, "delay", lambda event_id: None)
    ticket = the_burst(customer, agent)
    event_ids = burst_events(ticket)
    assert len(event_ids) >= 3
    monkeypatch.undo()

    # ...when workers run every event's task twice, all at the same moment,
    deliveries = event_ids * 2
    barrier = threading.Barrier(len(deliveries))
    errors = []

    def deliver(event_id):
        try:
            barrier.wait(timeout=10)
            tasks.detect(event_id)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(event_id,)) for event_id in deliveries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then there is one case, holding each failure once.
    assert errors == []
    assert_one_case_with_the_three_signals(ticket)
