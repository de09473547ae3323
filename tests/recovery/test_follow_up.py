"""Follow-up and outcome, and the six situations end to end: case, draft, offer, approval
where needed, issue, apology sent, survey scheduled on resolution, answer, outcome."""

from decimal import Decimal

import pytest
from django.core import mail

from recovery import services
from recovery.models import CompensationIssue, RecoveryCase
from surveys import services as survey_services
from surveys.models import Survey
from tests.recovery.conftest import file_ticket

pytestmark = pytest.mark.django_db

CANCEL = "/api/v1/recovery/cancellations/"

# failure type, facts, what the draft must name, approval needed (agent limit 50)
SIX = [
    ("technical_difficulty", {"product": "Sync Cloud"}, "Sync Cloud", False),
    ("defective_product", {"product": "Kettle K2"}, "Kettle K2", False),
    ("overcharge", {"amount": "180.00", "currency": "EUR"}, "180.00 EUR", True),
    ("late_delivery", {"order_number": "L-9", "days_late": 6}, "L-9", False),
    ("poor_support", {"agent_name": "Jordan"}, "Jordan", False),
    ("long_wait", {"hours_waited": 40, "promised_hours": 8}, "40", False),
]


def answer(survey: Survey, score: int):
    survey_services.survey_mark_sent(survey=survey)
    survey.refresh_from_db()
    return survey_services.survey_answer(survey=survey, score=score, actor=survey.customer)


def resolve(agent, case, on_commit) -> Survey:
    with on_commit():
        services.case_update(actor=agent, case=case, status="resolved")
    return Survey.objects.get(origin="recovery", origin_id=case.pk)


@pytest.mark.parametrize(("failure_type", "facts", "named", "needs_approval"), SIX)
def test_the_six_situations_end_to_end(
    on_commit, customer, agent, manager, failure_type, facts, named, needs_approval
):
    # Given a case opened from the failure, with a drafted apology and a suggested offer
    ticket = file_ticket(customer, subject="Something went wrong")
    case = services.case_open(
        actor=agent, ticket=ticket, failure_type=failure_type, facts=facts
    ).case
    assert named in case.apology_body and customer.first_name in case.apology_body

    # When the agent has the offer approved where it is over their limit, and issues it
    if case.compensation_kind:
        if needs_approval:
            approval = services.compensation_request_approval(
                actor=agent,
                case=case,
                kind=case.compensation_kind,
                amount=case.compensation_amount,
                currency=case.compensation_currency,
                reason="Clear billing error",
            )
            services.compensation_decide(actor=manager, approval=approval, approve=True)
        issue = services.compensation_issue(actor=agent, case=case)
        assert (issue.approved_by == manager) is needs_approval
    # and sends the apology, then resolves the case
    with on_commit():
        services.case_apology_send(actor=agent, case=case)
    assert [m.to for m in mail.outbox] == [[customer.email]]
    survey = resolve(agent, case, on_commit)

    # Then a CSAT follow-up is scheduled, and a 5 closes the case as recovered
    assert survey.kind == "csat" and survey.ticket_id == ticket.pk
    with on_commit():
        answer(survey, 5)
    case.refresh_from_db()
    assert (case.status, case.outcome) == ("closed", "recovered")
    assert case.time_to_recover == case.resolved_at - case.detected_at
    assert case.outcome_at is not None


def test_a_low_answer_closes_the_case_as_not_recovered(on_commit, customer, agent):
    case = services.case_open(
        actor=agent, ticket=file_ticket(customer), failure_type="handoffs"
    ).case
    survey = resolve(agent, case, on_commit)

    with on_commit():
        answer(survey, 2)

    case.refresh_from_db()
    assert (case.status, case.outcome) == ("closed", "not_recovered")


def test_resolving_twice_schedules_one_survey(on_commit, customer, agent):
    case = services.case_open(
        actor=agent, ticket=file_ticket(customer), failure_type="reopened"
    ).case
    resolve(agent, case, on_commit)
    with on_commit():
        services.case_update(actor=agent, case=case, status="in_progress")
    resolve(agent, case, on_commit)

    assert Survey.objects.filter(origin="recovery", origin_id=case.pk).count() == 1


def test_a_later_cancellation_marks_the_case_churned(on_commit, client_for, customer, agent):
    case = services.case_open(
        actor=agent, ticket=file_ticket(customer), failure_type="handoffs"
    ).case
    survey = resolve(agent, case, on_commit)
    with on_commit():
        answer(survey, 5)

    response = client_for(agent).post(CANCEL, {"customer": customer.email}, format="json")

    assert response.status_code == 200
    assert response.json() == {"churned": [case.pk]}
    case.refresh_from_db()
    assert case.outcome == "churned"
    assert case.events.filter(type="case.churned").exists()


def test_customers_cannot_record_cancellations(client_for, customer, agent):
    services.case_open(actor=agent, ticket=file_ticket(customer), failure_type="handoffs")

    response = client_for(customer).post(CANCEL, {"customer": customer.email}, format="json")

    assert response.status_code == 403
    assert not RecoveryCase.objects.filter(outcome="churned").exists()


def test_an_unknown_customer_is_a_400(client_for, agent):
    response = client_for(agent).post(CANCEL, {"customer": "nobody@example.com"}, format="json")

    assert response.status_code == 400


def test_issued_compensation_is_not_double_counted(customer, agent):
    case = services.case_open(
        actor=agent,
        ticket=file_ticket(customer),
        failure_type="overcharge",
        facts={"amount": "20.00", "currency": "EUR"},
    ).case
    services.compensation_issue(actor=agent, case=case)

    assert CompensationIssue.objects.get().amount == Decimal("20.00")
