"""Demo recovery cases, opened through the services like real ones.

`seed_demo` calls `seed_cases` with the tickets it made. Idempotent: which
tickets get a case depends on the ticket alone, and a ticket that already has
a case (or fed a signal into one) is skipped.
"""

import random
from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from accounts.models import User
from recovery import services
from recovery.models import FailureType, Outcome, RecoveryCase, RecoverySignal, RootCause
from tickets.models import FAILURE_CATEGORIES, Ticket

# Chance that a ticket gets a case: tickets filed under a failure category
# nearly always do; the rest now and then (a breach, an angry message...).
FAILURE_CATEGORY_SHARE = 0.9
OTHER_SHARE = 0.15
# Cases on finished tickets, detected longer ago than this, are finished too.
FINISHED_AFTER = timedelta(days=3)
OUTCOME_WEIGHTS = (
    (Outcome.RECOVERED, 60),
    (Outcome.NOT_RECOVERED, 15),
    (Outcome.NO_ANSWER, 15),
    (Outcome.CHURNED, 10),
)
# Failures that are not a ticket category, for the other tickets.
EVENT_FAILURES = (
    FailureType.SLA_BREACH,
    FailureType.LONG_WAIT,
    FailureType.HANDOFFS,
    FailureType.REOPENED,
    FailureType.REPEAT_CONTACT,
    FailureType.NEGATIVE_SENTIMENT,
    FailureType.LOW_CSAT,
    FailureType.ESCALATION_REQUEST,
)

PRODUCTS = (
    ("Aurora desk lamp", "49.00"),
    ("Nimbus wireless headphones", "129.00"),
    ("Trail 40L backpack", "89.50"),
    ("Brewmaster coffee grinder", "74.99"),
    ("Orbit smart thermostat", "199.00"),
    ("Cirrus standing desk", "449.00"),
)
AGENT_NAMES = ("Sam", "Priya", "Jonas", "Lucía", "Kenji")
ANGRY_LINES = (
    "This is the third time I am writing and nobody reads my messages.",
    "Honestly I am furious, this is unacceptable.",
    "I want to speak to a manager right now.",
    "Worst service I have had in years.",
)


def seed_cases(*, tickets: Iterable[Ticket], agent: User, rng: random.Random) -> int:
    """Opens cases for some of `tickets` through `case_open`; returns how many it opened."""
    tickets = sorted(tickets, key=lambda t: (t.created_at, t.pk))
    ids = [t.pk for t in tickets]
    seen = set(RecoveryCase.objects.filter(ticket_id__in=ids).values_list("ticket_id", flat=True))
    seen |= set(
        RecoverySignal.objects.filter(ticket_id__in=ids).values_list("ticket_id", flat=True)
    )
    now = timezone.now()
    opened = 0
    for ticket in tickets:
        if ticket.pk in seen or not _gets_a_case(ticket):
            continue
        in_failure_category = ticket.category in FAILURE_CATEGORIES
        failure_type = (
            FailureType(ticket.category) if in_failure_category else rng.choice(EVENT_FAILURES)
        )
        detected_at = min(now, ticket.created_at + timedelta(hours=rng.uniform(0.5, 48)))
        result = services.case_open(
            actor=agent,
            ticket=ticket,
            failure_type=failure_type,
            facts=demo_facts(failure_type, rng),
            source=f"demo:{ticket.pk}",
            detected_at=detected_at,
        )
        if not result.created:
            continue
        opened += 1
        _advance(result.case, agent=agent, rng=rng, age=now - detected_at)
    return opened


def _gets_a_case(ticket: Ticket) -> bool:
    """Whether the demo gives this ticket a case: decided by the ticket alone, so a
    second run (whatever state `rng` is in by then) picks no new tickets."""
    share = FAILURE_CATEGORY_SHARE if ticket.category in FAILURE_CATEGORIES else OTHER_SHARE
    return random.Random(f"recovery-demo:{ticket.pk}").random() < share


def _advance(case: RecoveryCase, *, agent: User, rng: random.Random, age: timedelta) -> None:
    """Moves demo cases along with their tickets: finished tickets' cases end with an
    outcome and a root cause, their playbook worked through; cases on tickets still in
    work stay in the queue, some already taken and a step or two ticked."""
    steps = list(case.steps.order_by("position", "id").values_list("id", flat=True))
    if not case.ticket.is_active and age >= FINISHED_AFTER:
        for step_id in steps:
            services.case_step_set_done(actor=agent, case=case, step_id=step_id, done=True)
        causes = list(RootCause.objects.filter(is_active=True).order_by("id"))
        if causes:
            services.case_set_root_cause(actor=agent, case=case, root_cause=rng.choice(causes))
        outcomes, weights = zip(*OUTCOME_WEIGHTS, strict=True)
        services.case_update(
            actor=agent,
            case=case,
            status=rng.choice(("resolved", "closed")),
            outcome=rng.choices(outcomes, weights=weights)[0],
        )
    elif rng.random() < 0.4:
        services.case_update(actor=agent, case=case, status="in_progress", assigned_to=agent)
        for step_id in steps[: rng.randint(1, 2)]:
            services.case_step_set_done(actor=agent, case=case, step_id=step_id, done=True)


def demo_facts(failure_type: str, rng: random.Random) -> dict[str, Any]:
    """Plausible facts for one kind of failure."""
    product, price = rng.choice(PRODUCTS)
    order = f"ORD-{rng.randint(100000, 999999)}"
    match failure_type:
        case FailureType.DEFECTIVE_PRODUCT:
            return {
                "order_number": order,
                "product": product,
                "amount": price,
                "currency": "EUR",
                "description": "Stopped working within the first week.",
            }
        case FailureType.OVERCHARGE:
            amount = Decimal(rng.choice(("4.99", "12.00", "25.50", "89.50", "180.00", "320.00")))
            return {"order_number": order, "amount": str(amount), "currency": "EUR"}
        case FailureType.LATE_DELIVERY:
            return {"order_number": order, "product": product, "days_late": rng.randint(1, 14)}
        case FailureType.TECHNICAL_DIFFICULTY:
            return {
                "product": product,
                "description": "Cannot complete checkout: payment page errors.",
            }
        case FailureType.POOR_SUPPORT:
            return {
                "agent_name": rng.choice(AGENT_NAMES),
                "description": "The answer did not address the question.",
            }
        case FailureType.SLA_BREACH:
            promised = rng.choice((4, 8, 24))
            return {"promised_hours": promised, "hours_waited": promised + rng.randint(1, 48)}
        case FailureType.LONG_WAIT:
            return {"promised_hours": 24, "hours_waited": rng.randint(30, 120)}
        case FailureType.HANDOFFS:
            return {"description": f"Passed between {rng.randint(3, 6)} agents."}
        case FailureType.LOW_CSAT:
            return {"description": f"Rated the support {rng.randint(1, 2)} out of 5."}
        case FailureType.NEGATIVE_SENTIMENT | FailureType.ESCALATION_REQUEST:
            return {"description": rng.choice(ANGRY_LINES)}
        case _:
            return {"description": "The customer had to come back about the same problem."}
