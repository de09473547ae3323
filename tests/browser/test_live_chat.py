"""Live chat and presence in real browsers, against a real ASGI server (websockets).

Chromium as in tests/browser (skips without it unless REQUIRE_BROWSER=1); the
server is uvicorn in a thread on the test database (`asgi_server`).
"""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import axe_violations
from tests.chat.conftest import asgi_server  # noqa: F401 - a fixture, used by name
from tickets.models import Channel, Message, Status, Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_page(browser, asgi_server):  # noqa: F811 - the fixture imported above
    """A page in a fresh browser context, logged in as `user`, on the ASGI server."""
    contexts = []

    def open_as(user):
        context = browser.new_context(base_url=asgi_server)
        context.set_default_timeout(10_000)
        contexts.append(context)
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": asgi_server}]
        )
        return context.new_page()

    yield open_as
    for context in contexts:
        context.close()


def say(page, text):
    box = page.get_by_label("Your message")
    box.fill(text)
    box.press("Enter")


def test_a_customer_and_an_agent_chat_live(open_page, customer, agent):
    # Given an agent watching the chats queue, and a customer on the chat page
    desk = open_page(agent)
    desk.goto("/agent/chats/")
    expect(desk.get_by_text("Nobody is waiting.")).to_be_visible()
    portal = open_page(customer)
    portal.goto("/portal/chat/")
    expect(portal.locator("[data-chat][data-chat-connected]")).to_have_count(1)
    assert axe_violations(portal) == []

    # When the customer writes, the chat appears in the agent's queue without a reload
    say(portal, "Hello, where is my order 4471?")
    expect(portal.locator(".entry-customer")).to_contain_text("where is my order 4471?")
    desk.get_by_role("link", name="Hello, where is my order 4471?").click()

    # and the agent answers on the live chat page
    expect(desk.locator("[data-chat][data-chat-connected]")).to_have_count(1)
    expect(desk.locator(".entry-customer")).to_contain_text("where is my order 4471?")
    assert axe_violations(desk) == []
    say(desk, "It left the warehouse this morning.")

    # Then the customer reads the answer live, and the agent the customer's thanks
    expect(portal.locator(".entry-reply")).to_contain_text("It left the warehouse this morning.")
    expect(portal.locator(".entry-reply .badge-staff")).to_have_text("Support team")
    say(portal, "Great, thanks!")
    expect(desk.locator(".entry-customer").last).to_contain_text("Great, thanks!")

    # and the transcript is the ticket's timeline
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.status) == (Channel.CHAT, Status.OPEN)
    assert list(ticket.messages.values_list("body", "channel")) == [
        ("Hello, where is my order 4471?", Channel.CHAT),
        ("It left the warehouse this morning.", Channel.CHAT),
        ("Great, thanks!", Channel.CHAT),
    ]
    # and the agent finds it on the customer's one timeline
    desk.goto(f"/agent/customers/{customer.pk}/")
    expect(desk.locator('[data-channel="chat"]')).to_have_count(3)
    assert axe_violations(desk) == []


def test_two_agents_on_one_ticket_see_each_other_and_new_messages_arrive(
    open_page, customer, agent
):
    sam = factories.AgentFactory(full_name="Sam Support")
    ticket = factories.TicketFactory(requester=customer, first_message="Please help.")

    # Given Alex and Sam on the same ticket
    alex_page = open_page(agent)
    alex_page.goto(f"/agent/tickets/{ticket.pk}/")
    sam_page = open_page(sam)
    sam_page.goto(f"/agent/tickets/{ticket.pk}/")

    # Then each sees the other there, and Alex sees Sam typing a reply
    expect(alex_page.locator("#presence")).to_have_text("Sam Support is viewing this ticket")
    expect(sam_page.locator("#presence")).to_have_text("Alex Agent is viewing this ticket")
    sam_page.get_by_label("Reply or note").press_sequentially("On it", delay=20)
    expect(alex_page.locator("#presence")).to_have_text("Sam Support is typing a reply")

    # When Sam sends the reply, it appears in Alex's conversation without a reload
    alex_page.evaluate("window.stillTheSamePage = true")
    sam_page.get_by_role("button", name="Send").click()
    expect(alex_page.locator(".entry-reply")).to_contain_text("On it")
    assert alex_page.evaluate("window.stillTheSamePage") is True

    # and when Sam leaves, Alex is alone again
    sam_page.close()
    expect(alex_page.locator("#presence")).to_have_text("")
    assert Message.objects.filter(ticket=ticket, author=sam).count() == 1


def test_a_recovery_case_opening_appears_on_the_ticket_page_without_a_reload(
    open_page, customer, agent
):
    from recovery import services as recovery_services
    from tests.browser.conftest import off_the_event_loop

    ticket = factories.TicketFactory(requester=customer, first_message="Third agent in a row!")
    page = open_page(agent)
    page.goto(f"/agent/tickets/{ticket.pk}/")
    expect(page.locator("#recovery-panel")).to_be_visible()
    page.evaluate("window.stillTheSamePage = true")

    # When a colleague opens a recovery case on this ticket
    off_the_event_loop(
        recovery_services.case_open, actor=agent, ticket=ticket, failure_type="handoffs"
    )

    # Then the panel refreshes in place with the scored case
    expect(page.locator("#recovery-panel .recovery-severity")).to_contain_text("Severity")
    expect(page.locator("#recovery-panel .recovery-case-head")).to_contain_text(
        "Passed between too many people"
    )
    assert page.evaluate("window.stillTheSamePage") is True
