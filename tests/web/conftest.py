"""Fixtures for the HTML pages: people logged in through the test client, and a ticket."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tickets import services


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Factories set a password on every user they make; the real hasher is slow by design."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def customer_client(customer):
    return client_for(customer)


@pytest.fixture
def other_client(other_customer):
    return client_for(other_customer)


@pytest.fixture
def agent_client(agent):
    return client_for(agent)


@pytest.fixture
def ticket(customer):
    """A new ticket the customer filed in the portal."""
    return services.ticket_create(
        actor=customer, requester=customer, subject="Printer on fire", body="Smoke everywhere."
    )


def upload(name="notes.txt", content=b"hello", content_type="text/plain") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
