"""The demo answers the lead's seed_demo command loads."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from surveys.demo import seed_responses
from surveys.models import Survey, SurveyResponse
from tests import factories

pytestmark = pytest.mark.django_db


def test_it_answers_surveys_for_solved_tickets_once(customer):
    solved = [
        factories.TicketFactory(
            requester=customer, status="solved", solved_at=timezone.now() - timedelta(days=10 + n)
        )
        for n in range(20)
    ]
    still_open = factories.TicketFactory(requester=customer, status="open")
    tickets = [*solved, still_open]

    created = seed_responses(tickets=tickets, rng=random.Random(7))
    again = seed_responses(tickets=tickets, rng=random.Random(8))

    assert 5 <= created <= 20
    assert again == 0
    assert SurveyResponse.objects.count() == created
    assert not Survey.objects.filter(ticket=still_open).exists()
    for response in SurveyResponse.objects.select_related("survey__ticket"):
        assert response.answered_at > response.survey.ticket.solved_at
