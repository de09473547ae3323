"""When surveys go out: after the delay, outside the customer's quiet hours, at most
one per customer per throttle window, one reminder, then expiry. Driven through the
ticket services (the event stream), the recovery entry point and the minute
dispatch, with frozen time."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from surveys import services, tasks
from surveys.models import Survey, SurveyOrigin, SurveyResponse, SurveyStatus
from tests import factories
from tests.surveys.conftest import MONDAY_10, dispatch, rating_links, solve, survey_mails
from tickets import services as ticket_services

pytestmark = [pytest.mark.django_db(transaction=True)]

TOKYO = ZoneInfo("Asia/Tokyo")  # UTC+9, no daylight saving
NEW_YORK = ZoneInfo("America/New_York")  # UTC-5 in November


@pytest.fixture
def ticket(customer, agent, team):
    return factories.TicketFactory(requester=customer, assignee=agent, team=team, status="open")


def test_solving_a_ticket_schedules_a_survey_after_the_delay(ticket, agent, customer):
    solve(ticket, actor=agent, at=MONDAY_10)

    survey = Survey.objects.get(ticket=ticket)
    assert survey.status == SurveyStatus.SCHEDULED
    assert survey.origin == SurveyOrigin.SOLVED
    assert survey.customer == customer
    assert survey.kind == "csat"
    assert survey.scheduled_for == MONDAY_10 + timedelta(hours=24)
    assert survey_mails() == []


def test_the_dispatch_sends_it_when_due_and_not_before(ticket, agent, customer):
    solve(ticket, actor=agent, at=MONDAY_10)

    assert dispatch(MONDAY_10 + timedelta(hours=23, minutes=59))["queued"] == 0
    assert survey_mails() == []
    assert dispatch(MONDAY_10 + timedelta(hours=24))["queued"] == 1

    [message] = survey_mails()
    assert message.to == [customer.email]
    assert f"[{ticket.reference}]" in message.subject
    survey = Survey.objects.get(ticket=ticket)
    assert survey.status == SurveyStatus.SENT
    assert survey.sent_at == MONDAY_10 + timedelta(hours=24)
    assert survey.expires_at == survey.sent_at + timedelta(days=14)
    assert survey.remind_at == survey.sent_at + timedelta(hours=72)


def test_the_delay_comes_from_settings(ticket, agent, settings):
    settings.SURVEY_DELAY_HOURS = 2

    solve(ticket, actor=agent, at=MONDAY_10)

    assert Survey.objects.get(ticket=ticket).scheduled_for == MONDAY_10 + timedelta(hours=2)


@pytest.mark.parametrize(
    ("zone", "solved_at", "expected"),
    [
        # Tokyo: Monday 13:00 UTC + 24h is Tuesday 22:00 local -> Wednesday 09:00 local.
        (
            TOKYO,
            datetime(2026, 11, 16, 13, 0, tzinfo=UTC),
            datetime(2026, 11, 18, 9, 0, tzinfo=TOKYO),
        ),
        # Tokyo: Monday 18:00 UTC + 24h is Wednesday 03:00 local -> the same day at 09:00.
        (
            TOKYO,
            datetime(2026, 11, 16, 18, 0, tzinfo=UTC),
            datetime(2026, 11, 18, 9, 0, tzinfo=TOKYO),
        ),
        # New York: Monday 03:00 UTC + 24h is Monday 22:00 local -> Tuesday 09:00 local.
        (
            NEW_YORK,
            datetime(2026, 11, 16, 3, 0, tzinfo=UTC),
            datetime(2026, 11, 17, 9, 0, tzinfo=NEW_YORK),
        ),
        # New York: Monday 14:00 UTC + 24h is Tuesday 09:00 local: the quiet hours are over.
        (
            NEW_YORK,
            datetime(2026, 11, 16, 14, 0, tzinfo=UTC),
            datetime(2026, 11, 17, 9, 0, tzinfo=NEW_YORK),
        ),
        # New York: 20:59 local is still fine.
        (
            NEW_YORK,
            datetime(2026, 11, 17, 1, 59, tzinfo=UTC),
            datetime(2026, 11, 17, 20, 59, tzinfo=NEW_YORK),
        ),
    ],
)
def test_quiet_hours_in_the_customers_time_zone_push_it_to_the_morning(
    ticket, agent, customer, zone, solved_at, expected
):
    customer.time_zone = str(zone)
    customer.save(update_fields=["time_zone"])

    solve(ticket, actor=agent, at=solved_at)

    survey = Survey.objects.get(ticket=ticket)
    assert survey.scheduled_for == expected
    # Nothing goes out during the customer's night, even though it is daytime in UTC.
    dispatch(expected - timedelta(minutes=1))
    assert survey_mails() == []
    dispatch(expected)
    assert len(survey_mails()) == 1


def test_a_dispatch_running_late_into_the_night_waits_for_the_morning(ticket, agent, customer):
    customer.time_zone = "Asia/Tokyo"
    customer.save(update_fields=["time_zone"])
    solve(ticket, actor=agent, at=datetime(2026, 11, 16, 1, 0, tzinfo=UTC))  # 10:00 Tokyo
    survey = Survey.objects.get(ticket=ticket)
    assert survey.scheduled_for == datetime(2026, 11, 17, 1, 0, tzinfo=UTC)

    # The beat was down all day; it comes back at 23:00 Tokyo.
    dispatch(datetime(2026, 11, 17, 14, 0, tzinfo=UTC))

    assert survey_mails() == []
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.SCHEDULED
    assert survey.scheduled_for == datetime(2026, 11, 18, 9, 0, tzinfo=TOKYO)
    dispatch(datetime(2026, 11, 18, 9, 0, tzinfo=TOKYO))
    assert len(survey_mails()) == 1


def test_a_customer_gets_at_most_one_survey_per_throttle_window(customer, agent):
    first, second, third = (
        factories.TicketFactory(requester=customer, assignee=agent, status="open") for _ in range(3)
    )

    solve(first, actor=agent, at=MONDAY_10)
    solve(second, actor=agent, at=MONDAY_10 + timedelta(days=3))
    solve(third, actor=agent, at=MONDAY_10 + timedelta(days=31))

    assert Survey.objects.filter(ticket=first).count() == 1
    assert not Survey.objects.filter(ticket=second).exists()
    assert Survey.objects.filter(ticket=third).count() == 1


def test_the_throttle_is_per_customer(customer, other_customer, agent):
    mine = factories.TicketFactory(requester=customer, status="open")
    theirs = factories.TicketFactory(requester=other_customer, status="open")

    solve(mine, actor=agent, at=MONDAY_10)
    solve(theirs, actor=agent, at=MONDAY_10)

    assert Survey.objects.filter(ticket__in=[mine, theirs]).count() == 2


def test_a_cancelled_survey_does_not_count_against_the_throttle(ticket, customer, agent):
    solve(ticket, actor=agent, at=MONDAY_10)
    with time_machine.travel(MONDAY_10 + timedelta(hours=1), tick=False):
        ticket_services.message_add(actor=customer, ticket=ticket, body="Still broken!")
    solve(ticket, actor=agent, at=MONDAY_10 + timedelta(hours=5))

    statuses = list(
        Survey.objects.filter(ticket=ticket).order_by("id").values_list("status", flat=True)
    )
    assert statuses == [SurveyStatus.CANCELLED, SurveyStatus.SCHEDULED]


def test_reopening_the_ticket_cancels_the_survey_not_sent_yet(ticket, customer, agent):
    solve(ticket, actor=agent, at=MONDAY_10)

    with time_machine.travel(MONDAY_10 + timedelta(hours=3), tick=False):
        ticket_services.ticket_change_status(actor=customer, ticket=ticket, status="open")

    assert Survey.objects.get(ticket=ticket).status == SurveyStatus.CANCELLED
    dispatch(MONDAY_10 + timedelta(days=2))
    assert survey_mails() == []


def test_reopening_after_the_survey_went_out_leaves_it_open(ticket, customer, agent):
    solve(ticket, actor=agent, at=MONDAY_10)
    dispatch(MONDAY_10 + timedelta(hours=24))

    with time_machine.travel(MONDAY_10 + timedelta(hours=30), tick=False):
        ticket_services.ticket_change_status(actor=customer, ticket=ticket, status="open")

    assert Survey.objects.get(ticket=ticket).status == SurveyStatus.SENT


def test_a_survey_whose_ticket_was_reopened_meanwhile_is_never_sent(ticket, customer, agent):
    # The cancel task was lost; the send itself checks the ticket again.
    solve(ticket, actor=agent, at=MONDAY_10)
    ticket.__class__.objects.filter(pk=ticket.pk).update(status="open")

    dispatch(MONDAY_10 + timedelta(hours=24))

    assert survey_mails() == []
    assert Survey.objects.get(ticket=ticket).status == SurveyStatus.CANCELLED


def test_a_ticket_of_a_staff_member_gets_no_survey(agent, manager):
    ticket = factories.TicketFactory(requester=manager, status="open")

    solve(ticket, actor=agent, at=MONDAY_10)

    assert not Survey.objects.filter(ticket=ticket).exists()


def test_handling_the_same_solve_twice_makes_one_survey(ticket, agent):
    solve(ticket, actor=agent, at=MONDAY_10)
    event = ticket.events.get(type="ticket.status_changed", data__to="solved")

    tasks.schedule_after_solve.delay(event.pk)

    assert Survey.objects.filter(ticket=ticket).count() == 1


# --- reminder and expiry --------------------------------------------------------------------


def test_an_unanswered_survey_gets_one_reminder(ticket, agent, customer):
    solve(ticket, actor=agent, at=MONDAY_10)
    sent = MONDAY_10 + timedelta(hours=24)
    dispatch(sent)

    assert dispatch(sent + timedelta(hours=71, minutes=59))["reminders"] == 0
    assert dispatch(sent + timedelta(hours=72))["reminders"] == 1
    assert dispatch(sent + timedelta(hours=80))["reminders"] == 0

    _first, reminder = survey_mails()
    assert reminder.to == [customer.email]
    assert reminder.subject.startswith("Reminder:")
    assert len(rating_links(reminder)) == 5
    survey = Survey.objects.get(ticket=ticket)
    assert survey.reminded_at == sent + timedelta(hours=72)


def test_an_answered_survey_gets_no_reminder(ticket, agent, client):
    solve(ticket, actor=agent, at=MONDAY_10)
    sent = MONDAY_10 + timedelta(hours=24)
    dispatch(sent)
    with time_machine.travel(sent + timedelta(hours=1), tick=False):
        client.get(rating_links(survey_mails()[0])[5])

    assert dispatch(sent + timedelta(hours=72))["reminders"] == 0
    assert len(survey_mails()) == 1


def test_the_reminder_also_respects_quiet_hours(ticket, agent, customer):
    customer.time_zone = "America/New_York"
    customer.save(update_fields=["time_zone"])
    solve(ticket, actor=agent, at=datetime(2026, 11, 16, 15, 0, tzinfo=UTC))  # 10:00 New York
    sent = datetime(2026, 11, 17, 15, 0, tzinfo=UTC)
    dispatch(sent)

    survey = Survey.objects.get(ticket=ticket)
    assert survey.remind_at == sent + timedelta(hours=72)  # 10:00 New York, three days on

    customer.time_zone = "Asia/Tokyo"  # they moved: 00:00 Tokyo is quiet
    customer.save(update_fields=["time_zone"])
    dispatch(sent + timedelta(hours=72))
    assert len(survey_mails()) == 1
    survey.refresh_from_db()
    assert survey.remind_at == datetime(2026, 11, 21, 9, 0, tzinfo=TOKYO)


def test_no_reminder_when_reminders_are_off(ticket, agent, settings):
    settings.SURVEY_REMINDER_HOURS = 0
    solve(ticket, actor=agent, at=MONDAY_10)
    dispatch(MONDAY_10 + timedelta(hours=24))

    assert Survey.objects.get(ticket=ticket).remind_at is None


def test_an_unanswered_survey_expires(ticket, agent, client):
    solve(ticket, actor=agent, at=MONDAY_10)
    sent = MONDAY_10 + timedelta(hours=24)
    dispatch(sent)
    link = rating_links(survey_mails()[0])[4]

    assert dispatch(sent + timedelta(days=14) - timedelta(minutes=1))["expired"] == 0
    assert dispatch(sent + timedelta(days=14))["expired"] == 1

    assert Survey.objects.get(ticket=ticket).status == SurveyStatus.EXPIRED
    with time_machine.travel(sent + timedelta(days=14, minutes=5), tick=False):
        response = client.get(link)
    assert response.status_code == 410
    assert not SurveyResponse.objects.exists()


def test_a_survey_never_sent_in_time_expires_unsent(ticket, agent):
    solve(ticket, actor=agent, at=MONDAY_10)

    result = dispatch(MONDAY_10 + timedelta(hours=24) + timedelta(days=14))

    assert result == {"queued": 0, "reminders": 0, "expired": 1}
    assert survey_mails() == []
    assert Survey.objects.get(ticket=ticket).status == SurveyStatus.EXPIRED


# --- the recovery entry point ----------------------------------------------------------------


def test_recovery_schedules_a_follow_up_when_a_case_closes(ticket, customer):
    with time_machine.travel(MONDAY_10, tick=False):
        survey = services.survey_schedule_for_recovery(ticket=ticket, customer=customer, case_id=7)

    assert survey.origin == SurveyOrigin.RECOVERY
    assert survey.origin_id == 7
    assert survey.scheduled_for == MONDAY_10 + timedelta(hours=24)
    dispatch(MONDAY_10 + timedelta(hours=24))
    assert [m.to for m in survey_mails()] == [[customer.email]]


def test_recovery_asking_twice_for_one_case_gets_the_same_survey(ticket, customer):
    with time_machine.travel(MONDAY_10, tick=False):
        first = services.survey_schedule_for_recovery(ticket=ticket, customer=customer, case_id=7)
        again = services.survey_schedule_for_recovery(ticket=ticket, customer=customer, case_id=7)

    assert first == again
    assert Survey.objects.count() == 1


def test_recovery_follow_ups_honour_quiet_hours_and_the_throttle(ticket, customer, agent):
    customer.time_zone = "Asia/Tokyo"
    customer.save(update_fields=["time_zone"])
    solve(ticket, actor=agent, at=MONDAY_10)

    throttled = services.survey_schedule_for_recovery(
        ticket=ticket, customer=customer, case_id=1, closed_at=MONDAY_10 + timedelta(days=2)
    )
    forced = services.survey_schedule_for_recovery(
        ticket=ticket,
        customer=customer,
        case_id=2,
        closed_at=datetime(2026, 11, 18, 13, 0, tzinfo=UTC),  # 22:00 Tokyo
        throttle=False,
        kind="nps",
    )

    assert throttled is None
    assert forced.kind == "nps"
    assert forced.scheduled_for == datetime(2026, 11, 20, 9, 0, tzinfo=TOKYO)
