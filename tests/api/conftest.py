"""Fixtures for API tests: a client per person and a ticket the customer owns.

On-commit callbacks (reply emails, event receivers) do not run in these tests
unless a test asks for them with `django_capture_on_commit_callbacks`.
"""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests import factories
from tickets import services


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Every user fixture hashes a password; the real hasher is slow on purpose."""
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
def colleague(db, customer):
    """Another customer of the owner's organisation."""
    return factories.CustomerFactory(organisation=customer.organisation)


@pytest.fixture
def ticket(customer):
    """The owner customer's ticket, filed through the service like any other."""
    return services.ticket_create(
        actor=customer, requester=customer, subject="Printer on fire", body="It smokes."
    )
