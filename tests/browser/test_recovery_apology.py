"""The drafted apology in a real Chromium: an agent edits it in the recovery panel,
offers compensation over their limit, a manager approves it from the inbox, the agent
issues it and sends the apology; the customer receives it by email and in the portal.
"""

import importlib

import pytest
from django.apps import apps
from django.core import mail
from playwright.sync_api import expect

from recovery import services
from recovery.models import CompensationIssue, RecoveryCase
from tests.browser.conftest import axe_violations, off_the_event_loop
from tests.recovery.conftest import file_ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _shipped_defaults(transactional_db):
    """Transactional tests start from flushed tables: put the shipped playbooks, approval
    limits and compensation rules back, as a fresh install has them."""
    for name in (
        "0003_default_playbooks",
        "0004_default_root_causes",
        "0007_default_compensation_policy",
    ):
        importlib.import_module(f"recovery.migrations.{name}").ship(apps, None)


def _late_lamp(customer, agent):
    ticket = file_ticket(customer, subject="My lamp is late", body="Order L-42 is not here.")
    services.case_open(
        actor=agent,
        ticket=ticket,
        failure_type="late_delivery",
        facts={"order_number": "L-42", "days_late": 6},
    )
    return ticket


def test_an_agent_edits_the_apology_offers_over_their_limit_and_a_manager_approves(
    new_page, customer, agent, manager
):
    # Given a late delivery that opened a case with a drafted apology
    ticket = off_the_event_loop(_late_lamp, customer, agent)
    case = RecoveryCase.objects.get()
    assert "L-42" in case.apology_body and "6 days" in case.apology_body

    # When the agent opens the ticket, the draft is in the panel, ready to edit
    page = new_page(agent)
    page.goto(f"/agent/tickets/{ticket.pk}/")
    panel = page.locator("#recovery-panel")
    body = panel.get_by_label("Message to the customer")
    expect(body).to_have_value(case.apology_body)
    assert axe_violations(page) == []

    # and adds a line of their own, and saves it in place
    edited = case.apology_body.replace(
        "\n\n", "\n\nI have also asked the courier to call you.\n\n", 1
    )
    body.fill(edited)
    panel.get_by_role("button", name="Save apology").click()
    expect(page.locator("#messages")).to_contain_text("Apology saved.")
    case.refresh_from_db()
    assert case.apology_edited and "asked the courier" in case.apology_body

    # and offers a voucher over their limit (50) from the case page
    page.goto(f"/manager/recovery/cases/{case.pk}/")
    page.get_by_text("Ask for approval above your limit").click()
    page.get_by_label("Remedy").select_option("voucher")
    page.get_by_label("Amount").fill("80.00")
    page.get_by_label("Currency").fill("EUR")
    page.get_by_label("Why").fill("Second late order this month")
    page.get_by_role("button", name="Request approval").click()
    expect(page.locator("#messages")).to_contain_text("Approval requested.")

    # and a manager approves it from the inbox
    inbox = new_page(manager)
    inbox.goto("/manager/recovery/approvals/")
    expect(inbox.locator(".approval").first).to_contain_text("Second late order this month")
    assert axe_violations(inbox) == []
    inbox.get_by_label("Reason (needed to decline)").fill("Fair for a repeat delay")
    inbox.get_by_role("button", name="Approve").click()
    expect(inbox.locator("#messages")).to_contain_text("Compensation approved.")

    # and the agent issues it: the offer is now in the draft's place on the case
    page.reload()
    page.get_by_role("button", name="Issue compensation").click()
    expect(page.locator("#messages")).to_contain_text("Compensation issued.")
    issue = CompensationIssue.objects.get()
    assert (issue.kind, issue.amount, issue.approved_by) == ("voucher", 80, manager)

    # and sends the apology from the ticket page
    page.goto(f"/agent/tickets/{ticket.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#recovery-panel").get_by_role("button", name="Send apology").click()
    expect(page.locator("#recovery-panel")).to_contain_text("Sent to the customer on")

    # Then the customer has it by email and in the portal
    case.refresh_from_db()
    assert case.apology_sent_at is not None
    assert [m.to for m in mail.outbox] == [[customer.email]]
    assert "asked the courier" in mail.outbox[0].body
    portal = new_page(customer)
    portal.goto(f"/portal/tickets/{ticket.pk}/")
    expect(portal.get_by_text("I have also asked the courier to call you.")).to_be_visible()
