"""Each survey is emailed exactly once: under a retried dispatch, a retried send
task, a failed send, a lost task, and two dispatches at the same moment."""

import threading
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from celery.exceptions import Retry
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection

from surveys import services, tasks
from surveys.models import Survey, SurveyStatus
from tests import factories
from tests.surveys.conftest import MONDAY_10, dispatch, survey_mails

pytestmark = [pytest.mark.django_db(transaction=True)]

DUE = MONDAY_10 + timedelta(hours=24)


def due_surveys(count: int) -> list[Survey]:
    """`count` surveys for as many customers, each scheduled for DUE."""
    surveys = []
    for _ in range(count):
        ticket = factories.TicketFactory(status="solved", solved_at=MONDAY_10)
        surveys.append(services.survey_create(ticket=ticket, scheduled_for=DUE))
    return surveys


def recipients() -> list[str]:
    return sorted(m.to[0] for m in survey_mails())


def test_a_dispatch_run_twice_at_the_same_moment_sends_each_survey_once():
    surveys = due_surveys(3)

    first = dispatch(DUE)
    second = dispatch(DUE)

    assert first["queued"] == 3
    assert second["queued"] == 0
    assert recipients() == sorted(s.customer.email for s in surveys)


def test_a_retried_send_task_sends_nothing_more():
    [survey] = due_surveys(1)
    dispatch(DUE)

    assert tasks.send_survey.delay(survey.pk).get() == "skipped"
    assert tasks.send_survey.delay(survey.pk).get() == "skipped"
    assert len(survey_mails()) == 1


def test_a_failed_send_is_retried_and_sent_once():
    [survey] = due_surveys(1)

    down = mock.patch.object(EmailBackend, "send_messages", side_effect=ConnectionRefusedError)
    with down, pytest.raises(Retry):  # Celery schedules the task again, with backoff
        dispatch(DUE)
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.SCHEDULED

    # The worker runs the retry; later the lease runs out and a dispatch looks again.
    with time_machine.travel(DUE + timedelta(minutes=1), tick=False):
        assert tasks.send_survey.delay(survey.pk).get() == "sent"
    assert dispatch(DUE + services.CLAIM_LEASE)["queued"] == 0
    assert len(survey_mails()) == 1


def test_a_send_that_failed_for_good_leaves_the_survey_unsent_to_try_again():
    [survey] = due_surveys(1)

    with (
        time_machine.travel(DUE, tick=False),
        mock.patch.object(EmailBackend, "send_messages", side_effect=ConnectionRefusedError),
        pytest.raises(ConnectionRefusedError),
    ):
        services.survey_send(survey_id=survey.pk)

    survey.refresh_from_db()
    assert survey.status == SurveyStatus.SCHEDULED
    assert survey.sent_at is None
    with time_machine.travel(DUE + timedelta(minutes=1), tick=False):
        assert services.survey_send(survey_id=survey.pk) == "sent"
    assert len(survey_mails()) == 1


def test_a_claimed_survey_whose_task_was_lost_is_claimed_again_after_the_lease():
    [survey] = due_surveys(1)
    with mock.patch.object(tasks.send_survey, "delay"):  # the broker loses the message
        assert dispatch(DUE)["queued"] == 1

    assert dispatch(DUE + timedelta(minutes=5))["queued"] == 0  # still leased
    assert survey_mails() == []
    assert dispatch(DUE + services.CLAIM_LEASE)["queued"] == 1
    assert recipients() == [survey.customer.email]


def test_a_cancelled_survey_is_not_sent_even_when_already_claimed():
    [survey] = due_surveys(1)
    with mock.patch.object(tasks.send_survey, "delay"):
        dispatch(DUE)

    services.survey_cancel_for_ticket(ticket_id=survey.ticket_id)

    assert tasks.send_survey.delay(survey.pk).get() == "skipped"
    assert survey_mails() == []


def test_the_dispatch_task_runs_the_dispatch():
    due_surveys(2)

    with time_machine.travel(DUE, tick=False):
        assert tasks.dispatch.delay().get() == {"queued": 2, "reminders": 0, "expired": 0}
    assert len(survey_mails()) == 2


def test_the_beat_runs_the_dispatch_every_minute():
    from helpdesk.celery import app

    entry = app.conf.beat_schedule["surveys-dispatch"]
    assert entry["task"] == "surveys.tasks.dispatch"
    assert entry["schedule"] == 60.0
    assert entry["task"] in app.tasks


SQLITE_SKIP = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="in-memory SQLite cannot share tables across threads; CI runs it on PostgreSQL",
)


def run_together(function, times: int = 2) -> list:
    """Runs `function` in `times` threads released at the same moment; their results."""
    barrier = threading.Barrier(times)
    results, errors = [], []

    def run():
        barrier.wait()
        try:
            results.append(function())
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


@SQLITE_SKIP
def test_two_dispatches_at_the_same_moment_send_each_survey_once():
    surveys = due_surveys(20)

    results = run_together(lambda: dispatch(DUE))

    assert sum(r["queued"] for r in results) == 20
    assert recipients() == sorted(s.customer.email for s in surveys)
    assert Survey.objects.filter(status=SurveyStatus.SENT).count() == 20


@SQLITE_SKIP
def test_two_send_tasks_for_one_survey_at_the_same_moment_send_it_once():
    [survey] = due_surveys(1)

    with time_machine.travel(DUE, tick=False):
        results = run_together(lambda: services.survey_send(survey_id=survey.pk))

    assert sorted(results) == ["sent", "skipped"]
    assert len(mail.outbox) == 1
