"""A ticket's round trip through real browsers: portal, queue, reply, and back."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_customer_files_a_ticket_and_reads_the_agents_reply_but_never_the_note(
    new_page, customer, agent
):
    # Given a customer who files a ticket in the portal
    portal = new_page()
    log_in(portal, customer.email)
    expect(portal).to_have_url(re.compile(r"/portal/$"))
    portal.get_by_role("link", name="New ticket").click()
    portal.get_by_label("Subject").fill("My blender makes a grinding noise")
    portal.get_by_label("How can we help?").fill("It started yesterday, order 4471.")
    portal.get_by_role("button", name="Send to support").click()
    expect(portal.locator(".message-success")).to_contain_text("Its reference is HD-")
    reference = portal.locator("h1 .ref").inner_text()

    # When an agent finds it in the queue, replies, and adds an internal note
    workspace = new_page()
    log_in(workspace, agent.email)
    expect(workspace).to_have_url(re.compile(r"/agent/$"))
    workspace.evaluate("window.stillTheSamePage = true")
    workspace.get_by_label("Search").fill(reference)
    expect(workspace).to_have_url(re.compile(rf"q={reference}"))  # htmx pushed the filtered URL
    expect(workspace.locator(".ticket-table tbody tr")).to_have_count(1)
    assert workspace.evaluate("window.stillTheSamePage") is True
    workspace.get_by_role("link", name=f"{reference} My blender makes a grinding noise").click()
    expect(workspace.get_by_role("heading", level=1)).to_contain_text(reference)
    workspace.get_by_label("Reply or note").fill("Sorry about that: a new blender is on its way.")
    workspace.get_by_role("button", name="Send").click()
    expect(workspace.locator(".entry-reply")).to_contain_text("a new blender is on its way")
    expect(workspace.locator(".message-success")).to_contain_text("Reply sent to")
    workspace.get_by_label("Reply or note").fill("Third blender this year; flag for a refund?")
    workspace.get_by_label("Internal note").check()
    workspace.get_by_role("button", name="Send").click()
    expect(workspace.locator(".entry-note")).to_contain_text("flag for a refund?")
    expect(workspace.locator(".entry-note")).to_contain_text("Internal note")

    # Then the customer sees the reply, and never the note
    portal.reload()
    expect(portal.locator(".entry-reply")).to_contain_text("a new blender is on its way")
    expect(portal.locator(".entry-note")).to_have_count(0)
    assert "flag for a refund" not in portal.content()

    # And the customer can answer without a page load
    portal.evaluate("window.stillTheSamePage = true")
    portal.get_by_label("Your reply").fill("Thank you!")
    portal.get_by_role("button", name="Send reply").click()
    expect(portal.locator(".entry-customer").last).to_contain_text("Thank you!")
    expect(portal.locator(".message-success")).to_contain_text("Your reply was added.")
    assert portal.evaluate("window.stillTheSamePage") is True
