"""Each detector, driven through the public surface: ticket services, the SLA scan and
the event stream, with after-commit receivers and eager Celery tasks really running."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from recovery import detectors, services, tasks
from recovery.models import DetectorSettings, RecoveryCase, RecoverySignal
from sla.services import sla_scan
from tests import factories
from tests.recovery.conftest import active_case, factors, file_ticket, record_low_score
from tests.sla.conftest import make_policy
from tickets import services as ticket_services
from tickets.models import Status, TicketEvent

pytestmark = pytest.mark.django_db

MONDAY_10 = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)


def kinds(case) -> list[str]:
    return list(case.signals.values_list("kind", flat=True))


# --- SLA ---------------------------------------------------------------------------------


def test_a_missed_sla_target_opens_an_sla_breach_case(on_commit, customer):
    make_policy("Around the clock")  # first reply within 60 minutes
    with time_machine.travel(MONDAY_10, tick=False), on_commit():
        ticket = file_ticket(customer)

    with time_machine.travel(MONDAY_10 + timedelta(minutes=61), tick=False), on_commit():
        sla_scan()

    case = active_case(ticket)
    assert case.failure_type == "sla_breach"
    assert not case.proactive
    assert case.facts["promised_hours"] == 1
    assert case.facts["hours_waited"] == pytest.approx(1.02, abs=0.01)
    assert "Missed the first reply target" in case.facts["description"]
    signal = case.signals.get()
    assert signal.source.startswith("event:") and signal.source.endswith(":sla_breach")
    assert signal.data["sla_kind"] == "first_reply"


def test_an_sla_warning_on_a_gold_customer_opens_a_proactive_case(on_commit, gold_customer):
    make_policy("Around the clock")
    with time_machine.travel(MONDAY_10, tick=False), on_commit():
        ticket = file_ticket(gold_customer)

    with time_machine.travel(MONDAY_10 + timedelta(minutes=46), tick=False), on_commit():
        sla_scan()

    case = active_case(ticket)
    assert case.failure_type == "sla_breach"
    assert case.proactive
    assert "caught before it is missed" in case.facts["description"]
    assert case.signals.get().data["why"] == "tier"
    assert "proactive" in factors(case)


def test_an_sla_warning_on_a_modest_standard_customer_opens_nothing(on_commit, customer):
    make_policy("Around the clock")
    with time_machine.travel(MONDAY_10, tick=False), on_commit():
        ticket = file_ticket(customer)

    with time_machine.travel(MONDAY_10 + timedelta(minutes=46), tick=False), on_commit():
        assert sla_scan()["warned"] == 1

    assert active_case(ticket) is None


def test_an_sla_warning_on_a_high_lifetime_value_customer_opens_a_proactive_case(
    on_commit, customer
):
    customer.lifetime_value = Decimal("12000")
    customer.save(update_fields=["lifetime_value"])
    make_policy("Around the clock")
    with time_machine.travel(MONDAY_10, tick=False), on_commit():
        ticket = file_ticket(customer)

    with time_machine.travel(MONDAY_10 + timedelta(minutes=46), tick=False), on_commit():
        sla_scan()

    case = active_case(ticket)
    assert case.proactive
    assert case.signals.get().data["why"] == "lifetime_value"


# --- handling ----------------------------------------------------------------------------


def test_a_first_reply_later_than_promised_opens_a_long_wait_case(on_commit, customer, agent):
    with time_machine.travel(MONDAY_10, tick=False), on_commit():
        ticket = file_ticket(customer)
    with time_machine.travel(MONDAY_10 + timedelta(hours=30), tick=False), on_commit():
        ticket_services.message_add(actor=agent, ticket=ticket, body="Sorry for the wait.")

    case = active_case(ticket)
    assert case.failure_type == "long_wait"
    assert case.facts["hours_waited"] == 30
    assert case.facts["promised_hours"] == 24
    assert "hours_late" in factors(case)


def test_a_first_reply_in_time_opens_nothing_and_later_replies_are_not_judged(
    on_commit, customer, agent
):
    with time_machine.travel(MONDAY_10, tick=False), on_commit():
        ticket = file_ticket(customer)
    with time_machine.travel(MONDAY_10 + timedelta(hours=30), tick=False), on_commit():
        # An internal note is no reply to the customer.
        ticket_services.message_add(actor=agent, ticket=ticket, body="Checking.", internal=True)
    assert active_case(ticket) is None

    with time_machine.travel(MONDAY_10 + timedelta(hours=2), tick=False), on_commit():
        ticket = file_ticket(customer, subject="Another question")
    with time_machine.travel(MONDAY_10 + timedelta(hours=3), tick=False), on_commit():
        ticket_services.message_add(actor=agent, ticket=ticket, body="Here you go.")
    with time_machine.travel(MONDAY_10 + timedelta(hours=50), tick=False), on_commit():
        ticket_services.message_add(actor=agent, ticket=ticket, body="And one more thing.")

    assert active_case(ticket) is None


def test_more_handoffs_than_allowed_open_a_handoffs_case(on_commit, customer, team):
    first, second, third, fourth = factories.AgentFactory.create_batch(4)
    with on_commit():
        ticket = file_ticket(customer)
        ticket_services.ticket_assign(actor=first, ticket=ticket, assignee=first)
        ticket_services.ticket_assign(actor=first, ticket=ticket, assignee=second)  # 1
        ticket_services.ticket_assign(actor=second, ticket=ticket, assignee=third)  # 2
    assert active_case(ticket) is None  # two handoffs are allowed

    with on_commit():
        ticket_services.ticket_assign(actor=third, ticket=ticket, assignee=fourth)  # 3

    case = active_case(ticket)
    assert case.failure_type == "handoffs"
    assert "3 times" in case.facts["description"]


def test_a_reopened_ticket_opens_a_reopened_case(on_commit, customer, agent):
    with on_commit():
        ticket = file_ticket(customer)
        ticket_services.ticket_change_status(actor=agent, ticket=ticket, status=Status.SOLVED)
    assert active_case(ticket) is None

    with on_commit():
        ticket_services.ticket_change_status(actor=customer, ticket=ticket, status=Status.OPEN)

    case = active_case(ticket)
    assert case.failure_type == "reopened"
    assert case.facts["description"] == "The customer reopened it after it was marked solved."


def test_an_agent_filing_a_ticket_under_a_failure_category_opens_that_case(
    on_commit, customer, agent
):
    with on_commit():
        ticket = file_ticket(customer, subject="Charged twice", body="Two charges for one order.")
        ticket_services.ticket_update(actor=agent, ticket=ticket, category="billing")
    assert active_case(ticket) is None  # billing is not a failure category

    with on_commit():
        ticket_services.ticket_update(actor=agent, ticket=ticket, category="overcharge")

    case = active_case(ticket)
    assert case.failure_type == "overcharge"
    assert case.facts["description"] == "Alex Agent filed it as “Overcharge”."


# --- what customers say and do ------------------------------------------------------------


def test_writing_again_about_the_same_issue_on_another_channel_joins_the_first_tickets_case(
    on_commit, customer, agent
):
    with time_machine.travel(MONDAY_10, tick=False), on_commit():
        first = file_ticket(customer, subject="Order 4471 never arrived", channel="email")
        opened = services.case_open(actor=agent, ticket=first, failure_type="late_delivery")
    with time_machine.travel(MONDAY_10 + timedelta(days=2), tick=False), on_commit():
        second = file_ticket(customer, subject="Still no parcel for order 4471", channel="chat")

    case = active_case(second)
    assert case.pk == opened.case.pk  # the same issue: the first ticket's case
    assert kinds(case) == ["late_delivery", "repeat_contact"]
    signal = case.signals.get(kind="repeat_contact")
    assert signal.ticket == second
    assert signal.data["earlier_ticket_id"] == first.pk
    assert "by Email" in signal.data["facts"]["description"]
    assert "by Chat" in signal.data["facts"]["description"]


def test_a_repeat_contact_without_an_open_case_opens_one(on_commit, customer):
    with time_machine.travel(MONDAY_10, tick=False), on_commit():
        file_ticket(customer, subject="Cannot log in to my account")
    with time_machine.travel(MONDAY_10 + timedelta(days=1), tick=False), on_commit():
        second = file_ticket(customer, subject="Still cannot log in", channel="phone")

    assert active_case(second).failure_type == "repeat_contact"


def test_the_same_specific_category_counts_as_the_same_issue(on_commit, customer, agent):
    with on_commit():
        first = file_ticket(customer, subject="Question about my invoice")
        ticket_services.ticket_update(actor=agent, ticket=first, category="billing")
        second = ticket_services.ticket_create(
            actor=agent,
            requester=customer,
            subject="Caller asks about a payment",
            body="Phoned in.",
            channel="phone",
            category="billing",
        )

    assert active_case(second).failure_type == "repeat_contact"


def test_unrelated_or_old_tickets_are_no_repeat_contact(on_commit, customer):
    with time_machine.travel(MONDAY_10, tick=False), on_commit():
        file_ticket(customer, subject="Blender makes a grinding noise")
    with time_machine.travel(MONDAY_10 + timedelta(days=1), tick=False), on_commit():
        unrelated = file_ticket(customer, subject="How do I change my delivery address?")
    with time_machine.travel(MONDAY_10 + timedelta(days=9), tick=False), on_commit():
        too_late = file_ticket(customer, subject="Blender grinding noise again")

    assert active_case(unrelated) is None
    assert active_case(too_late) is None  # outside the 7-day window


def test_an_angry_english_message_opens_a_negative_sentiment_case(on_commit, customer, agent):
    with on_commit():
        ticket = file_ticket(customer, subject="Lamp", body="Where is my lamp?")
        ticket_services.message_add(actor=agent, ticket=ticket, body="We are looking into it.")
    assert active_case(ticket) is None

    with on_commit():
        ticket_services.message_add(
            actor=customer,
            ticket=ticket,
            body="This is unacceptable. Worst service ever, I am furious!",
        )

    case = active_case(ticket)
    assert case.failure_type == "negative_sentiment"
    assert case.sentiment < -0.8
    signal = case.signals.get()
    assert signal.data["language"] == "en"
    assert "I am furious" in case.facts["description"]
    assert factors(case)["sentiment"] == round(15 * -case.sentiment)


def test_an_angry_spanish_message_opens_a_negative_sentiment_case(on_commit, spanish_customer):
    with on_commit():
        ticket = file_ticket(
            spanish_customer,
            subject="Pedido",
            body="El producto no funciona y nadie me responde. ¡Pésimo servicio, estoy harto!",
        )

    case = active_case(ticket)
    assert case.failure_type == "negative_sentiment"
    assert case.sentiment < -0.8
    assert case.signals.get().data["language"] == "es"


def test_a_negated_or_neutral_spanish_message_opens_nothing(on_commit, spanish_customer):
    with on_commit():
        calm = file_ticket(
            spanish_customer, subject="Duda", body="No estoy enfadado, todo perfecto. Gracias."
        )
        neutral = file_ticket(spanish_customer, subject="Envío", body="¿Dónde está mi pedido?")

    assert active_case(calm) is None
    assert active_case(neutral) is None


def test_a_message_in_an_unsupported_language_opens_no_sentiment_case(on_commit, customer):
    with on_commit():
        ticket = file_ticket(
            customer, subject="Commande", body="Je suis très déçu, c'est inacceptable !"
        )

    assert active_case(ticket) is None


def test_staff_notes_are_not_read_as_the_customers_mood(on_commit, customer, agent):
    with on_commit():
        ticket = file_ticket(customer)
        ticket_services.message_add(
            actor=agent,
            ticket=ticket,
            body="Terrible, awful, furious customer, cancel my account, lawyer!",
            internal=True,
        )

    assert active_case(ticket) is None


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("Enough. I want to speak to a manager today.", "manager"),
        ("Please cancel my account.", "cancel"),
        ("I will file a chargeback with my bank.", "chargeback"),
        ("My lawyer will be in touch.", "legal"),
        ("Quiero hablar con un responsable, por favor.", "manager"),
        ("Necesito hablar con el gerente.", "manager"),
        ("Voy a cancelar mi cuenta.", "cancel"),
        ("Pediré un contracargo al banco.", "chargeback"),
        ("Mi abogado se pondrá en contacto con ustedes.", "legal"),
    ],
)
def test_an_explicit_escalation_opens_an_escalation_request_case(on_commit, customer, body, reason):
    with on_commit():
        ticket = file_ticket(customer, subject="Order", body=body)

    case = active_case(ticket)
    assert case.failure_type == "escalation_request"
    assert case.signals.get(kind="escalation_request").data["reason"] == reason


@pytest.mark.parametrize(
    "body", ["I don't want to cancel my account, just fix it.", "No quiero cancelar mi cuenta."]
)
def test_a_negated_escalation_opens_nothing(on_commit, customer, body):
    with on_commit():
        ticket = file_ticket(customer, subject="Account", body=body)

    assert active_case(ticket) is None


def test_a_low_csat_answer_opens_a_low_csat_case(on_commit, customer):
    ticket = file_ticket(customer)

    with on_commit():
        record_low_score(ticket, kind="csat", score=1, comment="Nobody helped me, terrible.")

    case = active_case(ticket)
    assert case.failure_type == "low_csat"
    assert case.facts["description"].startswith("Rated CSAT 1 out of 5.")
    assert case.sentiment < 0  # the comment's mood feeds the score


def test_a_customer_answering_a_survey_badly_opens_a_low_csat_case_once(on_commit, customer):
    from surveys import services as survey_services

    ticket = file_ticket(customer)
    survey = survey_services.survey_create(ticket=ticket, kind="csat")
    survey = survey_services.survey_mark_sent(survey=survey)

    with on_commit():
        survey_services.survey_answer(survey=survey, score=2, comment="Took a week.")
    with on_commit():  # the customer edits the answer: the same failure, not a second one
        survey_services.survey_answer(survey=survey, score=1, comment="Took a week. Awful.")

    case = active_case(ticket)
    assert case.failure_type == "low_csat"
    assert TicketEvent.objects.filter(ticket=ticket, type="survey.low_score").count() == 2
    assert case.signals.get().source == f"survey:{survey.pk}:low_csat"


def test_an_nps_answer_above_the_managers_threshold_opens_nothing(on_commit, customer):
    ticket = file_ticket(customer)
    DetectorSettings.objects.filter(pk=1).update(nps_max_score=4)

    with on_commit():
        record_low_score(ticket, kind="nps", score=6)

    assert active_case(ticket) is None


# --- the machinery -------------------------------------------------------------------------


def test_a_switched_off_detector_opens_nothing(on_commit, customer, agent):
    DetectorSettings.objects.filter(pk=1).update(failure_category_enabled=False)

    with on_commit():
        ticket = file_ticket(customer)
        ticket_services.ticket_update(actor=agent, ticket=ticket, category="defective_product")

    assert active_case(ticket) is None


def test_a_redelivered_event_adds_nothing(on_commit, customer, agent):
    with on_commit():
        ticket = file_ticket(customer)
        ticket_services.ticket_update(actor=agent, ticket=ticket, category="late_delivery")
    event = TicketEvent.objects.get(ticket=ticket, type="ticket.category_changed")

    assert tasks.detect(event.pk) == 0
    assert tasks.detect(event.pk) == 0
    assert RecoverySignal.objects.filter(source=f"event:{event.pk}:failure_category").count() == 1
    assert RecoveryCase.objects.count() == 1


def test_the_receiver_queues_no_task_for_events_no_detector_reads(
    customer, agent, monkeypatch, on_commit
):
    queued = []
    monkeypatch.setattr(tasks.detect, "delay", lambda event_id: queued.append(event_id))
    ticket = file_ticket(customer)  # not committed: nothing queued yet

    with on_commit():
        ticket_services.ticket_update(actor=agent, ticket=ticket, tags=["vip"], priority="high")
        ticket_services.message_add(actor=agent, ticket=ticket, body="note", internal=True)
        ticket_services.ticket_assign(actor=agent, ticket=ticket, assignee=agent)  # no handoff

    assert queued == []
    assert {"sla.breached", "sla.warning", "survey.low_score"} <= detectors.EVENT_TYPES


def test_a_staff_members_own_ticket_is_not_a_customer_failure(on_commit, agent):
    with on_commit():
        ticket = ticket_services.ticket_create(
            actor=agent, requester=agent, subject="Test", body="This is unacceptable, furious!"
        )

    assert active_case(ticket) is None
