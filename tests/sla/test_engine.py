"""The SLA engine driven through ticket services and the scan task, with frozen time."""

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection

from sla import tasks
from sla.models import SlaTarget, TargetKind, TargetState, TicketSla
from sla.services import sla_scan, ticket_set_exempt
from tests.factories import TeamFactory
from tests.sla.conftest import make_policy
from tickets import services
from tickets.models import Priority, Status, TicketEvent

pytestmark = pytest.mark.django_db(transaction=True)

MADRID = ZoneInfo("Europe/Madrid")
MONDAY_10 = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)


def target(ticket, kind) -> SlaTarget:
    return SlaTarget.objects.filter(ticket=ticket, kind=kind).order_by("-id").first()


def file_ticket(customer, subject="Broken"):
    return services.ticket_create(actor=customer, requester=customer, subject=subject, body="Help")


def test_a_new_ticket_gets_first_reply_and_resolution_due_times(always_policy, customer):
    with time_machine.travel(MONDAY_10, tick=False):
        ticket = file_ticket(customer)

    first, resolution = (
        target(ticket, TargetKind.FIRST_REPLY),
        target(ticket, TargetKind.RESOLUTION),
    )
    assert first.due_at == MONDAY_10 + timedelta(minutes=60)
    assert first.warn_at == MONDAY_10 + timedelta(minutes=45)  # 75% of 60 minutes
    assert resolution.due_at == MONDAY_10 + timedelta(hours=8)
    assert TicketSla.objects.get(ticket=ticket).policy == always_policy


def test_business_hours_push_the_due_time_to_the_next_opening(office_calendar, customer):
    make_policy("Office", calendar=office_calendar)
    # Friday 4 Dec 2026 16:30 Madrid; Monday 7 Dec is fine, Tuesday 8 Dec is a national holiday.
    with time_machine.travel(datetime(2026, 12, 4, 16, 30, tzinfo=MADRID), tick=False):
        ticket = file_ticket(customer)

    # 60 min first reply: 30 min on Friday, 30 min on Monday from 09:00 -> Monday 09:30 Madrid.
    assert target(ticket, TargetKind.FIRST_REPLY).due_at == datetime(
        2026, 12, 7, 9, 30, tzinfo=MADRID
    )
    # 8h resolution: 0.5h Friday, 7.5h Monday -> Monday 16:30... plus nothing on the 8th.
    assert target(ticket, TargetKind.RESOLUTION).due_at == datetime(
        2026, 12, 7, 16, 30, tzinfo=MADRID
    )


def test_a_reply_in_time_meets_the_first_reply_target(always_policy, customer, agent):
    with time_machine.travel(MONDAY_10, tick=False):
        ticket = file_ticket(customer)
    with time_machine.travel(MONDAY_10 + timedelta(minutes=20), tick=False):
        services.message_add(actor=agent, ticket=ticket, body="Looking now")

    first = target(ticket, TargetKind.FIRST_REPLY)
    assert first.state == TargetState.MET
    assert first.overrun_seconds == -40 * 60
    assert first.due_at is None


def test_an_internal_note_does_not_count_as_a_reply(always_policy, customer, agent):
    with time_machine.travel(MONDAY_10, tick=False):
        ticket = file_ticket(customer)
        services.message_add(actor=agent, ticket=ticket, body="note", internal=True)
    assert target(ticket, TargetKind.FIRST_REPLY).state == TargetState.RUNNING


def test_a_customer_follow_up_starts_a_next_reply_clock(always_policy, customer, agent):
    with time_machine.travel(MONDAY_10, tick=False):
        ticket = file_ticket(customer)
        services.message_add(actor=agent, ticket=ticket, body="Try this")
    with time_machine.travel(MONDAY_10 + timedelta(hours=1), tick=False):
        services.message_add(actor=customer, ticket=ticket, body="Did not work")

    next_reply = target(ticket, TargetKind.NEXT_REPLY)
    assert next_reply.state == TargetState.RUNNING
    assert next_reply.due_at == MONDAY_10 + timedelta(hours=3)


def test_pending_on_the_customer_pauses_and_resuming_shifts_the_due_time(
    always_policy, customer, agent
):
    with time_machine.travel(MONDAY_10, tick=False):
        ticket = file_ticket(customer)
        services.message_add(actor=agent, ticket=ticket, body="Need your order number")
    with time_machine.travel(MONDAY_10 + timedelta(hours=1), tick=False):
        services.ticket_update(actor=agent, ticket=ticket, status=Status.PENDING)

    paused = target(ticket, TargetKind.RESOLUTION)
    assert paused.state == TargetState.PAUSED
    assert paused.due_at is None
    assert paused.used_seconds == 3600

    # The customer answers three hours later: 7 of the 8 hours are left.
    with time_machine.travel(MONDAY_10 + timedelta(hours=4), tick=False):
        services.message_add(actor=customer, ticket=ticket, body="It is A-1234")

    resumed = target(ticket, TargetKind.RESOLUTION)
    assert resumed.state == TargetState.RUNNING
    assert resumed.due_at == MONDAY_10 + timedelta(hours=11)


def test_on_hold_pauses_only_when_the_policy_says_so(customer, agent):
    make_policy("Hold pauses", pause_on_hold=True)
    with time_machine.travel(MONDAY_10, tick=False):
        ticket = file_ticket(customer)
        services.ticket_update(actor=agent, ticket=ticket, status=Status.ON_HOLD)
    assert target(ticket, TargetKind.RESOLUTION).state == TargetState.PAUSED


