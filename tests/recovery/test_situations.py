"""The six mission situations, end to end: from the events a help desk really sees to a
scored case whose every point is explained, with the playbook for that situation."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from recovery.models import RecoveryCase, StepKind
from sla.services import sla_scan
from tests import factories
from tests.recovery.conftest import active_case, factors, file_ticket
from tests.sla.conftest import make_policy
from tickets import services as ticket_services

pytestmark = pytest.mark.django_db

MONDAY_10 = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
SIX_MOVES = [
    StepKind.LISTEN,
    StepKind.APOLOGISE,
    StepKind.RESOLVE,
    StepKind.COMPENSATE,
    StepKind.ROOT_CAUSE,
    StepKind.FOLLOW_UP,
]


def assert_scored_and_explained(case: RecoveryCase) -> None:
    """Every point of the severity has a reason in words; the chance too."""
    assert 0 < case.severity <= 100
    assert case.score_reasons and all(reason["detail"] for reason in case.score_reasons)
    assert case.severity == max(0, min(100, sum(factors(case).values())))
    assert case.recovery_chance_reasons
    assert all(reason["detail"] for reason in case.recovery_chance_reasons)


def assert_playbook(case: RecoveryCase, situation: str, first_step: str) -> None:
    assert case.playbook.situation == situation
    steps = list(case.steps.order_by("position"))
    assert [step.kind for step in steps] == SIX_MOVES
    assert steps[0].title == first_step
    assert not any(step.is_done for step in steps)


def assert_the_agent_sees_it(client, agent, ticket, case) -> None:
    client.force_login(agent)
    page = client.get(reverse("agent:ticket", args=[ticket.pk])).content.decode()
    assert 'id="recovery-panel"' in page
    assert f"Severity {case.severity} of 100" in page
    assert case.steps.first().title in page


def test_technical_difficulty(client, on_commit, customer, agent):
    with on_commit():
        ticket = file_ticket(
            customer, subject="Checkout crashes", body="The payment page errors every time."
        )
        ticket_services.ticket_update(actor=agent, ticket=ticket, category="technical_difficulty")

    case = active_case(ticket)
    assert case.failure_type == "technical_difficulty"
    assert_scored_and_explained(case)
    assert_playbook(
        case, "technical_difficulty", "Listen, and ask what the problem stopped them doing"
    )
    assert_the_agent_sees_it(client, agent, ticket, case)


def test_defective_product(client, on_commit, customer, agent, client_for):
    with on_commit():
        ticket = file_ticket(
            customer, subject="Blender broken", body="It arrived cracked and will not start."
        )
        ticket_services.ticket_update(actor=agent, ticket=ticket, category="defective_product")
    case = active_case(ticket)

    # The agent records what they learnt; the case is rescored with it.
    with on_commit():
        response = client_for(agent).patch(
            f"/api/v1/recovery/cases/{case.pk}/",
            {"facts": {"product": "Blender", "amount": "89.00", "currency": "EUR"}},
            format="json",
        )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.failure_type == "defective_product"
    assert "amount" in factors(case)
    assert_scored_and_explained(case)
    assert_playbook(case, "defective_product", "Listen, and ask what is wrong with the item")
    assert_the_agent_sees_it(client, agent, ticket, case)


def test_overcharge(client, on_commit, customer, agent):
    with on_commit():
        ticket = file_ticket(
            customer,
            subject="Charged twice",
            body="I was charged twice for order 5521. This is unacceptable!",
        )
        ticket_services.ticket_update(actor=agent, ticket=ticket, category="overcharge")

    case = active_case(ticket)
    # The upset message opened the case; the agent's diagnosis then gave it its type.
    assert case.failure_type == "overcharge"
    assert "case.failure_type_changed" in set(case.events.values_list("type", flat=True))
    assert {"preventable", "sentiment"} <= set(factors(case))  # ours to prevent; they are upset
    assert_scored_and_explained(case)
    assert_playbook(case, "overcharge", "Listen, and confirm what they were charged")
    assert_the_agent_sees_it(client, agent, ticket, case)


def test_late_item(client, on_commit, customer, agent):
    with time_machine.travel(MONDAY_10, tick=False), on_commit():
        first = file_ticket(customer, subject="Order 7781 is late", channel="email")
        ticket_services.ticket_update(actor=agent, ticket=first, category="late_delivery")
    with time_machine.travel(MONDAY_10 + timedelta(days=3), tick=False), on_commit():
        again = file_ticket(customer, subject="Where is order 7781?", channel="chat")

    case = active_case(first)
    assert case == active_case(again)  # the repeat contact joined the late-delivery case
    assert case.failure_type == "late_delivery"
    assert "repeated_signals" in factors(case)
    assert_scored_and_explained(case)
    assert_playbook(case, "late_delivery", "Listen, and ask what the delay cost them")
    assert_the_agent_sees_it(client, agent, again, case)


def test_poor_support_by_a_colleague(client, on_commit, customer, agent, team):
    lead = factories.LeadFactory(full_name="Lee Lead")
    team.lead = lead
    team.save(update_fields=["lead"])
    with on_commit():
        ticket = file_ticket(customer, subject="Refund", body="How do I get a refund?")
        ticket_services.ticket_assign(actor=agent, ticket=ticket, assignee=agent)
        ticket_services.message_add(actor=agent, ticket=ticket, body="Read the FAQ.")
        ticket_services.ticket_update(actor=lead, ticket=ticket, category="poor_support")

    case = active_case(ticket)
    assert case.failure_type == "poor_support"
    assert case.facts["description"] == "Lee Lead filed it as “Poor support”."
    assert_scored_and_explained(case)
    assert_playbook(
        case, "poor_support", "Listen, and ask what went wrong in their earlier contact"
    )
    assert_the_agent_sees_it(client, agent, ticket, case)


def test_a_failure_caught_before_it_happens(client, on_commit, gold_customer, agent):
    make_policy("Around the clock")  # first reply within 60 minutes; warning at 75%
    with time_machine.travel(MONDAY_10, tick=False), on_commit():
        ticket = file_ticket(gold_customer, subject="Invoice copy", body="Could you send it?")
    with time_machine.travel(MONDAY_10 + timedelta(minutes=46), tick=False), on_commit():
        sla_scan()

    case = active_case(ticket)
    assert case.failure_type == "sla_breach" and case.proactive
    assert factors(case)["proactive"] < 0  # not felt yet: less severe
    assert "caught_early" in {r["factor"] for r in case.recovery_chance_reasons}
    assert_scored_and_explained(case)
    assert_playbook(case, "proactive", "Reach out first, and ask what they need most")
    assert_the_agent_sees_it(client, agent, ticket, case)


def test_when_the_caught_failure_happens_anyway_the_case_takes_the_failures_playbook(
    on_commit, gold_customer
):
    make_policy("Around the clock")
    with time_machine.travel(MONDAY_10, tick=False), on_commit():
        ticket = file_ticket(gold_customer)
    with time_machine.travel(MONDAY_10 + timedelta(minutes=46), tick=False), on_commit():
        sla_scan()
    proactive_severity = active_case(ticket).severity

    with time_machine.travel(MONDAY_10 + timedelta(minutes=61), tick=False), on_commit():
        sla_scan()

    case = active_case(ticket)
    assert not case.proactive
    assert case.severity > proactive_severity
    assert case.playbook.situation == "generic"  # sla_breach has no playbook of its own
    assert "case.playbook_changed" in set(case.events.values_list("type", flat=True))
