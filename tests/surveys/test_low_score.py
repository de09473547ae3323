"""Closing the loop: a low answer records `survey.low_score` on the ticket (for service
recovery) inside the answering transaction, and the team lead hears of it once."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction

from surveys import services
from surveys.models import Survey
from tests import factories
from tests.surveys.conftest import MONDAY_10, rating_links
from tickets import events
from tickets.models import TicketEvent

pytestmark = [pytest.mark.django_db(transaction=True)]

SENT = MONDAY_10 + timedelta(hours=24)


@pytest.fixture
def ticket(customer, agent, team):
    return factories.TicketFactory(requester=customer, assignee=agent, team=team, status="solved")


def sent(ticket, kind="csat") -> Survey:
    survey = services.survey_create(ticket=ticket, kind=kind, scheduled_for=SENT)
    with time_machine.travel(SENT, tick=False):
        return services.survey_mark_sent(survey=survey)


def answer(survey, score, comment=None, *, hours=1):
    with time_machine.travel(SENT + timedelta(hours=hours), tick=False):
        return services.survey_answer(survey=survey, score=score, comment=comment)


def low_events(ticket) -> list[TicketEvent]:
    return list(TicketEvent.objects.filter(ticket=ticket, type="survey.low_score").order_by("id"))


def alerts() -> list:
    return [m for m in mail.outbox if "Low survey score" in m.subject]


def test_a_low_csat_records_the_event_and_alerts_the_team_lead(ticket, lead, customer):
    survey = sent(ticket)

    answer(survey, 2, "Took a week.")

    [event] = low_events(ticket)
    assert event.data == {
        "survey_id": survey.pk,
        "kind": "csat",
        "score": 2,
        "comment": "Took a week.",
        "previous_score": None,
    }
    assert event.actor == customer
    [alert] = alerts()
    assert alert.to == [lead.email]
    assert ticket.reference in alert.subject
    assert "Took a week." in alert.body
    assert f"/agent/tickets/{ticket.pk}/" in alert.body


@pytest.mark.parametrize(
    ("kind", "score", "low"),
    [
        ("csat", 1, True),
        ("csat", 2, True),
        ("csat", 3, False),
        ("nps", 0, True),
        ("nps", 6, True),
        ("nps", 7, False),
        ("effort", 2, True),
        ("effort", 3, False),
    ],
)
def test_what_counts_as_low(ticket, lead, kind, score, low):
    answer(sent(ticket, kind), score)

    assert bool(low_events(ticket)) is low
    assert bool(alerts()) is low


def test_the_alert_goes_once_per_survey_however_often_the_answer_changes(ticket, lead):
    survey = sent(ticket)

    answer(survey, 2, hours=1)
    answer(survey, 1, "Worse on reflection.", hours=2)
    answer(survey, 4, hours=3)
    answer(survey, 1, hours=4)

    assert len(alerts()) == 1
    # Each save as low is an event; recovery keys on survey_id.
    assert [e.data["score"] for e in low_events(ticket)] == [2, 1, 1]
    assert [e.data["previous_score"] for e in low_events(ticket)] == [None, 2, 4]


def test_saving_the_same_low_answer_again_records_nothing_more(ticket, lead):
    survey = sent(ticket)
    answer(survey, 1, "Bad.")

    answer(survey, 1, "Bad.", hours=2)

    assert len(low_events(ticket)) == 1


def test_without_a_team_lead_the_managers_are_told(customer, manager):
    other_manager = factories.ManagerFactory(email="boss@example.com")
    ticket = factories.TicketFactory(requester=customer, status="solved")

    answer(sent(ticket, "nps"), 3)

    [alert] = alerts()
    assert sorted(alert.to) == sorted([manager.email, other_manager.email])


def test_the_event_is_part_of_the_answer_transaction(ticket, lead):
    survey = sent(ticket)

    with pytest.raises(RuntimeError), transaction.atomic():
        answer(survey, 1)
        assert len(low_events(ticket)) == 1
        raise RuntimeError("the request failed after answering")

    assert low_events(ticket) == []
    assert alerts() == []


def test_the_event_reaches_ticket_event_receivers_after_commit(ticket, lead):
    heard = []

    def receiver(sender, event, **kwargs):
        heard.append((event.type, event.data["score"]))

    events.ticket_event.connect(receiver)
    try:
        answer(sent(ticket), 1)
    finally:
        events.ticket_event.disconnect(receiver)

    assert heard == [("survey.low_score", 1)]


def test_a_low_answer_through_the_emailed_link_records_it(ticket, lead, client):
    survey = services.survey_create(ticket=ticket, scheduled_for=SENT)
    with time_machine.travel(SENT, tick=False):
        services.survey_dispatch()
    [message] = mail.outbox
    link = rating_links(message)[1]

    with time_machine.travel(SENT + timedelta(hours=1), tick=False):
        assert client.get(link).status_code == 302

    assert low_events(ticket)[0].data["survey_id"] == survey.pk
    assert len(alerts()) == 1


def test_a_retried_alert_task_sends_nothing_more(ticket, lead):
    survey = sent(ticket)
    answer(survey, 1)

    assert services.survey_alert_low_score(survey_id=survey.pk) == "skipped"
    assert len(alerts()) == 1


def test_imported_history_raises_no_alarm(ticket, lead):
    survey = sent(ticket)

    with time_machine.travel(SENT + timedelta(hours=1), tick=False):
        services.survey_answer(survey=survey, score=1, announce=False)

    assert low_events(ticket) == []
    assert alerts() == []