def test_on_hold_keeps_the_clock_running_by_default(always_policy, customer, agent):
    with time_machine.travel(MONDAY_10, tick=False):
        ticket = file_ticket(customer)
        services.ticket_update(actor=agent, ticket=ticket, status=Status.ON_HOLD)
    assert target(ticket, TargetKind.RESOLUTION).state == TargetState.RUNNING


def test_solving_records_the_outcome_and_reopening_restarts_resolution(
    always_policy, customer, agent
):
    with time_machine.travel(MONDAY_10, tick=False):
        ticket = file_ticket(customer)
    with time_machine.travel(MONDAY_10 + timedelta(hours=9), tick=False):
        services.ticket_update(actor=agent, ticket=ticket, status=Status.SOLVED)

    solved = target(ticket, TargetKind.RESOLUTION)
    assert solved.state == TargetState.BREACHED
    assert solved.overrun_seconds == 3600
    assert target(ticket, TargetKind.FIRST_REPLY).state == TargetState.CANCELLED

    with time_machine.travel(MONDAY_10 + timedelta(hours=10), tick=False):
        services.message_add(actor=customer, ticket=ticket, body="It broke again")

    restarted = target(ticket, TargetKind.RESOLUTION)
    assert restarted.pk != solved.pk
    assert restarted.due_at == MONDAY_10 + timedelta(hours=18)


def test_a_priority_change_recomputes_due_times(always_policy, customer, agent):
    with time_machine.travel(MONDAY_10, tick=False):
        ticket = file_ticket(customer)
    with time_machine.travel(MONDAY_10 + timedelta(minutes=5), tick=False):
        services.ticket_update(actor=agent, ticket=ticket, priority=Priority.URGENT)

    # Urgent: 15 minutes for the first reply, counted from the ticket's start.
    assert target(ticket, TargetKind.FIRST_REPLY).due_at == MONDAY_10 + timedelta(minutes=15)
    assert target(ticket, TargetKind.RESOLUTION).due_at == MONDAY_10 + timedelta(hours=2)


def test_policies_are_chosen_by_their_conditions_in_order(always_policy, customer):
    vip = make_policy("Gold customers", default=False, position=1, match_tiers=["gold"])
    customer.tier = "gold"
    customer.save(update_fields=["tier"])
    ticket = file_ticket(customer)
    assert TicketSla.objects.get(ticket=ticket).policy == vip


def test_an_exempt_ticket_has_no_running_clock(always_policy, customer, manager):
    ticket = file_ticket(customer)
    ticket_set_exempt(actor=manager, ticket=ticket, exempt=True)
    assert not SlaTarget.objects.filter(ticket=ticket, state=TargetState.RUNNING).exists()


def test_the_scan_warns_then_breaches_once_and_notifies(
    always_policy, customer, agent, django_capture_on_commit_callbacks
):
    lead = agent.__class__.objects.create_user("lead2@example.com", role="lead")
    team = TeamFactory(lead=lead)
    with time_machine.travel(MONDAY_10, tick=False):
        ticket = file_ticket(customer)
        services.ticket_update(actor=agent, ticket=ticket, assignee=agent, team=team)
    mail.outbox.clear()

    assert sla_scan(now=MONDAY_10 + timedelta(minutes=44)) == {"breached": 0, "warned": 0}
    assert sla_scan(now=MONDAY_10 + timedelta(minutes=46)) == {"breached": 0, "warned": 1}
    assert sla_scan(now=MONDAY_10 + timedelta(minutes=61)) == {"breached": 1, "warned": 0}
    assert sla_scan(now=MONDAY_10 + timedelta(minutes=62)) == {"breached": 0, "warned": 0}

    types = list(
        TicketEvent.objects.filter(ticket=ticket, type__startswith="sla.").values_list(
            "type", flat=True
        )
    )
    assert types == ["sla.warning", "sla.breached"]
    # Warning and breach, each to the assignee and the team lead.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([agent.email, lead.email] * 2)


def test_a_breach_can_escalate_priority_and_team(customer, agent):
    escalation = TeamFactory(name="Escalations")
    make_policy("Escalating", escalate_priority=Priority.URGENT, escalate_team=escalation)
    with time_machine.travel(MONDAY_10, tick=False):
        ticket = file_ticket(customer)
    sla_scan(now=MONDAY_10 + timedelta(minutes=61))
    ticket.refresh_from_db()
    assert ticket.priority == Priority.URGENT
    assert ticket.team == escalation


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="in-memory SQLite cannot share tables across threads; CI runs it on PostgreSQL",
)
def test_two_scans_at_the_same_moment_emit_each_breach_once(always_policy, customer):
    with time_machine.travel(MONDAY_10, tick=False):
        tickets = [file_ticket(customer, f"t{i}") for i in range(5)]
    moment = MONDAY_10 + timedelta(hours=9)
    results = []
    barrier = threading.Barrier(2)

    def scan():
        barrier.wait()
        try:
            results.append(sla_scan(now=moment))
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    breaches = TicketEvent.objects.filter(ticket__in=tickets, type="sla.breached").count()
    assert breaches == 10  # first reply and resolution of each of the five tickets, once each
    assert sum(r["breached"] for r in results) == 10


def test_the_scan_task_runs_the_scan(always_policy, customer):
    with time_machine.travel(MONDAY_10, tick=False):
        file_ticket(customer)
    with time_machine.travel(MONDAY_10 + timedelta(hours=9), tick=False):
        assert tasks.scan.delay().get() == {"breached": 2, "warned": 0}
