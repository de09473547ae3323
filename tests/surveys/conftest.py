from datetime import timedelta

import pytest
from django.utils import timezone

from surveys import services
from tests import factories


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Factories set a password for every user; the real hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_answered(*, customer, kind="csat", score=4, comment="", ticket=None, answered_at=None):
    """A sent survey about a solved ticket of `customer`, answered through the service."""
    ticket = ticket or factories.TicketFactory(
        requester=customer, status="solved", solved_at=timezone.now() - timedelta(days=2)
    )
    survey = services.survey_create(ticket=ticket, kind=kind)
    services.survey_mark_sent(survey=survey, at=timezone.now() - timedelta(days=1))
    return services.survey_answer(
        survey=survey, score=score, comment=comment, at=answered_at or timezone.now()
    )


@pytest.fixture
def sent_survey(customer):
    ticket = factories.TicketFactory(
        requester=customer, status="solved", solved_at=timezone.now() - timedelta(hours=2)
    )
    survey = services.survey_create(ticket=ticket, kind="csat")
    return services.survey_mark_sent(survey=survey)
