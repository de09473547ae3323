"""The recovery services: one case per failure, duplicate deliveries, rules and audit."""

import random
import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from helpdesk.errors import ApplicationError, Conflict, PermissionDenied
from recovery import demo, services
from recovery.models import RecoveryCase, RecoverySignal
from tests import factories
from tickets import services as ticket_services

pytestmark = pytest.mark.django_db


def new_ticket(customer, subject="Another problem"):
    return ticket_services.ticket_create(
        actor=customer, requester=customer, subject=subject, body="Help"
    )


def test_a_detector_delivering_the_same_event_twice_adds_nothing(ticket):
    first = services.case_open(
        actor=None, ticket=ticket, failure_type="sla_breach", source="ticket_event:7:sla_breach"
    )
    again = services.case_open(
        actor=None, ticket=ticket, failure_type="sla_breach", source="ticket_event:7:sla_breach"
    )

    assert first.created and first.signal is not None
    assert not again.created and again.signal is None
    assert again.case.pk == first.case.pk
    assert RecoverySignal.objects.count() == 1
    assert list(first.case.events.values_list("type", flat=True)) == [
        "case.opened",
        "case.apology_drafted",
    ]


def test_the_same_failure_on_another_ticket_within_14_days_joins_the_open_case(
    customer, agent, ticket
):
    first = services.case_open(
        actor=agent, ticket=ticket, failure_type="late_delivery", facts={"days_late": 2}
    )
    second_ticket = new_ticket(customer)

    joined = services.case_open(
        actor=agent, ticket=second_ticket, failure_type="late_delivery", facts={"days_late": 5}
    )

    assert not joined.created
    assert joined.case.pk == first.case.pk
    assert joined.signal.ticket == second_ticket
    assert joined.case.facts == {"days_late": 5}
    assert joined.case.severity > first.case.severity
    assert "case.signal_added" in set(joined.case.events.values_list("type", flat=True))


def test_the_same_failure_after_14_days_opens_a_new_case_that_counts_the_first(
    customer, agent, ticket
):
    first = services.case_open(actor=agent, ticket=ticket, failure_type="late_delivery")
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        later = services.case_open(
            actor=agent, ticket=new_ticket(customer), failure_type="late_delivery"
        )

    assert later.created
    assert later.case.pk != first.case.pk
    reasons = {r["factor"]: r for r in later.case.score_reasons}
    assert reasons["prior_failures"]["data"] == {"count": 1}


def test_a_different_failure_on_another_ticket_opens_its_own_case(customer, agent, ticket):
    first = services.case_open(actor=agent, ticket=ticket, failure_type="overcharge")
    second = services.case_open(
        actor=agent, ticket=new_ticket(customer), failure_type="defective_product"
    )

    assert second.created
    assert second.case.pk != first.case.pk


def test_the_score_grows_with_the_customers_earlier_failures(customer, agent):
    severities = []
    for _ in range(4):
        opened = services.case_open(
            actor=agent, ticket=new_ticket(customer), failure_type="low_csat"
        )
        severities.append(opened.case.severity)
        # Finish it, so the next low score opens a new case rather than joining this one.
        services.case_update(actor=agent, case=opened.case, status="resolved", outcome="recovered")

    assert severities[0] < severities[1] < severities[2] < severities[3]


def test_only_staff_open_or_change_cases(customer, agent, ticket):
    with pytest.raises(PermissionDenied):
        services.case_open(actor=customer, ticket=ticket, failure_type="sla_breach")
    case = services.case_open(actor=agent, ticket=ticket, failure_type="sla_breach").case
    with pytest.raises(PermissionDenied):
        services.case_update(actor=customer, case=case, status="closed")
    agent.is_active = False
    with pytest.raises(PermissionDenied):
        services.case_update(actor=agent, case=case, status="closed")


def test_the_database_allows_one_case_in_work_per_ticket(agent, ticket):
    case = services.case_open(actor=agent, ticket=ticket, failure_type="sla_breach").case

    with pytest.raises(IntegrityError), transaction.atomic():
        RecoveryCase.objects.create(ticket=ticket, customer=case.customer, failure_type="long_wait")


def test_a_resolved_case_cannot_be_taken_up_while_another_is_in_work(agent, ticket):
    first = services.case_open(actor=agent, ticket=ticket, failure_type="sla_breach").case
    services.case_update(actor=agent, case=first, status="resolved", outcome="not_recovered")
    services.case_open(actor=agent, ticket=ticket, failure_type="reopened")

    with pytest.raises(Conflict):
        services.case_update(actor=agent, case=first, status="in_progress")


def test_taking_up_a_resolved_case_clears_its_outcome(agent, ticket):
    case = services.case_open(actor=agent, ticket=ticket, failure_type="sla_breach").case
    services.case_update(actor=agent, case=case, status="resolved", outcome="no_answer")

    case = services.case_update(actor=agent, case=case, status="in_progress")

    assert case.outcome == ""
    assert case.resolved_at is None


def test_it_refuses_an_unknown_failure_type(agent, ticket):
    with pytest.raises(ApplicationError) as error:
        services.case_open(actor=agent, ticket=ticket, failure_type="bad_luck")
    assert error.value.field == "failure_type"


def test_rescoring_adds_points_as_the_case_waits(agent, ticket):
    case = services.case_open(actor=agent, ticket=ticket, failure_type="handoffs").case

    with time_machine.travel(timezone.now() + timedelta(days=4)):
        rescored = services.case_rescore(actor=None, case=case)

    assert rescored.severity > case.severity
    assert "waiting" in {r["factor"] for r in rescored.score_reasons}
    assert "case.rescored" in set(rescored.events.values_list("type", flat=True))


def test_demo_cases_are_opened_once(agent):
    customers = factories.CustomerFactory.create_batch(3)
    tickets = [
        factories.TicketFactory(requester=customers[i % 3], category=category)
        for i, category in enumerate(
            ["late_delivery", "overcharge", "general", "defective_product"] * 5
        )
    ]

    opened = demo.seed_cases(tickets=tickets, agent=agent, rng=random.Random(4))
    again = demo.seed_cases(tickets=tickets, agent=agent, rng=random.Random(99))

    assert opened > 0
    assert again == 0
    assert RecoveryCase.objects.count() == opened


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks")
def test_concurrent_reports_of_one_failure_make_one_case(customer, agent):
    ticket = new_ticket(customer)
    barrier = threading.Barrier(4)
    results, errors = [], []

    def report(n):
        try:
            barrier.wait(timeout=10)
            results.append(
                services.case_open(
                    actor=agent, ticket=ticket, failure_type="long_wait", source=f"delivery:{n}"
                )
            )
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=report, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(result.created for result in results) == 1
    assert RecoveryCase.objects.count() == 1
    assert RecoverySignal.objects.count() == 4


def test_demo_cases_work_their_playbooks_and_finished_ones_record_a_root_cause(agent):
    customers = factories.CustomerFactory.create_batch(3)
    tickets = [
        factories.TicketFactory(requester=customers[i % 3], category=category, status=status)
        for i, (category, status) in enumerate(
            [("late_delivery", "closed"), ("overcharge", "open"), ("defective_product", "solved")]
            * 6
        )
    ]
    with time_machine.travel(timezone.now() + timedelta(days=10)):
        demo.seed_cases(tickets=tickets, agent=agent, rng=random.Random(7))

    cases = RecoveryCase.objects.prefetch_related("steps")
    assert cases and all(case.steps.all() for case in cases)
    finished = [case for case in cases if not case.is_active]
    assert finished
    for case in finished:
        assert case.root_cause is not None
        assert all(step.is_done for step in case.steps.all())
