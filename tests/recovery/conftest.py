"""Fixtures for recovery tests: staff of each role, a customer's ticket, cases in bulk.

On-commit callbacks do not run here unless a test asks for them.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from recovery.models import CaseStatus, FailureType, RecoveryCase, RecoverySignal
from tests import factories
from tickets import services as ticket_services


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Factories set a password on every user; the real hasher makes 100 of them take minutes."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttle counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client_for():
    """`client_for(user)`: an APIClient authenticated as `user` (no auth queries)."""

    def make(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def lead(db):
    return factories.LeadFactory(email="lead@example.com")


@pytest.fixture
def ticket(customer):
    """The customer's ticket, filed through the service like any other."""
    return ticket_services.ticket_create(
        actor=customer, requester=customer, subject="Parcel never came", body="Where is it?"
    )


@pytest.fixture
def other_ticket(other_customer):
    return ticket_services.ticket_create(
        actor=other_customer, requester=other_customer, subject="Wrong bill", body="Too much."
    )


@pytest.fixture
def make_cases(db):
    """`make_cases(n)`: n active cases on n tickets, each with one signal, made in bulk.

    Given-data only: the cases skip the service so that 100 of them are cheap.
    """

    def make(n: int, **fields) -> list[RecoveryCase]:
        now = timezone.now()
        customers = factories.CustomerFactory.create_batch(min(n, 5))
        tickets = [
            factories.TicketFactory(requester=customers[i % len(customers)]) for i in range(n)
        ]
        types = FailureType.values
        cases = RecoveryCase.objects.bulk_create(
            [
                RecoveryCase(
                    ticket=t,
                    customer=t.requester,
                    failure_type=types[i % len(types)],
                    facts={"description": f"case {i}"},
                    severity=(i * 37) % 101,
                    recovery_chance=50,
                    status=CaseStatus.OPEN,
                    compensation_kind="credit",
                    compensation_amount=Decimal("20.00"),
                    compensation_currency="EUR",
                    detected_at=now - timedelta(hours=i),
                    **fields,
                )
                for i, t in enumerate(tickets)
            ]
        )
        RecoverySignal.objects.bulk_create(
            [RecoverySignal(case=c, kind=c.failure_type, ticket=c.ticket) for c in cases]
        )
        return cases

    return make


# --- the event stream, end to end ---------------------------------------------------

LOW_SCORE = "survey.low_score"


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """`with on_commit():` runs what the block queued for after commit (receivers, eager
    Celery tasks, pushes), and whatever those queue in turn, as a real commit would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def gold_customer(db):
    return factories.CustomerFactory(email="gold@example.com", tier="gold", language="en")


@pytest.fixture
def spanish_customer(db):
    return factories.CustomerFactory(email="cliente@example.com", language="es")


def file_ticket(customer, subject="Parcel never came", body="Where is it?", **fields):
    return ticket_services.ticket_create(
        actor=customer, requester=customer, subject=subject, body=body, **fields
    )


def record_low_score(ticket, *, kind="csat", score=1, comment="", survey_id=1):
    """What surveys emits for a low answer, recorded directly (registering the type if
    surveys has not: recovery must not depend on it being loaded)."""
    from django.db import transaction

    from tickets import events

    if LOW_SCORE not in events.TYPES:
        events.register_types(LOW_SCORE)
    with transaction.atomic():
        return events.record(
            ticket=ticket,
            actor=None,
            type=LOW_SCORE,
            data={"survey_id": survey_id, "kind": kind, "score": score, "comment": comment},
        )


def active_case(ticket) -> RecoveryCase | None:
    from recovery.selectors import cases_for_ticket

    return cases_for_ticket(RecoveryCase.objects.active(), ticket.pk).first()


def factors(case) -> dict[str, int]:
    return {reason["factor"]: reason["points"] for reason in case.score_reasons}
