"""Compensation above an agent's limit: the request from the case page, a lead's or a
manager's decision from the inbox (with the reason kept), the team's budget and spend."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from recovery import services
from recovery.models import CompensationApproval, RecoveryCase, TeamBudget
from tests import factories
from tests.recovery.conftest import file_ticket

pytestmark = pytest.mark.django_db

INBOX = "/manager/recovery/approvals/"


@pytest.fixture
def case(agent, customer, team):
    ticket = file_ticket(customer)
    ticket.team = team
    ticket.save(update_fields=["team"])
    return services.case_open(
        actor=agent,
        ticket=ticket,
        failure_type="late_delivery",
        facts={"order_number": "V-1", "days_late": 8},
    ).case


def ask(client, case, amount="120.00", reason="Third late order this year"):
    return client.post(
        reverse("manager:recovery_case_request_approval", args=[case.pk]),
        {
            "approval-kind": "voucher",
            "approval-amount": amount,
            "approval-currency": "EUR",
            "approval-reason": reason,
        },
    )


def decide(client, approval, decision, reason=""):
    return client.post(
        reverse("manager:recovery_approval_decide", args=[approval.pk]),
        {"decision": decision, "reason": reason},
    )


def test_an_agent_asks_for_more_than_their_limit(client, agent, case):
    client.force_login(agent)

    response = ask(client, case)

    assert response.status_code == 302
    approval = CompensationApproval.objects.get()
    assert (approval.amount, approval.requested_by, approval.status) == (
        Decimal("120.00"),
        agent,
        "pending",
    )
    case.refresh_from_db()
    assert case.status == "awaiting_approval"
    assert case.compensation_amount != Decimal("120.00")  # nothing granted yet


def test_within_the_limit_there_is_nothing_to_approve(client, agent, case):
    client.force_login(agent)

    ask(client, case, amount="20.00")

    assert not CompensationApproval.objects.exists()


def test_a_customer_cannot_ask_by_a_crafted_post(client, customer, case):
    client.force_login(customer)

    response = ask(client, case)

    assert response.status_code == 403
    assert not CompensationApproval.objects.exists()


def test_a_manager_approves_and_the_case_and_apology_carry_it(client, agent, manager, case):
    client.force_login(agent)
    ask(client, case)
    approval = CompensationApproval.objects.get()
    client.force_login(manager)

    page = client.get(INBOX).content.decode()
    response = decide(client, approval, "approve", "Loyal customer")

    assert "Third late order this year" in page
    assert response.status_code == 302
    approval.refresh_from_db()
    assert (approval.status, approval.decided_by, approval.decision_reason) == (
        "approved",
        manager,
        "Loyal customer",
    )
    case = RecoveryCase.objects.get(pk=approval.case_id)
    assert (case.compensation_kind, case.compensation_amount) == ("voucher", Decimal("120.00"))
    assert case.status == "in_progress"
    assert "voucher worth 120.00 EUR" in case.apology_body


def test_a_decline_keeps_its_reason_and_needs_one(client, agent, manager, case):
    client.force_login(agent)
    ask(client, case)
    approval = CompensationApproval.objects.get()
    client.force_login(manager)

    decide(client, approval, "decline")
    approval.refresh_from_db()
    assert approval.status == "pending"

    decide(client, approval, "decline", "A voucher of 50 covers it")
    approval.refresh_from_db()
    assert (approval.status, approval.decision_reason) == ("declined", "A voucher of 50 covers it")
    case.refresh_from_db()
    assert case.compensation_amount != Decimal("120.00")
    assert case.status == "in_progress"


def test_a_lead_approves_only_up_to_their_own_limit(client, agent, lead, case):
    client.force_login(agent)
    ask(client, case, amount="300.00")
    approval = CompensationApproval.objects.get()
    client.force_login(lead)

    decide(client, approval, "approve")

    approval.refresh_from_db()
    assert approval.status == "pending"


def test_a_lead_approves_within_their_limit(client, agent, lead, case):
    client.force_login(agent)
    ask(client, case, amount="150.00")
    approval = CompensationApproval.objects.get()
    client.force_login(lead)

    decide(client, approval, "approve")

    approval.refresh_from_db()
    assert approval.status == "approved"


def test_agents_and_customers_cannot_open_the_inbox_or_decide(client, agent, customer, case):
    client.force_login(agent)
    ask(client, case)
    approval = CompensationApproval.objects.get()

    assert client.get(INBOX).status_code == 403
    assert decide(client, approval, "approve").status_code == 403
    client.force_login(customer)
    assert decide(client, approval, "approve").status_code == 403
    approval.refresh_from_db()
    assert approval.status == "pending"


def test_nobody_approves_their_own_request(lead, case):
    approval = services.compensation_request_approval(
        actor=lead, case=case, kind="voucher", amount="500", currency="EUR", reason="Big miss"
    )

    with pytest.raises(Exception, match="Someone else"):
        services.compensation_decide(actor=lead, approval=approval, approve=True)


def test_a_decided_request_cannot_be_decided_again(client, agent, manager, case):
    client.force_login(agent)
    ask(client, case)
    approval = CompensationApproval.objects.get()
    client.force_login(manager)
    decide(client, approval, "decline", "No")

    decide(client, approval, "approve")

    approval.refresh_from_db()
    assert approval.status == "declined"


def test_one_request_waits_per_case(agent, case):
    services.compensation_request_approval(
        actor=agent, case=case, kind="voucher", amount="100", currency="EUR", reason="One"
    )

    with pytest.raises(Exception, match="already waiting"):
        services.compensation_request_approval(
            actor=agent, case=case, kind="voucher", amount="90", currency="EUR", reason="Two"
        )


def test_the_inbox_shows_the_teams_budget_and_spend(client, agent, manager, customer, team, case):
    month = timezone.localdate().replace(day=1)
    TeamBudget.objects.create(team=team, month=month, amount=Decimal("1000"), currency="EUR")
    earlier = services.compensation_request_approval(
        actor=agent, case=case, kind="voucher", amount="120", currency="EUR", reason="First"
    )
    services.compensation_decide(actor=manager, approval=earlier, approve=True)
    services.compensation_issue(actor=agent, case=case)
    other = file_ticket(customer, subject="Another late parcel")
    other.team = team
    other.save(update_fields=["team"])
    second = services.case_open(
        actor=agent, ticket=other, failure_type="overcharge", facts={"amount": "10"}
    ).case
    services.compensation_request_approval(
        actor=agent, case=second, kind="refund", amount="300", currency="EUR", reason="Second"
    )
    client.force_login(manager)

    page = client.get(INBOX).content.decode()

    assert f"{team.name} has spent 120.00 of its 1000.00 EUR budget this month." in page
    assert isinstance(month, date)


def test_the_case_page_offers_the_request_form(client, agent, case):
    client.force_login(agent)

    page = client.get(reverse("manager:recovery_case", args=[case.pk])).content.decode()

    assert "Ask for approval above your limit" in page
    assert factories  # factories imported for symmetry with other modules
