import importlib
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.utils import timezone

from surveys import services
from tests import factories
from tickets import services as ticket_services

# A Monday in November: no daylight-saving change anywhere near it.
MONDAY_10 = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
SITE = "http://testserver"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Factories set a password for every user; the real hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _survey_settings(settings):
    """The documented defaults, whatever the environment says."""
    settings.SURVEY_DELAY_HOURS = 24
    settings.SURVEY_QUIET_START_HOUR = 21
    settings.SURVEY_QUIET_END_HOUR = 9
    settings.SURVEY_THROTTLE_DAYS = 30
    settings.SURVEY_REMINDER_HOURS = 72
    settings.SURVEY_EXPIRY_DAYS = 14
    settings.SURVEY_KIND_ON_SOLVE = "csat"
    settings.SITE_URL = SITE


@pytest.fixture
def shipped_questions(db):
    """The wording migration 0003 ships, made again if a transactional test flushed it."""
    migration = importlib.import_module("surveys.migrations.0003_default_questions")
    migration.add_defaults(apps, None)
    return migration.DEFAULTS


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


@pytest.fixture
def lead(db, team):
    person = factories.LeadFactory(email="lead@example.com", full_name="Lee Lead")
    person.teams.add(team)
    team.lead = person
    team.save(update_fields=["lead"])
    return person


def solve(ticket, *, actor, at):
    """The agent marks the ticket solved at `at`, through the ticket services."""
    with time_machine.travel(at, tick=False):
        return ticket_services.ticket_update(actor=actor, ticket=ticket, status="solved")


def dispatch(at) -> dict:
    """One run of the minute dispatch at `at` (its send tasks run inline after commit)."""
    with time_machine.travel(at, tick=False):
        return services.survey_dispatch()


def survey_mails() -> list:
    return [m for m in mail.outbox if "/surveys/" in m.body]


def rating_links(message, *, site: str = SITE) -> dict[int, str]:
    """Score -> one-click link path, from a survey email's plain text."""
    found = re.findall(rf"^(\d+): {re.escape(site)}(/surveys/\S+)$", message.body, re.MULTILINE)
    return {int(score): path for score, path in found}


def answer_link(message) -> str:
    paths = re.findall(rf"{re.escape(SITE)}(/surveys/[^/\s]+/)$", message.body, re.MULTILINE)
    assert paths, message.body
    return paths[0]
