"""`seed_demo`: the demo logins exist, every channel and status is there, and a second run adds nothing."""

import pytest
from django.core.management import call_command

from accounts.models import User
from tickets.models import Channel, Status, Ticket

pytestmark = pytest.mark.django_db

LOGINS = ["customer", "other", "agent", "lead", "manager", "admin"]


def counts():
    from knowledge_base.models import Article
    from recovery.models import RecoveryCase
    from surveys.models import SurveyResponse

    return (
        User.objects.count(),
        Ticket.objects.count(),
        Article.objects.count(),
        RecoveryCase.objects.count(),
        SurveyResponse.objects.count(),
    )


def test_it_seeds_the_demo_and_is_idempotent(client):
    call_command("seed_demo", tickets=60, seed=3)
    first = counts()
    call_command("seed_demo", tickets=60, seed=3)

    assert counts() == first
    _users, tickets, articles, cases, responses = first
    assert tickets == 60 and articles > 0 and cases > 0 and responses > 0
    assert set(Ticket.objects.values_list("channel", flat=True)) == set(Channel.values)
    assert set(Ticket.objects.values_list("status", flat=True)) == set(Status.values)
    for who in LOGINS:
        assert client.login(email=f"{who}@example.com", password="demo"), who
    customer = User.objects.get(email="customer@example.com")
    other = User.objects.get(email="other@example.com")
    assert customer.organisation != other.organisation


def test_if_empty_leaves_existing_data_alone():
    call_command("seed_demo", tickets=12)
    call_command("seed_demo", tickets=40, if_empty=True)
    assert Ticket.objects.count() == 12
