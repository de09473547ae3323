"""The recovery panel on the agent ticket page, the recovery queue and the case page, in a
real Chromium (every browser test lives in tests/browser, sharing one Chromium)."""

import importlib
import re

import pytest
from django.apps import apps
from playwright.sync_api import expect

from recovery.models import RecoveryCase
from tests.browser.conftest import axe_violations, off_the_event_loop
from tests.recovery.conftest import file_ticket
from tickets import services as ticket_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _shipped_defaults(transactional_db):
    """Transactional tests start from flushed tables: put the migrations' playbooks,
    settings and root causes back, as a fresh install has them."""
    for name in ("0003_default_playbooks", "0004_default_root_causes"):
        importlib.import_module(f"recovery.migrations.{name}").ship(apps, None)


def _upset_customer_with_a_broken_blender(customer, agent):
    ticket = file_ticket(
        customer,
        subject="My blender arrived broken",
        body="It arrived cracked. This is unacceptable, I am furious!",
    )
    ticket_services.ticket_update(actor=agent, ticket=ticket, category="defective_product")
    return ticket


def test_an_agent_works_the_playbook_from_the_ticket_page_and_finds_the_case_in_the_queue(
    new_page,
    customer,
    agent,
):
    # Given a customer whose angry message and defective blender opened a case
    ticket = off_the_event_loop(_upset_customer_with_a_broken_blender, customer, agent)
    case = RecoveryCase.objects.get()
    assert case.failure_type == "defective_product"

    # When the agent opens the ticket, the panel explains the case
    page = new_page(agent)
    page.goto(f"/agent/tickets/{ticket.pk}/")
    panel = page.locator("#recovery-panel")
    expect(panel.get_by_role("heading", name=f"Severity {case.severity} of 100")).to_be_visible()
    expect(panel.locator("tr[data-factor=sentiment]")).to_contain_text("reads as upset")
    expect(panel.get_by_role("heading", name="Playbook: Defective product")).to_be_visible()
    assert axe_violations(page) == []

    # and ticking the first step saves it in place, without a page load
    page.evaluate("window.stillTheSamePage = true")
    first_step = panel.get_by_label("Listen, and ask what is wrong with the item")
    first_step.check()
    expect(page.locator("#recovery-panel")).to_contain_text("Done by Alex Agent")
    assert page.evaluate("window.stillTheSamePage") is True
    page.reload()
    expect(page.get_by_label("Listen, and ask what is wrong with the item")).to_be_checked()

    # Then the case waits in the recovery queue, most severe first, and its page agrees
    page.goto("/manager/recovery/queue/")
    row = page.locator("table.recovery-cases tbody tr").first
    expect(row).to_contain_text("Defective product")
    expect(row).to_contain_text(ticket.reference)
    assert axe_violations(page) == []
    row.get_by_role("link", name=re.compile(r"Severity \d+, open the case")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Defective product")
    expect(page.get_by_label("Listen, and ask what is wrong with the item")).to_be_checked()
    assert axe_violations(page) == []


def test_an_agent_opens_a_case_by_hand_from_the_panel(
    new_page,
    customer,
    agent,
):
    ticket = off_the_event_loop(
        file_ticket, customer, subject="Question about my bill", body="Is this right?"
    )
    page = new_page(agent)
    page.goto(f"/agent/tickets/{ticket.pk}/")
    panel = page.locator("#recovery-panel")
    expect(panel).to_contain_text("No recovery case for this ticket.")

    panel.get_by_text("Open a case by hand").click()
    panel.get_by_label("Failure type").select_option("overcharge")
    panel.get_by_label("Amount").fill("30.00")
    panel.get_by_label("Currency").fill("EUR")
    panel.get_by_role("button", name="Open case").click()

    expect(page.locator("#recovery-panel")).to_contain_text("Playbook: Overcharge")
    expect(page.locator("#messages")).to_contain_text("Recovery case opened.")
    case = RecoveryCase.objects.get()
    assert (case.failure_type, case.facts["amount"], case.opened_by) == (
        "overcharge",
        "30.00",
        agent,
    )
